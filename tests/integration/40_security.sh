# Escape-class regression tests: each one tries the attack for real and
# checks that it fails (CVE-2019-5736, CVE-2024-21626, CVE-2021-30465 and
# the 2025 maskedPaths / console / procfs redirections).

# 1. The runtime's executable is never reachable from inside.
test_runtime_exe_not_reachable() {
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	# While created, the init is still the berth binary: a process that
	# joins the container must not be able to open it.
	out=$(b exec c1 /bin/sh -c 'cat /proc/1/exe >/dev/null 2>&1 && echo OPENED; readlink /proc/1/exe 2>&1; echo done') ||
		fail "exec into the created container: $out"
	assert_contains "$out" done "the exec ran"
	assert_not_contains "$out" OPENED "/proc/1/exe of the runtime was readable"
	assert_not_contains "$out" "$(basename "$BERTH")" "runtime path visible"
	b start c1 || fail "start"
	out=$(b exec c1 /bin/readlink /proc/1/exe) || fail "exec after start"
	# sleep is a busybox applet
	assert_eq "$out" /bin/busybox "/proc/1/exe after start"
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
		set_args /bin/sh -c 'readlink /proc/self/cwd; ls -a . ../../../.. | head -n 30; pwd'
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
	# Both binds inside the container, stacked on the in-rootfs target
	# both links lead to (the host path itself is not seen from here).
	set_args /bin/sh -c "cat /abs/file /rel/file; grep -c ' $T/host-target ' /proc/self/mountinfo"
	out=$(b run --bundle "$BUNDLE" c1 2>&1) || fail "run: $out"
	assert_eq "$(echo "$out" | tr '\n' ' ')" "payload payload 2 " "the files and the binds on the target"
	assert_eq "$(ls -A "$T/host-target")" "" "a mount landed on the host"
	[ -e /nonexistent ] && fail "dangling symlink created a host path"
	assert_contains "$out" payload
	# The targets were created inside the rootfs instead.
	[ -d "$BUNDLE/rootfs/nonexistent/dangling/x" ] || fail "dangling target not created inside the rootfs"
}

# The same, swapped by a racing process (CVE-2021-30465): while berth
# creates and deletes containers, `bhelper swap` exchanges (renameat2
# RENAME_EXCHANGE, ~10^5 a second) each destination with a symlink out of
# the rootfs: a tmpfs destination with a relative `..` chain to a host dir,
# a bind destination's parent with an absolute link to another, a masked
# and a readonly path with links to the host path of a directory inside the
# rootfs (a canary: masked or read-only through the host's resolution, it
# shows in the container). Each created container's mountinfo says where
# its mounts landed: at the destination (or where the swapper moved it
# since), at the link's target resolved inside the rootfs (the race was
# hit), or nowhere/at the canary: resolved on the host, as a naive
# mount(src, rootfs + dest) would whenever the link was in place. A create
# may also fail, with an error that names the path; nothing may be left.
test_mount_destination_swap_race() {
	local r=$BUNDLE/rootfs i out pid cls n=0 created=0 failed=0
	local -A count=() errors=()
	mkdir -p "$T/outside" "$T/outside2/inner" "$T/src" "$r/mnt/target" "$r/mnt/deep/inner" \
		"$r/mnt/mask" "$r/mnt/ro" "$r/canary" "$r/canary2"
	echo marker >"$T/outside/marker"
	echo marker >"$T/outside2/inner/marker"
	echo payload >"$T/src/file"
	echo canary >"$r/canary/f"
	ln -s "../../../../../../../../../../..$T/outside" "$r/mnt/target-link"
	ln -s "$T/outside2" "$r/mnt/deep-link"
	ln -s "$r/canary" "$r/mnt/mask-link"
	ln -s "../../../../../../../../../../..$r/canary2" "$r/mnt/ro-link"
	cfg ".mounts += [
		{\"destination\": \"/mnt/target\", \"type\": \"tmpfs\", \"source\": \"racetmpfs\", \"options\": [\"size=1234k\"]},
		{\"destination\": \"/mnt/deep/inner\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\"]}
	] | .linux.maskedPaths += [\"/mnt/mask\"] | .linux.readonlyPaths += [\"/mnt/ro\"]"
	set_args /bin/true
	"$BHELPER" swap "$r/mnt/target" "$r/mnt/target-link" "$r/mnt/deep" "$r/mnt/deep-link" \
		"$r/mnt/mask" "$r/mnt/mask-link" "$r/mnt/ro" "$r/mnt/ro-link" >"$T/swap.out" 2>&1 &
	SWAPPER=$!
	on_teardown 'if [ -n "$SWAPPER" ]; then kill "$SWAPPER"; wait "$SWAPPER"; fi'
	wait_text "$T/swap.out" ready
	SECONDS=0
	for ((i = 1; i <= ${RACE_ITERATIONS:-200} && SECONDS < ${RACE_SECONDS:-20}; i++)); do
		n=$i
		rm -f "$T/pid"
		# (Output to a file: the container's init keeps create's stdout.)
		if ! timeout 30 "$BERTH" --root "$STATE" create --bundle "$BUNDLE" --pid-file "$T/pid" c \
			>"$T/create.out" 2>&1 </dev/null; then
			out=$(cat "$T/create.out")
			[ -n "$out" ] || fail "iteration $i: create hung or failed silently"
			failed=$((failed + 1))
			assert_contains "$out" "mnt/" "iteration $i: the error does not name the path"
			errors["$out"]=$((${errors["$out"]:-0} + 1))
			[ -z "$(b list -q)" ] || fail "iteration $i: a failed create left a container"
			continue
		fi
		created=$((created + 1))
		pid=$(cat "$T/pid")
		# Where each mount landed, as the container sees it.
		cls=$(awk -v src="/$(basename "$T")/src" -v out="$T/outside" -v out2="$T/outside2/inner" '
			{ for (s = 7; s < NF && $s != "-"; s++); mp = $5 }
			$(s + 1) == "tmpfs" && $(s + 2) == "racetmpfs" { tmpfs = tmpfs (tmpfs ? "," : "") mp }
			substr($4, length($4) - length(src) + 1) == src { bind = bind (bind ? "," : "") mp }
			mp == "/mnt/mask" || mp == "/mnt/mask-link" { mask = "dir" }
			mp == "/mnt/ro" || mp == "/mnt/ro-link" { ro = $6 ~ /(^|,)ro(,|$)/ ? "dir" : "BAD(rw)" }
			mp ~ /^\/canary/ { bad = bad " " mp }
			END {
				if (tmpfs == "/mnt/target" || tmpfs == "/mnt/target-link") tmpfs = "dir"
				else if (tmpfs == out) tmpfs = "link"
				else tmpfs = "BAD(" tmpfs ")"
				if (bind == "/mnt/deep/inner" || bind == "/mnt/deep-link/inner") bind = "dir"
				else if (bind == out2) bind = "link"
				else bind = "BAD(" bind ")"
				printf "tmpfs=%s bind=%s mask=%s ro=%s%s\n", tmpfs, bind, mask ? mask : "link",
					ro ? ro : "link", bad ? " BAD(canary:" bad ")" : ""
			}' "/proc/$pid/mountinfo")
		# The host, while the container exists.
		grep -E " ($T/outside|$T/outside2|$r/canary|$r/canary2)[ /]" /proc/self/mountinfo &&
			fail "iteration $i: a host path was mounted over"
		assert_eq "$(ls -A "$T/outside")/$(ls -A "$T/outside2/inner")/$(ls -A "$r/canary")" marker/marker/f \
			"iteration $i: what the host sees in its dirs and the canary"
		case $cls in *BAD*) fail "iteration $i: a mount landed outside its place: $cls" ;; esac
		for w in $cls; do count[$w]=$((${count[$w]:-0} + 1)); done
		out=$(b delete -f c 2>&1) || fail "iteration $i: delete: $out"
	done
	kill "$SWAPPER"
	wait "$SWAPPER"
	SWAPPER=
	echo "iterations $n (${SECONDS}s): created $created, failed $failed; $(tail -n 1 "$T/swap.out")"
	for w in "${!count[@]}"; do echo "$w ${count[$w]}"; done | sort
	for e in "${!errors[@]}"; do echo "error x${errors[$e]}: $e"; done
	[ $((${count[tmpfs=link]:-0} + ${count[bind=link]:-0})) -gt 0 ] ||
		fail "no create ever saw a swapped-in link: the race was not hit"
	[ "$created" -gt 0 ] || fail "no create succeeded"
	# The mask and the read-only bind were made where they belong too.
	[ "${count[mask=dir]:-0}" -gt 0 ] || fail "/mnt/mask was never masked"
	[ "${count[ro=dir]:-0}" -gt 0 ] || fail "/mnt/ro was never made read-only"
	assert_eq "$(ls -A "$T/outside")/$(ls -A "$T/outside2/inner")" marker/marker "host dirs"
	assert_nothing_left
}

test_masked_and_readonly_symlinks() {
	mkdir -p "$T/secret" "$BUNDLE/rootfs/canary"
	echo secret >"$T/secret/f"
	echo canary >"$BUNDLE/rootfs/canary/f"
	ln -s "$T/secret" "$BUNDLE/rootfs/maskme"
	ln -s "$T/secret" "$BUNDLE/rootfs/romme"
	# Links whose host reading lands inside the rootfs: a runtime that
	# resolved them on the host would mask /canary, or make it read-only,
	# where the container sees it.
	ln -s "$BUNDLE/rootfs/canary" "$BUNDLE/rootfs/maskme2"
	ln -s "$BUNDLE/rootfs/canary" "$BUNDLE/rootfs/romme2"
	cfg '.root.readonly = false | .linux.maskedPaths += ["/maskme", "/maskme2"] | .linux.readonlyPaths += ["/romme", "/romme2"]'
	set_args /bin/sh -c 'cat /canary/f; touch /canary/w && echo writable; grep -c " /canary " /proc/self/mountinfo'
	out=$(b run --bundle "$BUNDLE" c1 2>&1)
	assert_eq "$(echo "$out" | tr '\n' ' ')" "canary writable 0 " "the canary seen from inside"
	assert_eq "$(cat "$T/secret/f")" secret "host file touched"
	grep -q " $T/secret " /proc/self/mountinfo && fail "host path was mounted over"
	true
}

# A prestart and a createRuntime hook (runtime namespace, after every mount,
# before pivot_root and the masked and readonly paths: config.md "Prestart",
# "CreateRuntime Hooks") turn masked and readonly paths into symlinks out of
# the rootfs: a relative `..` chain and an absolute link to a host dir, and
# absolute links to the host path of a canary directory and file inside the
# rootfs. A mask or read-only bind resolved on the host (before pivot_root
# or through the host's root) would land on the canary, which the
# container would then see masked or read-only; resolved inside the
# rootfs, the links lead nowhere and nothing is mounted.
test_hooks_swap_masked_and_readonly_paths() {
	local r=$BUNDLE/rootfs pid mi p
	mkdir -p "$T/secret" "$r/canary" "$r/maskdir" "$r/rodir" "$r/rodir2"
	echo secret >"$T/secret/f"
	echo canary >"$r/canary/f"
	touch "$r/maskfile"
	cat >"$T/prestart" <<-EOF
		#!/bin/sh
		cd "$r" && rm -rf maskdir maskfile && ln -s "$T/secret" maskdir && ln -s "$r/canary/f" maskfile
	EOF
	cat >"$T/create-runtime" <<-EOF
		#!/bin/sh
		cd "$r" && rm -rf rodir rodir2 && ln -s "../../../../../../../../../..$T/secret" rodir &&
			ln -s "$r/canary" rodir2
	EOF
	chmod +x "$T/prestart" "$T/create-runtime"
	cfg ".root.readonly = false | .hooks.prestart = [{\"path\": \"$T/prestart\"}] | .hooks.createRuntime = [{\"path\": \"$T/create-runtime\"}]
		| .linux.maskedPaths += [\"/maskdir\", \"/maskfile\"] | .linux.readonlyPaths += [\"/rodir\", \"/rodir2\"]"
	set_args /bin/sleep 100
	if ! b create --bundle "$BUNDLE" c1 >"$T/out" 2>&1 </dev/null; then
		# Refusing is fine, cleanly and saying which path.
		assert_contains "$(cat "$T/out")" Paths "create failed without naming the path"
		assert_nothing_left
		return
	fi
	# The hooks ran: the paths are links now.
	[ -L "$r/maskdir" ] && [ -L "$r/maskfile" ] && [ -L "$r/rodir" ] && [ -L "$r/rodir2" ] ||
		fail "the hooks did not replace the paths"
	pid=$(ctr_pid c1)
	# The host: nothing mounted, the secret untouched.
	grep -E " ($T/secret|$r/canary)[ /]" /proc/self/mountinfo && fail "a host path was mounted over"
	assert_eq "$(cat "$T/secret/f")" secret "host file"
	# The container: nothing mounted at the canary or through the links,
	# the canary file readable and its directory writable.
	mi=$(awk '{print $5}' "/proc/$pid/mountinfo")
	for p in /canary /canary/f /maskdir /maskfile /rodir /rodir2 "$T/secret" "$r/canary" "$r/canary/f"; do
		grep -qxF -- "$p" <<<"$mi" && fail "a mount at $p in the container"
	done
	assert_eq "$(cat "/proc/$pid/root/canary/f")" canary "the canary file in the container"
	touch "/proc/$pid/root/canary/w" || fail "the canary directory is read-only in the container"
	b start c1 || fail "start"
	out=$(b exec c1 /bin/sh -c 'cat /canary/f; readlink /maskdir; touch /canary/x && echo writable')
	assert_contains "$out" canary
	assert_contains "$out" writable
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

# No tmpfs on /dev, and the rootfs's own /dev/console a symlink to a file
# the pty bind would land on (CVE-2025-52565's shape): refused, and neither
# the rootfs's nor the host's /etc/passwd is touched.
test_console_symlink_refused() {
	local before host_before
	mkdir -p "$BUNDLE/rootfs/dev" "$BUNDLE/rootfs/etc"
	echo 'root:x:0:0:root:/root:/bin/sh' >"$BUNDLE/rootfs/etc/passwd"
	ln -sf /etc/passwd "$BUNDLE/rootfs/dev/console"
	before=$(sha256sum <"$BUNDLE/rootfs/etc/passwd")
	host_before=$(sha256sum </etc/passwd)
	cfg '.process.terminal = true | .mounts |= map(select(.destination != "/dev"))'
	set_args /bin/true
	"$BHELPER" recvtty "$T/console.sock" >"$T/tty.out" 2>&1 &
	rpid=$!
	for _ in $(seq 50); do [ -S "$T/console.sock" ] && break; sleep 0.05; done
	b run -d --console-socket "$T/console.sock" --bundle "$BUNDLE" c1 2>"$T/err" &&
		{ kill $rpid; fail "a /dev/console symlink was used"; }
	kill $rpid 2>/dev/null
	assert_contains "$(cat "$T/err")" /dev/console
	assert_eq "$(sha256sum <"$BUNDLE/rootfs/etc/passwd")" "$before" "the rootfs's /etc/passwd"
	assert_eq "$(sha256sum </etc/passwd)" "$host_before" "the host's /etc/passwd"
	assert_nothing_left
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

# Mounts into /proc (CVE-2019-16884: a mount over /proc/self/attr turned an
# LSM transition off): /proc takes only a procfs, and inside it only the
# files lxcfs emulates, also when reached through a symlink.
test_no_mounts_inside_proc() {
	local d
	echo "fake meminfo" >"$T/meminfo"
	set_args /bin/cat /proc/meminfo
	cfg ".mounts += [{\"destination\": \"/proc/meminfo\", \"type\": \"bind\", \"source\": \"$T/meminfo\", \"options\": [\"bind\"]}]"
	out=$(b run --bundle "$BUNDLE" c1) || fail "lxcfs-style bind over /proc/meminfo refused: $out"
	assert_eq "$out" "fake meminfo" "/proc/meminfo"
	ln -s /proc/sys "$BUNDLE/rootfs/lnk"
	for d in /proc/sys/kernel /proc/self/attr /proc/../proc/sys /lnk/kernel; do
		cfg "del(.mounts[] | select(.destination | startswith(\"/proc/\") or startswith(\"/lnk\")))
			| .mounts += [{\"destination\": \"$d\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]"
		b run --bundle "$BUNDLE" c2 2>"$T/err" && fail "a mount at $d worked"
		assert_contains "$(cat "$T/err")" "inside /proc" "$d"
		assert_nothing_left
	done
	cfg "del(.mounts[] | select(.destination | startswith(\"/proc\")))
		| .mounts = [{\"destination\": \"/proc\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}] + .mounts"
	b run --bundle "$BUNDLE" c3 2>"$T/err" && fail "a tmpfs at /proc worked"
	assert_contains "$(cat "$T/err")" "not of type proc"
	assert_nothing_left
}

# No capabilities object means no capabilities (as runc), not all of the
# runtime's; an exec --process file without one gets the container's.
test_missing_capabilities_means_none() {
	cfg 'del(.process.capabilities)'
	set_args /bin/sh -c 'grep -E "^Cap(Eff|Bnd|Prm)" /proc/self/status'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run: $out"
	assert_contains "$out" "CapPrm:	0000000000000000"
	assert_contains "$out" "CapEff:	0000000000000000"
	assert_contains "$out" "CapBnd:	0000000000000000"
	cfg '.process.capabilities = {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"]}'
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c2 || fail "run -d"
	jq '.process | del(.capabilities) | .args = ["/bin/sh", "-c", "grep ^CapEff /proc/self/status"]' \
		"$BUNDLE/config.json" >"$T/p.json"
	out=$(b exec --process "$T/p.json" c2) || fail "exec --process: $out"
	assert_eq "$out" "CapEff:	0000000000000020" "exec --process without capabilities"
}

# A net.* sysctl with the host's network namespace joined by path would be
# the host's: refused (runc too). The value asked for is the host's own, so
# that a runtime that applied it would change nothing.
test_net_sysctl_in_host_netns_refused() {
	local cur
	cur=$(cat /proc/sys/net/ipv4/ip_forward)
	cfg ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/$$/ns/net\" else . end)
		| .linux.sysctl = {\"net.ipv4.ip_forward\": \"$cur\"}"
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "a net sysctl in the host's network namespace was accepted"
	assert_contains "$(cat "$T/err")" "net.ipv4.ip_forward"
	cfg 'del(.linux.sysctl) | .hostname = "h" | .linux.sysctl = {"kernel.hostname": "other"}'
	b run --bundle "$BUNDLE" c2 2>"$T/err" && fail "kernel.hostname beside hostname accepted"
	assert_contains "$(cat "$T/err")" "conflicts with hostname"
	cfg 'del(.linux.sysctl) | .domainname = "d" | .linux.sysctl = {"kernel.domainname": "other"}'
	b run --bundle "$BUNDLE" c3 2>"$T/err" && fail "kernel.domainname beside domainname accepted"
	assert_contains "$(cat "$T/err")" "conflicts with domainname"
	true
}
