# Resources and the commands around a running container: cgroup limits
# (checked in the container's cgroup files and enforced), pause/resume, ps,
# update, events, kill --all, exec, seccomp. Runs on v1/hybrid and v2 hosts.

start_sleeper() {
	set_args /bin/sleep 1000
	b run -d --bundle "$BUNDLE" "${1:-c1}" >/dev/null || fail "run -d"
}

test_limits_written_to_cgroup() {
	cfg '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 20}, "cpu": {"quota": 50000, "period": 100000, "shares": 512}}'
	start_sleeper
	if is_v2; then
		assert_eq "$(cat "$(cgfile memory x memory.max)")" 67108864 "memory.max"
		assert_eq "$(cat "$(cgfile pids x pids.max)")" 20 "pids.max"
		assert_eq "$(cat "$(cgfile cpu x cpu.max)")" "50000 100000" "cpu.max"
	else
		assert_eq "$(cat "$(cgfile memory memory.limit_in_bytes x)")" 67108864 "memory.limit_in_bytes"
		assert_eq "$(cat "$(cgfile pids pids.max x)")" 20 "pids.max"
		assert_eq "$(cat "$(cgfile cpu cpu.cfs_quota_us x)")" 50000 "cpu.cfs_quota_us"
		assert_eq "$(cat "$(cgfile cpu cpu.shares x)")" 512 "cpu.shares"
	fi
	pid=$(b state c1 | jq -r .pid)
	grep -qx "$pid" "$(cgfile memory cgroup.procs cgroup.procs)" || fail "init not in the memory cgroup"
}

# hugepageLimits where the host has the controller: a v1 hugetlb hierarchy,
# or hugetlb in the v2 tree (this hybrid host has it only in cgroup2, which
# tests/v2sim.sh reaches).
test_hugetlb_limit() {
	if is_v2; then
		grep -qw hugetlb /sys/fs/cgroup/cgroup.controllers || skip "no hugetlb controller in cgroup2"
	else
		[ -d /sys/fs/cgroup/hugetlb ] || skip "no v1 hugetlb hierarchy"
	fi
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ] || skip "no 2 MiB huge pages"
	cfg '.linux.resources = {"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}'
	start_sleeper
	assert_eq "$(cat "$(cgfile hugetlb hugetlb.2MB.limit_in_bytes hugetlb.2MB.max)")" 4194304 "2 MB huge page limit"
}

# The init is born in (v2: clone3 CLONE_INTO_CGROUP) or moves itself into
# (v1: its own `tasks` file) the container's cgroup in every hierarchy,
# before `create` returns.
test_init_in_every_hierarchy() {
	set_args /bin/sleep 1000
	b create --bundle "$BUNDLE" c1 || fail "create"
	pid=$(ctr_pid c1)
	n=0
	while IFS=: read -r _ ctl path; do
		# On a pure v2 host only the unified line counts (hierarchies the
		# kernel has but nothing mounts may still be listed).
		if is_v2; then [ -z "$ctl" ] || continue; fi
		case "$ctl" in name=*|"") ;; *) [ -d "/sys/fs/cgroup/${ctl%%,*}" ] || continue ;; esac
		assert_eq "$path" "$CG" "init's cgroup in hierarchy '$ctl'"
		n=$((n + 1))
	done <"/proc/$pid/cgroup"
	[ "$n" -ge 1 ] || fail "no hierarchy checked"
	# with a cgroup namespace the container sees its cgroup as the root
	b delete -f c1 || fail "delete"
	cfg '.linux.namespaces += [{"type": "cgroup"}]'
	set_args /bin/sh -c 'cat /proc/self/cgroup'
	run_ctr c2
	assert_eq "$RC" 0 "run with a cgroup namespace: $OUT"
	assert_eq "$(echo "$OUT" | cut -d: -f3 | sort -u)" "/" "paths inside the cgroup namespace"
}

# v1: the container's cpuset does not balance load itself (under a root that
# balances all CPUs, where that changes nothing), so that creating and
# removing it does not rebuild the scheduler domains.
test_cpuset_no_domain_rebuild() {
	is_v2 && skip "cgroup v1 cpuset only"
	[ -f /sys/fs/cgroup/cpuset/cpuset.sched_load_balance ] || skip "no v1 cpuset"
	[ "$(cat /sys/fs/cgroup/cpuset/cpuset.sched_load_balance)" = 1 ] || skip "root cpuset does not balance"
	start_sleeper
	assert_eq "$(cat "$(cgfile cpuset cpuset.sched_load_balance x)")" 0 "sched_load_balance"
	assert_eq "$(cat "$(cgfile cpuset cpuset.cpus x)")" "$(cat /sys/fs/cgroup/cpuset/cpuset.cpus)" "cpuset.cpus"
}

test_memory_limit_enforced() {
	# 40 MB in a shell variable under a 16 MiB limit (no swap): the
	# container is OOM-killed.
	cfg '.linux.resources = {"memory": {"limit": 16777216, "swap": 16777216}}'
	set_args /bin/sh -c 'x=$(head -c 40000000 /dev/zero | tr "\0" a); echo survived'
	out=$(b run --bundle "$BUNDLE" c1 2>&1)
	rc=$?
	assert_not_contains "$out" survived "the memory limit was not enforced"
	# Killed by the OOM killer, not failed for another reason.
	assert_eq "$rc" 137 "run's exit status (128 + SIGKILL): $out"
}

# cpu.quota is enforced, not only written: a busy loop under 10 % of a CPU
# for a second uses about 0.1 s of CPU time (1 s without the quota).
test_cpu_quota_enforced() {
	local f used
	cfg '.linux.resources = {"cpu": {"quota": 10000, "period": 100000}}'
	set_args /bin/sh -c 'while :; do :; done'
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	sleep 1
	if is_v2; then
		f=$(cgfile cpu x cpu.stat)
		used=$(awk '$1 == "usage_usec" {print int($2 / 1000)}' "$f")
	else
		f=$(cgfile cpuacct cpuacct.usage x)
		used=$(($(cat "$f") / 1000000))
	fi
	[ -n "$used" ] || fail "no CPU usage in $f"
	b delete -f c1 || fail "delete -f"
	[ "$used" -lt 400 ] || fail "busy loop under a 10 % quota used ${used} ms of CPU in about 1 s"
	[ "$used" -gt 5 ] || fail "the busy loop did not run (${used} ms)"
	assert_nothing_left
}

test_pids_limit_enforced() {
	cfg '.linux.resources = {"pids": {"limit": 4}}'
	set_args /bin/sh -c 'for i in 1 2 3 4 5 6 7 8; do sleep 100 & done 2>/dev/null; wait'
	b run -d --bundle "$BUNDLE" c1 >/dev/null || fail "run -d"
	sleep 0.5
	# The kernel counts the forks it refused; without the limit there are
	# none and 9 processes run.
	ev=$(cat "$(cgfile pids pids.events pids.events)")
	cur=$(cat "$(cgfile pids pids.current pids.current)")
	[ "${ev##* }" -gt 0 ] || fail "no fork was refused: $ev"
	[ "$cur" -le 4 ] || fail "pids.current $cur above the limit"
}

test_pause_resume() {
	start_sleeper
	b pause c1 || fail "pause"
	assert_eq "$(b state c1 | jq -r .status)" paused
	pid=$(b state c1 | jq -r .pid)
	if is_v2; then
		assert_eq "$(cat "$(cgfile x x cgroup.freeze)")" 1 "cgroup.freeze"
	else
		assert_eq "$(cat "$(cgfile freezer freezer.state x)")" FROZEN "freezer.state"
	fi
	b pause c1 2>/dev/null && fail "pausing a paused container worked"
	assert_eq "$(b list --format json | jq -r '.[0].status')" paused "list after pause"
	b resume c1 || fail "resume"
	assert_eq "$(b state c1 | jq -r .status)" running
	assert_eq "$(b list --format json | jq -r '.[0].status')" running "list after resume"
	b resume c1 2>/dev/null && fail "resuming a running container worked"
	# list trusts pause's record only as far as the freezer agrees: a thaw
	# behind berth's back shows as running
	b pause c1 || fail "pause again"
	if is_v2; then echo 0 >"$(cgfile x x cgroup.freeze)"; else echo THAWED >"$(cgfile freezer freezer.state x)"; fi
	wait_status c1 running
	assert_eq "$(b list --format json | jq -r '.[0].status')" running "list after an outside thaw"
}

test_ps_json() {
	start_sleeper
	pid=$(b state c1 | jq -r .pid)
	out=$(b ps --format json c1) || fail "ps"
	assert_eq "$(echo "$out" | jq -r 'map(tostring) | join(",")')" "$pid" "ps json"
	out=$(b ps c1) || fail "ps table"
	assert_contains "$out" PID
	assert_contains "$out" "sleep 1000"
}

test_update() {
	cfg '.linux.resources = {"memory": {"limit": 67108864}, "pids": {"limit": 20}}'
	start_sleeper
	b update --memory 33554432 --pids-limit 7 c1 || fail "update flags"
	if is_v2; then
		assert_eq "$(cat "$(cgfile memory x memory.max)")" 33554432
		assert_eq "$(cat "$(cgfile pids x pids.max)")" 7
	else
		assert_eq "$(cat "$(cgfile memory memory.limit_in_bytes x)")" 33554432
		assert_eq "$(cat "$(cgfile pids pids.max x)")" 7
	fi
	echo '{"pids": {"limit": 9}}' | b update --resources - c1 || fail "update -r -"
	if is_v2; then
		assert_eq "$(cat "$(cgfile pids x pids.max)")" 9
	else
		assert_eq "$(cat "$(cgfile pids pids.max x)")" 9
	fi
	# A bad field beside a good one: nothing of the update is applied.
	echo '{"memory": {"limit": 50331648}, "pids": {"limit": "x"}}' >"$T/bad.json"
	b update --resources "$T/bad.json" c1 2>"$T/err" && fail "bad update accepted"
	assert_contains "$(cat "$T/err")" pids
	if is_v2; then
		assert_eq "$(cat "$(cgfile pids x pids.max)")" 9 "a failed update changed the cgroup"
		assert_eq "$(cat "$(cgfile memory x memory.max)")" 33554432 "a failed update changed memory"
	else
		assert_eq "$(cat "$(cgfile pids pids.max x)")" 9 "a failed update changed the cgroup"
		assert_eq "$(cat "$(cgfile memory memory.limit_in_bytes x)")" 33554432 "a failed update changed memory"
	fi
}

test_events_stats() {
	cfg '.linux.resources = {"pids": {"limit": 20}}'
	start_sleeper
	out=$(timeout 10 "$BERTH" --root "$STATE" events --stats c1) || fail "events --stats"
	assert_eq "$(echo "$out" | jq -r .type)" stats
	assert_eq "$(echo "$out" | jq -r .id)" c1
	[ "$(echo "$out" | jq -r .data.pids.current)" -ge 1 ] || fail "pids.current: $out"
	[ "$(echo "$out" | jq -r .data.memory.usage.usage)" -gt 0 ] || fail "memory usage: $out"
	# runc's keys, cpuset among them (intel_rdt {} and network_interfaces
	# null for an OCI bundle, as runc has them).
	assert_eq "$(echo "$out" | jq -c '.data | keys')" \
		'["blkio","cpu","cpuset","hugetlb","intel_rdt","memory","network_interfaces","pids"]' "stats keys"
	assert_eq "$(echo "$out" | jq -c '[.data.intel_rdt, .data.network_interfaces]')" '[{},null]' "intel_rdt, network_interfaces"
	if ! is_v2; then
		[ "$(echo "$out" | jq '.data.cpuset.cpus | length')" -ge 1 ] || fail "cpuset.cpus: $out"
		assert_eq "$(echo "$out" | jq '.data.cpuset | has("sched_relax_domain_level")')" true "cpuset flags"
	fi
}

# kill --all reaches every process of the cgroup: without a pid namespace
# the init's death alone leaves its children running. Also when the
# container is paused (a v1-frozen task acts on SIGKILL only once thawed).
test_kill_all() {
	local pids p id
	set_args /bin/sh -c 'sleep 1000 & sleep 1000 & wait'
	cfg '.linux.namespaces |= map(select(.type != "pid"))'
	for id in c1 c2; do
		b run -d --bundle "$BUNDLE" $id >/dev/null || fail "run -d $id"
		for _ in $(seq 50); do
			pids=$(b ps --format json $id | jq -r '.[]')
			[ "$(echo "$pids" | wc -w)" -ge 3 ] && break
			sleep 0.05
		done
		[ "$(echo "$pids" | wc -w)" -ge 3 ] || fail "$id: expected 3 processes, got: $pids"
		if [ $id = c2 ]; then
			b pause $id || fail "pause $id"
		fi
		b kill --all $id KILL || fail "kill --all $id"
		wait_status $id stopped
		for p in $pids; do
			for _ in $(seq 50); do alive "$p" || break; sleep 0.05; done
			alive "$p" && fail "$id: pid $p survived kill --all"
		done
		b delete $id || fail "delete $id"
	done
	assert_nothing_left
}

test_exec() {
	start_sleeper
	out=$(b exec c1 /bin/sh -c 'echo hello; echo $$') || fail "exec"
	assert_contains "$out" hello
	b exec c1 /bin/sh -c 'exit 7'
	assert_eq $? 7 "exec exit status"
	# Same namespaces as the init: pid 1 is the container's sleep.
	out=$(b exec c1 /bin/cat /proc/1/cmdline | tr '\0' ' ')
	assert_contains "$out" "sleep 1000"
	out=$(b exec --env FOO=bar --cwd /tmp c1 /bin/sh -c 'echo $FOO $(pwd)')
	assert_eq "$out" "bar /tmp"
	out=$(b exec --user 1000:1001 c1 /bin/sh -c 'echo $(id -u):$(id -g)')
	assert_eq "$out" "1000:1001"
	b exec -d --pid-file "$T/exec.pid" c1 /bin/sleep 100 || fail "exec -d"
	epid=$(cat "$T/exec.pid")
	[ -d /proc/$epid ] || fail "exec -d process not running"
	grep -qx "$epid" "$(cgfile pids cgroup.procs cgroup.procs)" || fail "exec process not in the container's cgroup"
	assert_eq "$(cut -d: -f3 "/proc/$epid/cgroup" | sort -u)" "$(cut -d: -f3 "/proc/$(ctr_pid c1)/cgroup" | sort -u)" \
		"exec process's cgroups in every hierarchy"
	out=$(b exec c1 /bin/bhelper fds 2>&1)
	assert_not_contains "$out" "exec.fifo" "runtime fd leaked"
	b exec c1 /nonexistent 2>"$T/err" && fail "exec of a missing binary worked"
	assert_contains "$(cat "$T/err")" nonexistent
}

test_exec_process_file() {
	start_sleeper
	cat >"$T/p.json" <<'P'
{"args": ["/bin/sh", "-c", "echo $A; id -u"], "env": ["A=from-file", "PATH=/bin"], "cwd": "/", "user": {"uid": 5, "gid": 5}}
P
	out=$(b exec --process "$T/p.json" c1) || fail "exec --process"
	assert_eq "$(echo "$out" | head -n1)" from-file
	assert_eq "$(echo "$out" | tail -n1)" 5
}

test_exec_stopped_fails() {
	set_args /bin/true
	b run --keep --bundle "$BUNDLE" c1 || fail "run"
	b exec c1 /bin/true 2>"$T/err" && fail "exec into a stopped container worked"
	assert_contains "$(cat "$T/err")" stopped
	b exec nosuch /bin/true 2>"$T/err" && fail "exec into an unknown container worked"
	assert_contains "$(cat "$T/err")" "does not exist"
}

test_seccomp_errno() {
	cfg '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}'
	set_args /bin/sh -c 'mkdir /tmp/x 2>&1; echo rc=$?'
	out=$(b run --bundle "$BUNDLE" c1 2>&1)
	assert_contains "$out" "not implemented" "mkdir did not fail with ENOSYS"
	assert_contains "$out" "rc=1"
}

# A profile that refuses close_range(2) (profiles older than the call do,
# with their default errno) must not stop the container from starting:
# berth marks its fds close-on-exec after the filter is loaded, and falls
# back to fcntl. Nothing of the runtime leaks to the process either way.
test_seccomp_denies_close_range() {
	cfg '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86_64"], "syscalls": [{"names": ["close_range"], "action": "SCMP_ACT_ERRNO"}]}'
	set_args /bin/bhelper fds
	out=$(b run --bundle "$BUNDLE" c1 2>&1) || fail "run: $out"
	assert_eq "$(echo "$out" | awk '{print $1}' | tr '\n' ' ')" "0 1 2 3 " "fd numbers: $out"
	cfg '.process.noNewPrivileges = true'
	out=$(b run --bundle "$BUNDLE" c2 2>&1) || fail "run with noNewPrivileges: $out"
	assert_eq "$(echo "$out" | awk '{print $1}' | tr '\n' ' ')" "0 1 2 3 " "fd numbers: $out"
	# And the filter is there (mode 2: a filter).
	set_args /bin/bhelper status
	out=$(b run --bundle "$BUNDLE" c3 2>&1) || fail "run: $out"
	assert_eq "$(echo "$out" | awk '/^Seccomp:/ {print $2}')" 2 "Seccomp: in /proc/self/status"
}

test_seccomp_bad_rule() {
	cfg '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_BOGUS"}]}'
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "bad seccomp action accepted"
	assert_contains "$(cat "$T/err")" SCMP_ACT_BOGUS
	assert_nothing_left
}

test_bad_resource_value() {
	cfg '.linux.resources = {"cpu": {"cpus": "9999"}}'
	b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "bad cpuset accepted"
	assert_contains "$(cat "$T/err")" cpus
	assert_eq "$(b list -q)" "" "state left behind"
	# On v1 the cpuset is made after the init was cloned, the memory
	# cgroup before: neither may stay.
	assert_nothing_left
}

# An exec'd process frozen by a pause, whose runtime was killed, must not
# keep the container's lock: delete -f still finishes.
test_delete_after_frozen_exec() {
	start_sleeper
	b pause c1 || fail "pause"
	"$BERTH" --root "$STATE" exec --ignore-paused c1 /bin/true &
	epid=$!
	sleep 0.5
	# Still there: the exec'd process is frozen, and berth waits for it.
	kill -9 $epid 2>/dev/null || fail "the exec into the paused container did not wait"
	wait $epid 2>/dev/null
	timeout 20 "$BERTH" --root "$STATE" delete -f c1 || fail "delete -f hung or failed"
	assert_nothing_left
}

# A cgroup with processes in it is shared (with a warning, as runc 1.1
# does), and a create that fails there kills and removes nothing of it.
test_failed_create_spares_shared_cgroup() {
	start_sleeper c1
	pid=$(ctr_pid c1)
	cfg '.linux.resources = {"cpu": {"shares": 1}}'
	b create --bundle "$BUNDLE" c2 2>"$T/err" && fail "cpu.shares 1 accepted"
	assert_contains "$(cat "$T/err")" "not empty"
	alive "$pid" || fail "the failed create killed the first container"
	assert_eq "$(b state c1 | jq -r .status)" running "first container"
	[ "$(cg_dirs | wc -l)" -ge 1 ] || fail "the failed create removed the first container's cgroup"
	[ -d "$(cgfile pids . .)" ] || is_v2 || fail "the pids cgroup of the first container was removed"
	assert_eq "$(b list -q)" c1 "state of the failed create left behind"
}

test_root_cgroup_refused() {
	cfg '.linux.cgroupsPath = "/"'
	b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "the root cgroup accepted"
	assert_contains "$(cat "$T/err")" "root cgroup"
	true
}

# An empty cgroup made by someone else is used, and a failed create leaves
# it where it was (only what create made goes).
test_failed_create_keeps_existing_cgroup() {
	local pre
	pre=$(cgfile memory . .)
	mkdir -p "$pre"
	cfg '.linux.resources = {"cpu": {"cpus": "9999"}}'
	b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "bad cpuset accepted"
	[ -d "$pre" ] || fail "the existing cgroup $pre was removed"
	# Only it: what create made in every other hierarchy is gone.
	assert_eq "$(cg_dirs)" "${pre%/.}" "cgroup dirs after the failed create"
}

# An empty cgroup made by someone else and used by a container goes with
# it at delete, also at the end of `run`, which deletes with the manager
# its create built (as runc removes the container's cgroup).
test_run_removes_an_existing_cgroup_at_the_end() {
	local pre
	pre=$(cgfile memory . .)
	mkdir -p "$pre"
	set_args /bin/true
	b run --bundle "$BUNDLE" c1 || fail "run"
	[ -d "$pre" ] && fail "the container's cgroup $pre was left"
	assert_eq "$(cg_dirs)" "" "cgroup directories left"
}

# SIGKILL to a paused container: a v1-frozen init acts on it only once
# thawed, so kill lets it go and the container stops.
test_kill_paused_container() {
	start_sleeper
	b pause c1 || fail "pause"
	b kill c1 KILL || fail "kill"
	wait_status c1 stopped
	b delete c1 || fail "delete after the kill"
	assert_eq "$(b list -q)" "" "container left"
}

# The device policy starts from "deny all" also when the config has no
# device rule (or no resources at all): a node the container makes itself
# (CAP_MKNOD) opens only if allowed. 240 is a major for local use, with no
# driver here: an allowed open fails with ENXIO, a denied one with EPERM.
test_device_policy_without_rules() {
	local res
	for res in 'del(.linux.resources)' '.linux.resources = {}'; do
		cfg "$res | .process.capabilities.bounding += [\"CAP_MKNOD\"] |
			.process.capabilities.effective += [\"CAP_MKNOD\"] |
			.process.capabilities.permitted += [\"CAP_MKNOD\"]"
		set_args /bin/sh -c 'busybox mknod /dev/d c 240 0 || echo mknod failed; cat /dev/d; cat /dev/null && echo null ok'
		out=$(b run --bundle "$BUNDLE" c1 2>&1)
		assert_not_contains "$out" "mknod failed" "$res: mknod (c *:* m) refused"
		assert_contains "$out" "Operation not permitted" "$res: device 240:0 opened"
		assert_contains "$out" "null ok" "$res: /dev/null"
	done
}

# linux.devices makes the node; only the rules say whether it may be opened
# (as in runc; berth used to allow every linux.devices entry after the rules,
# undoing an explicit deny). update's rules replace the old ones.
test_config_devices_follow_the_rules() {
	cfg '.linux.devices = [{"path": "/dev/exp0", "type": "c", "major": 240, "minor": 0}]
		| .linux.resources.devices = [{"allow": false, "access": "rwm"},
			{"allow": true, "type": "c", "major": 240, "minor": 0, "access": "rwm"},
			{"allow": false, "type": "c", "major": 240, "minor": 0, "access": "rwm"}]'
	set_args /bin/sh -c 'bhelper stat /dev/exp0; cat /dev/exp0'
	out=$(b run --bundle "$BUNDLE" c0 2>&1)
	assert_contains "$out" "chr 0" "the node is made"
	assert_contains "$out" "Operation not permitted" "a device the rules deny last"
	cfg '.linux.resources.devices = [{"allow": false, "access": "rwm"}]'
	start_sleeper
	out=$(b exec c1 cat /dev/exp0 2>&1)
	assert_contains "$out" "Operation not permitted" "a device no rule allows"
	berth_only "runc 1.1.5's update leaves device rules alone"
	echo '{"devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 240, "minor": 0, "access": "r"}]}' |
		b update -r - c1 || fail "update"
	# No driver has 240:0: allowed, the open gets as far as ENXIO.
	out=$(b exec c1 cat /dev/exp0 2>&1)
	assert_contains "$out" "No such device or address" "allowed by update"
	out=$(b exec c1 cat /dev/null 2>&1) || fail "/dev/null after the update: $out"
}

# v1: a cgroup frozen only through an ancestor is not paused (runc reads
# freezer.self_freezing too); pause's own freeze is.
test_parent_frozen_is_not_paused() {
	is_v2 && skip "cgroup v1 freezer only"
	local parent=/sys/fs/cgroup/freezer$CG
	cfg ".linux.cgroupsPath = \"$CG/inner\""
	start_sleeper
	b pause c1 || fail "pause"
	assert_eq "$(b state c1 | jq -r .status)" paused "after pause"
	echo FROZEN >"$parent/freezer.state"
	on_teardown "echo THAWED >$parent/freezer.state"
	echo THAWED >"$parent/inner/freezer.state"
	assert_eq "$(cat "$parent/inner/freezer.state")" FROZEN "still frozen by the parent"
	assert_eq "$(b state c1 | jq -r .status)" running "frozen by the parent only"
	echo THAWED >"$parent/freezer.state"
}

# The executable is looked up (stat, access) and the fds marked before the
# filter is loaded: a profile that forbids access() still starts, with and
# without noNewPrivileges.
test_seccomp_profile_without_access() {
	local nnp
	set_args /bin/sh -c 'echo started; grep ^Seccomp: /proc/self/status'
	for nnp in true false; do
		cfg ".process.noNewPrivileges = $nnp | .linux.seccomp = {\"defaultAction\": \"SCMP_ACT_ALLOW\",
			\"syscalls\": [{\"names\": [\"access\", \"faccessat\", \"faccessat2\"], \"action\": \"SCMP_ACT_ERRNO\"}]}"
		out=$(b run --bundle "$BUNDLE" c-$nnp 2>&1) || fail "run (noNewPrivileges $nnp): $out"
		assert_eq "$(echo "$out" | tr '\t\n' '  ' | xargs)" "started Seccomp: 2" "noNewPrivileges $nnp"
	done
}

# events reports the OOM kill that ends the container (it checked the
# init's life first and left without it).
test_events_oom_that_ends_the_container() {
	cfg '.linux.resources = {"memory": {"limit": 33554432}}'
	set_args /bin/sh -c 'sleep 1; exec dd if=/dev/zero of=/dev/null bs=64M count=1'
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	out=$(timeout 20 "$BERTH" --root "$STATE" events --interval 1s c1) || true
	assert_contains "$out" '{"type":"oom","id":"c1"}' "the OOM event"
}
