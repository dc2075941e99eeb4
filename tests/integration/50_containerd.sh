# containerd 1.6 drives berth through its runc shim (io.containerd.runc.v2
# with options.BinaryName = berth), with ctr as the client: run, exit codes,
# exec, kill, pause/resume, a terminal, a memory limit.
# In `make check` by default (containerd from Debian, installed by
# `scripts/deps.sh engines`); BERTH_ENGINE_TESTS=0 skips. tests/engines/lib.sh
# says more.

source "$(dirname "${BASH_SOURCE[0]}")/../engines/lib.sh"

ctd_setup() {
	engine_require containerd containerd
	containerd_start
	containerd_import
}

# crun_ ID ARGS...: `ctr run` of the test image with berth as the shim's
# runtime binary, in a cgroup below this test's own parent.
crun_() {
	local id=$1
	shift
	c run --runc-binary "$BERTH" --runc-root "$T/ctd/berth" \
		--cgroup "$CTD_CG/$id" "$@"
}

# task_status ID: the task's status column from `ctr task ls`.
task_status() {
	c task ls | awk -v id="$1" '$1 == id { print $3 }'
}

test_ctr_run_output_and_exit_code() {
	ctd_setup
	local out rc
	out=$(crun_ r1 --rm "$CTD_IMG" r1 sh -c 'echo hello-from-berth; exit 7' 2>&1)
	rc=$?
	assert_contains "$out" hello-from-berth "ctr run output"
	assert_eq "$rc" 7 "exit code through the shim"
	out=$(crun_ r2 --rm "$CTD_IMG" r2 true 2>&1) || fail "true failed: $out $(berth_log_tail)"
	# The container's view: pid 1 is the command, its own hostname and net.
	out=$(crun_ r3 --rm "$CTD_IMG" r3 sh -c 'echo pid=$$; ls /sys/class/net' 2>&1)
	assert_contains "$out" "pid=1"
	# --rm removed everything: no container, no task, no berth state.
	assert_eq "$(c container ls -q)" "" "containers left"
	assert_eq "$(ls -A "$T/ctd/berth/$CTD_NS" 2>/dev/null)" "" "berth state left"
	# A command that does not exist: ctr fails and berth's error reaches it.
	out=$(crun_ r4 --rm "$CTD_IMG" r4 /no/such/binary 2>&1) && fail "missing binary ran: $out"
	assert_contains "$out" "/no/such/binary" "error names the binary"
}

test_ctr_detached_exec_kill() {
	ctd_setup
	local out rc pid
	crun_ d1 -d "$CTD_IMG" d1 sh -c 'trap "exit 42" TERM; while :; do sleep 0.1; done' >&2 ||
		fail "ctr run -d: $(berth_log_tail)"
	wait_until 50 eval '[ "$(task_status d1)" = RUNNING ]' || fail "task not running: $(c task ls)"
	# berth's own view of the container through the shim's root.
	out=$("$BERTH" --root "$T/ctd/berth/$CTD_NS" state d1) || fail "berth state: $out"
	assert_eq "$(echo "$out" | jq -r .status)" running
	pid=$(echo "$out" | jq -r .pid)
	grep -q "$CTD_CG/d1" "/proc/$pid/cgroup" || fail "init not in $CTD_CG/d1: $(cat /proc/$pid/cgroup)"
	# exec: output, exit code, and it runs in the container's namespaces.
	out=$(c task exec --exec-id e1 d1 sh -c 'echo exec-ok; readlink /proc/1/ns/pid' 2>&1) ||
		fail "exec: $out $(berth_log_tail)"
	assert_contains "$out" exec-ok
	assert_contains "$out" "$(readlink /proc/$pid/ns/pid)" "exec in the container's pid ns"
	c task exec --exec-id e2 d1 sh -c 'exit 5'
	assert_eq "$?" 5 "exec exit code"
	out=$(c task ps d1) || fail "task ps"
	assert_contains "$out" "$pid"
	# kill: SIGTERM reaches the init, whose exit status the shim reports.
	c task kill -s TERM d1 || fail "task kill"
	wait_until 50 eval '[ "$(task_status d1)" = STOPPED ]' || fail "task did not stop: $(c task ls)"
	out=$(c task delete d1 2>&1)
	assert_contains "$out" "42" "exit status from delete"
	c container delete d1 || fail "container delete"
	assert_eq "$("$BERTH" --root "$T/ctd/berth/$CTD_NS" list -q)" "" "berth list after delete"
}

test_ctr_pause_resume() {
	ctd_setup
	crun_ p1 -d "$CTD_IMG" p1 sh -c 'i=0; while :; do i=$((i+1)); echo $i > /tmp/n; sleep 0.05; done' >&2 ||
		fail "ctr run -d: $(berth_log_tail)"
	wait_until 50 eval '[ "$(task_status p1)" = RUNNING ]' || fail "not running"
	c task pause p1 || fail "pause: $(berth_log_tail)"
	assert_eq "$(task_status p1)" PAUSED
	assert_eq "$("$BERTH" --root "$T/ctd/berth/$CTD_NS" state p1 | jq -r .status)" paused
	local a b
	a=$(cat "/sys/fs/cgroup/freezer$CTD_CG/p1/freezer.state" 2>/dev/null || echo none)
	[ "$a" = FROZEN ] || [ "$a" = none ] || fail "freezer state $a"
	c task resume p1 || fail "resume"
	assert_eq "$(task_status p1)" RUNNING
	a=$(c task exec --exec-id r1 p1 cat /tmp/n)
	sleep 0.3
	b=$(c task exec --exec-id r2 p1 cat /tmp/n)
	[ "$b" -gt "$a" ] || fail "counter did not move after resume: $a -> $b"
	c task kill -s KILL p1
	wait_until 50 eval '[ "$(task_status p1)" = STOPPED ]' || fail "did not stop"
	c task delete p1 >/dev/null
	c container delete p1
}

test_ctr_tty() {
	ctd_setup
	command -v script >/dev/null || skip "no script(1)"
	local out
	# ctr -t wants a terminal on its own stdin: script(1) gives it one.
	out=$(script -qec "ctr --address $CTD_SOCK --namespace $CTD_NS run --runc-binary $BERTH \
		--runc-root $T/ctd/berth --cgroup $CTD_CG/t1 --rm -t $CTD_IMG t1 \
		sh -c 'tty; stty size >/dev/null && echo has-size; exit 3'" /dev/null </dev/null 2>&1)
	local rc=$?
	assert_contains "$out" "/dev/pts/" "tty inside"
	assert_contains "$out" "has-size"
	assert_eq "$rc" 3 "exit code with a terminal"
}

test_ctr_memory_limit() {
	ctd_setup
	local out
	out=$(crun_ m1 --rm --memory-limit 67108864 "$CTD_IMG" m1 sh -c 'echo ok' 2>&1) ||
		fail "run with memory limit: $out"
	crun_ m2 -d --memory-limit 67108864 "$CTD_IMG" m2 sleep 100 >&2 || fail "run -d"
	wait_until 50 eval '[ "$(task_status m2)" = RUNNING ]' || fail "not running"
	out=$(cat "/sys/fs/cgroup/memory$CTD_CG/m2/memory.limit_in_bytes" 2>/dev/null ||
		cat "/sys/fs/cgroup$CTD_CG/m2/memory.max")
	assert_eq "$out" 67108864 "memory limit in the cgroup"
	c task kill -s KILL m2
	wait_until 50 eval '[ "$(task_status m2)" = STOPPED ]' || fail "did not stop"
	c task delete m2 >/dev/null
	c container delete m2
}
