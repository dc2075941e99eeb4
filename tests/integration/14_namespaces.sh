# Namespaces: new ones differ from the host's, omitted ones are shared,
# joining by path, PID 1, network with only lo, user namespace mappings,
# cgroup namespace, time namespace (berth only: runc 1.1.5 lacks it).

test_new_namespaces_differ() {
	cfg '.linux.namespaces = [{"type": "pid"}, {"type": "network"}, {"type": "ipc"},
		{"type": "uts"}, {"type": "mount"}, {"type": "cgroup"}]'
	set_args /bin/bhelper nsinode
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	for ns in pid net ipc uts mnt cgroup; do
		in=$(ns_line "$out" $ns)
		[ -n "$in" ] || fail "no $ns inode: $out"
		[ "$in" != "$(host_ns $ns)" ] || fail "$ns namespace is the host's"
	done
	# Not asked for: shared with the host.
	assert_eq "$(ns_line "$out" user)" "$(host_ns user)" "user namespace"
}

test_omitted_namespaces_shared() {
	cfg 'del(.hostname) | .linux.namespaces = [{"type": "mount"}, {"type": "pid"}]'
	set_args /bin/bhelper nsinode
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	for ns in net ipc uts cgroup user; do
		assert_eq "$(ns_line "$out" $ns)" "$(host_ns $ns)" "$ns namespace not shared"
	done
	[ "$(ns_line "$out" pid)" != "$(host_ns pid)" ] || fail "pid namespace is the host's"
}

test_pid1() {
	set_args /bin/sh -c 'bhelper pid; echo $$; ps -o pid,args | tail -n +2 | wc -l'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | sed -n 2p)" 1 "the shell is not PID 1"
	assert_eq "$(echo "$out" | sed -n 1p | cut -d' ' -f2)" 1 "bhelper's parent"
	# Only the shell and its pipeline: sh, ps, tail, wc.
	[ "$(echo "$out" | sed -n 3p)" -le 4 ] || fail "host processes visible: $out"
	# From the host, the state's pid is that process, in another pid namespace.
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c2 || fail "run -d"
	pid=$(ctr_pid c2)
	assert_eq "$(tr '\0' ' ' <"/proc/$pid/cmdline")" "/bin/sleep 100 " "state pid"
	assert_eq "$(awk '/^NSpid:/ {print $NF}' "/proc/$pid/status")" 1 "NSpid"
}

test_network_only_lo() {
	set_args /bin/sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "; ls /sys/class/net'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$out" "lo
lo" "network devices"
}

test_join_netns_by_path() {
	ns=berth-test-$$
	ip netns add "$ns" || skip "ip netns add failed"
	on_teardown "ip netns delete $ns"
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" ip addr add 10.199.0.1/32 dev lo
	cfg ".linux.namespaces |= map(if .type == \"network\" then .path = \"/var/run/netns/$ns\" else . end)"
	set_args /bin/sh -c 'bhelper nsinode; cat /proc/net/fib_trie | grep -c 10.199.0.1'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(ns_line "$out" net)" "$(stat -L -c %i "/var/run/netns/$ns")" "joined netns inode"
	[ "$(echo "$out" | tail -n 1)" -ge 1 ] || fail "address of the joined netns not visible"
}

test_join_namespace_of_container() {
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	pid=$(ctr_pid c1)
	b2=$T/bundle2
	on_teardown "b delete -f c2; rmdir /sys/fs/cgroup/*/${CG#/}-2"
	make_bundle "$b2"
	cfg ".linux.cgroupsPath = \"$CG-2\" | .linux.namespaces |= map(if .type == \"ipc\" or .type == \"uts\" then .path = \"/proc/$pid/ns/\" + .type else . end)" "$b2"
	cfg '.process.args = ["/bin/bhelper", "nsinode"]' "$b2"
	out=$(b run --bundle "$b2" c2) || fail "run c2"
	for ns in ipc uts; do
		assert_eq "$(ns_line "$out" $ns)" "$(stat -L -c %i /proc/$pid/ns/$ns)" "$ns not joined"
	done
	[ "$(ns_line "$out" net)" != "$(stat -L -c %i /proc/$pid/ns/net)" ] || fail "net joined too"
}

test_join_bad_path_fails() {
	cfg '.linux.namespaces |= map(if .type == "network" then .path = "/nonexistent/netns" else . end)'
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "joining a missing namespace worked"
	assert_contains "$(cat "$T/err")" /nonexistent/netns
	assert_nothing_left
	# A namespace file of the wrong type.
	cfg ".linux.namespaces |= map(if .type == \"network\" then .path = \"/proc/self/ns/ipc\" else . end)"
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "joining an ipc ns as network worked"
	is_runc || assert_contains "$(cat "$T/err")" /proc/self/ns/ipc
	assert_nothing_left
}

test_user_namespace_mappings() {
	chmod 755 "$T" # the mapped root must reach the bundle
	cfg '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 200000, "size": 65536}]'
	set_args /bin/sh -c 'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; bhelper nsinode; bhelper stat /bin/bhelper; sleep 100'
	b run -d --bundle "$BUNDLE" c1 >"$T/out" 2>&1 || fail "run -d: $(cat "$T/out")"
	pid=$(ctr_pid c1)
	wait_text "$T/out" "reg "
	out=$(cat "$T/out")
	assert_eq "$(echo "$out" | sed -n 1,2p | tr '\n' ' ')" "0 0 " "ids inside"
	assert_eq "$(xargs <"/proc/$pid/uid_map")" "0 100000 65536" "uid_map from the host"
	assert_eq "$(xargs <"/proc/$pid/gid_map")" "0 200000 65536" "gid_map from the host"
	assert_eq "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" 100000 "host uid of the container's root"
	assert_eq "$(awk '/^Gid:/ {print $2}' "/proc/$pid/status")" 200000 "host gid of the container's root"
	[ "$(ns_line "$out" user)" != "$(host_ns user)" ] || fail "user namespace is the host's"
	assert_eq "$(ns_line "$out" user)" "$(stat -L -c %i "/proc/$pid/ns/user")" "user ns inode"
	# Host root (unmapped) files show as the overflow id.
	assert_contains "$out" "reg 0755 0:0 65534 65534" "unmapped owner"
}

# The init's own error reaches the caller when it dies while the runtime
# still talks to it: in a new user namespace the mapped root may not create
# /proc in a rootfs the host's root owns (berth said "broken pipe").
test_user_namespace_init_error_reported() {
	chmod 755 "$T"
	rmdir "$BUNDLE/rootfs/proc"
	cfg '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	set_args /bin/true
	for i in 1 2 3; do
		b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "run without a /proc to mount on worked"
		assert_contains "$(cat "$T/err")" "/proc" "error names the mount ($i)"
		assert_not_contains "$(cat "$T/err")" "broken pipe" "error of the init lost ($i)"
	done
	assert_nothing_left
}

# In a user namespace without a /dev mount the devices are binds onto empty
# files in the image's /dev, which stay after the container: the next run
# binds onto them again (they are not "a file where a device was asked").
test_user_namespace_devices_without_a_dev_mount() {
	chmod 755 "$T"
	rm -rf "$BUNDLE/rootfs/dev"
	mkdir -m 777 "$BUNDLE/rootfs/dev"
	cfg '.mounts |= map(select(.destination | startswith("/dev") | not))
		| .linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	set_args /bin/sh -c 'bhelper stat /dev/null; echo x >/dev/null && echo null-ok'
	for i in 1 2; do
		out=$(b run --bundle "$BUNDLE" "c$i" 2>&1) || fail "run $i: $out"
		assert_contains "$out" "chr 0666 1:3" "/dev/null, run $i"
		assert_contains "$out" null-ok "write to /dev/null, run $i"
	done
}

# A user namespace joined by path (a pod's sandbox): the init becomes root
# in it, as in a new one, and devices are bound, not made.
test_user_namespace_joined_by_path() {
	chmod 755 "$T"
	cfg '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" a1 || fail "run -d a1"
	pid=$(ctr_pid a1)
	cfg ".linux.namespaces |= map(if .type == \"user\" then .path = \"/proc/$pid/ns/user\" else . end)"
	set_args /bin/sh -c 'id -u; awk "\$5 == \"/dev/null\" {print \"bound\"}" /proc/self/mountinfo; bhelper nsinode'
	out=$(b run --bundle "$BUNDLE" a2 2>"$T/err") || fail "run a2: $(cat "$T/err")"
	assert_eq "$(echo "$out" | sed -n 1p)" 0 "root in the joined user namespace"
	assert_eq "$(echo "$out" | sed -n 2p)" bound "/dev/null a bind mount in the joined user namespace"
	assert_eq "$(ns_line "$out" user)" "$(stat -L -c %i "/proc/$pid/ns/user")" "the joined user namespace"
}

# In a user namespace a device is a bind of the host's node at that path,
# which must be the configured device: never a file or another device.
test_user_namespace_device_must_match_host() {
	berth_only "runc binds whatever the host has at the path"
	chmod 755 "$T"
	cfg '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.devices = [{"path": "/dev/zero", "type": "c", "major": 1, "minor": 3}]'
	b run --bundle "$BUNDLE" c1 >"$T/out" 2>&1 && fail "host /dev/zero bound as 1:3"
	assert_contains "$(cat "$T/out")" "linux.devices[0]"
	assert_contains "$(cat "$T/out")" "/dev/zero is not device 1:3"
	cfg '.linux.devices = [{"path": "/dev/zero", "type": "c", "major": 1, "minor": 5}]'
	set_args /bin/sh -c 'head -c 3 /dev/zero | wc -c'
	assert_eq "$(b run --bundle "$BUNDLE" c2 2>&1)" 3 "the matching host node"
}

test_cgroup_namespace() {
	cfg '.linux.namespaces += [{"type": "cgroup"}]'
	set_args /bin/sh -c 'cat /proc/self/cgroup; bhelper nsinode'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	[ "$(ns_line "$out" cgroup)" != "$(host_ns cgroup)" ] || fail "cgroup namespace is the host's"
	paths=$(echo "$out" | grep -E '^[0-9]+:' | cut -d: -f3- | sort -u)
	assert_eq "$paths" / "cgroup paths inside"
	# Without it, the container sees its full cgroup path.
	cfg '.linux.namespaces |= map(select(.type != "cgroup"))'
	out=$(b run --bundle "$BUNDLE" c2) || fail "run"
	if is_v2; then
		assert_contains "$(echo "$out" | grep '^0::')" "$CG" "cgroup path without a cgroup namespace"
	else
		assert_contains "$(echo "$out" | grep ':pids:')" "$CG" "cgroup path without a cgroup namespace"
	fi
}

# The "cgroup" mount shows the container's own cgroup, read-only, as the
# root of the mount inside its cgroup namespace: on v2 its directory, on v1
# and hybrid hosts one directory per hierarchy (both binds of the host's
# directories; a bind of any other directory would show another root).
test_cgroup_mount_is_own_cgroup() {
	cfg '.linux.namespaces += [{"type": "cgroup"}]'
	if is_v2; then d=/sys/fs/cgroup; else d=/sys/fs/cgroup/pids; fi
	set_args /bin/sh -c "cat $d/cgroup.procs; bhelper write $d/cgroup.procs 1; awk '\$5 == \"$d\" {print \$4}' /proc/self/mountinfo"
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	echo "$out" | grep -qx 1 || fail "the container's init is not in $d/cgroup.procs: $out"
	assert_contains "$out" "EROFS" "cgroup mount writable"
	assert_eq "$(echo "$out" | tail -n 1)" / "root of the cgroup mount"
}

# On v1 and hybrid hosts the runtime builds the "cgroup" mount's tree while
# the init makes its network namespace: every hierarchy of the host must be
# there, a read-only bind of the container's own cgroup under a read-only
# tmpfs, and the init must have joined the container's cgroup in each
# (memory included, which it joins only after making the namespace).
test_cgroup_tree_has_every_hierarchy() {
	is_v2 && skip "one cgroup2 tree on a v2 host"
	set_args /bin/sh -c 'awk "\$5 ~ \"^/sys/fs/cgroup\" {print \$5, \$4, substr(\$6, 1, 3), \$9}" /proc/self/mountinfo; echo END; cat /proc/self/cgroup'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	mounts=$(echo "$out" | sed '/^END$/,$d')
	cgroups=$(echo "$out" | sed '1,/^END$/d')
	assert_eq "$(echo "$mounts" | awk '$1 == "/sys/fs/cgroup" {print $3, $4}')" "ro, tmpfs" "the tree's tmpfs"
	n=0
	for h in /sys/fs/cgroup/*/; do
		h=$(basename "$h")
		[ -L "/sys/fs/cgroup/$h" ] && continue
		n=$((n + 1))
		line=$(echo "$mounts" | awk -v p="/sys/fs/cgroup/$h" '$1 == p {print $2, $3}')
		assert_eq "$line" "$CG ro," "hierarchy $h"
	done
	[ "$n" -ge 2 ] || fail "only $n hierarchies on the host"
	assert_eq "$(echo "$mounts" | grep -c '^/sys/fs/cgroup/')" "$n" "binds in the tree"
	echo "$cgroups" | grep -q ':memory:' || skip "no memory hierarchy"
	assert_eq "$(echo "$cgroups" | grep -v '^0::' | cut -d: -f3- | sort -u)" "$CG" "the init's cgroup in each v1 hierarchy"
}

# The mounts that show a namespace (proc, sysfs, mqueue) are the
# container's, in order, also for a runtime without CAP_SYS_PTRACE (which
# cannot open the init's /proc/PID/ns: the init is not dumpable), and with
# a second sysfs (the init sends a filesystem context for each).
test_runtime_without_cap_sys_ptrace() {
	berth_only "berth's mounts made ahead"
	cfg '.mounts += [{"destination": "/tmp/sys2", "type": "sysfs", "source": "sysfs", "options": ["ro"]}]'
	set_args /bin/sh -c 'ls /proc | grep -c "^[0-9]"; ls /sys/class/net; ls /tmp/sys2/class/net; echo END; awk "{print \$5}" /proc/self/mountinfo'
	# Dropped from the inheritable set too, or exec would keep it; and
	# checked to be gone.
	eff=$(setpriv --inh-caps=-sys_ptrace --bounding-set -sys_ptrace -- awk '/^CapEff:/ {print $2}' /proc/self/status)
	[ $((0x$eff >> 19 & 1)) = 0 ] || fail "CAP_SYS_PTRACE still effective under setpriv: $eff"
	out=$(ASAN_OPTIONS=detect_leaks=0 timeout 30 setpriv --inh-caps=-sys_ptrace --bounding-set -sys_ptrace -- \
		"$BERTH" --root "$STATE" run --bundle "$BUNDLE" c1 2>&1) || fail "run: $out"
	head=$(echo "$out" | sed '/^END$/,$d')
	assert_eq "$(echo "$head" | sed -n 2,3p)" "lo
lo" "network devices in both sysfs mounts"
	[ "$(echo "$head" | head -n 1)" -le 5 ] || fail "host pids in the container's /proc: $head"
	assert_mounts_in_order "$(echo "$out" | sed '1,/^END$/d')"
}

# The container's /dev/mqueue shows its own IPC namespace's queues, not
# the host's: the runtime makes that mount, from a filesystem context the
# init opened in its namespaces (as proc and sysfs, above).
test_mqueue_shows_the_container_ipc_namespace() {
	q=berth-test-q$$
	mkdir -p "$T/mq"
	unshare -m sh -c 'mount -t mqueue mqueue "$1" && : >"$1/$2"' sh "$T/mq" "$q" || skip "no mqueue here"
	# A queue made in the container stays there too; and /dev/mqueue is
	# an mqueue mount (an empty directory would show no host queue either).
	set_args /bin/sh -c 'ls /dev/mqueue; : >/dev/mqueue/inq$0; awk "\$5 == \"/dev/mqueue\" {print \$9}" /proc/self/mountinfo; echo END' "$$"
	out=$(b run --bundle "$BUNDLE" c1 2>&1)
	rc=$?
	host=$(unshare -m sh -c 'mount -t mqueue mqueue "$1" && ls "$1"; rm -f "$1/$2"' sh "$T/mq" "$q")
	[ $rc = 0 ] || fail "run: $out"
	assert_contains "$out" END "the container's output"
	assert_contains "$out" mqueue "/dev/mqueue's filesystem"
	case "$out" in *"$q"*) fail "the host's queue in the container's /dev/mqueue: $out" ;; esac
	case "$host" in *"inq$$"*) fail "the container's queue in the host's: $host" ;; esac
}

# On a host whose mounts are shared (systemd's default), the binds of the
# cgroup mount must not be peers of the host's: with --no-pivot nothing
# makes them slaves later, and a mount the container made on one would
# show on the host (and keep the cgroup busy at delete).
test_cgroup_binds_not_host_peers() {
	berth_only "berth's cgroup tree"
	is_v2 && skip "one bind on v2"
	set_args /bin/sh -c 'awk "\$5 ~ \"^/sys/fs/cgroup/\" {print \$5, \$7}" /proc/self/mountinfo'
	out=$(unshare -m --propagation unchanged sh -c 'mount --make-rshared / && exec "$0" --root "$1" run --no-pivot --bundle "$2" c1' \
		"$BERTH" "$STATE" "$BUNDLE" 2>&1) || fail "run: $out"
	echo "$out" | grep -q "^/sys/fs/cgroup/" || fail "no cgroup binds: $out"
	if echo "$out" | grep -q " shared:"; then
		fail "cgroup binds are peers of the host's mounts: $out"
	fi
}

test_time_namespace() {
	berth_only "runc 1.1.5 has no time namespace"
	[ -e /proc/self/ns/time ] || skip "kernel without time namespaces"
	cfg '.linux.namespaces += [{"type": "time"}] | .linux.timeOffsets = {"monotonic": {"secs": 86400, "nanosecs": 0}, "boottime": {"secs": 172800, "nanosecs": 0}}'
	set_args /bin/sh -c 'bhelper clocks; bhelper nsinode'
	host=$("$BHELPER" clocks)
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	read -r m bt <<<"$(echo "$out" | head -n 1)"
	read -r hm hb <<<"$host"
	d=$((m - hm))
	[ "$d" -ge 86399 ] && [ "$d" -le 86410 ] || fail "monotonic offset $d"
	d=$((bt - hb))
	[ "$d" -ge 172799 ] && [ "$d" -le 172810 ] || fail "boottime offset $d"
	[ "$(ns_line "$out" time)" != "$(host_ns time)" ] || fail "time namespace is the host's"
}

test_uts_namespace_isolated() {
	cfg '.hostname = "inside"'
	set_args /bin/sh -c 'hostname; hostname changed-inside 2>/dev/null; true'
	before=$(hostname)
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$out" inside hostname
	assert_eq "$(hostname)" "$before" "host hostname changed"
}

# No namespace at all (runtime-tools' linux_ns_itype): every namespace is
# the host's, the mount namespace included. The mounts are then made in
# the host's namespace on a private bind of the rootfs, the process is
# chrooted (never pivot_root, which would move the host's root), and
# delete takes the bind and all below it away, leaving the host's
# propagation and any mount the bundle came with as they were.
test_no_namespaces_at_all() {
	berth_only "runc leaves the container's mounts in the host after delete"
	local rootfs pid prop_before out
	rootfs=$(realpath "$BUNDLE/rootfs")
	prop_before=$(awk '$5 == "/" {print $7}' /proc/self/mountinfo)
	cfg 'del(.hostname) | .linux.namespaces = [] | .linux.maskedPaths = ["/proc/version"] | .linux.readonlyPaths = ["/proc/sys"]'
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	pid=$(ctr_pid c1)
	for ns in mnt pid net ipc uts cgroup user; do
		assert_eq "$(stat -L -c %i "/proc/$pid/ns/$ns")" "$(host_ns $ns)" "$ns namespace is not the host's"
	done
	assert_eq "$(readlink "/proc/$pid/root")" "$rootfs" "root of the container"
	grep -qF " $rootfs/proc " /proc/self/mountinfo || fail "no /proc mounted on the rootfs"
	assert_eq "$(awk '$5 == "/" {print $7}' /proc/self/mountinfo)" "$prop_before" "propagation of the host's /"
	# exec gets the container's root, not ours.
	out=$(b exec c1 /bin/sh -c 'bhelper stat /etc/debian_version; ls /bin | grep -c bhelper; bhelper nsinode; cat /proc/version | wc -c; bhelper write /proc/sys/kernel/domainname x; true') ||
		fail "exec: $out"
	assert_eq "$(echo "$out" | sed -n 1p)" "ENOENT 2" "host file visible to exec"
	assert_eq "$(echo "$out" | sed -n 2p)" 1 "exec's / is not the rootfs"
	assert_eq "$(ns_line "$out" mnt)" "$(host_ns mnt)" "exec's mount namespace"
	assert_eq "$(echo "$out" | tail -n 2 | head -n 1)" 0 "masked /proc/version"
	assert_eq "$(echo "$out" | tail -n 1)" "EROFS 30" "read-only /proc/sys"
	b delete -f c1 || fail "delete"
	out=$(grep -F " $rootfs" /proc/self/mountinfo)
	[ -z "$out" ] || fail "mounts left in the host: $out"
	# A create that fails half way leaves nothing mounted either.
	set_args /bin/no-such-program
	b run --bundle "$BUNDLE" c2 2>/dev/null && fail "run of a missing program"
	out=$(grep -F " $rootfs" /proc/self/mountinfo)
	[ -z "$out" ] || fail "mounts left after a failed create: $out"
	# A create killed half way (in a prestart hook, after the mounts):
	# delete -f takes the mounts away from what the state dir recorded.
	cfg '.hooks = {"prestart": [{"path": "/bin/sleep", "args": ["sleep", "5"]}]}'
	set_args /bin/sleep 100
	# exec: $! must be berth, not a subshell running it (which a SIGKILL
	# would end while berth ran on).
	(exec "$BERTH" --root "$STATE" create --bundle "$BUNDLE" c5) &
	local cpid=$! i
	for i in $(seq 50); do grep -qF " $rootfs/proc " /proc/self/mountinfo && break; sleep 0.1; done
	grep -qF " $rootfs/proc " /proc/self/mountinfo || fail "create did not get to its mounts"
	kill -9 $cpid
	wait $cpid 2>/dev/null
	b delete -f c5 || fail "delete -f after a killed create"
	out=$(grep -F " $rootfs" /proc/self/mountinfo)
	[ -z "$out" ] || fail "mounts left after a killed create and delete -f: $out"
	cfg 'del(.hooks)'
	# The rootfs a mount point of its own (as an engine's overlay is):
	# delete takes away berth's mounts only.
	mount --bind "$rootfs" "$rootfs" || fail "bind the rootfs"
	on_teardown "umount -l '$rootfs'"
	set_args /bin/true
	b run --bundle "$BUNDLE" c3 || fail "run on a mounted rootfs"
	assert_eq "$(grep -cF " $rootfs " /proc/self/mountinfo)" 1 "mounts on the rootfs after delete"
	assert_eq "$(grep -cF " $rootfs/" /proc/self/mountinfo)" 0 "mounts below the rootfs after delete"
	umount "$rootfs" || fail "the bundle's own mount is gone"
	# The host's propagation is not the container's to change.
	cfg '.linux.rootfsPropagation = "shared"'
	out=$(b run --bundle "$BUNDLE" c4 2>&1) && fail "rootfsPropagation without a mount namespace accepted"
	assert_contains "$out" "linux.rootfsPropagation: needs a mount namespace"
	assert_nothing_left
}
