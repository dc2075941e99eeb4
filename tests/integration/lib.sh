# Shared helpers for integration tests (sourced by tests/run.sh).
# Each test runs in its own bash with: $T (temp dir), $STATE (--root),
# $BUNDLE (a bundle whose rootfs holds busybox and bhelper), $CG (a cgroup
# path under /berth-test). t_teardown removes every container and file.

BUSYBOX=${BUSYBOX:-/bin/busybox}

# Runs berth with the test's state root.
b() {
	"$BERTH" --root "$STATE" "$@"
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

skip() {
	echo "$*"
	exit 77
}

assert_eq() {
	[ "$1" = "$2" ] || fail "${3:-values differ}: got '$1', want '$2'"
}

assert_contains() {
	case "$1" in
	*"$2"*) ;;
	*) fail "${3:-missing text}: '$2' not in '$1'" ;;
	esac
}

assert_not_contains() {
	case "$1" in
	*"$2"*) fail "${3:-unexpected text}: '$2' in '$1'" ;;
	esac
}

# make_rootfs DIR: busybox (with applet links), bhelper, and the usual dirs.
make_rootfs() {
	local r=$1
	mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,root,var,run,usr/bin}
	cp "$BUSYBOX" "$r/bin/busybox"
	cp "$BHELPER" "$r/bin/bhelper"
	for a in sh cat ls echo sleep hostname id mount ps true false grep wc touch mkdir \
		readlink stat ip env pwd kill head tail test printf uname find ln rm chmod \
		nproc dd sort seq tr cut date umask ulimit stty tty yes; do
		ln -sf busybox "$r/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' >"$r/etc/passwd"
	echo 'nobody:x:65534:65534:nobody:/:/bin/false' >>"$r/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$r/etc/group"
	chmod 1777 "$r/tmp"
}

# make_bundle DIR [ARG...]: a bundle from `berth spec` running ARGs.
make_bundle() {
	local d=$1
	shift
	mkdir -p "$d"
	make_rootfs "$d/rootfs"
	(cd "$d" && "$BERTH" spec) || fail "berth spec"
	local args='["/bin/sh","-c","true"]'
	if [ $# -gt 0 ]; then
		args=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
	fi
	cfg ".process.terminal = false | .process.args = $args | .linux.cgroupsPath = \"$CG\"" "$d"
}

# cfg JQ_EXPR [BUNDLE]: edits config.json in place.
cfg() {
	local d=${2:-$BUNDLE} tmp
	tmp=$(mktemp "$d/.cfg.XXXXXX")
	jq "$1" "$d/config.json" >"$tmp" || { rm -f "$tmp"; fail "jq $1"; }
	mv "$tmp" "$d/config.json"
}

# set_args ARG...: sets process.args.
set_args() {
	local a
	a=$(printf '%s\n' "$@" | jq -R . | jq -s -c .)
	cfg ".process.args = $a"
}

# wait_status ID STATUS [TRIES]: polls `berth state` until status matches.
wait_status() {
	local i s
	for ((i = 0; i < ${3:-100}; i++)); do
		s=$(b state "$1" 2>/dev/null | jq -r .status)
		[ "$s" = "$2" ] && return 0
		sleep 0.05
	done
	fail "container $1 did not reach $2 (last: $s)"
}

t_setup() {
	T=$(mktemp -d /tmp/berth-t.XXXXXX)
	STATE=$T/state
	BUNDLE=$T/bundle
	CG=/berth-test/$(basename "$T")
	mkdir -p "$STATE"
	make_bundle "$BUNDLE"
	cd "$T" || exit 1
}

t_teardown() {
	local rc=$? id
	cd /
	if [ -d "$STATE" ]; then
		for id in $(b list -q 2>/dev/null); do
			b delete -f "$id" >/dev/null 2>&1
		done
	fi
	# Anything still mounted below the temp dir (tests that mount) goes first.
	grep -o " $T[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	rm -rf "$T"
	for d in /sys/fs/cgroup/*/"$CG" /sys/fs/cgroup/"$CG"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
	exit $rc
}
