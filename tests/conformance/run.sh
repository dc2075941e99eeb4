#!/usr/bin/env bash
# Runs the OCI runtime-tools validation suite (a checkout of
# opencontainers/runtime-tools, commit 0105384, given as RUNTIME_TOOLS_SRC)
# against berth, runc and crun, one runtime after the other, and prints a
# Markdown table: one row per validation program, pass or fail per runtime.
#
# The suite's code stays where it is: it is built with Go (module mode, its
# own vendor/ tree, no network) into $OUT/suite, and each program runs from
# $OUT/work, which holds the runtimetest binary and a link to the suite's
# rootfs tarball (the programs look for both in their working directory).
# Output: $OUT/<runtime>/<test>.tap (the program's stdout) and .err
# (stderr), $OUT/results.md (the table).
#
# crun 1.8 refuses hybrid cgroup hosts ("cgroups in hybrid mode not
# supported"), so each crun program runs in a private mount namespace
# where /sys/fs/cgroup/unified is unmounted: crun then sees plain v1.
#
# Verdicts: "pass" when a program exits 0 with test points, none of them
# "not ok"; "skip" when all its points are skips. Some programs print no
# test point at all: the hook programs print an empty plan "1..0" and, on
# failure, a YAML diagnostic block; process_*_fail print nothing on
# success. For them "pass†" means exit 0 with no diagnostic, "fail
# (diagnostic)" the contrary. A strict count that only credits programs with test points is
# printed too.
#
# Clean-up after each program: a container it left behind (a timeout, a
# failed clean-up) is force-deleted; its bundles live in $OUT/tmp (TMPDIR),
# which is emptied, mounts included (runc honours a config without a mount
# namespace by mounting in the host's, and leaves them there); the cgroups
# the cgroup programs name relative to the runtime's own ("testdir/...")
# are removed when empty and were not there before the run.
#
# Usage: RUNTIME_TOOLS_SRC=DIR [BERTH=build/berth] [RUNTIMES="berth runc crun"]
#        [TESTS="default hooks ..."] [TEST_TIMEOUT=120] [OUT=build/conformance]
#        bash tests/conformance/run.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

die() {
	echo "conformance: $*" >&2
	exit 1
}

[ "$(id -u)" = 0 ] || die "must run as root"
src=${RUNTIME_TOOLS_SRC:-}
[ -n "$src" ] || die "set RUNTIME_TOOLS_SRC to a checkout of opencontainers/runtime-tools (commit 0105384)"
[ -d "$src" ] || die "RUNTIME_TOOLS_SRC=$src: no such directory"
src=$(cd "$src" && pwd)
for f in go.mod vendor/modules.txt cmd/runtimetest validation/util rootfs-amd64.tar.gz; do
	[ -e "$src/$f" ] || die "RUNTIME_TOOLS_SRC=$src has no $f: not a runtime-tools checkout"
done
case $(uname -m) in
x86_64) ;;
*) die "the suite's rootfs here is for amd64 only" ;;
esac

BERTH=${BERTH:-$top/build/berth}
OUT=${OUT:-$top/build/conformance}
RUNTIMES=${RUNTIMES:-berth runc crun}
TEST_TIMEOUT=${TEST_TIMEOUT:-120}
BERTH=$(cd "$(dirname "$BERTH")" && pwd)/$(basename "$BERTH")
[ -x "$BERTH" ] || die "$BERTH: not built (run make)"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

BERTH_DEPS_EXTRA="golang-go" bash "$top/scripts/deps.sh" || die "installing golang-go failed"
command -v go >/dev/null || die "no go after installing golang-go"

# Every validation program: validation/<name>/<name>.go, util/ excepted.
all_tests=()
for d in "$src"/validation/*/; do
	n=$(basename "$d")
	[ "$n" = util ] && continue
	[ -f "$d/$n.go" ] || continue
	all_tests+=("$n")
done
tests=(${TESTS:-${all_tests[@]}})

# Build: the suite's Makefile does the same with `go build` per file.
bin=$OUT/suite
mkdir -p "$bin"
export GOFLAGS=-mod=vendor GOPROXY=off GO111MODULE=on GOTOOLCHAIN=local
export GOCACHE=$OUT/gocache GOPATH=$OUT/gopath
echo "conformance: building the suite from $src into $bin ($(go version | cut -d' ' -f3))" >&2
(cd "$src" && go build -tags "netgo osusergo" -ldflags "-extldflags -static" \
	-o "$bin/runtimetest" ./cmd/runtimetest) || die "building runtimetest failed"
for t in "${tests[@]}"; do
	[ -f "$src/validation/$t/$t.go" ] || die "no validation program $t"
	(cd "$src" && go build -o "$bin/$t.t" "./validation/$t/$t.go") || die "building $t failed"
done

work=$OUT/work
tmp=$OUT/tmp
mkdir -p "$work" "$tmp"
cp "$bin/runtimetest" "$work/runtimetest"
ln -sfn "$src/rootfs-amd64.tar.gz" "$work/rootfs-amd64.tar.gz"

runtime_path() {
	case $1 in
	berth) echo "$BERTH" ;;
	*) command -v "$1" ;;
	esac
}

# in_ns RUNTIME CMD...: runs CMD where RUNTIME can work (crun: a private
# mount namespace without the cgroup2 tree).
in_ns() {
	local rt=$1
	shift
	if [ "$rt" = crun ] && [ -d /sys/fs/cgroup/unified ] &&
		mountpoint -q /sys/fs/cgroup/unified; then
		unshare -m --propagation private sh -c \
			'umount -l /sys/fs/cgroup/unified && exec "$@"' sh "$@"
	else
		"$@"
	fi
}

ids() {
	in_ns "$1" "$2" list -q 2>/dev/null | sort
}

# The cgroup directories the suite names (validation/util: "/cgrouptest",
# "testdir/cgrouptest/container") that exist now.
suite_cgroups() {
	local d
	for d in /sys/fs/cgroup/*/cgrouptest /sys/fs/cgroup/*/testdir /sys/fs/cgroup/cgrouptest /sys/fs/cgroup/testdir; do
		[ -d "$d" ] && echo "$d"
	done
}
cgroups_before=$(suite_cgroups)

# clean_after: mounts and bundles under $tmp, and the suite's new cgroups
# (rmdir only: a cgroup with processes in it stays).
clean_after() {
	local m d
	for m in $(awk -v p="$tmp/" 'index($5, p) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null
	done
	if awk -v p="$tmp/" 'index($5, p) == 1 {found = 1} END {exit !found}' /proc/self/mountinfo; then
		echo "conformance: mounts left under $tmp, not emptied" >&2
	else
		rm -rf "${tmp:?}"/* 2>/dev/null
	fi
	for d in $(suite_cgroups); do
		grep -qxF "$d" <<<"$cgroups_before" && continue
		find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
	done
}

clean_after
declare -A result notok
for rt in $RUNTIMES; do
	rtpath=$(runtime_path "$rt") || { echo "conformance: $rt not found, skipped" >&2; continue; }
	mkdir -p "$OUT/$rt"
	echo "conformance: $rt ($rtpath)" >&2
	for t in "${tests[@]}"; do
		tap=$OUT/$rt/$t.tap
		before=$(ids "$rt" "$rtpath")
		(cd "$work" && in_ns "$rt" env RUNTIME="$rtpath" TMPDIR="$tmp" \
			timeout -k 10 "$TEST_TIMEOUT" "$bin/$t.t") >"$tap" 2>"$OUT/$rt/$t.err" </dev/null
		rc=$?
		# whatever the program left behind
		for id in $(comm -13 <(echo "$before") <(ids "$rt" "$rtpath")); do
			in_ns "$rt" "$rtpath" delete -f "$id" >/dev/null 2>&1
		done
		clean_after
		n=$(grep -c '^not ok' "$tap")
		okn=$(grep -c '^ok' "$tap")
		skips=$(grep -ci '^ok [0-9]* # skip' "$tap")
		notok[$rt/$t]=$n
		if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
			result[$rt/$t]="fail (timeout)"
		elif [ "$n" != 0 ]; then
			result[$rt/$t]="fail ($n not ok)"
		elif [ "$rc" != 0 ]; then
			result[$rt/$t]="fail (exit $rc)"
		elif [ "$okn" = 0 ]; then
			if grep -q '^ *---$' "$tap"; then
				result[$rt/$t]="fail (diagnostic)"
			else
				result[$rt/$t]="pass†"
			fi
		elif [ "$okn" = "$skips" ]; then
			result[$rt/$t]="skip"
		else
			result[$rt/$t]="pass"
		fi
		printf '  %-36s %s\n' "$t" "${result[$rt/$t]}" >&2
	done
done

{
	printf '| test |'
	for rt in $RUNTIMES; do printf ' %s |' "$rt"; done
	printf '\n| --- |'
	for rt in $RUNTIMES; do printf ' --- |'; done
	printf '\n'
	for t in "${tests[@]}"; do
		printf '| %s |' "$t"
		for rt in $RUNTIMES; do printf ' %s |' "${result[$rt/$t]:-–}"; done
		printf '\n'
	done
	printf '| **passed** (of %d) |' "${#tests[@]}"
	for rt in $RUNTIMES; do
		p=0
		for t in "${tests[@]}"; do
			case ${result[$rt/$t]:-} in pass*) p=$((p + 1)) ;; esac
		done
		printf ' **%d** |' "$p"
	done
	printf '\n| passed, strict (test points only, no †) |'
	for rt in $RUNTIMES; do
		p=0
		for t in "${tests[@]}"; do
			[ "${result[$rt/$t]:-}" = pass ] && p=$((p + 1))
		done
		printf ' %d |' "$p"
	done
	printf '\n| "not ok" lines |'
	for rt in $RUNTIMES; do
		s=0
		for t in "${tests[@]}"; do s=$((s + ${notok[$rt/$t]:-0})); done
		printf ' %d |' "$s"
	done
	printf '\n'
} | tee "$OUT/results.md"
