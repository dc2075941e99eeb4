# Docker 20.10 (dockerd on containerd's runc shim, --add-runtime berth=...)
# drives berth: run --rm, exit codes, -d + exec + stop, --memory, a
# terminal, --network none.
# In `make check` by default (docker.io and containerd from Debian, installed
# by `scripts/deps.sh engines`); BERTH_ENGINE_TESTS=0 skips all but the last
# test. tests/engines/lib.sh says more.

source "$(dirname "${BASH_SOURCE[0]}")/../engines/lib.sh"

dk_setup() {
	engine_require docker containerd docker.io procps
	dockerd_start
}

# drun ARGS...: `docker run` with berth and no network.
drun() {
	dk run --runtime berth --network none "$@"
}

test_docker_run_rm() {
	dk_setup
	local out rc
	out=$(drun --rm "$DK_IMG" sh -c 'echo hello-from-berth; echo pid=$$; ls /sys/class/net; exit 9' 2>&1)
	rc=$?
	assert_contains "$out" hello-from-berth "docker run output"
	assert_contains "$out" pid=1
	assert_eq "$rc" 9 "exit code through dockerd"
	assert_eq "$(echo "$out" | grep -v -e hello -e pid=)" lo "only lo with --network none"
	assert_eq "$(dk ps -aq)" "" "containers left after --rm"
	out=$(drun --rm "$DK_IMG" /no/such/binary 2>&1) && fail "missing binary ran: $out"
	assert_contains "$out" "/no/such/binary" "error names the binary"
}

test_docker_detached_exec_stop() {
	dk_setup
	local out pid
	drun -d --name dd1 "$DK_IMG" sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done' >&2 ||
		fail "run -d: $(tail -n 20 "$T/dk/dockerd.log")"
	assert_eq "$(dk inspect -f '{{.State.Status}}' dd1)" running
	assert_eq "$(dk inspect -f '{{.HostConfig.Runtime}}' dd1)" berth
	pid=$(dk inspect -f '{{.State.Pid}}' dd1)
	grep -q "$DK_CG" "/proc/$pid/cgroup" || fail "not in $DK_CG: $(cat /proc/$pid/cgroup)"
	# The shim runs berth: its state root holds the container.
	out=$(ps -o args= -p "$(awk '/^PPid:/ {print $2}' /proc/$pid/status)")
	assert_contains "$out" containerd-shim-runc-v2 "init's parent is the shim"
	out=$(dk exec dd1 sh -c 'echo exec-ok; cat /proc/1/cmdline | tr "\0" " "' 2>&1) || fail "exec: $out"
	assert_contains "$out" exec-ok
	assert_contains "$out" "while :"
	dk exec dd1 sh -c 'exit 6'
	assert_eq "$?" 6 "exec exit code"
	dk pause dd1 >&2 || fail "pause"
	assert_eq "$(dk inspect -f '{{.State.Status}}' dd1)" paused
	dk unpause dd1 >&2 || fail "unpause"
	dk stop -t 5 dd1 >&2 || fail "stop"
	assert_eq "$(dk inspect -f '{{.State.ExitCode}}' dd1)" 0 "exit code of the TERM trap"
	dk rm dd1 >&2 || fail "rm"
	assert_eq "$(dk ps -aq)" "" "containers left"
}

test_docker_memory_and_tty() {
	dk_setup
	local out rc
	out=$(drun --rm --memory 64m "$DK_IMG" sh -c 'cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max' 2>&1) ||
		fail "run --memory: $out"
	assert_contains "$out" 67108864 "memory limit seen inside"
	out=$(drun --rm -t "$DK_IMG" sh -c 'tty; exit 3' </dev/null 2>&1)
	rc=$?
	assert_contains "$out" /dev/pts/ "tty inside"
	assert_eq "$rc" 3 "exit code with a terminal"
}

# No engine (runs even with BERTH_ENGINE_TESTS=0): berth alone, with the
# blockIO Docker sends for every container (weight 0, meaning "unset",
# which the kernel would reject).
test_docker_spec_blkio_weight_zero() {
	cfg '.linux.resources.blockIO = {"weight": 0, "leafWeight": 0}'
	set_args sh -c 'echo ok'
	run_ctr c1
	assert_eq "$RC" 0 "run with blockIO.weight 0: $OUT"
	assert_contains "$OUT" ok
}
