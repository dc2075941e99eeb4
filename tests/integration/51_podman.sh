# podman 4.3 (with conmon) drives berth: run --rm, exit codes, -d + exec +
# stop + rm, a memory limit, a terminal.
# In `make check` by default (podman from Debian, installed by
# `scripts/deps.sh engines`); BERTH_ENGINE_TESTS=0 skips. tests/engines/lib.sh
# says more.

source "$(dirname "${BASH_SOURCE[0]}")/../engines/lib.sh"

pm_setup() {
	engine_require podman podman
	podman_setup
}

test_podman_run_rm() {
	pm_setup
	local out rc
	out=$(prun --rm "$PM_IMG" sh -c 'echo hello-from-berth; echo pid=$$; exit 4' 2>&1)
	rc=$?
	assert_contains "$out" hello-from-berth "podman run output"
	assert_contains "$out" "pid=1"
	assert_eq "$rc" 4 "exit code through conmon"
	assert_eq "$(p ps -aq)" "" "containers left after --rm"
	out=$(prun --rm "$PM_IMG" /no/such/binary 2>&1) && fail "missing binary ran: $out"
	assert_contains "$out" "/no/such/binary" "error names the binary"
}

test_podman_detached_exec_stop() {
	pm_setup
	local id out cid
	id=$(prun -d --name pd1 "$PM_IMG" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done') ||
		fail "run -d: $id"
	assert_eq "$(p inspect -f '{{.State.Status}}' pd1)" running
	# conmon drives berth (not a runc found on PATH).
	out=$(tr '\0' ' ' <"/proc/$(p inspect -f '{{.State.ConmonPid}}' pd1)/cmdline")
	assert_contains "$out" "-r $BERTH " "conmon's runtime"
	# berth keeps the state in its default root (podman passes no --root).
	cid=$(p inspect -f '{{.Id}}' pd1)
	"$BERTH" list -q | grep -qx "$cid" || fail "berth does not list $cid"
	out=$(p exec pd1 sh -c 'echo exec-ok; cat /proc/1/cmdline | tr "\0" " "' 2>&1) || fail "exec: $out"
	assert_contains "$out" exec-ok
	assert_contains "$out" "while :" "exec sees the container's pid 1"
	p exec pd1 sh -c 'exit 6'
	assert_eq "$?" 6 "exec exit code"
	out=$(p top pd1 2>&1) || fail "top: $out"
	grep -q "$PM_CG" "/proc/$(p inspect -f '{{.State.Pid}}' pd1)/cgroup" || fail "not in $PM_CG"
	p stop -t 5 pd1 >&2 || fail "stop"
	assert_eq "$(p inspect -f '{{.State.Status}}' pd1)" exited
	assert_eq "$(p inspect -f '{{.State.ExitCode}}' pd1)" 0 "exit code of the TERM trap"
	p rm pd1 >&2 || fail "rm"
	assert_eq "$(p ps -aq)" "" "containers left"
	if "$BERTH" list -q 2>/dev/null | grep -qx "$cid"; then fail "berth state left for $cid"; fi
}

test_podman_pause_unpause() {
	pm_setup
	prun -d --name pp1 "$PM_IMG" sleep 1000 >/dev/null || fail "run -d"
	p pause pp1 >&2 || fail "pause"
	assert_eq "$(p inspect -f '{{.State.Status}}' pp1)" paused
	p unpause pp1 >&2 || fail "unpause"
	assert_eq "$(p inspect -f '{{.State.Status}}' pp1)" running
	p rm -f -t 0 pp1 >&2 || fail "rm -f"
}

test_podman_memory() {
	pm_setup
	local out
	out=$(prun --rm --memory 64m "$PM_IMG" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max' 2>&1) ||
		fail "run --memory: $out"
	assert_contains "$out" 67108864 "memory limit seen inside"
}

test_podman_tty() {
	pm_setup
	local out rc
	out=$(prun --rm -t "$PM_IMG" sh -c 'tty; exit 3' </dev/null 2>&1)
	rc=$?
	assert_contains "$out" /dev/pts/ "tty inside"
	assert_eq "$rc" 3 "exit code with a terminal"
}
