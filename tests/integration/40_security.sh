# Escape-class regression tests: each one tries the attack for real and
# checks that it fails (CVE-2019-5736, CVE-2024-21626, CVE-2021-30465 and
# the 2025 maskedPaths / console / procfs redirections).

# 1. The runtime's executable is never reachable from inside.
test_runtime_exe_not_reachable() {
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	# While created, the init is still the berth binary: a process that
	# joins the container must not be able to open it.
	out=$(b exec c1 /bin/sh -c 'cat /proc/1/exe >/dev/null 2>&1 && echo OPENED; readlink /proc/1/exe 2>&1; echo done')
	assert_not_contains "$out" OPENED "/proc/1/exe of the runtime was readable"
	assert_not_contains "$out" "$(basename "$BERTH")" "runtime path visible"
	b start c1 || fail "start"
	out=$(b exec c1 /bin/readlink /proc/1/exe)
	assert_not_contains "$out" "$(basename "$BERTH")"
}

# 2. No runtime fd survives; a cwd through /proc/self/fd gives nothing of the host.
test_no_fd_leak_into_container() {
	set_args /bin/bhelper fds
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	n=$(echo "$out" | grep -cE '^[0-9]+ ')
	# 0, 1, 2 and the directory fd bhelper uses to list /proc/self/fd
	[ "$n" -le 4 ] || fail "unexpected fds in the container: $out"
	assert_not_contains "$out" "$STATE" "state dir fd leaked"
	assert_not_contains "$out" fifo "exec fifo leaked"
	assert_not_contains "$out" socket "socket leaked"
}

test_cwd_proc_self_fd() {
	for n in 3 4 5 6 7 8 9; do
		cfg ".process.cwd = \"/proc/self/fd/$n\""
		set_args /bin/sh -c 'ls / | head -n 30; pwd'
		out=$(b run --bundle "$BUNDLE" c$n 2>&1)
		assert_not_contains "$out" "$(basename "$T")" "host directory reached through fd $n"
		assert_not_contains "$out" "berth-t." "host directory reached through fd $n"
		b delete -f c$n >/dev/null 2>&1
	done
	true
}

# 3. Symlinked mount destinations stay inside the rootfs.
test_mount_destination_symlinks() {
	mkdir -p "$T/host-target" "$T/src"
	echo payload >"$T/src/file"
	ln -s "$T/host-target" "$BUNDLE/rootfs/abs"
	ln -s "../../../../../../../../$T/host-target" "$BUNDLE/rootfs/rel"
	ln -s /nonexistent/dangling "$BUNDLE/rootfs/dangle"
	cfg ".mounts += [
		{\"destination\": \"/abs\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\"]},
		{\"destination\": \"/rel\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\"]},
		{\"destination\": \"/dangle/x\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}
	]"
	set_args /bin/sh -c 'cat /abs/file /rel/file'
	out=$(b run --bundle "$BUNDLE" c1 2>&1) || fail "run: $out"
	assert_eq "$(ls -A "$T/host-target")" "" "a mount landed on the host"
	[ -e /nonexistent ] && fail "dangling symlink created a host path"
	assert_contains "$out" payload
	# The targets were created inside the rootfs instead.
	[ -d "$BUNDLE/rootfs/nonexistent/dangling/x" ] || fail "dangling target not created inside the rootfs"
}

test_masked_and_readonly_symlinks() {
	mkdir -p "$T/secret"
	echo secret >"$T/secret/f"
	ln -s "$T/secret" "$BUNDLE/rootfs/maskme"
	ln -s "$T/secret" "$BUNDLE/rootfs/romme"
	cfg '.linux.maskedPaths += ["/maskme"] | .linux.readonlyPaths += ["/romme"]'
	set_args /bin/true
	b run --bundle "$BUNDLE" c1 || fail "run"
	assert_eq "$(cat "$T/secret/f")" secret "host file touched"
	grep -q " $T/secret " /proc/self/mountinfo && fail "host path was mounted over"
	true
}

# 4. The mask must be a real null device.
test_mask_source_must_be_null_device() {
	cfg '.mounts |= map(select(.destination != "/dev"))'
	mkdir -p "$BUNDLE/rootfs/dev"
	echo "not null" >"$BUNDLE/rootfs/dev/null"
	cfg '.linux.maskedPaths = ["/proc/kcore"]'
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "a regular file was used as mask"
	assert_contains "$(cat "$T/err")" "null"
	assert_eq "$(b list -q)" "" "state left behind"
}

test_console_is_the_pty() {
	ln -sf /etc/passwd "$BUNDLE/rootfs/dev-console-link"
	cfg '.process.terminal = true'
	set_args /bin/sh -c 'readlink -f /proc/self/fd/0; ls -l /dev/console'
	"$BHELPER" recvtty "$T/console.sock" >"$T/tty.out" 2>&1 &
	rpid=$!
	for _ in $(seq 50); do [ -S "$T/console.sock" ] && break; sleep 0.05; done
	b run -d --console-socket "$T/console.sock" --bundle "$BUNDLE" c1 || { kill $rpid; fail "run"; }
	for _ in $(seq 50); do grep -q console "$T/tty.out" && break; sleep 0.1; done
	kill $rpid 2>/dev/null
	out=$(cat "$T/tty.out")
	assert_contains "$out" /dev/pts/
	assert_contains "$out" "136," "/dev/console is not a pts device"
}

# 6. Capabilities, devices, sysctls.
test_bounding_set_holds() {
	cfg '.process.capabilities = {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"], "inheritable": [], "ambient": []}'
	set_args /bin/sh -c 'grep -E "^Cap(Bnd|Eff|Prm)" /proc/self/status; mknod /tmp/sda b 8 0 2>&1; echo mknod=$?'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_contains "$out" "CapBnd:	0000000000000020"
	assert_contains "$out" "CapEff:	0000000000000020"
	assert_contains "$out" "mknod=1"
}

test_no_host_block_devices() {
	set_args /bin/sh -c 'ls /dev'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	for d in $(ls /sys/block); do
		echo "$out" | grep -qx "$d" && fail "host block device $d visible"
	done
	true
}

test_non_namespaced_sysctl_refused() {
	cfg '.linux.sysctl = {"kernel.panic": "1"}'
	before=$(cat /proc/sys/kernel/panic)
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "kernel.panic accepted"
	assert_contains "$(cat "$T/err")" kernel.panic
	assert_eq "$(cat /proc/sys/kernel/panic)" "$before"
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .linux.namespaces |= map(select(.type != "network"))'
	b run --bundle "$BUNDLE" c2 2>"$T/err" && fail "net sysctl without a network namespace accepted"
	assert_contains "$(cat "$T/err")" net.ipv4.ip_forward
}

# 7. IDs, state directory, bundle symlinks.
test_state_dir_private() {
	local r=$T/fresh-root
	set_args /bin/sleep 100
	"$BERTH" --root "$r" create --bundle "$BUNDLE" c1 || fail "create"
	m1=$(stat -c %a "$r/c1")
	m2=$(stat -c %a "$r")
	"$BERTH" --root "$r" delete -f c1
	assert_eq "$m1" 700 "state directory mode"
	assert_eq "$m2" 700 "state root mode"
	for id in ../x x/y / .. "a b"; do
		b create --bundle "$BUNDLE" "$id" 2>/dev/null && fail "id '$id' accepted"
	done
	[ -e "$T/x" ] && fail "../x created something"
	true
}

test_bundle_symlink() {
	ln -s "$BUNDLE" "$T/link"
	set_args /bin/true
	b create --bundle "$T/link" c1 || fail "create through a bundle symlink"
	assert_eq "$(b state c1 | jq -r .bundle)" "$BUNDLE"
}
