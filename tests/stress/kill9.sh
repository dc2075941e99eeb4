#!/usr/bin/env bash
# Fault injection: N times (default 300) starts one of `berth create`,
# `start`, `exec`, `delete`, `run` and SIGKILLs it after a random 0-5 ms,
# then runs `berth delete --force` and `berth list` and checks that this
# container left nothing: no process, no mount, no cgroup (any hierarchy),
# no network namespace, no state entry. A final check covers the whole run.
# The delay is drawn in microseconds and slept without a fork, so that it
# spreads over the few milliseconds an operation takes instead of mostly
# landing after it ended.
# Usage: BERTH=... BHELPER=... [N=300] [IDS=3] [MAX_DELAY_US=5000] bash tests/stress/kill9.sh
# Prints "kill9: N faults injected, L leaks" and exits 1 on any leak (a
# delete --force that fails, or a list that fails, counts as one).
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/lib.sh"
source "$here/common.sh"
N=${N:-300}
IDS=${IDS:-3}
MAX_DELAY_US=${MAX_DELAY_US:-5000}

stress_setup k9
trap stress_cleanup EXIT
for ((k = 0; k < IDS; k++)); do
	bundle_for "k$k" /bin/sleep 1000 >/dev/null
done

leaks=0 faults=0
declare -A per_op=()
declare -A killed_live=()

# prepare OP ID: brings the container to the state OP needs (not killed).
prepare() {
	local op=$1 id=$2
	b delete -f "$id" >/dev/null 2>&1
	case $op in
	create | run) ;;
	start) b create -b "$T/b-$id" "$id" >/dev/null 2>&1 ;;
	exec | delete | kill)
		b create -b "$T/b-$id" "$id" >/dev/null 2>&1 && b start "$id" >/dev/null 2>&1 ;;
	esac
}

ops=(create create start exec delete run kill)
for ((i = 0; i < N; i++)); do
	op=${ops[RANDOM % ${#ops[@]}]}
	id=k$((RANDOM % IDS))
	prepare "$op" "$id"
	case $op in
	create) cmd=(create -b "$T/b-$id" "$id") ;;
	start) cmd=(start "$id") ;;
	exec) cmd=(exec "$id" /bin/sleep 1000) ;;
	delete) cmd=(delete -f "$id") ;;
	run) cmd=(run -d -b "$T/b-$id" "$id") ;;
	kill) cmd=(kill "$id" KILL) ;;
	esac
	delay=$(((RANDOM * 32768 + RANDOM) % (MAX_DELAY_US + 1)))
	# exec: $! must be berth itself. A function (b) run in the background
	# is a bash subshell with berth as its child, and SIGKILLing that
	# subshell would leave berth running to completion, racing the
	# delete below instead of being killed.
	(BERTH_STRESS_TAG=$T exec "$BERTH" --root "$STATE" "${cmd[@]}") >/dev/null 2>&1 </dev/null &
	pid=$!
	us_sleep "$delay"
	# The victim may have finished already: that still counts as a run, not
	# as a fault.
	if kill -9 "$pid" 2>/dev/null; then
		faults=$((faults + 1))
		killed_live[$op]=$((${killed_live[$op]:-0} + 1))
	fi
	wait "$pid" 2>/dev/null
	per_op[$op]=$((${per_op[$op]:-0} + 1))
	out=$(b delete --force "$id" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] && [[ $out != *"does not exist"* ]]; then
		echo "iteration $i ($op after ${delay}us): delete --force failed: $out"
		leaks=$((leaks + 1))
	fi
	if ! lst=$(b list 2>&1); then
		echo "iteration $i ($op after ${delay}us): list failed: $lst"
		leaks=$((leaks + 1))
	fi
	# Only this container must be gone; the others were deleted in prepare
	# of their own iteration, so the whole-run report fits here too.
	rep=$(leak_report)
	if [ -n "$rep" ]; then
		# Processes may still be exiting after SIGKILL: give them a moment.
		sleep 0.3
		rep=$(leak_report)
	fi
	if [ -n "$rep" ]; then
		leaks=$((leaks + 1))
		echo "iteration $i ($op killed after ${delay}us): LEAK:"
		echo "$rep" | sed 's/^/    /'
		# Clean up by hand so the next iteration starts clean.
		p=$(tagged_procs)
		[ -n "$p" ] && kill -9 $p 2>/dev/null
		rm -rf "${STATE:?}/$id"
		for d in /sys/fs/cgroup/*/"${CG#/}/$id" /sys/fs/cgroup/"${CG#/}/$id"; do
			[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
		done
	fi
done

final=$(leak_report)
[ -n "$final" ] && { echo "final check: LEAK:"; echo "$final" | sed 's/^/    /'; leaks=$((leaks + 1)); }
summary=""
for op in "${!per_op[@]}"; do
	summary+=" $op=${per_op[$op]}(killed ${killed_live[$op]:-0})"
done
echo "kill9: ops:$summary"
echo "kill9: $N iterations, $faults faults injected (SIGKILL while running), $leaks leaks"
[ $leaks -eq 0 ]
