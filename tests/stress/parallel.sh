#!/usr/bin/env bash
# Parallel stress: WORKERS (default 8) workers run random create, start,
# run, exec, pause, resume, kill, delete and state on a shared set of IDS
# (default 6) container IDs for DURATION seconds (default 120). Checks:
# every command ends within CMD_TIMEOUT seconds (no hang, no deadlock on
# the per-container lock), no command dies of a signal, `berth state`
# always prints valid JSON or a clean "does not exist", and after deleting
# everything nothing is left (processes, mounts, cgroups, netns, state).
# Usage: BERTH=... BHELPER=... [DURATION=120] bash tests/stress/parallel.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/lib.sh"
source "$here/common.sh"
DURATION=${DURATION:-120}
WORKERS=${WORKERS:-8}
IDS=${IDS:-6}
CMD_TIMEOUT=${CMD_TIMEOUT:-30}

stress_setup par
trap stress_cleanup EXIT
for ((k = 0; k < IDS; k++)); do
	bundle_for "p$k" /bin/sleep 1000 >/dev/null
	# what `run` starts under the same ids: it ends by itself, so run
	# returns unless another worker pauses it (see the end)
	bundle_for "r$k" /bin/true >/dev/null
done

# worker N: one line per command in $T/w-N.log: "op rc seconds".
# Bad outcomes go to $T/w-N.bad with the command's output. Output goes to
# a file, not a $(...) pipe: a created container's init inherits berth's
# stdio and would hold the pipe open until it exits.
worker() {
	local w=$1 end=$((SECONDS + DURATION)) op id rc t0 t1 out o=$T/out-$1
	local ops=(create create start run exec pause resume kill delete delete_f state state)
	RANDOM=$((w * 7919 + $$))
	while [ $SECONDS -lt $end ]; do
		op=${ops[RANDOM % ${#ops[@]}]}
		id=p$((RANDOM % IDS))
		t0=$(date +%s%N)
		case $op in
		create) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" create -b "$T/b-$id" "$id" >"$o" 2>&1 </dev/null ;;
		start) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" start "$id" >"$o" 2>&1 </dev/null ;;
		run) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" run -b "$T/b-r${id#p}" "$id" >"$o" 2>&1 </dev/null ;;
		exec) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" exec "$id" /bin/true >"$o" 2>&1 </dev/null ;;
		pause) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" pause "$id" >"$o" 2>&1 </dev/null ;;
		resume) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" resume "$id" >"$o" 2>&1 </dev/null ;;
		kill) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" kill "$id" KILL >"$o" 2>&1 </dev/null ;;
		delete) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" delete "$id" >"$o" 2>&1 </dev/null ;;
		delete_f) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" delete -f "$id" >"$o" 2>&1 </dev/null ;;
		state) timeout -s KILL "$CMD_TIMEOUT" env BERTH_STRESS_TAG="$T" "$BERTH" --root "$STATE" state "$id" >"$o" 2>/dev/null ;;
		esac
		rc=$?
		out=$(cat "$o")
		t1=$(date +%s%N)
		echo "$op $rc $(((t1 - t0) / 1000000))" >>"$T/w-$w.log"
		# 137 alone is no hang: an exec'd process (or run's) dies of
		# SIGKILL when another worker kills the container, and exec and
		# run report 128+9.
		if [ $rc -eq 137 ] && [ $(((t1 - t0) / 1000000)) -ge $((CMD_TIMEOUT * 1000)) ]; then
			echo "HANG $op $id (killed after ${CMD_TIMEOUT}s)" >>"$T/w-$w.bad"
		elif [ $rc -gt 128 ] && [ $rc -lt 193 ] &&
			! { { [ "$op" = exec ] || [ "$op" = run ]; } && [ $rc -eq 137 ]; }; then
			# 128+N: died of signal N (255 is berth's own error exit).
			echo "SIGNAL $op $id rc=$rc: $out" >>"$T/w-$w.bad"
		elif [ "$op" = state ]; then
			if [ $rc -eq 0 ]; then
				echo "$out" | jq -e '.id and .status' >/dev/null 2>&1 ||
					echo "BADJSON state $id: $out" >>"$T/w-$w.bad"
			else
				# Why it failed: ask again for the message only.
				out=$("$BERTH" --root "$STATE" state "$id" 2>&1 >/dev/null)
				case $out in
				*"does not exist"* | "") ;;
				*) echo "STATEERR state $id: $out" >>"$T/w-$w.bad" ;;
				esac
			fi
		elif [ $rc -ne 0 ]; then
			# Refusals are expected (start of a running container, ...);
			# a corrupt state file or a crash report is not.
			case $out in
			*corrupt* | *AddressSanitizer* | *"runtime error"* | *"Segmentation"*)
				echo "ERROR $op $id: $out" >>"$T/w-$w.bad" ;;
			esac
		fi
	done
}

echo "parallel: $WORKERS workers, $IDS ids, ${DURATION}s"
pids=()
for ((w = 0; w < WORKERS; w++)); do
	worker "$w" &
	pids+=($!)
done
# A run whose container another worker paused waits for a resume that may
# never come once the workers stop: thaw everything when they do.
sleep "$DURATION"
for ((k = 0; k < IDS; k++)); do
	"$BERTH" --root "$STATE" resume "p$k" >/dev/null 2>&1
done
sleep 2
for ((k = 0; k < IDS; k++)); do
	"$BERTH" --root "$STATE" resume "p$k" >/dev/null 2>&1
done
wait "${pids[@]}"

# Everything down the runtime's way, then check.
for id in $(b list -q 2>/dev/null); do
	b delete -f "$id" >"$T/out-final" 2>&1 ||
		echo "FINAL delete -f $id failed: $(cat "$T/out-final")" >>"$T/w-final.bad"
done
sleep 0.3
leaks=$(leak_report)
cat "$T"/w-*.log >"$T/all.log"
total=$(wc -l <"$T/all.log")
echo "parallel: $total commands; per op (count, ok, max ms):"
awk '{ n[$1]++; if ($2 == 0) ok[$1]++; if ($3 > mx[$1]) mx[$1] = $3 }
	END { for (o in n) printf "    %-8s %6d %6d %6d\n", o, n[o], ok[o], mx[o] }' "$T/all.log" | sort
bad=$(cat "$T"/w-*.bad 2>/dev/null)
nbad=0
[ -n "$bad" ] && nbad=$(echo "$bad" | wc -l) && echo "$bad" | head -20
[ -n "$leaks" ] && { echo "LEAK after delete:"; echo "$leaks" | sed 's/^/    /'; }
echo "parallel: $total commands in ${DURATION}s, $nbad bad outcomes (hang/signal/bad state), leaks: ${leaks:+yes}${leaks:-none}"
[ "$nbad" -eq 0 ] && [ -z "$leaks" ]
