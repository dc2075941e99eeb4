# Shared helpers for integration tests (sourced by tests/run.sh).
# Each test runs in its own bash with: $T (temp dir), $STATE (--root),
# $BUNDLE (a bundle whose rootfs holds busybox and bhelper), $CG (a cgroup
# path under /berth-test). t_teardown removes every container and file.

BUSYBOX=${BUSYBOX:-/bin/busybox}

# Runs berth with the test's state root.
# Under `make check SANITIZE=1` (BERTH_SANITIZE=1) `exec` runs without
# LeakSanitizer: berth exec joins the container's pid namespace with setns
# so that its child is born there, and LSan's exit-time check forks a tracer
# that is then born there too; the tracer sees getppid() == 0, exits at
# once, and the check spins in sched_yield forever. ASan and UBSan stay on.
b() {
	local a
	if [ "${BERTH_SANITIZE:-0}" = 1 ]; then
		for a in "$@"; do
			case $a in
			-*) ;;
			exec) ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
				"$BERTH" --root "$STATE" "$@"; return ;;
			*) break ;;
			esac
		done
	fi
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
		args=$(json_args "$@")
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

# json_args ARG...: the ARGs as a JSON array (ARGs may hold newlines).
json_args() {
	local a
	for a in "$@"; do
		printf '%s' "$a" | jq -R -s .
	done | jq -s -c .
}

# set_args ARG...: sets process.args (ARGs may hold newlines).
set_args() {
	local a
	a=$(json_args "$@")
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

# on_teardown CMD: runs CMD (with eval) in t_teardown, before the rest.
TEARDOWN_CMDS=()
on_teardown() {
	TEARDOWN_CMDS+=("$1")
}

t_teardown() {
	local rc=$? id c
	cd /
	for c in "${TEARDOWN_CMDS[@]}"; do
		eval "$c" >/dev/null 2>&1
	done
	if [ -d "$STATE" ]; then
		for id in $(b list -q 2>/dev/null); do
			b delete -f "$id" >/dev/null 2>&1
		done
	fi
	# Processes of this test's containers that the runtime failed to remove
	# (only those in $CG or with mounts below $T: never anyone else's).
	local left i
	left=$(leftover_procs)
	if [ -n "$left" ]; then
		echo "teardown: killing leftover processes: $left" >&2
		kill -9 $left 2>/dev/null
		for ((i = 0; i < 40; i++)); do
			[ -z "$(leftover_procs)" ] && break
			sleep 0.05
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

# --- Helpers added for the 10..16 suites -----------------------------------

# True when the runtime under test is runc (the oracle).
is_runc() {
	[ "$(basename "$BERTH")" = runc ]
}

# berth_only WHAT: skips the current test when running against runc.
berth_only() {
	if is_runc; then skip "berth-only: $*"; fi
	return 0
}

# host_ns NAME: the inode of the host's (this shell's) namespace NAME.
host_ns() {
	stat -L -c %i "/proc/self/ns/$1"
}

# ns_line OUTPUT NAME: the inode for NAME in `bhelper nsinode` output.
ns_line() {
	echo "$1" | awk -v n="$2" '$1 == n { print $2 }'
}

# is_v2: the host mounts a pure cgroup2 tree at /sys/fs/cgroup.
is_v2() { [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; }

# cgfile CONTROLLER V1FILE V2FILE: the container's cgroup file for this host.
cgfile() {
	if is_v2; then echo "/sys/fs/cgroup$CG/$3"; else echo "/sys/fs/cgroup/$1$CG/$2"; fi
}

# cg_dirs: the container cgroup directories of $CG that exist (any hierarchy).
cg_dirs() {
	local d
	for d in /sys/fs/cgroup/*/"${CG#/}" /sys/fs/cgroup/"${CG#/}"; do
		[ -d "$d" ] && echo "$d"
	done
	return 0
}

# alive PID: the process exists and is not a zombie (this VM's init does not
# reap orphans, so dead container processes can stay zombies).
alive() {
	local s
	s=$(awk '/^State:/ {print $2}' "/proc/$1/status" 2>/dev/null)
	[ -n "$s" ] && [ "$s" != Z ]
}

# leftover_procs: pids of processes that belong to this test's containers:
# in a cgroup under $CG, or in another mount namespace than ours with a
# mount of something below $T placed outside $T (e.g. its rootfs at /).
# Processes in our own mount namespace are never listed (they see the
# test's host-side mounts too). t_teardown kills what this lists.
leftover_procs() {
	local p mine
	[ -n "${T:-}" ] && [ -n "${CG:-}" ] && [ "$CG" != / ] || return 0
	mine=$(readlink /proc/self/ns/mnt)
	for p in $({
		grep -lE -- ":$CG(/|\$)" /proc/[0-9]*/cgroup
		grep -lF -- " $T/" /proc/[0-9]*/mountinfo
	} 2>/dev/null | cut -d/ -f3 | sort -u); do
		[ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
		alive "$p" || continue
		if ! grep -qE -- ":$CG(/|\$)" "/proc/$p/cgroup" 2>/dev/null; then
			[ "$(readlink "/proc/$p/ns/mnt" 2>/dev/null)" = "$mine" ] && continue
			# A mount of something below $T placed outside $T: a
			# container's view (copies of our host-side mounts under $T
			# in other namespaces do not count).
			awk -v t="$T/" 'index($4, t) == 1 && index($5, t) != 1 { f = 1 } END { exit !f }' \
				"/proc/$p/mountinfo" 2>/dev/null || continue
		fi
		echo "$p"
	done
	return 0
}

# assert_nothing_left: no container listed, no state entry, no cgroup at $CG,
# no mount below $T and no process of the test's containers.
assert_nothing_left() {
	local l
	l=$(b list -q 2>/dev/null)
	[ -z "$l" ] || fail "containers left: $l"
	if [ -d "$STATE" ]; then
		l=$(ls -A "$STATE")
		[ -z "$l" ] || fail "state entries left in $STATE: $l"
	fi
	l=$(cg_dirs)
	[ -z "$l" ] || fail "cgroup dirs left: $l"
	l=$(grep -F " $T" /proc/self/mountinfo)
	[ -z "$l" ] || fail "mounts left: $l"
	l=$(leftover_procs)
	[ -z "$l" ] || fail "processes left: $l"
}

# wait_file FILE [TRIES]: waits until FILE exists and is non-empty (or is
# a socket).
wait_file() {
	local i
	for ((i = 0; i < ${2:-100}; i++)); do
		[ -s "$1" ] || [ -S "$1" ] && return 0
		sleep 0.05
	done
	fail "$1 did not appear"
}

# wait_text FILE TEXT [TRIES]: waits until FILE contains TEXT.
wait_text() {
	local i
	for ((i = 0; i < ${3:-100}; i++)); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "'$2' did not appear in $1: $(cat "$1" 2>/dev/null)"
}

# ctr_pid ID: the container's pid from `berth state`.
ctr_pid() {
	b state "$1" | jq -r .pid
}

# run_ctr ID: runs the bundle in the foreground; stdout+stderr to $OUT, status to $RC.
run_ctr() {
	OUT=$(b run --bundle "$BUNDLE" "$1" 2>&1)
	RC=$?
}

# assert_mounts_in_order MOUNTPOINTS: MOUNTPOINTS (mountinfo's fifth field,
# one a line, as the container saw them) lists every destination of the
# bundle's mounts, each after the one before it: mounts are made in the
# order listed, and mountinfo (Linux 6.8 and later) shows the order made.
assert_mounts_in_order() {
	local last=0 n d
	while read -r d; do
		n=$(echo "$1" | grep -nxF "$d" | head -n 1 | cut -d: -f1)
		[ -n "$n" ] || fail "$d not mounted: $1"
		[ "$n" -gt "$last" ] || fail "$d (line $n) listed before the mount before it (line $last): $1"
		last=$n
	done < <(jq -r '.mounts[].destination' "$BUNDLE/config.json")
}
