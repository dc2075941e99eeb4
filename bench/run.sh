#!/usr/bin/env bash
# bench/run.sh — berth against crun, runc and a floor program (bench/floor.c:
# only the kernel work of a container start). `make bench` runs it; see
# docs/PERFORMANCE.md for what each row measures.
#
# Environment:
#   RUNS=N         runs for the single-container rows (default 200)
#   QUICK=1        few runs everywhere; growth only at 0 and 100 containers
#   SKIP_GROWTH=1  skip the cost-growth rows (the slowest part)
#   GROWTH_RUNS=N  cycles (and lists) timed at each point of the growth rows
#                  (default 200, as the single-container rows)
#   RUNTIMES="berth crun runc floor"   which columns to measure
#   BERTH=PATH     berth binary (default: build/berth, built with make)
#
# Writes bench/results/latest.md (Markdown table of medians), raw hyperfine
# JSON and logs under bench/results/, and bench/results/growth.png. Removes
# every container, cgroup (under /berth-bench/<pid>) and temp dir it made,
# also on Ctrl-C.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
bench=$top/bench
results=$bench/results
QUICK=${QUICK:-0}
SKIP_GROWTH=${SKIP_GROWTH:-0}
if [ "$QUICK" = 1 ]; then
	RUNS=${RUNS:-20}; ROUNDS=2; WARMUP=1; LOOP_RUNS=2; RSS_RUNS=3; GROWTH_RUNS=${GROWTH_RUNS:-5}
	GROWTH_NS="0 100"
else
	RUNS=${RUNS:-200}; ROUNDS=4; WARMUP=3; LOOP_RUNS=5; RSS_RUNS=5; GROWTH_RUNS=${GROWTH_RUNS:-200}
	GROWTH_NS="0 100 1000"
fi
[ "$RUNS" -ge "$ROUNDS" ] || ROUNDS=1
RUNTIMES=${RUNTIMES:-berth crun runc floor}
CG_TOP=berth-bench
TAG=$$ # every cgroup lives under /$CG_TOP/$TAG

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (namespaces, cgroups)"
case "$top" in *[[:space:]]*) die "the repository path must not contain spaces" ;; esac
BERTH_DEPS_EXTRA="hyperfine gnuplot-nox crun runc" bash "$top/scripts/deps.sh"
for t in hyperfine jq gnuplot gcc busybox; do
	command -v "$t" >/dev/null || die "$t is missing"
done

tmp=$(mktemp -d /tmp/berth-bench.XXXXXX)
# The runtimes' state roots live on a tmpfs of the script's own, as engines
# keep them on /run (/run/containerd/runc, /run/runc, /run/crun): on an
# ext4 /tmp (and /run, on this VM) each state file's create and unlink cost
# every runtime journal and inode work (about 0.3 ms a berth run) that no
# deployment pays. Mounted before crun's namespace is made, which copies it.
state=$tmp/state
mkdir -p "$results" "$state"
log=$results/run.log
rm -f "$results"/*.json "$results"/growth.{dat,png} "$results"/{rss,memlimit}.txt
: >"$log"

# ---------------------------------------------------------------- cleanup
# Cgroup hierarchies: each v1 controller mount and the cgroup2 tree, or the
# single cgroup2 mount. /$CG_TOP is removed only where this script made it.
cg_dirs=()
if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
	cg_dirs=(/sys/fs/cgroup)
else
	for d in /sys/fs/cgroup/*; do
		[ -d "$d" ] && [ ! -L "$d" ] || continue
		case "$(stat -fc %T "$d")" in cgroupfs | cgroup2fs) cg_dirs+=("$d") ;; esac
	done
fi
cg_top_existed=()
for d in "${cg_dirs[@]}"; do
	[ -d "$d/$CG_TOP" ] && cg_top_existed+=("$d")
done

declare -A RT_CMD=()    # runtime name -> its command (word-split on use)
declare -A RT_PRE=()    # runtime name -> what runs it, e.g. nsenter (see crun)
nsdir=$tmp/ns           # the persistent mount namespace for crun, if any
# rtc RT ARGS...: run a runtime command outside of hyperfine.
rtc() {
	local r=$1
	shift
	${RT_PRE[$r]:-} ${RT_CMD[$r]} "$@"
}
cleaned=0
cleanup() {
	[ "$cleaned" = 1 ] && return
	cleaned=1
	set +e
	trap '' INT TERM
	say "bench: cleaning up"
	local rt id d p
	for rt in "${!RT_CMD[@]}"; do
		[ "$rt" = floor ] && continue
		[ -d "$state/$rt" ] || continue
		for id in $(rtc "$rt" --root "$state/$rt" list -q 2>/dev/null); do
			rtc "$rt" --root "$state/$rt" delete -f "$id" >/dev/null 2>&1
		done
	done
	# Whatever still runs in our cgroups was started by this script.
	for d in "${cg_dirs[@]}"; do
		[ -d "$d/$CG_TOP/$TAG" ] || continue
		for p in $(find "$d/$CG_TOP/$TAG" -name cgroup.procs -exec cat {} + 2>/dev/null); do
			kill -9 "$p" 2>/dev/null
		done
	done
	sleep 0.2
	for d in "${cg_dirs[@]}"; do
		[ -d "$d/$CG_TOP/$TAG" ] && find "$d/$CG_TOP/$TAG" -depth -type d -exec rmdir {} + 2>/dev/null
		[ -d "$d/$CG_TOP/$TAG" ] && say "bench: could not remove $d/$CG_TOP/$TAG"
		if [[ " ${cg_top_existed[*]:-} " != *" $d "* ]]; then
			rmdir "$d/$CG_TOP" 2>/dev/null
		fi
	done
	if mountpoint -q "$nsdir"; then
		umount "$nsdir/mnt" 2>/dev/null
		umount "$nsdir" || say "bench: could not unmount $nsdir"
	fi
	mountpoint -q "$state" && { umount "$state" || say "bench: could not unmount $state"; }
	rm -rf --one-file-system "$tmp"
}
trap cleanup EXIT
trap 'say "bench: interrupted"; exit 130' INT TERM HUP
mount -t tmpfs -o mode=0700,size=1g berth-bench-state "$state" ||
	say "bench: no tmpfs for the state roots, they stay on $(stat -fc %T "$state")"

# ---------------------------------------------------------------- tools
bin=$top/build/bench
mkdir -p "$bin"

# crun 1.8 refuses hybrid hosts whose cgroup2 tree has controllers ("cgroups
# in hybrid mode not supported"). crun then runs in a mount namespace made
# once here, kept at $nsdir/mnt, in which /sys/fs/cgroup/unified is
# unmounted: it sees a cgroup v1 host and still creates, fills and removes
# its v1 cgroups for real; no cgroup is changed to please it. hyperfine
# itself is started in that namespace (nsenter), so the timed crun commands
# pay nothing for it.
hybrid=0
[ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ] && mountpoint -q /sys/fs/cgroup/unified && hybrid=1
make_crun_ns() {
	mkdir -p "$nsdir"
	mount --bind "$nsdir" "$nsdir" && mount --make-private "$nsdir" &&
		touch "$nsdir/mnt" &&
		unshare --mount="$nsdir/mnt" --propagation private umount -l /sys/fs/cgroup/unified
}

notes=()
note() { notes+=("$*"); say "bench: note: $*"; }

declare -A AVAIL=()
for rt in $RUNTIMES; do
	case $rt in
	berth)
		b=${BERTH:-$top/build/berth}
		if [ -z "${BERTH:-}" ]; then
			if ! make -C "$top" all >>"$log" 2>&1; then
				note "berth skipped: \`make all\` failed (see bench/results/run.log)"
				continue
			fi
		fi
		[ -x "$b" ] || { note "berth skipped: $b missing"; continue; }
		RT_CMD[berth]=$b ;;
	crun)
		command -v crun >/dev/null || { note "crun skipped: not installed"; continue; }
		RT_CMD[crun]=$(command -v crun)
		if [ "$hybrid" = 1 ]; then
			make_crun_ns || { note "crun skipped: could not make its mount namespace"; continue; }
			RT_PRE[crun]="nsenter --mount=$nsdir/mnt"
			note "hybrid cgroup host: crun (and hyperfine timing it) runs in a mount namespace without /sys/fs/cgroup/unified, which crun 1.8 refuses; crun still creates its cgroup v1 groups"
		fi ;;
	runc)
		command -v runc >/dev/null || { note "runc skipped: not installed"; continue; }
		RT_CMD[runc]=$(command -v runc) ;;
	floor)
		RT_CMD[floor]=$bin/floor ;; # built below, once berth's C library is known
	*) die "unknown runtime $rt" ;;
	esac
	AVAIL[$rt]=1
done
# The floor is linked with the C library berth is (a glibc binary carries
# an ABI-tag note, a musl one none): a static glibc program spends ~0.4 ms
# here in start-up probes (cpuid traps to the hypervisor) that musl skips,
# and the floor must not pay for work berth does not do.
floor_cc=(gcc)
floor_libc=glibc
if [ -n "${RT_CMD[berth]:-}" ] && ! readelf -n "${RT_CMD[berth]}" 2>/dev/null | grep -q NT_GNU_ABI_TAG &&
	command -v musl-gcc >/dev/null; then
	floor_cc=(musl-gcc)
	[ -d "$top/build/musl/kinclude" ] && floor_cc+=(-isystem "$top/build/musl/kinclude")
	floor_libc=musl
fi
if [ -n "${AVAIL[floor]:-}" ] &&
	! "${floor_cc[@]}" -std=gnu11 -O2 -Wall -Wextra -Werror -static -o "$bin/floor" "$bench/floor.c" >>"$log" 2>&1; then
	note "floor skipped: it did not build with ${floor_cc[0]} (see bench/results/run.log)"
	unset 'AVAIL[floor]'
fi
ORDER=()
for rt in berth crun runc floor; do [ -n "${AVAIL[$rt]:-}" ] && ORDER+=("$rt"); done

# ---------------------------------------------------------------- bundles
rootfs=$tmp/rootfs
mkdir -p "$rootfs"/{bin,proc,sys,dev,tmp,etc}
cp /bin/busybox "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/true"
ln -s busybox "$rootfs/bin/sh"
(cd "$tmp" && runc spec 2>/dev/null || "${RT_CMD[berth]:-false}" spec) || die "no runc spec"
jq --arg root "$rootfs" '.process.terminal = false | .process.args = ["/bin/true"] | .root.path = $root' \
	"$tmp/config.json" >"$tmp/base.json"

seccomp=$bench/seccomp-default.json
have_seccomp=0
if [ -f "$seccomp" ]; then
	if jq -e 'if has("defaultAction") then . else .linux.seccomp end | .defaultAction' "$seccomp" >/dev/null 2>&1; then
		have_seccomp=1
	else
		note "seccomp row skipped: $seccomp has no defaultAction (neither at the top nor in .linux.seccomp)"
	fi
else
	note "seccomp row skipped: bench/seccomp-default.json is missing"
fi

# mkbundle DIR CGROUP [JQ-FILTER]: a bundle whose config is base.json with
# the given cgroupsPath (rootfs shared, by absolute path).
mkbundle() {
	mkdir -p "$1"
	jq --arg cg "$2" "${3:-.} | .linux.cgroupsPath = \$cg" "$tmp/base.json" >"$1/config.json"
}
# seccomp variant: the profile merged into .linux.seccomp
mkbundle_seccomp() {
	mkdir -p "$1"
	jq --arg cg "$2" --slurpfile s "$seccomp" \
		'.linux.seccomp = ($s[0] | if has("defaultAction") then . else .linux.seccomp end) | .linux.cgroupsPath = $cg' \
		"$tmp/base.json" >"$1/config.json"
}

# cmd_run RT BUNDLE ID [CGROUP]: the command line of one life cycle.
cmd_run() {
	if [ "$1" = floor ]; then
		echo "${RT_CMD[floor]} --cgroups ${4:-/$CG_TOP/$TAG/floor} $rootfs"
	else
		echo "${RT_CMD[$1]} --root $state/$1 run --bundle $2 $3"
	fi
}

for rt in "${ORDER[@]}"; do
	[ "$rt" = floor ] && continue
	mkdir -p "$state/$rt"
	mkbundle "$tmp/b/$rt" "/$CG_TOP/$TAG/$rt"
	mkbundle "$tmp/b/$rt-2" "/$CG_TOP/$TAG/$rt-2"
	[ "$have_seccomp" = 1 ] && mkbundle_seccomp "$tmp/b/$rt-seccomp" "/$CG_TOP/$TAG/$rt-seccomp"
	# Does it run at all?
	echo "== $rt: one run of the /bin/true bundle" >>"$log"
	if ! ${RT_PRE[$rt]:-} $(cmd_run "$rt" "$tmp/b/$rt" check) >>"$log" 2>&1; then
		rtc "$rt" --root "$state/$rt" delete -f check >/dev/null 2>&1 || true
		note "$rt skipped: \`run\` of the /bin/true bundle failed (see bench/results/run.log)"
		unset "AVAIL[$rt]"
	fi
done
if [ -n "${AVAIL[floor]:-}" ] && ! $(cmd_run floor "" "") >>"$log" 2>&1; then
	note "floor skipped: it failed (see bench/results/run.log)"
	unset "AVAIL[floor]"
fi
ORDER=()
for rt in berth crun runc floor; do [ -n "${AVAIL[$rt]:-}" ] && ORDER+=("$rt"); done
[ "${#ORDER[@]}" -gt 0 ] || die "nothing to measure"
say "bench: measuring ${ORDER[*]} (RUNS=$RUNS, QUICK=$QUICK)"
load_start=$(cut -d' ' -f1 /proc/loadavg)

# ---------------------------------------------------------------- helpers
declare -A RES=()  # "row|runtime" -> value
jmedian='sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end'

# hf ROW RUNS ROUNDS SHELLMODE NAME CMD [NAME CMD...]: times each command
# with hyperfine (NAME is a runtime: its RT_PRE starts hyperfine), RUNS runs
# in all, in ROUNDS rounds that take the commands in turn, so that drift hits
# every runtime alike; merges the times and stores each command's median in
# RES[ROW|NAME] (seconds). SHELLMODE "none" runs commands without a shell.
hf() {
	local row=$1 runs=$2 rounds=$3 shellmode=$4
	shift 4
	local -a names=() cmds=() files=() sh=()
	while [ $# -gt 0 ]; do
		names+=("$1")
		cmds+=("$2")
		shift 2
	done
	[ "$shellmode" = none ] && sh=(-N)
	local per=$(((runs + rounds - 1) / rounds)) r k f
	for ((r = 1; r <= rounds; r++)); do
		say "bench: $row round $r/$rounds ($per runs each: ${names[*]})"
		for k in "${!names[@]}"; do
			f=$results/$row.round$r.${names[$k]}.json
			if ! ${RT_PRE[${names[$k]}]:-} hyperfine "${sh[@]}" --style basic --runs "$per" \
				--warmup "$WARMUP" ${HF_PREPARE:+--prepare "$HF_PREPARE"} \
				--export-json "$f" -n "${names[$k]}" "${cmds[$k]}" >>"$log" 2>&1; then
				note "$row: hyperfine failed for ${names[$k]} (see bench/results/run.log); left out"
				rm -f "$f"
				continue
			fi
			files+=("$f")
		done
	done
	[ "${#files[@]}" -gt 0 ] || return 0
	jq -s '{results: (map(.results) | add | group_by(.command) | map({command: .[0].command, times: (map(.times) | add)}))}' \
		"${files[@]}" >"$results/$row.json"
	rm -f "${files[@]}"
	local n
	for n in "${names[@]}"; do
		RES["$row|$n"]=$(jq -r --arg n "$n" ".results[] | select(.command == \$n) | .times | $jmedian" "$results/$row.json")
	done
}

# ---------------------------------------------------------------- a, b
set -- 
for rt in "${ORDER[@]}"; do set -- "$@" "$rt" "$(cmd_run "$rt" "$tmp/b/$rt" bench-a)"; done
hf run "$RUNS" "$ROUNDS" none "$@"

# a'. The same, one start every 0.3 s: how a single `docker run` on a quiet
# host meets the runtime. The kernel's first cgroup migration after a pause
# waits for an RCU grace period (milliseconds), which back-to-back runs
# mostly skip; the idle row shows who pays it.
set --
for rt in "${ORDER[@]}"; do set -- "$@" "$rt" "$(cmd_run "$rt" "$tmp/b/$rt" bench-a)"; done
IDLE_RUNS=$(((RUNS + 1) / 2))
[ "$IDLE_RUNS" -lt 8 ] && IDLE_RUNS=8
HF_PREPARE="sleep 0.3" hf idle "$IDLE_RUNS" "$ROUNDS" none "$@"

if [ "$have_seccomp" = 1 ]; then
	set --
	for rt in "${ORDER[@]}"; do
		[ "$rt" = floor ] && continue
		if ${RT_PRE[$rt]:-} $(cmd_run "$rt" "$tmp/b/$rt-seccomp" check-seccomp) >>"$log" 2>&1; then
			set -- "$@" "$rt" "$(cmd_run "$rt" "$tmp/b/$rt-seccomp" bench-b)"
		else
			rtc "$rt" --root "$state/$rt" delete -f check-seccomp >/dev/null 2>&1 || true
			note "$rt: the seccomp bundle failed to run (see bench/results/run.log)"
		fi
	done
	[ $# -gt 0 ] && hf seccomp "$RUNS" "$ROUNDS" none "$@"
fi

# ---------------------------------------------------------------- c
set --
for rt in "${ORDER[@]}"; do
	set -- "$@" "$rt" "for i in \$(seq 100); do $(cmd_run "$rt" "$tmp/b/$rt" seq) >/dev/null || exit 1; done"
done
hf seq100 "$LOOP_RUNS" 1 sh "$@"
set --
for rt in "${ORDER[@]}"; do
	a=$(cmd_run "$rt" "$tmp/b/$rt" par-a "/$CG_TOP/$TAG/floor")
	b=$(cmd_run "$rt" "$tmp/b/$rt-2" par-b "/$CG_TOP/$TAG/floor-2")
	set -- "$@" "$rt" "(for i in \$(seq 50); do $a >/dev/null || exit 1; done) & p=\$!; (for i in \$(seq 50); do $b >/dev/null || exit 1; done) & q=\$!; wait \$p && wait \$q"
done
hf par100 "$LOOP_RUNS" 1 sh "$@"

# ---------------------------------------------------------------- d
# Peak RSS: GNU time's %M is ru_maxrss from wait4() on the runtime process.
# The kernel folds in the peak of every descendant the runtime reaped (and
# keeps the pre-exec peak across execve), so it is the largest RSS of any one
# process of the runtime: for runc that includes `runc init`, for crun the
# forked child before it execs the container's /bin/true.
for rt in "${ORDER[@]}"; do
	vals=()
	for ((i = 0; i < RSS_RUNS; i++)); do
		${RT_PRE[$rt]:-} /usr/bin/time -f %M -o "$tmp/rss" $(cmd_run "$rt" "$tmp/b/$rt" rss) >>"$log" 2>&1 || true
		vals+=("$(tail -n1 "$tmp/rss")")
	done
	RES["rss|$rt"]=$(printf '%s\n' "${vals[@]}" | jq -s "$jmedian")
	echo "$rt ${vals[*]}" >>"$results/rss.txt"
done

# ---------------------------------------------------------------- e
# Smallest linux.resources.memory.limit (whole pages, 64 KiB .. 64 MiB) with
# which `run` exits 0, three times out of three (charges vary a little from
# run to run). Assumes success is monotonic in the limit.
try_limit() { # RT BYTES: three tries, all must pass
	try_limit1 "$1" "$2" && try_limit1 "$1" "$2" && try_limit1 "$1" "$2"
}
try_limit1() { # RT BYTES
	local rt=$1 bytes=$2
	if [ "$rt" = floor ]; then
		timeout 30 "$bin/floor" --cgroups "/$CG_TOP/$TAG/floor-mem" --memory-limit "$bytes" "$rootfs" >>"$log" 2>&1
		return
	fi
	mkbundle "$tmp/b/$rt-mem" "/$CG_TOP/$TAG/$rt-mem" ".linux.resources.memory.limit = $bytes"
	if timeout 30 ${RT_PRE[$rt]:-} ${RT_CMD[$rt]} --root "$state/$rt" run --bundle "$tmp/b/$rt-mem" mem >>"$log" 2>&1; then
		return 0
	fi
	rtc "$rt" --root "$state/$rt" delete -f mem >/dev/null 2>&1 || true
	return 1
}
: >"$results/memlimit.txt"
echo "== memory limit search" >>"$log"
for rt in "${ORDER[@]}"; do
	lo=16 hi=16384 # pages of 4 KiB
	if ! try_limit "$rt" $((hi * 4096)); then
		RES["mem|$rt"]=">65536"
		continue
	fi
	if try_limit "$rt" $((lo * 4096)); then
		RES["mem|$rt"]="<=64"
		continue
	fi
	while [ $((hi - lo)) -gt 1 ]; do # lo fails, hi works
		mid=$(((lo + hi) / 2))
		if try_limit "$rt" $((mid * 4096)); then hi=$mid; else lo=$mid; fi
		echo "$rt $((mid * 4)) KiB: $([ $hi = $mid ] && echo ok || echo fail)" >>"$results/memlimit.txt"
	done
	ok=0
	for i in 1 2 3 4 5; do try_limit1 "$rt" $((hi * 4096)) && ok=$((ok + 1)); done
	RES["mem|$rt"]=$((hi * 4))
	echo "$rt: smallest $((hi * 4)) KiB; a re-check passed $ok of 5" >>"$results/memlimit.txt"
	[ "$ok" -ge 4 ] || note "$rt: the smallest memory limit found (${RES[mem|$rt]} KiB) passed only $ok of 5 re-checks"
done

# ---------------------------------------------------------------- f
# Cost growth: create+start+delete of one container and `list`, with N other
# containers of the same runtime present (created, never started: each keeps
# its init waiting). One runtime at a time: filling all of them at once had
# each runtime measured among 3 N others. Deleted containers leave the kernel
# work behind (each memory cgroup's removal scans every superblock's
# list_lru in a kworker, a few ms each with 1,000 containers), so before
# each runtime's rows the script waits for the previous fill's cgroups to go.
# dying_cgroups: a count that falls back to its resting value once the
# kernel has freed the removed cgroups.
dying_cgroups() {
	if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then
		awk '$1 == "nr_dying_descendants" {print $2}' /sys/fs/cgroup/cgroup.stat
	else
		awk '$1 == "memory" {print $3}' /proc/cgroups
	fi
}
# settle BASE: wait (up to 180 s) until dying_cgroups is at most BASE + 2.
settle() {
	local t
	for ((t = 0; t < 180; t++)); do
		[ "$(dying_cgroups)" -le $(($1 + 2)) ] && return 0
		sleep 1
	done
	note "growth: the removed cgroups were still going after 180 s ($(dying_cgroups), at rest $1)"
}
GROWTH_RTS=()
for rt in "${ORDER[@]}"; do [ "$rt" != floor ] && GROWTH_RTS+=("$rt"); done
if [ "$SKIP_GROWTH" != 1 ] && [ "${#GROWTH_RTS[@]}" -gt 0 ]; then
	printf '%s\n' "$(jq '.linux.cgroupsPath = "@CG@"' "$tmp/base.json")" >"$tmp/fill.tpl"
	tpl=$(<"$tmp/fill.tpl")
	cg_rest=$(dying_cgroups)
	for rt in "${GROWTH_RTS[@]}"; do
		say "bench: growth: $rt: waiting for the kernel to finish earlier removals"
		settle "$cg_rest"
		filled=0
		c="${RT_CMD[$rt]} --root $state/$rt"
		for n in $GROWTH_NS; do
			say "bench: growth: $rt: creating containers up to $n"
			while [ "$filled" -lt "$n" ]; do
				d=$tmp/fill/$rt/$filled
				mkdir -p "$d"
				printf '%s\n' "${tpl//@CG@//$CG_TOP/$TAG/fill-$rt/$filled}" >"$d/config.json"
				rtc "$rt" --root "$state/$rt" create --bundle "$d" "fill-$filled" >>"$log" 2>&1 ||
					{ note "growth: $rt failed to create container $filled"; break; }
				filled=$((filled + 1))
			done
			hf "cycle-$n" "$GROWTH_RUNS" 1 sh "$rt" "$c create --bundle $tmp/b/$rt grow && $c start grow && $c delete -f grow"
			hf "list-$n" "$GROWTH_RUNS" 1 none "$rt" "$c list"
			# one JSON per runtime: the next runtime's rows have the same names
			for f in cycle list; do
				if [ -f "$results/$f-$n.json" ]; then mv -f "$results/$f-$n.json" "$results/$f-$n.$rt.json"; fi
			done
		done
		say "bench: growth: $rt: deleting the fill containers"
		for ((i = 0; i < filled; i++)); do
			rtc "$rt" --root "$state/$rt" delete -f "fill-$i" >>"$log" 2>&1 || true
		done
	done
	# growth.dat: N, then per runtime cycle ms and list ms
	{
		printf '# n'
		for rt in "${GROWTH_RTS[@]}"; do printf ' %s-cycle %s-list' "$rt" "$rt"; done
		echo
		for n in $GROWTH_NS; do
			printf '%s' "$n"
			for rt in "${GROWTH_RTS[@]}"; do
				printf ' %s %s' "$(jq -rn "(${RES[cycle-$n|$rt]:-null}) | if . then . * 1000 else \"NaN\" end")" \
					"$(jq -rn "(${RES[list-$n|$rt]:-null}) | if . then . * 1000 else \"NaN\" end")"
			done
			echo
		done
	} >"$results/growth.dat"
	{
		echo "set terminal pngcairo size 1100,450 noenhanced"
		echo "set output '$results/growth.png'"
		echo "set multiplot layout 1,2 title 'berth bench: cost growth with N existing containers ($(uname -r), $(date +%F))'"
		echo "set key top left; set grid; set xlabel 'existing containers'; set ylabel 'ms (median)'"
		echo "set xrange [-20:*]; set yrange [0:*]"
		for k in cycle list; do
			[ $k = cycle ] && echo "set title 'create + start + delete -f of one container'" || echo "set title 'list'"
			printf 'plot '
			col=2
			sep=''
			for rt in "${GROWTH_RTS[@]}"; do
				c=$col
				[ $k = list ] && c=$((col + 1))
				printf "%s'%s' using 1:%d with linespoints lw 2 title '%s'" "$sep" "$results/growth.dat" "$c" "$rt"
				sep=', '
				col=$((col + 2))
			done
			echo
		done
		echo "unset multiplot"
	} >"$tmp/growth.gp"
	if ! gnuplot "$tmp/growth.gp" >>"$log" 2>&1; then
		sed -i 's/^set terminal pngcairo/set terminal png/' "$tmp/growth.gp"
		gnuplot "$tmp/growth.gp" >>"$log" 2>&1 || note "gnuplot failed; no growth.png"
	fi
fi

# ---------------------------------------------------------------- report
load_end=$(cut -d' ' -f1 /proc/loadavg)
if jq -e -n "$load_start > 1 or $load_end > 1" >/dev/null; then
	note "the machine was busy (load average $load_start at the start, $load_end at the end, $(nproc) CPUs): other work ran alongside, the numbers are noisy"
fi
ms() { [ -n "${1:-}" ] && [ "$1" != null ] && jq -n "$1 * 1000 * 100 | round / 100" || echo "—"; }
sec() { [ -n "${1:-}" ] && [ "$1" != null ] && jq -n "$1 * 1000 | round / 1000" || echo "—"; }
ratio() { # A B -> A/B with 2 decimals, if both are plain numbers
	[[ "${1:-}" =~ ^[0-9.]+$ && "${2:-}" =~ ^[0-9.]+$ ]] && jq -n "($1 / $2) * 100 | round / 100" || echo "—"
}
cols=(berth crun runc floor)
row() { # LABEL KEY FORMATTER [FLOOR-KEY]
	local label=$1 key=$2 fmt=$3 v=() rt raw
	declare -A rawv=()
	for rt in "${cols[@]}"; do
		raw=${RES[$key|$rt]:-}
		rawv[$rt]=$raw
		if [ -z "${AVAIL[$rt]:-}" ] && [ "$rt" = berth ]; then
			v+=("pending")
		elif [ -z "$raw" ]; then
			v+=("—")
		else
			case $fmt in
			ms) v+=("$(ms "$raw")") ;;
			s) v+=("$(sec "$raw")") ;;
			*) v+=("$raw") ;;
			esac
		fi
	done
	echo "| $label | ${v[0]} | ${v[1]} | ${v[2]} | ${v[3]} | $(ratio "${rawv[berth]}" "${rawv[crun]}") | $(ratio "${rawv[berth]}" "${rawv[floor]}") |"
}
{
	echo "# berth benchmark results"
	echo
	echo "$(date -u '+%F %H:%M UTC'), $(uname -r), $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM,"
	echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')."
	v=()
	[ -n "${AVAIL[berth]:-}" ] && v+=("berth $(${RT_CMD[berth]} --version 2>/dev/null | head -n1)")
	[ -n "${AVAIL[crun]:-}" ] && v+=("$(crun --version | head -n1)")
	[ -n "${AVAIL[runc]:-}" ] && v+=("$(runc --version | head -n1)")
	v+=("$(hyperfine --version)")
	echo "Versions: $(IFS=';'; echo "${v[*]}" | sed 's/;/, /g'). RUNS=$RUNS, GROWTH_RUNS=$GROWTH_RUNS, QUICK=$QUICK;"
	echo "load average $load_start at the start, $load_end at the end."
	echo
	echo "Medians. floor = bench/floor.c with its cgroups (the kernel work alone)."
	echo "State roots on $(stat -fc %T "$state"). berth and the floor linked with $floor_libc, statically."
	echo
	echo "| measurement | berth | crun | runc | floor | berth/crun | berth/floor |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
	row "a. run /bin/true (ms)" run ms
	row "a'. run /bin/true, one every 0.3 s (ms)" idle ms
	row "b. run /bin/true, Docker-like seccomp (ms)" seccomp ms
	row "c. 100 containers one after another (s, total)" seq100 s
	row "c. 100 containers, 2 × 50 in parallel (s, total)" par100 s
	row "d. peak RSS, largest runtime process (KiB)" rss raw
	row "e. smallest memory limit that runs (KiB)" mem raw
	if [ "$SKIP_GROWTH" != 1 ]; then
		for n in $GROWTH_NS; do
			row "f. create+start+delete, $n others (ms)" "cycle-$n" ms
		done
		for n in $GROWTH_NS; do
			row "f. list, $n others (ms)" "list-$n" ms
		done
	fi
	if [ "$SKIP_GROWTH" != 1 ]; then
		# The cycles are bimodal once the kernel's memory cgroup offline
		# walks meet them: the median alone hides where the tail begins.
		echo
		echo "Row f's create+start+delete cycles, percentiles (ms):"
		echo
		echo "| runtime | others | 10th | 25th | 50th | 75th | 90th |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
		for rt in "${GROWTH_RTS[@]}"; do
			for n in $GROWTH_NS; do
				f=$results/cycle-$n.$rt.json
				# Only this run's: a file left by an earlier run is not.
				[ -n "${RES[cycle-$n|$rt]:-}" ] && [ -f "$f" ] || continue
				jq -r --arg rt "$rt" --arg n "$n" '.results[0].times | sort | . as $t | length as $l |
					if $l == 0 then empty else
					[$rt, $n] + ([0.1, 0.25, 0.5, 0.75, 0.9] | map($t[(. * ($l - 1)) | floor] * 100000 |
						round / 100 | tostring)) | "| " + join(" | ") + " |" end' "$f" 2>/dev/null || true
			done
		done
	fi
	if [ "${#notes[@]}" -gt 0 ]; then
		echo
		echo "Notes:"
		echo
		for n in "${notes[@]}"; do echo "- $n"; done
	fi
} >"$results/latest.md"
cat "$results/latest.md"
