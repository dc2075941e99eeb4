#!/usr/bin/env bash
# Soak: CYCLES (default 10000) `berth run` cycles of /bin/true, stopping
# early after MAX_SECONDS (default 0: no limit). Measures at start and end:
# this shell's open fds, the host's mount count, cgroup dirs below the test's
# parent, MemAvailable and state entries; all must come back to the start
# (memory within SOAK_MEM_SLACK_KB, default 64 MiB: page cache moves).
# Usage: BERTH=... BHELPER=... [CYCLES=10000] [MAX_SECONDS=600] bash tests/stress/soak.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/lib.sh"
source "$here/common.sh"
CYCLES=${CYCLES:-10000}
MAX_SECONDS=${MAX_SECONDS:-0}
SLACK=${SOAK_MEM_SLACK_KB:-65536}

stress_setup soak
trap stress_cleanup EXIT
bundle_for s0 /bin/true >/dev/null

measure() {
	local fds mounts cgs mem st
	fds=$(ls /proc/$$/fd | wc -l)
	mounts=$(wc -l </proc/self/mountinfo)
	cgs=$(cg_below | wc -l)
	mem=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
	st=$(ls -A "$STATE" | wc -l)
	echo "$fds $mounts $cgs $mem $st"
}

# One warm-up cycle so that first-use effects (the seccomp program cache,
# the cgroup parent dirs) are not counted as growth.
b run -b "$T/b-s0" s0 >/dev/null 2>&1 </dev/null
read -r fd0 mn0 cg0 mem0 st0 < <(measure)
start=$SECONDS fails=0 done=0
for ((i = 0; i < CYCLES; i++)); do
	if ! b run -b "$T/b-s0" s0 >/dev/null 2>"$T/err" </dev/null; then
		fails=$((fails + 1))
		[ $fails -le 5 ] && echo "cycle $i failed: $(cat "$T/err")"
	fi
	done=$((done + 1))
	if [ $((done % 1000)) -eq 0 ]; then
		echo "soak: $done cycles, $((SECONDS - start))s, now: $(measure)"
	fi
	[ "$MAX_SECONDS" -gt 0 ] && [ $((SECONDS - start)) -ge "$MAX_SECONDS" ] && break
done
el=$((SECONDS - start))
sleep 1
read -r fd1 mn1 cg1 mem1 st1 < <(measure)
echo "soak: $done cycles in ${el}s ($fails failed)"
echo "soak: before: fds=$fd0 mounts=$mn0 cgroups=$cg0 memavail_kb=$mem0 state=$st0"
echo "soak: after:  fds=$fd1 mounts=$mn1 cgroups=$cg1 memavail_kb=$mem1 state=$st1"
ok=1
[ "$fd1" = "$fd0" ] && [ "$mn1" = "$mn0" ] && [ "$cg1" = "$cg0" ] && [ "$st1" = "$st0" ] || ok=0
[ $((mem0 - mem1)) -le "$SLACK" ] || { echo "soak: MemAvailable fell by $((mem0 - mem1)) kB"; ok=0; }
leaks=$(leak_report)
[ -n "$leaks" ] && { echo "soak: LEAK:"; echo "$leaks" | sed 's/^/    /'; ok=0; }
[ $fails -eq 0 ] || ok=0
[ $ok = 1 ] && echo "soak: OK" || echo "soak: FAILED"
[ $ok = 1 ]
