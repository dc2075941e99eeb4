# Life cycle: create, start, state, list, kill, delete, run; container IDs;
# no daemon left behind.

test_create_start_stop() {
	set_args /bin/sleep 1
	b create --bundle "$BUNDLE" c1 || fail "create"
	st=$(b state c1) || fail "state"
	assert_eq "$(echo "$st" | jq -r .status)" created "status after create"
	pid=$(echo "$st" | jq -r .pid)
	[ "$pid" -gt 0 ] || fail "pid $pid"
	alive "$pid" || fail "init process $pid does not exist"
	# The user's program has not been exec'd yet.
	cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline")
	assert_not_contains "$cmd" "sleep" "process exec'd before start"
	b start c1 || fail "start"
	assert_eq "$(b state c1 | jq -r .status)" running "status after start"
	# Same process, now running the user's program.
	assert_eq "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "/bin/sleep 1 " "cmdline after start"
	wait_status c1 stopped
	alive "$pid" && fail "process $pid still exists when stopped"
	b delete c1 || fail "delete"
	b state c1 2>/dev/null && fail "state of a deleted container worked"
	true
}

test_state_fields() {
	cfg '.annotations = {"org.berth.test": "yes", "b": "2"}'
	set_args /bin/sleep 100
	before=$(date +%s)
	# A relative bundle path: state must report it absolute.
	b create --bundle bundle c1 || fail "create"
	st=$(b state c1) || fail "state"
	echo "$st" | jq -e . >/dev/null || fail "state is not JSON: $st"
	v=$(echo "$st" | jq -r .ociVersion)
	[[ "$v" == 1.* ]] || fail "ociVersion '$v'"
	assert_eq "$(echo "$st" | jq -r .id)" c1 id
	assert_eq "$(echo "$st" | jq -r .status)" created status
	assert_eq "$(echo "$st" | jq -r '.pid | type')" number "pid type"
	assert_eq "$(echo "$st" | jq -r .bundle)" "$BUNDLE" bundle
	assert_eq "$(echo "$st" | jq -r .rootfs)" "$BUNDLE/rootfs" rootfs
	assert_eq "$(echo "$st" | jq -r 'has("owner")')" true "owner field"
	assert_eq "$(echo "$st" | jq -S -c .annotations)" '{"b":"2","org.berth.test":"yes"}' annotations
	created=$(echo "$st" | jq -r .created)
	[[ "$created" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] ||
		fail "created is not RFC 3339: $created"
	t=$(date -d "$created" +%s) || fail "date cannot parse $created"
	[ "$t" -ge $((before - 1)) ] && [ "$t" -le $(($(date +%s) + 1)) ] || fail "created $created is not now"
	b start c1 || fail "start"
	assert_eq "$(b state c1 | jq -r .created)" "$created" "created changed on start"
	assert_eq "$(b state c1 | jq -r .status)" running status
}

test_state_missing_container() {
	out=$(b state nope 2>&1) && fail "state of a missing container worked"
	assert_contains "$out" "does not exist"
}

test_pid_file() {
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" --pid-file "$T/abs.pid" c1 || fail "create"
	[ -s "$T/abs.pid" ] || fail "pid file not written at create"
	assert_eq "$(cat "$T/abs.pid")" "$(ctr_pid c1)" "pid file content"
	# A relative pid file is relative to the working directory.
	mkdir "$T/sub"
	(cd "$T/sub" && b create --bundle "$BUNDLE" --pid-file rel.pid c2) || fail "create c2"
	assert_eq "$(cat "$T/sub/rel.pid")" "$(ctr_pid c2)" "relative pid file"
	# run -d writes one too.
	b run -d --bundle "$BUNDLE" --pid-file "$T/run.pid" c3 || fail "run -d"
	assert_eq "$(cat "$T/run.pid")" "$(ctr_pid c3)" "run -d pid file"
}

test_list() {
	out=$(b list) || fail "list"
	assert_eq "$(echo "$out" | awk 'NR==1 {print $1,$2,$3,$4,$5,$6}')" "ID PID STATUS BUNDLE CREATED OWNER" header
	assert_eq "$(echo "$out" | wc -l)" 1 "empty list has only the header"
	assert_eq "$(b list -q)" "" "empty list -q"
	j=$(b list --format json) || fail "list --format json"
	assert_eq "$(echo "$j" | jq -r 'length')" 0 "empty json list"
	set_args /bin/sleep 100
	cfg '.annotations = {"org.example.a": "b"}'
	b create --bundle "$BUNDLE" c2 || fail "create c2"
	cfg 'del(.annotations)'
	b run -d --bundle "$BUNDLE" c1 || fail "run -d c1"
	out=$(b list) || fail "list"
	assert_eq "$(echo "$out" | wc -l)" 3 "lines"
	row=$(echo "$out" | awk '$1 == "c1"')
	assert_eq "$(echo "$row" | awk '{print $2}')" "$(ctr_pid c1)" "pid column"
	assert_eq "$(echo "$row" | awk '{print $3}')" running "status column"
	assert_eq "$(echo "$row" | awk '{print $4}')" "$BUNDLE" "bundle column"
	assert_eq "$(echo "$row" | awk '{print $5}')" "$(b state c1 | jq -r .created)" "created column"
	assert_eq "$(echo "$row" | awk '{print $6}')" root "owner column"
	assert_eq "$(echo "$out" | awk '$1 == "c2" {print $3}')" created "c2 status"
	assert_eq "$(b list -q | sort | tr '\n' ' ')" "c1 c2 " "list -q"
	j=$(b list --format json) || fail "list --format json"
	assert_eq "$(echo "$j" | jq -r 'map(.id) | sort | join(",")')" "c1,c2" "json ids"
	assert_eq "$(echo "$j" | jq -r '.[] | select(.id == "c2") | .status')" created "json status"
	assert_eq "$(echo "$j" | jq -r '.[] | select(.id == "c1") | .bundle')" "$BUNDLE" "json bundle"
	assert_eq "$(echo "$j" | jq -r '.[] | select(.id == "c1") | .pid')" "$(ctr_pid c1)" "json pid"
	assert_eq "$(echo "$j" | jq -c '.[] | select(.id == "c2") | .annotations')" '{"org.example.a":"b"}' "json annotations"
	assert_eq "$(echo "$j" | jq -c '.[] | select(.id == "c1") | .annotations')" null "no annotations"
	# an init that died (a zombie here: this VM's pid 1 does not reap) is stopped
	pid=$(ctr_pid c2)
	kill -9 "$pid"
	for _ in $(seq 50); do alive "$pid" || break; sleep 0.1; done
	assert_eq "$(b list --format json | jq -r '.[] | select(.id == "c2") | .status')" stopped "list after the init died"
	assert_eq "$(b list --format json | jq -r '.[] | select(.id == "c2") | .pid')" 0 "pid of a stopped container"
}

test_kill_signal_forms() {
	set_args /bin/sleep 100
	for id in k1 k2 k3; do
		b run -d --bundle "$BUNDLE" $id || fail "run -d $id"
	done
	b kill k1 KILL || fail "kill KILL"
	b kill k2 SIGKILL || fail "kill SIGKILL"
	b kill k3 9 || fail "kill 9"
	for id in k1 k2 k3; do
		wait_status $id stopped
	done
}

# Real-time signal names mean what the host's and the container's libc and
# shells mean: RTMIN is 34 (kill -l), whatever this binary's libc says.
test_kill_realtime_names() {
	berth_only "runc 1.1.5 knows no RTMIN/RTMAX names"
	set_args /bin/bhelper signal-exit
	for s in RTMIN+3:37 SIGRTMIN:34 RTMAX-1:63; do
		id=r${s%%[+-:]*}
		b run --bundle "$BUNDLE" "$id" >"$T/$id.out" 2>&1 &
		rpid=$!
		wait_text "$T/$id.out" ready
		wait_status "$id" running
		b kill "$id" "${s%%:*}" || fail "kill ${s%%:*}"
		wait $rpid
		assert_eq "$?" $((100 + ${s#*:})) "exit status after kill ${s%%:*}"
	done
}

# The signal actually delivered: bhelper exits with 100+signo.
test_kill_delivers_signal() {
	set_args /bin/bhelper signal-exit
	for s in USR1:10 SIGHUP:1 2:2 default:15; do
		id=s${s%%:*}
		b run --bundle "$BUNDLE" "$id" >"$T/$id.out" 2>&1 &
		rpid=$!
		wait_text "$T/$id.out" ready
		wait_status "$id" running
		if [ "${s%%:*}" = default ]; then
			b kill "$id" || fail "kill"
		else
			b kill "$id" "${s%%:*}" || fail "kill ${s%%:*}"
		fi
		wait $rpid
		assert_eq "$?" $((100 + ${s#*:})) "exit status after kill ${s%%:*}"
	done
}

test_kill_created() {
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	pid=$(ctr_pid c1)
	b kill c1 KILL || fail "kill of a created container"
	wait_status c1 stopped
	alive "$pid" && fail "init $pid survived"
	b delete c1 || fail "delete"
	assert_nothing_left
}

test_kill_stopped_fails() {
	set_args /bin/true
	b run --keep --bundle "$BUNDLE" c1 || fail "run --keep"
	b kill c1 KILL 2>"$T/err" && fail "kill of a stopped container worked"
	assert_contains "$(cat "$T/err")" "not running"
}

test_start_twice_fails() {
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	b start c1 || fail "start"
	b start c1 2>"$T/err" && fail "second start worked"
	[ -s "$T/err" ] || fail "no error message"
	assert_eq "$(b state c1 | jq -r .status)" running "still running"
	b kill c1 KILL
	wait_status c1 stopped
	b start c1 2>"$T/err" && fail "start of a stopped container worked"
	assert_contains "$(cat "$T/err")" stopped
}

test_delete_running() {
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	pid=$(ctr_pid c1)
	b delete c1 2>"$T/err" && fail "delete of a running container worked"
	assert_contains "$(cat "$T/err")" "cannot delete"
	assert_eq "$(b state c1 | jq -r .status)" running "still running after failed delete"
	b delete -f c1 || fail "delete -f"
	alive "$pid" && fail "process $pid survived delete -f"
	b state c1 2>/dev/null && fail "state still there"
	assert_nothing_left
}

test_delete_created_refused() {
	set_args /bin/true
	b create --bundle "$BUNDLE" c1 || fail "create"
	pid=$(ctr_pid c1)
	b delete c1 2>"$T/err" && fail "delete of a created container worked"
	assert_contains "$(cat "$T/err")" "that is not stopped: created"
	alive "$pid" || fail "init $pid ended by a refused delete"
	assert_eq "$(b state c1 | jq -r .status)" created "still created after failed delete"
	b start c1 || fail "start after a refused delete"
	wait_status c1 stopped
	b delete c1 || fail "delete once stopped"
	assert_nothing_left
}

test_delete_created_force() {
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	pid=$(ctr_pid c1)
	b delete --force c1 || fail "delete --force"
	alive "$pid" && fail "process $pid survived"
	assert_nothing_left
}

test_delete_removes_state_and_cgroup() {
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	[ -d "$(dirname "$(cgfile memory x x)")" ] || fail "no memory cgroup $CG"
	[ -d "$(dirname "$(cgfile pids x x)")" ] || fail "no pids cgroup $CG"
	grep -qx "$(ctr_pid c1)" "$(cgfile pids cgroup.procs cgroup.procs)" || fail "init not in its cgroup"
	[ -n "$(ls -A "$STATE")" ] || fail "nothing in the state root"
	b kill c1 KILL || fail kill
	wait_status c1 stopped
	b delete c1 || fail "delete"
	[ -d "$(dirname "$(cgfile memory x x)")" ] && fail "memory cgroup left"
	[ -d "$(dirname "$(cgfile pids x x)")" ] && fail "pids cgroup left"
	[ -e "$STATE/c1" ] && fail "state dir left"
	assert_nothing_left
}

test_delete_missing_fails() {
	b delete nope 2>"$T/err" && fail "delete of a missing container worked"
	assert_contains "$(cat "$T/err")" "does not exist"
}

test_run_exit_status() {
	set_args /bin/sh -c 'exit 3'
	b run --bundle "$BUNDLE" r1
	assert_eq "$?" 3 "exit status"
	set_args /bin/bhelper exit 42
	b run --bundle "$BUNDLE" r2
	assert_eq "$?" 42 "exit status"
	set_args /bin/true
	b run --bundle "$BUNDLE" r3 || fail "exit 0"
	# run deletes the container afterwards.
	assert_nothing_left
}

test_run_killed_status() {
	set_args /bin/sleep 100
	b run --bundle "$BUNDLE" r1 &
	rpid=$!
	wait_status r1 running
	b kill r1 KILL || fail "kill"
	wait $rpid
	assert_eq "$?" 137 "status of a container killed by SIGKILL"
	assert_nothing_left
}

# run deletes the container it made, not one that took its id meanwhile:
# while run is stopped its container is deleted and a new one created with
# the same id; run, resumed, must leave the new one.
test_run_leaves_a_successor_alone() {
	berth_only "run hands its own state to start and delete"
	set_args /bin/sleep 100
	# berth itself in the background (not through b): $! is then its pid
	"$BERTH" --root "$STATE" run --bundle "$BUNDLE" r1 >/dev/null 2>"$T/run.err" &
	rpid=$!
	wait_status r1 running
	kill -STOP $rpid
	b delete -f r1 || fail "delete -f while run is stopped"
	cfg ".linux.cgroupsPath = \"$CG-succ\""
	b create --bundle "$BUNDLE" r1 || fail "create the successor"
	kill -CONT $rpid
	wait $rpid
	assert_eq "$?" 137 "run's status: its container was killed"
	assert_eq "$(b state r1 | jq -r .status)" created "the successor is left alone"
	assert_contains "$(cat "$T/run.err")" "container does not exist: r1"
	b delete -f r1 || fail "delete the successor"
	assert_nothing_left
}

test_run_output() {
	set_args /bin/sh -c 'echo out; echo err >&2; cat'
	out=$(echo piped-in | b run --bundle "$BUNDLE" r1 2>"$T/err") || fail "run"
	assert_eq "$out" "out
piped-in" stdout
	assert_eq "$(cat "$T/err")" err stderr
}

test_run_detach() {
	set_args /bin/sleep 100
	start=$(date +%s%N)
	b run -d --bundle "$BUNDLE" r1 >/dev/null || fail "run -d"
	ms=$((($(date +%s%N) - start) / 1000000))
	[ "$ms" -lt 3000 ] || fail "run -d took $ms ms"
	assert_eq "$(b state r1 | jq -r .status)" running status
	alive "$(ctr_pid r1)" || fail "process not running"
}

test_run_keep() {
	set_args /bin/true
	b run --keep --bundle "$BUNDLE" r1 || fail "run --keep"
	assert_eq "$(b state r1 | jq -r .status)" stopped status
	assert_eq "$(b list -q)" r1 list
	b delete r1 || fail "delete"
	assert_nothing_left
}

test_duplicate_id() {
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	pid=$(ctr_pid c1)
	b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "duplicate create worked"
	assert_contains "$(cat "$T/err")" "already exists"
	b run -d --bundle "$BUNDLE" c1 2>/dev/null && fail "duplicate run worked"
	assert_eq "$(ctr_pid c1)" "$pid" "the first container changed"
	assert_eq "$(b state c1 | jq -r .status)" created status
	assert_eq "$(b list -q)" c1 list
	b start c1 || fail "start of the original"
}

test_invalid_ids() {
	long=$(printf 'a%.0s' $(seq 2000))
	for id in ../x "" a/b "$long" .. . "a b"; do
		b create --bundle "$BUNDLE" "$id" 2>"$T/err" && fail "create with id '${id:0:20}' worked"
		[ -s "$T/err" ] || fail "no error for id '${id:0:20}'"
		is_runc || grep -qi "invalid container id" "$T/err" || fail "error for '${id:0:20}': $(cat "$T/err")"
		assert_nothing_left
	done
	[ -e "$T/x" ] && fail "../x escaped the state root"
	true
}

# runc's id set includes ',' and a leading '.': such containers are made,
# listed and deleted like any other; only berth's cache directory's name is
# taken.
test_dot_and_comma_ids() {
	berth_only "the reserved cache name is berth's"
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" .hid || fail "create .hid"
	b delete -f .hid || fail "delete -f .hid"
	for id in .hid a,b; do
		b run -d --bundle "$BUNDLE" "$id" || fail "run -d $id"
	done
	assert_eq "$(b list -q | sort | tr '\n' ' ')" ".hid a,b " "list -q"
	assert_eq "$(b list --format json | jq -r 'map(.id) | sort | join(" ")')" ".hid a,b" "list json"
	assert_eq "$(b state a,b | jq -r .status)" running "state a,b"
	b create --bundle "$BUNDLE" .cache 2>"$T/err" && fail ".cache accepted"
	assert_contains "$(cat "$T/err")" reserved
	for id in .hid a,b; do
		b delete -f "$id" || fail "delete $id"
	done
	assert_eq "$(b list -q)" "" "left"
}

# No daemon: after create, only the container's init is left.
test_no_daemon_after_create() {
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	pid=$(ctr_pid c1)
	for p in /proc/[0-9]*; do
		[ "${p#/proc/}" = "$pid" ] && continue
		grep -qF -- "$STATE" "$p/cmdline" 2>/dev/null || continue
		# The container's own init (not yet exec'd) is expected.
		[ "${p#/proc/}" = "$pid" ] && continue
		fail "runtime process ${p#/proc/} still alive: $(tr '\0' ' ' <"$p/cmdline")"
	done
	# The init is the only process in the container's cgroup, and its
	# parent is not a runtime process.
	assert_eq "$(cat "$(cgfile pids cgroup.procs cgroup.procs)")" "$pid" "processes in the cgroup"
	ppid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")
	assert_not_contains "$(tr '\0' ' ' <"/proc/$ppid/cmdline")" "$STATE" "parent is the runtime"
	# A fresh runtime process can still read the state and start it.
	b start c1 || fail "start"
	assert_eq "$(b state c1 | jq -r .status)" running
}
