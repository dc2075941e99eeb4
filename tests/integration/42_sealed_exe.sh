# The runtime's executable (CVE-2019-5736). Until its last exec the init is
# the runtime's own image: without CAP_SYS_PTRACE a container cannot open
# its /proc/PID/exe (it is non-dumpable, see 40_security.sh); with it, berth
# first re-executes itself from a sealed memfd copy. And the last exec of
# every container goes through a sealed trampoline, so that nothing the
# container runs can resolve /proc/self/exe to the host's binary.

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

# Without any capability: the container runs the runtime itself through
# /proc/self/exe (here an exec whose argv[0] names it; a script of the
# image whose "#!" names it does the same), keeps it waiting on a fifo,
# opens that process's /proc/PID/exe, lets it exit and writes through the
# fd. berth always runs from the sealed copy, so the write is refused.
test_runtime_via_proc_self_exe_not_writable() {
	berth_only "berth's sealed copy"
	# The sanitizer build is linked dynamically: inside the rootfs it has
	# no loader to run with, so it cannot be run there at all.
	readelf -lW "$BERTH" 2>/dev/null | grep -q INTERP && skip "a dynamically linked berth cannot run in the test rootfs"
	local rt="$T/berth-copy" before out
	cp "$BERTH" "$rt"
	before=$(sha256sum <"$rt")
	cfg '.root.readonly = false'
	set_args /bin/sleep 1000
	"$rt" --root "$STATE" run -d --bundle "$BUNDLE" c1 || fail "run -d"
	"$rt" --root "$STATE" exec c1 /bin/sh -c 'mkdir -p /b /r && busybox mkfifo /b/config.json' || fail "mkfifo"
	rm -f "$BUNDLE/rootfs/result"
	"$rt" --root "$STATE" exec -d c1 /proc/self/exe --root /r create --bundle /b x || fail "exec of /proc/self/exe"
	# The writer runs detached: no runtime process of the host may run
	# the binary (it would be busy) when it writes.
	"$rt" --root "$STATE" exec -d c1 /bin/sh -c '
		for i in $(seq 100); do
			pid=$(ps -o pid,args | awk "/--root \/r create/ && !/awk/ {print \$1}")
			[ -n "$pid" ] && break
			sleep 0.05
		done
		[ -n "$pid" ] || { echo NOPROC >/result; exit 0; }
		exec 3</proc/$pid/exe || { echo NOOPEN >/result; exit 0; }
		echo "{}" >/b/config.json
		while [ -e /proc/$pid ]; do sleep 0.05; done
		sleep 0.5
		if echo "#PWNED" 2>/dev/null >>/proc/self/fd/3; then echo WROTE; else echo REFUSED; fi >/result' ||
		fail "exec of the writer"
	wait_file "$BUNDLE/rootfs/result" 300
	# REFUSED: a sealed copy ran; NOPROC: nothing of the runtime ran at all
	# (the trampoline in its place); WROTE: the host's binary was written.
	case $(cat "$BUNDLE/rootfs/result") in
	REFUSED) ;;
	NOPROC)
		# Only if /proc/self/exe really is not the runtime (and not a
		# ps pattern that missed it).
		out=$("$rt" --root "$STATE" exec c1 /proc/self/exe --version 2>&1)
		assert_not_contains "$out" "berth version" "the runtime ran from /proc/self/exe"
		;;
	*) fail "write through the runtime run from /proc/self/exe: $(cat "$BUNDLE/rootfs/result")" ;;
	esac
	assert_eq "$(sha256sum <"$rt")" "$before" "the runtime's executable changed"
}

# A container's /proc/self/exe is the trampoline, never the runtime: run as
# the container's program it does not print berth's version: it runs
# itself on the remaining words until there are none, and exits 127. Only a container that may ptrace has its init run
# from the sealed copy of the runtime, which holds the loaded segments only.
test_proc_self_exe_is_not_the_runtime() {
	berth_only "berth's trampoline"
	set_args /proc/self/exe --version
	out=$(b run --bundle "$BUNDLE" c1 2>&1)
	assert_eq "$?" 127 "exit status of the trampoline's failed exec"
	assert_not_contains "$out" "berth version" "the runtime ran inside the container"
	cfg '.process.capabilities.bounding += ["CAP_SYS_PTRACE"] | .process.capabilities.permitted += ["CAP_SYS_PTRACE"]'
	set_args /bin/sleep 1000
	b create --bundle "$BUNDLE" c2 || fail "create"
	assert_contains "$(readlink "/proc/$(ctr_pid c2)/exe")" "memfd:berth" "the init of a container that may ptrace"
	size=$(stat -L -c %s "/proc/$(ctr_pid c2)/exe")
	[ "$size" -lt "$(stat -c %s "$BERTH")" ] || fail "the copy ($size) is not smaller than the binary"
}

# exec --process with a file that names no capabilities: the process gets
# the container's, CAP_SYS_PTRACE here, so the exec runs from the sealed
# copy of the runtime too (which a /proc/self/exe run then shows as
# berth's own version, where the trampoline would have exited 127).
test_exec_process_file_inherits_the_seal() {
	berth_only "berth's sealed copy"
	# Runs the sealed copy inside the container: the dynamically linked
	# sanitizer build has no loader there.
	readelf -lW "$BERTH" 2>/dev/null | grep -q INTERP && skip "a dynamically linked berth cannot run in the test rootfs"
	cfg '.process.capabilities.bounding += ["CAP_SYS_PTRACE"] | .process.capabilities.permitted += ["CAP_SYS_PTRACE"]'
	set_args /bin/sleep 1000
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	jq '.process | del(.capabilities) | .args = ["/proc/self/exe", "--version"]' "$BUNDLE/config.json" >"$T/p.json"
	out=$(b exec --process "$T/p.json" c1 2>&1)
	assert_contains "$out" "berth version" "the exec ran from the sealed copy"
}
