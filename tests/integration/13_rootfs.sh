# The root filesystem: readonly root, pivot_root / --no-pivot, mounts and
# their flags, default and configured devices, masked and read-only paths,
# symlinked mount destinations, rootfsPropagation, sysctls.

# mnt_field MOUNTINFO MOUNTPOINT FIELD: field FIELD (6 = per-mount options)
# of the last mountinfo line for MOUNTPOINT.
mnt_field() {
	echo "$1" | awk -v m="$2" -v f="$3" '$5 == m { v = $f } END { print v }'
}

test_readonly_root() {
	cfg '.root.readonly = true'
	set_args /bin/sh -c 'bhelper write /x hi; bhelper write /bin/y hi; bhelper write /dev/shm/z hi; awk "\$5 == \"/\" {print \$6}" /proc/self/mountinfo'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | sed -n 1p)" "EROFS 30" "write to /"
	assert_eq "$(echo "$out" | sed -n 2p)" "EROFS 30" "write to /bin"
	assert_eq "$(echo "$out" | sed -n 3p)" "OK" "write to /dev/shm (a tmpfs)"
	assert_contains ",$(echo "$out" | sed -n 4p)," ",ro," "root mount options"
	[ -e "$BUNDLE/rootfs/x" ] && fail "file created in a readonly rootfs"
	cfg '.root.readonly = false'
	set_args /bin/bhelper write /x hi
	out=$(b run --bundle "$BUNDLE" c2) || fail "run"
	assert_eq "$out" OK "write to a rw root"
	assert_eq "$(cat "$BUNDLE/rootfs/x")" hi "file in the rootfs"
}

# check_host_unreachable: run in the container, the host's / is not there.
check_host_unreachable() {
	set_args /bin/sh -c 'bhelper stat /etc/debian_version; bhelper stat /proc/1/root/etc/debian_version;
		bhelper stat /proc/1/root/bin/bhelper; awk "{print \$5}" /proc/self/mountinfo; echo END; ls /bin'
	out=$(b run "$@" --bundle "$BUNDLE" c1) || fail "run $*"
	assert_eq "$(echo "$out" | sed -n 1p)" "ENOENT 2" "host file visible"
	assert_eq "$(echo "$out" | sed -n 2p)" "ENOENT 2" "host file visible through /proc/1/root"
	assert_contains "$(echo "$out" | sed -n 3p)" "reg 0" "/proc/1/root is not the container's root"
	mps=$(echo "$out" | sed -n '4,/^END$/p')
	assert_not_contains "$mps" "$T" "a host path is a mount point inside"
	assert_not_contains "$mps" "/work" "a host mount is visible inside"
	assert_contains "$(echo "$out" | sed '1,/^END$/d')" "bhelper" "ls /bin is not the rootfs's"
	b delete -f c1 >/dev/null 2>&1
}

test_pivot_root() {
	[ -e /etc/debian_version ] || skip "needs a host-only file"
	check_host_unreachable
}

test_no_pivot() {
	[ -e /etc/debian_version ] || skip "needs a host-only file"
	check_host_unreachable --no-pivot
}

test_bind_mounts_rw_ro() {
	mkdir -p "$T/rw" "$T/ro"
	echo orig >"$T/ro/f"
	echo orig >"$T/rw/f"
	cfg ".mounts += [
		{\"destination\": \"/mnt/rw\", \"type\": \"bind\", \"source\": \"$T/rw\", \"options\": [\"rbind\", \"rw\"]},
		{\"destination\": \"/mnt/ro\", \"type\": \"bind\", \"source\": \"$T/ro\", \"options\": [\"bind\", \"ro\"]}]"
	set_args /bin/sh -c 'cat /mnt/rw/f /mnt/ro/f; bhelper write /mnt/rw/new data; bhelper write /mnt/ro/new data; bhelper write /mnt/ro/f changed; true'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$out" "orig
orig
OK
EROFS 30
EROFS 30" "bind mounts"
	assert_eq "$(cat "$T/rw/new")" data "write through the rw bind mount"
	[ -e "$T/ro/new" ] && fail "write through the ro bind mount reached the host"
	assert_eq "$(cat "$T/ro/f")" orig "ro source changed"
	# The mount points were created inside the rootfs, not on the host.
	[ -d "$BUNDLE/rootfs/mnt/rw" ] || fail "mount point not created in the rootfs"
	grep -qF " $T/rw " /proc/self/mountinfo && fail "bind mount leaked into the host"
	true
}

test_bind_mount_file() {
	echo "file content" >"$T/hostfile"
	cfg ".mounts += [{\"destination\": \"/etc/injected\", \"type\": \"bind\", \"source\": \"$T/hostfile\", \"options\": [\"bind\", \"ro\"]}]"
	set_args /bin/sh -c 'cat /etc/injected; bhelper stat /etc/injected'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | sed -n 1p)" "file content" "bound file"
	assert_contains "$(echo "$out" | sed -n 2p)" "reg " "type"
}

# Mounts are made in the order listed, and mountinfo (which since Linux 6.8
# lists them in the order they were made) shows it: runtime-tools checks
# it. berth makes a prefix of them in the runtime (mount_prepared_ahead),
# so a tmpfs after a bind must still come after it, and sysfs before it.
test_mountinfo_in_config_order() {
	mkdir -p "$T/bsrc"
	cfg ".mounts += [{\"destination\": \"/mnt/b\", \"type\": \"bind\", \"source\": \"$T/bsrc\", \"options\": [\"rbind\"]},
		{\"destination\": \"/mnt/t\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"size=1m\"]}]"
	set_args /bin/sh -c 'awk "{print \$5}" /proc/self/mountinfo'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_mounts_in_order "$out"
}

test_tmpfs_size_mode() {
	cfg '.mounts += [{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs",
		"options": ["size=1m", "mode=0710", "nosuid", "nodev", "noexec"]}]'
	set_args /bin/sh -c 'bhelper stat /mnt/t; grep " /mnt/t " /proc/mounts; cat /proc/self/mountinfo'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | sed -n 1p)" "dir 0710 0:0 0 0" "tmpfs root stat"
	m=$(echo "$out" | sed -n 2p)
	assert_contains "$m" "tmpfs /mnt/t tmpfs" "/proc/mounts line"
	assert_contains "$m" "size=1024k" "size option"
	assert_contains "$m" "mode=710" "mode option"
	opts=$(mnt_field "$out" /mnt/t 6)
	for o in nosuid nodev noexec rw; do
		assert_contains ",$opts," ",$o," "per-mount flag $o"
	done
}

test_mount_flags_ro() {
	mkdir -p "$T/src"
	cfg ".mounts += [
		{\"destination\": \"/mnt/a\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\", \"ro\", \"nosuid\", \"nodev\", \"noexec\"]},
		{\"destination\": \"/mnt/b\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"ro\", \"noatime\"]}]"
	set_args /bin/cat /proc/self/mountinfo
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	opts=$(mnt_field "$out" /mnt/a 6)
	for o in ro nosuid nodev noexec; do
		assert_contains ",$opts," ",$o," "bind mount flag $o"
	done
	opts=$(mnt_field "$out" /mnt/b 6)
	for o in ro noatime; do
		assert_contains ",$opts," ",$o," "tmpfs flag $o"
	done
	# The default /sys is ro,nosuid,nodev,noexec; /dev/pts noexec.
	opts=$(mnt_field "$out" /sys 6)
	assert_contains ",$opts," ",ro," "/sys ro"
	assert_contains ",$opts," ",noexec," "/sys noexec"
	assert_eq "$(mnt_field "$out" /dev/pts 9)" devpts "/dev/pts type"
	assert_eq "$(mnt_field "$out" /proc 9)" proc "/proc type"
}

# Recursive attributes stay apart from the plain ones: rro makes every mount
# of the subtree read-only whatever "rw" says for the top, and a plain flag
# stays on the top. atime words on binds, "x-" words (user space's) and a
# refused idmap.
test_mount_option_words() {
	mkdir -p "$T/src/sub" "$T/noat"
	mount -t tmpfs -o size=1m tmpfs "$T/src/sub" || skip "cannot mount a tmpfs"
	mount -t tmpfs -o size=1m,noatime tmpfs "$T/noat" || skip "cannot mount a tmpfs"
	cfg ".mounts += [
		{\"destination\": \"/mnt/a\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"rbind\", \"rro\", \"rw\"]},
		{\"destination\": \"/mnt/b\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"rbind\", \"rro\", \"nosymfollow\"]},
		{\"destination\": \"/mnt/c\", \"type\": \"bind\", \"source\": \"$T/noat\", \"options\": [\"bind\", \"atime\"]},
		{\"destination\": \"/mnt/d\", \"type\": \"bind\", \"source\": \"$T/noat\", \"options\": [\"bind\", \"nostrictatime\"]},
		{\"destination\": \"/mnt/e\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"X-mount.mkdir\", \"size=1m\", \"x-gvfs-hide\"]}]"
	set_args /bin/sh -c 'cat /proc/self/mountinfo; bhelper write /mnt/a/x y; bhelper write /mnt/a/sub/x y; true'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run: $out"
	for m in /mnt/a /mnt/a/sub /mnt/b/sub; do
		assert_contains ",$(mnt_field "$out" $m 6)," ",ro," "$m read-only"
	done
	assert_contains "$out" "EROFS 30
EROFS 30" "writes under rro"
	assert_contains ",$(mnt_field "$out" /mnt/b 6)," ",nosymfollow," "plain flag on the top"
	assert_not_contains ",$(mnt_field "$out" /mnt/b/sub 6)," ",nosymfollow," "plain flag on a submount"
	assert_not_contains ",$(mnt_field "$out" /mnt/c 6)," ",noatime," "atime on a bind"
	assert_contains ",$(mnt_field "$out" /mnt/d 6)," ",noatime," "nostrictatime keeps the source's"
	assert_eq "$(mnt_field "$out" /mnt/e 9)" tmpfs "tmpfs with x- words"
	cfg ".mounts += [{\"destination\": \"/mnt/f\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\", \"idmap\"]}]"
	b run --bundle "$BUNDLE" c2 2>"$T/err" && fail "idmap accepted"
	assert_contains "$(cat "$T/err")" "idmapped mounts"
	true
}

# tmpcopyup (podman's default for its tmpfs mounts): the tmpfs starts with
# the image's content at that path, links as links, modes and owners kept.
test_tmpfs_copyup() {
	local r=$BUNDLE/rootfs
	mkdir -p "$r/cp/dir"
	echo hello >"$r/cp/file"
	echo inner >"$r/cp/dir/f"
	chmod 0640 "$r/cp/file"
	chown 65534:65534 "$r/cp/dir"
	chmod 0751 "$r/cp"
	ln -s /etc/passwd "$r/cp/link"
	cfg '.mounts += [{"destination": "/cp", "type": "tmpfs", "source": "tmpfs", "options": ["tmpcopyup", "size=1m"]}]'
	set_args /bin/sh -c 'cat /cp/file /cp/dir/f; readlink /cp/link; bhelper stat /cp/file; bhelper stat /cp/dir; bhelper stat /cp; echo new >/cp/new && echo writable; grep " /cp " /proc/self/mountinfo'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run: $out"
	assert_contains "$out" "hello
inner
/etc/passwd" "content"
	assert_contains "$out" "reg 0640 0:0" "file mode"
	assert_contains "$out" "dir 0755 0:0 65534 65534" "directory owner"
	assert_contains "$out" "dir 0751 0:0" "top mode"
	assert_contains "$out" writable
	assert_contains "$out" "- tmpfs" "a tmpfs"
	[ -e "$r/cp/new" ] && fail "written through to the image"
	true
}

test_noexec_enforced() {
	mkdir -p "$T/exe"
	cp "$BHELPER" "$T/exe/bhelper"
	cfg ".mounts += [{\"destination\": \"/mnt/x\", \"type\": \"bind\", \"source\": \"$T/exe\", \"options\": [\"bind\", \"noexec\"]}]"
	set_args /bin/sh -c '/mnt/x/bhelper cwd && echo RAN; echo done'
	out=$(b run --bundle "$BUNDLE" c1 2>&1) || fail "run"
	assert_not_contains "$out" RAN "binary on a noexec mount ran"
	# There, and refused (not missing).
	assert_contains "$out" "Permission denied" "the exec's error"
	assert_contains "$out" done
}

test_default_devices() {
	set_args /bin/sh -c 'for d in null zero full random urandom tty; do echo "$d $(bhelper stat /dev/$d)"; done;
		for l in ptmx fd stdin stdout stderr; do echo "$l $(readlink /dev/$l)"; done;
		echo x >/dev/null && echo null-ok; head -c 4 /dev/zero | wc -c'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	for want in "null chr 0666 1:3" "zero chr 0666 1:5" "full chr 0666 1:7" "random chr 0666 1:8" \
		"urandom chr 0666 1:9" "tty chr 0666 5:0" "ptmx pts/ptmx" "fd /proc/self/fd" \
		"stdin /proc/self/fd/0" "stdout /proc/self/fd/1" "stderr /proc/self/fd/2" null-ok; do
		assert_contains "$out" "$want"
	done
	assert_eq "$(echo "$out" | tail -n 1)" 4 "read /dev/zero"
}

# Without a /dev mount the defaults go into the rootfs's own /dev, as runc
# and crun make them (an image's /dev is often empty).
test_default_devices_without_a_dev_mount() {
	rm -rf "$BUNDLE/rootfs/dev"
	mkdir "$BUNDLE/rootfs/dev"
	cfg '.root.readonly = true | .mounts |= map(select(.destination != "/dev"))'
	set_args /bin/sh -c 'for d in null zero full random urandom tty; do echo "$d $(bhelper stat /dev/$d)"; done;
		for l in ptmx fd stdin stdout stderr; do echo "$l $(readlink /dev/$l)"; done; echo x >/dev/null && echo null-ok'
	out=$(b run --bundle "$BUNDLE" c1 2>&1) || fail "run: $out"
	for want in "null chr 0666 1:3" "zero chr 0666 1:5" "full chr 0666 1:7" "random chr 0666 1:8" \
		"urandom chr 0666 1:9" "tty chr 0666 5:0" "ptmx pts/ptmx" "fd /proc/self/fd" \
		"stdin /proc/self/fd/0" "stdout /proc/self/fd/1" "stderr /proc/self/fd/2" null-ok; do
		assert_contains "$out" "$want"
	done
	[ -c "$BUNDLE/rootfs/dev/null" ] || fail "/dev/null not made in the rootfs's /dev"
}

# A default symlink's path in linux.devices gets the configured node: the
# runtime puts the defaults into /dev ahead of the init only when the
# config names none of their paths (devices_prefill_ok).
test_linux_device_at_a_default_link() {
	cfg '.linux.devices = [{"path": "/dev/ptmx", "type": "c", "major": 5, "minor": 2, "fileMode": 438}]'
	set_args /bin/sh -c 'bhelper stat /dev/ptmx'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_contains "$out" "chr 0666 5:2" "/dev/ptmx as configured"
}

test_linux_devices() {
	cfg '.linux.devices = [
		{"path": "/dev/mydev", "type": "c", "major": 1, "minor": 3, "fileMode": 416, "uid": 7, "gid": 8},
		{"path": "/dev/sub/blk", "type": "b", "major": 7, "minor": 200},
		{"path": "/dev/myfifo", "type": "p"}]'
	set_args /bin/sh -c 'bhelper stat /dev/mydev; bhelper stat /dev/sub/blk; bhelper stat /dev/myfifo'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$out" "chr 0640 1:3 7 8
blk 0666 7:200 0 0
fifo 0666 0:0 0 0" "devices"
	[ -e "$BUNDLE/rootfs/dev/mydev" ] && fail "device created on the rootfs instead of /dev"
	true
}

# A /dev bound from the host (docker -v /dev:/dev, a privileged pod) holds
# the host's own nodes: nothing in it may be replaced or added to.
test_dev_bound_from_host_untouched() {
	local hd=$T/hostdev
	mkdir -p "$hd"
	mknod -m 666 "$hd/null" c 1 3
	mknod -m 666 "$hd/zero" c 1 5
	echo keep >"$hd/marker"
	before=$(cd "$hd" && stat -c '%n %i %F %t:%T' * | sort)
	cfg '.mounts |= map(select(.destination != "/dev" and (.destination | startswith("/dev/") | not)))
		| .mounts += [{"destination": "/dev/", "type": "bind", "source": "'"$hd"'", "options": ["rbind"]}]'
	set_args /bin/sh -c 'echo x >/dev/null && echo null-ok; cat /dev/marker'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run: $out"
	assert_contains "$out" null-ok
	assert_contains "$out" keep
	assert_eq "$(cd "$hd" && stat -c '%n %i %F %t:%T' * | sort)" "$before" "host /dev changed"
}

# A linux.devices path that already exists (here under a bind of a host
# directory) is kept when it is that device, not unlinked and made again
# (it may be the host's). Anything else there is an error, as the spec
# asks (runc 1.1.5 keeps a file silently); the file stays as it was.
test_existing_device_node_kept() {
	local hd=$T/hostdir
	mkdir -p "$hd"
	mknod -m 600 "$hd/null" c 1 3
	echo file >"$hd/zero"
	ino=$(stat -c %i "$hd/null")
	cfg '.mounts += [{"destination": "/mnt/d", "type": "bind", "source": "'"$hd"'", "options": ["bind"]}]
		| .linux.devices = [{"path": "/mnt/d/null", "type": "c", "major": 1, "minor": 3}]'
	set_args /bin/sh -c 'bhelper stat /mnt/d/null'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run: $out"
	assert_contains "$out" "chr 0600 1:3" "kept node"
	assert_eq "$(stat -c %i "$hd/null")" "$ino" "host node replaced"
	is_runc && return 0
	for dev in '"type": "c", "major": 1, "minor": 5' '"type": "c", "major": 1, "minor": 5, "path": "/mnt/d/null"' '"type": "p", "path": "/mnt/d/null"'; do
		cfg ".linux.devices = [{\"path\": \"/mnt/d/zero\", $dev}]"
		b run --bundle "$BUNDLE" c2 2>"$T/err" && fail "a device over an existing file or other device worked ($dev)"
		assert_contains "$(cat "$T/err")" "linux.devices[0]"
		assert_contains "$(cat "$T/err")" "exists and is not the device"
		assert_nothing_left
	done
	assert_eq "$(cat "$hd/zero")" file "host file replaced"
	assert_eq "$(stat -c %i "$hd/null")" "$ino" "host node replaced"
}

test_masked_paths() {
	mkdir -p "$BUNDLE/rootfs/secretdir"
	echo secret >"$BUNDLE/rootfs/secretdir/a"
	echo secret >"$BUNDLE/rootfs/secret.txt"
	cfg '.linux.maskedPaths += ["/secretdir", "/secret.txt", "/does-not-exist"]'
	set_args /bin/sh -c 'echo "[$(cat /secret.txt)]"; echo "[$(ls -A /secretdir)]"; bhelper write /secretdir/x y; bhelper stat /secret.txt; ls /proc/acpi 2>/dev/null | wc -l; awk "\$5 == \"/secretdir\" || \$5 == \"/proc/acpi\" {print \$3}" /proc/self/mountinfo | sort -u | wc -l; awk "\$5 == \"/proc/acpi\" || \$5 == \"/proc/timer_list\"" /proc/self/mountinfo | wc -l; wc -c </proc/timer_list'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	# masked directories are clones of one empty read-only directory
	assert_eq "$(echo "$out" | sed -n 6p)" 1 "superblocks behind the masked directories"
	assert_eq "$(echo "$out" | sed -n 1p)" "[]" "masked file"
	assert_eq "$(echo "$out" | sed -n 2p)" "[]" "masked dir"
	assert_eq "$(echo "$out" | sed -n 3p)" "EROFS 30" "masked dir writable"
	assert_contains "$(echo "$out" | sed -n 4p)" "chr 0666 1:3" "masked file is /dev/null"
	assert_eq "$(echo "$out" | sed -n 5p)" 0 "/proc/acpi masked"
	# (/proc/acpi may be empty anyway: the mounts on it and on the
	# default list's /proc/timer_list show the masks are there)
	assert_eq "$(echo "$out" | sed -n 7p)" 2 "masks on /proc/acpi and /proc/timer_list"
	assert_eq "$(echo "$out" | sed -n 8p)" 0 "bytes read from the masked /proc/timer_list"
	assert_eq "$(cat "$BUNDLE/rootfs/secret.txt")" secret "host file changed"
	[ -e "$BUNDLE/rootfs/does-not-exist" ] && fail "a missing masked path was created"
	true
}

# run_masking_secretdir MORE_SHELL: /secretdir (a file in it) is masked by
# the config; runs the container with a script that lists it, tries to
# write in it, then runs MORE_SHELL; checks the first two and leaves the
# output from the third line on in $out.
run_masking_secretdir() {
	mkdir -p "$BUNDLE/rootfs/secretdir"
	echo secret >"$BUNDLE/rootfs/secretdir/a"
	set_args /bin/sh -c "echo \"[\$(ls -A /secretdir)]\"; bhelper write /secretdir/x y; $1"
	out=$(b run --bundle "$BUNDLE" c1) || fail "run: $out"
	assert_eq "$(echo "$out" | sed -n 1p)" "[]" "masked dir"
	assert_eq "$(echo "$out" | sed -n 2p)" "EROFS 30" "masked dir writable"
	assert_eq "$(cat "$BUNDLE/rootfs/secretdir/a")" secret "host file changed"
	out=$(echo "$out" | sed 1,2d)
}

# Masked directories cost no superblock of their own: they are read-only
# binds of an empty directory of the container's /dev tmpfs that a later
# mount covers (/dev/pts). A covered directory that is not empty is never
# the source (the tmpfs /a/d below covers d, which holds the file bound at
# /a/d/f), nor one of the image's.
test_masked_dirs_share_a_tmpfs_of_the_container() {
	echo host >"$BUNDLE/hostfile"
	cfg ".mounts = [{\"destination\": \"/a\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"},
		{\"destination\": \"/a/d/f\", \"type\": \"bind\", \"source\": \"$BUNDLE/hostfile\", \"options\": [\"bind\"]},
		{\"destination\": \"/a/d\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}] + .mounts
		| .linux.maskedPaths += [\"/secretdir\"]"
	run_masking_secretdir 'awk "\$5 == \"/secretdir\" || \$5 == \"/dev\" {print \$5, \$3}" /proc/self/mountinfo'
	dev=$(echo "$out" | awk '$1 == "/dev" {print $2}')
	[ -n "$dev" ] || fail "no /dev mount: $out"
	assert_eq "$(echo "$out" | awk '$1 == "/secretdir" {print $2}')" "$dev" "the masked directory's superblock"
}

# Without a tmpfs of the container's to take an empty directory from (no
# /dev mounts), the masked directories get one read-only tmpfs of their own.
test_masked_dirs_without_a_dev_tmpfs() {
	mkdir -p "$BUNDLE/rootfs/dev"
	mknod -m 666 "$BUNDLE/rootfs/dev/null" c 1 3 # the masked files' source
	cfg '.mounts |= map(select(.destination | startswith("/dev") | not)) | .linux.maskedPaths += ["/secretdir"]'
	run_masking_secretdir 'stat -f -c %T /secretdir'
	assert_eq "$out" "tmpfs" "the masked directory's filesystem"
}

# An unbindable /dev tmpfs cannot be cloned: its directories are no source
# for the masks, which then get their own tmpfs (this failed to start).
# Only directories: a file's mask is a bind of /dev/null, which an
# unbindable /dev refuses (in runc too).
test_masked_dirs_with_an_unbindable_dev() {
	cfg '.mounts |= map(if .destination == "/dev" then .options += ["unbindable"] else . end)
		| .linux.maskedPaths = ["/secretdir", "/proc/acpi"]'
	run_masking_secretdir 'awk "\$5 == \"/secretdir\" || \$5 == \"/dev\" {print \$5, \$3}" /proc/self/mountinfo'
	dev=$(echo "$out" | awk '$1 == "/dev" {print $2}')
	[ "$(echo "$out" | awk '$1 == "/secretdir" {print $2}')" != "$dev" ] || fail "masked from the unbindable /dev: $out"
}

# A masked path that is a symlink masks what it points to inside the root
# (the image's /etc/secret -> /data/secret); the link itself stays.
test_masked_path_through_symlink() {
	mkdir -p "$BUNDLE/rootfs/data/dir"
	echo TOPSECRET >"$BUNDLE/rootfs/data/secret"
	echo TOPSECRET >"$BUNDLE/rootfs/data/dir/f"
	ln -s /data/secret "$BUNDLE/rootfs/etc/secret"
	ln -s ../data/dir "$BUNDLE/rootfs/etc/dir"
	cfg '.linux.maskedPaths += ["/etc/secret", "/etc/dir"]'
	set_args /bin/sh -c 'cat /etc/secret /data/secret; ls -A /etc/dir; readlink /etc/secret'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run: $out"
	assert_not_contains "$out" TOPSECRET "masked through the link"
	assert_not_contains "$out" f "masked directory through the link"
	assert_contains "$out" /data/secret "the link itself"
}

test_readonly_paths() {
	mkdir -p "$BUNDLE/rootfs/rodir"
	cp "$BUNDLE/rootfs/bin/busybox" "$BUNDLE/rootfs/rodir/true"
	cfg '.root.readonly = false | .linux.readonlyPaths += ["/rodir", "/missing-ro"]'
	set_args /bin/sh -c 'bhelper write /rodir/x y; bhelper write /tmp/x y; bhelper write /proc/sys/kernel/hostname x; /rodir/true && echo exec-ok; true'
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	# read-only only: a program there still runs (no noexec added)
	assert_eq "$out" "EROFS 30
OK
EROFS 30
exec-ok" "readonly paths"
	[ -e "$BUNDLE/rootfs/missing-ro" ] && fail "a missing readonly path was created"
	true
}

test_symlink_mount_destination() {
	mkdir -p "$T/outside" "$T/outside2" "$T/src"
	echo inside >"$T/src/f"
	ln -s "/../../../../../..$T/outside" "$BUNDLE/rootfs/abslink"
	ln -s "../../../../../../..$T/outside2" "$BUNDLE/rootfs/rellink"
	cfg ".mounts += [
		{\"destination\": \"/abslink\", \"type\": \"bind\", \"source\": \"$T/src\", \"options\": [\"bind\"]},
		{\"destination\": \"/rellink\", \"type\": \"tmpfs\", \"source\": \"tmpfs\"}]"
	set_args /bin/sh -c 'cat /abslink/f; cat /proc/self/mountinfo'
	out=$(b run --bundle "$BUNDLE" c1 2>&1) || fail "run: $out"
	assert_contains "$out" inside "bind mount through the symlink"
	# Inside, the mounts sit on the symlinks' targets taken inside the rootfs.
	assert_eq "$(mnt_field "$out" "$T/outside2" 9)" tmpfs "tmpfs through the relative symlink"
	assert_eq "$(mnt_field "$out" "$T/outside" 4)" "$T/src" "bind mount through the absolute symlink"
	assert_eq "$(ls -A "$T/outside" "$T/outside2" | tr -d '\n')" "$T/outside:$T/outside2:" "the host directories were touched"
	grep -qF " $T/outside" /proc/self/mountinfo && fail "host path mounted over"
	# Both landed under the rootfs instead.
	[ -d "$BUNDLE/rootfs$T/outside" ] || fail "target not created inside the rootfs"
	[ -d "$BUNDLE/rootfs$T/outside2" ] || fail "relative target not created inside the rootfs"
}

test_rootfs_propagation() {
	mkdir -p "$T/prop"
	mount -t tmpfs tmpfs "$T/prop" || skip "cannot mount a tmpfs"
	mount --make-shared "$T/prop" || fail "make-shared"
	mkdir "$T/prop/sub"
	for p in rslave:master rprivate:none rshared:shared; do
		prop=${p%%:*} tag=${p#*:}
		cfg ".linux.rootfsPropagation = \"$prop\" | .mounts = [.mounts[] | select(.destination != \"/mnt\")] + [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$T/prop\", \"options\": [\"rbind\"]}]"
		set_args /bin/sleep 100
		b run -d --bundle "$BUNDLE" "c$prop" || fail "run $prop"
		pid=$(ctr_pid "c$prop")
		mount -t tmpfs tmpfs "$T/prop/sub" || fail "mount sub"
		[ "$(awk '$5 == "/mnt"' "/proc/$pid/mountinfo" | wc -l)" -ge 1 ] || fail "$prop: no /mnt in the container"
		n=$(awk '$5 == "/mnt/sub"' "/proc/$pid/mountinfo" | wc -l)
		opt=$(awk '$5 == "/mnt" {for (i = 7; $i != "-"; i++) print $i}' "/proc/$pid/mountinfo")
		umount "$T/prop/sub"
		b delete -f "c$prop" || fail "delete"
		case $tag in
		none)
			assert_eq "$n" 0 "host mount propagated into a $prop container"
			assert_eq "$opt" "" "propagation tags with $prop"
			;;
		*)
			assert_eq "$n" 1 "host mount did not propagate into a $prop container"
			assert_contains "$opt" "$tag:" "propagation tag with $prop"
			;;
		esac
	done
}

# A bind with "rshared" under rootfsPropagation "rshared" (a Kubernetes
# Bidirectional volume, as containerd writes it; Docker's ":rshared" writes
# "shared"): the bind is a peer of the host's mount, so what the container
# mounts there shows on the host. With the root's default (rslave) the bind
# only receives. The pivot used to make every container mount a slave.
test_bidirectional_propagation() {
	mkdir -p "$T/prop"
	mount -t tmpfs tmpfs "$T/prop" || skip "cannot mount a tmpfs"
	mount --make-shared "$T/prop" || fail "make-shared"
	mkdir "$T/prop/a" "$T/prop/b" "$T/prop/c"
	cp "$BUNDLE/config.json" "$T/config.orig"
	for root in rshared shared default; do
		cp "$T/config.orig" "$BUNDLE/config.json"
		sub=a
		[ "$root" = shared ] && sub=b
		[ "$root" = default ] && sub=c
		cfg ".process.capabilities.bounding += [\"CAP_SYS_ADMIN\"] | .process.capabilities.effective += [\"CAP_SYS_ADMIN\"]
			| .process.capabilities.permitted += [\"CAP_SYS_ADMIN\"]
			| .mounts += [{\"destination\": \"/mnt\", \"type\": \"bind\", \"source\": \"$T/prop\", \"options\": [\"rbind\", \"rshared\"]}]"
		[ "$root" = default ] || cfg ".linux.rootfsPropagation = \"$root\""
		set_args /bin/sh -c "mount -t tmpfs inner /mnt/$sub && awk '\$5 == \"/mnt\" {for (i = 7; \$i != \"-\"; i++) print \$i}' /proc/self/mountinfo"
		out=$(b run --bundle "$BUNDLE" "c$root" 2>&1) || fail "run with rootfsPropagation $root: $out"
		if [ "$root" = default ]; then
			grep -qF " $T/prop/$sub " /proc/self/mountinfo && fail "a container mount reached the host through an rslave root"
			assert_contains "$out" "master:" "the bind receives from the host"
			assert_contains "$out" "shared:" "the bind is shared as asked"
		else
			grep -qF " $T/prop/$sub " /proc/self/mountinfo || fail "rootfsPropagation $root: the container's mount did not reach the host ($out)"
			umount "$T/prop/$sub"
		fi
	done
}

# "unbindable" is set on / last: the masked and read-only paths are bind
# mounts of paths in the root, which an unbindable root would refuse (runc
# 1.1.5 fails create so; berth used to leave / private instead).
test_rootfs_propagation_unbindable() {
	berth_only "runc 1.1.5 cannot create with an unbindable root"
	cfg '.linux.rootfsPropagation = "unbindable" | .linux.maskedPaths = ["/proc/kcore"] | .linux.readonlyPaths = ["/proc/sys"]'
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run"
	pid=$(ctr_pid c1)
	opt=$(awk '$5 == "/" {for (i = 7; $i != "-"; i++) print $i}' "/proc/$pid/mountinfo")
	assert_contains "$opt" unbindable "propagation of /"
	awk '$5 == "/proc/sys"' "/proc/$pid/mountinfo" | grep -q . || fail "read-only path not mounted"
}

test_sysctl() {
	host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
	host_shm=$(cat /proc/sys/kernel/shm_rmid_forced)
	want_fwd=$((1 - host_fwd)) want_shm=$((1 - host_shm))
	cfg ".linux.sysctl = {\"net.ipv4.ip_forward\": \"$want_fwd\", \"kernel.shm_rmid_forced\": \"$want_shm\"}"
	set_args /bin/cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shm_rmid_forced
	out=$(b run --bundle "$BUNDLE" c1) || fail "run"
	assert_eq "$(echo "$out" | tr '\n' ' ')" "$want_fwd $want_shm " "sysctls inside"
	assert_eq "$(cat /proc/sys/net/ipv4/ip_forward)" "$host_fwd" "host ip_forward changed"
	assert_eq "$(cat /proc/sys/kernel/shm_rmid_forced)" "$host_shm" "host shm_rmid_forced changed"
	# Keys with slashes, as runc and the kubelet accept them.
	cfg ".linux.sysctl = {\"net/ipv4/ip_forward\": \"$want_fwd\", \"kernel/shm_rmid_forced\": \"$want_shm\"}"
	out=$(b run --bundle "$BUNDLE" c2) || fail "run with slashed keys"
	assert_eq "$(echo "$out" | tr '\n' ' ')" "$want_fwd $want_shm " "slashed sysctls inside"
}

test_sysctl_not_namespaced_fails() {
	cfg '.linux.sysctl = {"kernel.panic": "1"}'
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "a host-wide sysctl was accepted"
	assert_contains "$(cat "$T/err")" kernel.panic
	assert_nothing_left
	# A net sysctl without a network namespace.
	cfg '.linux.sysctl = {"net.ipv4.ip_forward": "1"} | .linux.namespaces |= map(select(.type != "network"))'
	b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "a net sysctl in the host's netns was accepted"
	assert_contains "$(cat "$T/err")" net.ipv4.ip_forward
	assert_nothing_left
	# Slashes do not get around the list, nor does a path out of /proc/sys.
	for key in kernel/panic net/../kernel/panic; do
		cfg ".linux.sysctl = {\"$key\": \"1\"}"
		b run --bundle "$BUNDLE" c1 2>"$T/err" && fail "sysctl $key was accepted"
		assert_contains "$(cat "$T/err")" "$key"
		assert_nothing_left
	done
}
