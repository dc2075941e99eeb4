# The runtime's executable and containers that may ptrace (CVE-2019-5736):
# until the init execs, it is the runtime's own image. Without
# CAP_SYS_PTRACE a container cannot open it (the init is non-dumpable, see
# 40_security.sh); with it, berth first re-executes itself from a sealed
# memfd copy, so /proc/PID/exe never leads to the host binary.

# The attack for real: a process of a privileged container opens
# /proc/1/exe while the init is still the runtime, and once the runtime is
# gone reopens that fd for writing. It runs with a copy of berth, so that a
# failure corrupts only the copy.
test_privileged_container_cannot_overwrite_runtime() {
	berth_only "berth's sealed copy"
	local rt="$T/berth-copy" before
	cp "$BERTH" "$rt"
	before=$(sha256sum <"$rt")
	cfg '.root.readonly = false | .process.capabilities.bounding += ["CAP_SYS_PTRACE"] | .process.capabilities.effective += ["CAP_SYS_PTRACE"] | .process.capabilities.permitted += ["CAP_SYS_PTRACE"]'
	set_args /bin/sleep 1000
	"$rt" --root "$STATE" create --bundle "$BUNDLE" c1 || fail "create"
	pid=$(ctr_pid c1)
	assert_contains "$(readlink "/proc/$pid/exe")" "memfd:berth" "the init runs from the sealed copy"
	rm -f "$BUNDLE/rootfs/result" "$BUNDLE/rootfs/opened"
	"$rt" --root "$STATE" exec -d c1 /bin/sh -c \
		'exec 3</proc/1/exe && echo 1 >/opened; while [ -e /opened ]; do sleep 0.05; done;
		 if echo x 2>/dev/null >>/proc/self/fd/3; then echo WROTE; else echo REFUSED; fi >/result; sleep 1000' ||
		fail "exec"
	wait_file "$BUNDLE/rootfs/opened"
	"$rt" --root "$STATE" start c1 || fail "start"
	for _ in $(seq 100); do [ "$(readlink "/proc/$pid/exe")" = /bin/sleep ] && break; sleep 0.05; done
	rm -f "$BUNDLE/rootfs/opened"
	wait_file "$BUNDLE/rootfs/result"
	assert_eq "$(cat "$BUNDLE/rootfs/result")" REFUSED "write through the runtime's /proc/PID/exe"
	assert_eq "$(sha256sum <"$rt")" "$before" "the runtime's executable changed"
}

# Containers that cannot ptrace pay nothing: their init is the binary itself.
test_unprivileged_container_not_copied() {
	berth_only "berth's sealed copy"
	set_args /bin/sleep 1000
	b create --bundle "$BUNDLE" c1 || fail "create"
	assert_eq "$(readlink "/proc/$(ctr_pid c1)/exe")" "$(readlink -f "$BERTH")" "the init's executable"
}
