# The container process: args, env, cwd, user, umask, capabilities,
# no_new_privs, rlimits, oom_score_adj, hostname, inherited fds.

test_args_env_cwd() {
	cfg '.process.env = ["A=1", "B=two words", "PATH=/bin"] | .process.cwd = "/tmp"'
	set_args /bin/sh -c 'echo "$0|$1|$2"; env | sort; pwd' 'arg zero' 'a b' ''
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | head -n 1)" "arg zero|a b|" "args"
	assert_contains "$out" "A=1"
	assert_contains "$out" "B=two words"
	assert_contains "$out" "PATH=/bin"
	assert_eq "$(echo "$out" | tail -n 1)" /tmp cwd
	# runc adds HOME from the image's /etc/passwd when env lacks it.
	assert_contains "$out" "HOME=/root"
	cfg '.process.env += ["HOME=/x"]'
	out=$(b run --bundle "$BUNDLE" c2) || fail "run"
	assert_contains "$out" "HOME=/x"
	assert_not_contains "$out" "HOME=/root"
	# An empty HOME is replaced too, as runc does.
	cfg '.process.env = ["PATH=/bin", "HOME="]'
	out=$(b run --bundle "$BUNDLE" c3) || fail "run"
	assert_eq "$(echo "$out" | grep -c '^HOME=')" 1 "one HOME"
	assert_contains "$out" "HOME=/root"
}

test_cwd_created() {
	cfg '.process.cwd = "/new/dir"'
	set_args /bin/bhelper cwd
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$out" /new/dir cwd
	[ -d "$BUNDLE/rootfs/new/dir" ] || fail "cwd not created in the rootfs"
}

# A bare args[0] is looked up in the container's PATH, not a default one
# (which holds /bin, so the helper lives where only PATH names it).
test_args_path_lookup() {
	mkdir -p "$BUNDLE/rootfs/opt/pb"
	cp "$BUNDLE/rootfs/bin/bhelper" "$BUNDLE/rootfs/opt/pb/pbhelper"
	cfg '.process.env = ["PATH=/nowhere:/opt/pb"]'
	set_args pbhelper cwd
	out=$(b run --bundle "$BUNDLE" c1) || fail "run through PATH"
	assert_eq "$out" / cwd
	cfg '.process.env = ["PATH=/nowhere:/bin"]'
	b run --bundle "$BUNDLE" c2 2>"$T/err" && fail "found outside PATH"
	assert_contains "$(cat "$T/err")" pbhelper
	assert_nothing_left
}

test_exec_missing_binary() {
	set_args /bin/not-here
	b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "create with a missing binary worked"
	assert_contains "$(cat "$T/err")" not-here
	# Docker maps exactly this text (lower case, as runc's) to exit 127.
	assert_contains "$(cat "$T/err")" "no such file or directory"
	assert_nothing_left
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "run with a missing binary worked"
	assert_contains "$(cat "$T/err")" not-here
	assert_nothing_left
	# Not found through PATH either.
	cfg '.process.env = ["PATH=/bin"]'
	set_args not-here-either
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "run with a missing binary worked"
	assert_contains "$(cat "$T/err")" not-here-either
	assert_nothing_left
}

test_exec_not_executable() {
	echo 'data' >"$BUNDLE/rootfs/bin/plain"
	chmod 644 "$BUNDLE/rootfs/bin/plain"
	set_args /bin/plain
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "run of a non-executable worked"
	# (lower case: Docker maps exactly this text to exit 126)
	grep -q "permission denied" "$T/err" || fail "error: $(cat "$T/err")"
	assert_nothing_left
}

test_user_and_groups() {
	cfg '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [5, 6]}'
	set_args /bin/bhelper status
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | awk '/^Uid:/ {print $2,$3,$4,$5}')" "1000 1000 1000 1000" uid
	assert_eq "$(echo "$out" | awk '/^Gid:/ {print $2,$3,$4,$5}')" "1001 1001 1001 1001" gid
	assert_eq "$(echo "$out" | awk '/^Groups:/ {$1=""; print}' | xargs)" "5 6" groups
	# A non-root user has no capabilities left.
	set_args /bin/bhelper caps
	out=$(b run --bundle "$BUNDLE" c2) || fail "run"
	assert_eq "$(echo "$out" | awk '/^CapEff:/ {print $2}')" 0000000000000000 CapEff
}

# A variable set twice takes its last value (getenv returns the first
# entry, so both cannot stay), as with runc; HOME is added once.
test_env_duplicate_last_wins() {
	cfg '.process.env = ["PATH=/bin", "A=1", "B=x", "A=2"]'
	# env(1) prints the environment exactly as the process got it.
	set_args /bin/env
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | tr '\n' ' ')" "PATH=/bin B=x A=2 HOME=/root " "the environment"
}

# exec's --cwd must be absolute and -e must be KEY=value, as with runc.
test_exec_flags_checked() {
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	b exec --cwd tmp c1 /bin/pwd >"$T/out" 2>"$T/err" && fail "a relative --cwd accepted: $(cat "$T/out")"
	assert_contains "$(cat "$T/err")" "absolute"
	b exec -e FOO c1 /bin/true 2>"$T/err" && fail "-e FOO accepted"
	assert_contains "$(cat "$T/err")" FOO
	out=$(b exec --cwd /tmp -e FOO=bar c1 /bin/sh -c 'pwd; echo $FOO') || fail "exec"
	assert_eq "$out" "/tmp
bar" "--cwd /tmp -e FOO=bar"
}

# A non-root process can reopen its stdio when it is a pipe (what engines
# hand over): /dev/stdout works, as under runc, since the pipe is given to
# the user. A regular file of the caller's keeps its owner.
test_user_stdio_pipes_reopened() {
	cfg '.process.user = {"uid": 1000, "gid": 1000}'
	set_args /bin/sh -c 'echo hi >/dev/stdout; echo err >/dev/stderr; bhelper stat -L /proc/self/fd/1'
	out=$(b run --bundle "$BUNDLE" c1 2>"$T/err") || fail "run: $out $(cat "$T/err")"
	assert_eq "$(echo "$out" | sed -n 1p)" hi "/dev/stdout reopened by uid 1000"
	assert_contains "$(echo "$out" | sed -n 2p)" "fifo 0600 0:0 1000" "the pipe's owner"
	assert_eq "$(stat -c %u "$T/err")" 0 "the caller's file changed owner"
	set_args /bin/sleep 100
	cfg '.process.user = {"uid": 0, "gid": 0}'
	b run -d --bundle "$BUNDLE" c2 || fail "run -d"
	out=$(b exec --user 1000:1000 c2 /bin/sh -c 'echo hi >/dev/stdout' 2>&1 | cat) || fail "exec"
	assert_eq "$out" hi "/dev/stdout reopened by uid 1000 in exec"
}

test_user_root_no_groups() {
	set_args /bin/bhelper status
	# The runtime itself runs with groups 7 and 8.
	out=$(setpriv --groups 7,8 -- "$BERTH" --root "$STATE" run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | awk '/^Uid:/ {print $2,$3,$4,$5}')" "0 0 0 0" uid
	# The host's supplementary groups do not leak in.
	assert_eq "$(echo "$out" | awk '/^Groups:/ {$1=""; print}' | xargs)" "" groups
}

# Without process.umask the process starts with 0022 whatever the
# caller's umask is (run under 077 here, so inheriting it would show).
test_umask() {
	set_args /bin/bhelper umask
	out=$(umask 077; b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$out" 0022 "default umask"
	set_args /bin/sleep 100
	(umask 077; b run -d --bundle "$BUNDLE" c3) || fail "run -d"
	out=$(umask 077; b exec c3 /bin/bhelper umask) || fail "exec"
	assert_eq "$out" 0022 "default umask in exec"
	cfg '.process.user.umask = 63'
	set_args /bin/bhelper umask
	out=$(b run --bundle "$BUNDLE" c2) || fail "run"
	assert_eq "$out" 0077 "umask 077"
}

test_capabilities() {
	cfg '.process.capabilities = {
		"bounding": ["CAP_CHOWN", "CAP_KILL"],
		"effective": ["CAP_CHOWN", "CAP_KILL"],
		"permitted": ["CAP_CHOWN", "CAP_KILL"]}'
	set_args /bin/bhelper caps
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | awk '/^CapEff:/ {print $2}')" 0000000000000021 CapEff
	assert_eq "$(echo "$out" | awk '/^CapPrm:/ {print $2}')" 0000000000000021 CapPrm
	assert_eq "$(echo "$out" | awk '/^CapBnd:/ {print $2}')" 0000000000000021 CapBnd
	assert_eq "$(echo "$out" | awk '/^CapInh:/ {print $2}')" 0000000000000000 CapInh
	assert_eq "$(echo "$out" | awk '/^CapAmb:/ {print $2}')" 0000000000000000 CapAmb
	# The capabilities really act: without CAP_SYS_ADMIN, mount fails.
	set_args /bin/bhelper syscall mount
	out=$(b run --bundle "$BUNDLE" c2) || fail "run"
	assert_eq "$out" "EPERM 1" "mount without CAP_SYS_ADMIN"
}

# Every capability asked for, on a host whose root lacks some (here
# CAP_SYS_RESOURCE): config.md says a capability that cannot be granted is
# logged as a warning and the runtime should not fail. The process gets
# all the rest, in every set; exec likewise.
test_capabilities_not_held_by_runtime() {
	berth_only "runc 1.1.5 fails with capset: operation not permitted"
	local own all caps
	own=$(awk '/^CapPrm:/ {print $2}' /proc/self/status)
	all=$(printf '%016x' $(((1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1)))
	[ "$own" = "$all" ] && skip "this host's root holds every capability"
	caps=$(b features | jq -c .linux.capabilities)
	cfg ".process.capabilities = {\"bounding\": $caps, \"effective\": $caps, \"permitted\": $caps, \"inheritable\": $caps}"
	set_args /bin/bhelper caps
	out=$(b run --bundle "$BUNDLE" c1 2>"$T/err") || fail "run: $(cat "$T/err")"
	assert_eq "$(echo "$out" | awk '/^CapEff:/ {print $2}')" "$own" CapEff
	assert_eq "$(echo "$out" | awk '/^CapPrm:/ {print $2}')" "$own" CapPrm
	assert_contains "$(cat "$T/err")" "cannot be granted" "warning"
	assert_contains "$(cat "$T/err")" "CAP_SYS_RESOURCE" "warning names the capability"
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c2 2>/dev/null || fail "run -d"
	out=$(b exec c2 /bin/bhelper caps 2>"$T/err") || fail "exec: $(cat "$T/err")"
	assert_eq "$(echo "$out" | awk '/^CapEff:/ {print $2}')" "$own" "exec CapEff"
}

test_capabilities_spec_default() {
	# `spec` gives CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE (29, 5, 10).
	set_args /bin/bhelper caps
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | awk '/^CapEff:/ {print $2}')" 0000000020000420 CapEff
	assert_eq "$(echo "$out" | awk '/^CapBnd:/ {print $2}')" 0000000020000420 CapBnd
}

test_ambient_capabilities() {
	cfg '.process.user = {"uid": 1000, "gid": 1000} | .process.capabilities = {
		"bounding": ["CAP_KILL", "CAP_CHOWN"], "effective": ["CAP_KILL"],
		"permitted": ["CAP_KILL"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}'
	set_args /bin/bhelper caps
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | awk '/^CapAmb:/ {print $2}')" 0000000000000020 CapAmb
	assert_eq "$(echo "$out" | awk '/^CapInh:/ {print $2}')" 0000000000000020 CapInh
	assert_eq "$(echo "$out" | awk '/^CapEff:/ {print $2}')" 0000000000000020 CapEff
	assert_eq "$(echo "$out" | awk '/^CapBnd:/ {print $2}')" 0000000000000021 CapBnd
}

test_no_new_privileges() {
	cfg '.process.noNewPrivileges = true'
	set_args /bin/bhelper status
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | awk '/^NoNewPrivs:/ {print $2}')" 1 NoNewPrivs
	cfg '.process.noNewPrivileges = false'
	out=$(b run --bundle "$BUNDLE" c2) || fail "run"
	assert_eq "$(echo "$out" | awk '/^NoNewPrivs:/ {print $2}')" 0 NoNewPrivs
}

test_rlimits() {
	cfg '.process.rlimits = [
		{"type": "RLIMIT_NOFILE", "soft": 100, "hard": 200},
		{"type": "RLIMIT_CORE", "soft": 0, "hard": 0},
		{"type": "RLIMIT_MSGQUEUE", "soft": 4096, "hard": 8192}]'
	set_args /bin/sh -c 'bhelper rlimit NOFILE; bhelper rlimit CORE; bhelper rlimit MSGQUEUE'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | tr '\n' ' ')" "100 200 0 0 4096 8192 " rlimits
}

test_rlimit_above_hard_fails() {
	hard=$(ulimit -Hn)
	[ "$hard" = unlimited ] && skip "host NOFILE hard limit is unlimited"
	max=$(cat /proc/sys/fs/nr_open)
	[ "$hard" -ge "$max" ] && skip "host NOFILE hard limit is at nr_open"
	cfg ".process.rlimits = [{\"type\": \"RLIMIT_NOFILE\", \"soft\": $max, \"hard\": $((max + 1))}]"
	set_args /bin/true
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "rlimit above nr_open worked"
	grep -qiE "rlimit|operation not permitted|invalid" "$T/err" || fail "error: $(cat "$T/err")"
	assert_nothing_left
}

test_oom_score_adj_raise() {
	cfg '.process.oomScoreAdj = 500'
	set_args /bin/bhelper oom_score_adj
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$out" 500 oom_score_adj
	# Not set: inherited from the runtime (raised to 100 first, so a
	# default of 0 would show).
	cfg 'del(.process.oomScoreAdj)'
	out=$(echo 100 >/proc/self/oom_score_adj && b run --bundle "$BUNDLE" c2) || fail "run"
	assert_eq "$out" 100 "inherited oom_score_adj"
}

# exec: the container's oomScoreAdj, or the --process file's, never the
# value of whoever runs exec.
test_exec_oom_score_adj() {
	cfg '.process.oomScoreAdj = 500'
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	out=$(b exec c1 /bin/bhelper oom_score_adj) || fail "exec"
	assert_eq "$out" 500 "the container's"
	jq '.process | .args = ["/bin/bhelper", "oom_score_adj"] | .oomScoreAdj = 600' "$BUNDLE/config.json" >"$T/p.json"
	out=$(b exec --process "$T/p.json" c1) || fail "exec --process"
	assert_eq "$out" 600 "the process file's"
}

test_oom_score_adj_lower_fails() {
	eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
	(((0x$eff >> 24) & 1)) && skip "this host has CAP_SYS_RESOURCE: lowering is allowed"
	cur=$(cat /proc/self/oom_score_adj)
	cfg ".process.oomScoreAdj = $((cur - 500))"
	set_args /bin/true
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "lowering oom_score_adj worked without CAP_SYS_RESOURCE"
	[ -s "$T/err" ] || fail "no error message"
	assert_nothing_left
}

test_hostname() {
	cfg '.hostname = "myhost"'
	set_args /bin/bhelper uname
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | awk '{print $1}')" myhost hostname
	[ "$(hostname)" = myhost ] && fail "host's hostname changed"
	true
}

test_domainname() {
	berth_only "runc 1.1.5 ignores domainname"
	cfg '.hostname = "myhost" | .domainname = "mydomain"'
	set_args /bin/bhelper uname
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$out" "myhost mydomain" "hostname and domainname"
}

test_no_fd_leaks() {
	set_args /bin/bhelper fds
	out=$(b run --bundle "$BUNDLE" c1 2>&1) || fail "run: $out"
	assert_eq "$(echo "$out" | awk '{print $1}' | tr '\n' ' ')" "0 1 2 3 " "fd numbers: $out"
	assert_contains "$(echo "$out" | grep '^3 ')" "(listing)" "fd 3 is not bhelper's"
	assert_not_contains "$out" "$T" "a path of the test leaked"
	# Same when the runtime was given extra fds of its own.
	out=$(b run --bundle "$BUNDLE" c2 3<"$BUNDLE/config.json" 4>"$T/junk" 2>&1) || fail "run: $out"
	assert_eq "$(echo "$out" | awk '{print $1}' | tr '\n' ' ')" "0 1 2 3 " "fd numbers: $out"
	assert_not_contains "$out" "$T" "a path of the test leaked"
}

test_preserve_fds() {
	echo "from fd 3" >"$T/f3"
	echo "from fd 4" >"$T/f4"
	set_args /bin/sh -c 'cat <&3; cat <&4 2>/dev/null || echo "no fd 4"'
	out=$(b run --preserve-fds 1 --bundle "$BUNDLE" c1 3<"$T/f3" 4<"$T/f4") || fail "run"
	assert_eq "$out" "from fd 3
no fd 4" "preserve-fds 1"
	out=$(b run --preserve-fds 2 --bundle "$BUNDLE" c2 3<"$T/f3" 4<"$T/f4") || fail "run"
	assert_eq "$out" "from fd 3
from fd 4" "preserve-fds 2"
	# Through create + start too.
	set_args /bin/sh -c 'cat <&3 >/tmp/out'
	cfg '.root.readonly = false'
	b create --preserve-fds 1 --bundle "$BUNDLE" c3 3<"$T/f3" || fail "create"
	b start c3 || fail "start"
	wait_status c3 stopped
	assert_eq "$(cat "$BUNDLE/rootfs/tmp/out")" "from fd 3" "preserve-fds through create"
}

# exec and create with more preserved fds than the caller has: the holes
# are /dev/null, and none of berth's own fds (the --log file, the sync
# socket, a pidfd) reaches the process. With the sync socket there, exec -d
# would wait for the process to end.
test_preserve_fds_holes() {
	local fds
	echo "from fd 3" >"$T/f3"
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	fds='for f in /proc/self/fd/*; do echo "${f##*/} $(readlink $f)"; done'
	out=$("$BERTH" --root "$STATE" --log "$T/log" exec --preserve-fds 6 c1 /bin/sh -c "$fds" 3<"$T/f3") ||
		fail "exec: $out"
	assert_contains "$out" "3 $T/f3" "the caller's fd 3"
	assert_contains "$out" "4 /dev/null" "a hole"
	assert_contains "$out" "8 /dev/null" "the last hole"
	assert_not_contains "$out" "socket:" "a socket of berth's"
	assert_not_contains "$out" "anon_inode" "a pidfd of berth's"
	assert_not_contains "$out" "$T/log" "the log file"
	start=$(date +%s%N)
	timeout 20 "$BERTH" --root "$STATE" --log "$T/log" exec -d --preserve-fds 5 c1 /bin/sleep 3 ||
		fail "exec -d"
	[ $(($(date +%s%N) - start)) -lt 2000000000 ] || fail "exec -d waited for the process"
	set_args /bin/sh -c "$fds"
	out=$("$BERTH" --root "$STATE" --log "$T/log" run --preserve-fds 3 --bundle "$BUNDLE" c2 3<"$T/f3") ||
		fail "run: $out"
	assert_contains "$out" "5 /dev/null" "a hole through run"
	assert_not_contains "$out" "$T/log" "the log file through run"
}

test_stdio_passed() {
	set_args /bin/sh -c 'read l; echo "got $l"; echo oops >&2; exit 7'
	out=$(echo hello | b run --bundle "$BUNDLE" c1 2>"$T/err")
	rc=$?
	assert_eq "$rc" 7 "exit status"
	assert_eq "$out" "got hello" stdout
	assert_eq "$(cat "$T/err")" oops stderr
}

# process.apparmorProfile on a host without AppArmor (this one): refused
# with an error naming the field, at create and at exec, never dropped
# silently (a confinement that was asked for). runc and crun refuse it too.
# SELinux labels where SELinux is off are ignored.
test_apparmor_profile_without_apparmor() {
	[ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && skip "AppArmor is enabled on this host"
	cfg '.process.apparmorProfile = "berth-test-profile"'
	set_args /bin/true
	out=$(b run --bundle "$BUNDLE" c1 2>&1) && fail "a profile without AppArmor was accepted"
	if ! is_runc; then
		assert_contains "$out" "process.apparmorProfile"
		assert_contains "$out" "AppArmor is not enabled"
		# features-linux.md: whether berth supports it, whatever the host
		[ "$(b features | jq -r .linux.apparmor.enabled)" = true ] || fail "features denies AppArmor support"
	fi
	assert_nothing_left
	# SELinux labels on a host without SELinux: ignored, as runc does.
	if [ ! -e /sys/fs/selinux/enforce ]; then
		cfg 'del(.process.apparmorProfile) | .process.selinuxLabel = "system_u:system_r:container_t:s0" | .linux.mountLabel = "system_u:object_r:container_file_t:s0"'
		b run --bundle "$BUNDLE" c3 || fail "SELinux labels refused on a host without SELinux"
	fi
	cfg 'del(.process.apparmorProfile) | del(.process.selinuxLabel) | del(.linux.mountLabel)'
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c2 || fail "run -d"
	out=$(b exec --apparmor berth-test-profile c2 /bin/true 2>&1) && fail "exec with a profile accepted"
	is_runc || assert_contains "$out" "process.apparmorProfile"
	assert_eq "$(b state c2 | jq -r .status)" running "the container after the refused exec"
}

# process.scheduler: the policy, nice and real-time priority the process
# runs with (/proc/PID/stat fields 19, 40 and 41), set before the
# capabilities go (SCHED_FIFO needs CAP_SYS_NICE, which the spec's default
# set lacks).
test_scheduler() {
	set_args /bin/sh -c 'awk "{print \$19, \$40, \$41}" /proc/self/stat'
	cfg '.process.scheduler = {"policy": "SCHED_BATCH", "nice": 5}'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run SCHED_BATCH: $out"
	assert_eq "$out" "5 0 3" "nice, rt priority, policy (SCHED_BATCH)"
	cfg '.process.scheduler = {"policy": "SCHED_IDLE"}'
	out=$(b run --bundle "$BUNDLE" c2 2>&1) || fail "run SCHED_IDLE: $out"
	assert_eq "$out" "0 0 5" "nice, rt priority, policy (SCHED_IDLE)"
	# A real-time policy. With RT group scheduling (the v1 cpu controller
	# here) a new cgroup has no RT runtime: without realtimeRuntime the
	# error says what is missing, and with it (the parent, ours, given
	# room first) the policy takes.
	cfg '.process.scheduler = {"policy": "SCHED_FIFO", "priority": 10}'
	rt=/sys/fs/cgroup/cpu${CG%/*}/cpu.rt_runtime_us
	if [ -f /sys/fs/cgroup/cpu/cpu.rt_runtime_us ]; then
		out=$(b run --bundle "$BUNDLE" c4 2>&1) && fail "SCHED_FIFO with no RT runtime worked: $out"
		assert_contains "$out" "realtimeRuntime" "the hint for a real-time policy"
		[ -f "$rt" ] || fail "no $rt"
		echo 20000 >"$rt" || fail "give $rt room"
		cfg '.linux.resources.cpu.realtimeRuntime = 10000'
	fi
	out=$(b run --bundle "$BUNDLE" c5 2>&1) || fail "run SCHED_FIFO: $out"
	assert_eq "$out" "0 10 1" "nice, rt priority, policy (SCHED_FIFO)"
	if [ -f "$rt" ]; then echo 0 >"$rt"; fi
	cfg '.process.scheduler = {"policy": "SCHED_FIFO", "priority": 1000}'
	b run --bundle "$BUNDLE" c3 2>"$T/err" && fail "priority 1000 accepted"
	assert_contains "$(cat "$T/err")" "process.scheduler"
	assert_nothing_left
}

# More than 256 additional groups (runc takes up to the kernel's 65536).
test_many_additional_gids() {
	cfg '.process.user = {"uid": 0, "gid": 0, "additionalGids": [range(1000; 1300)]}'
	set_args /bin/sh -c 'grep ^Groups: /proc/self/status | wc -w'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run: $out"
	assert_eq "$out" 301 "Groups: and 300 groups"
}

# A stdin (or any stdio fd) that is the host's /dev/null becomes the
# container's own, read-write, as runc makes it: nothing of the host's /dev
# stays open in the container, and writing to fd 0 works. berth's exec too.
test_dev_null_stdio_reopened() {
	set_args /bin/sh -c 'echo x >&0 && echo wrote-stdin; awk "\$5 == \"/dev\" {print \$1}" /proc/self/mountinfo; awk "/^mnt_id/ {print \$2}" /proc/self/fdinfo/0; sleep 100'
	b run -d --bundle "$BUNDLE" c1 </dev/null >"$T/out" 2>&1 || fail "run -d"
	wait_text "$T/out" wrote-stdin
	sleep 0.2
	out=$(cat "$T/out")
	assert_eq "$(echo "$out" | sed -n 1p)" wrote-stdin "write to stdin"
	assert_eq "$(echo "$out" | sed -n 3p)" "$(echo "$out" | sed -n 2p)" "stdin on the container's /dev"
	is_runc && return 0 # runc 1.1.5's exec leaves the caller's /dev/null
	out=$(b exec c1 sh -c 'echo x >&0 && echo wrote-stdin' </dev/null 2>&1)
	assert_eq "$out" wrote-stdin "exec: write to stdin"
}
