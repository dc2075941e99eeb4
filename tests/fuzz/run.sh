#!/usr/bin/env bash
# Runs each libFuzzer target named on the command line for FUZZ_SECONDS on a
# working copy of its seed corpus (tests/fuzz/corpus/<target>, without the
# fuzz_ prefix), so the checked-in seeds stay small. Crashes land in
# $FUZZ_BUILD/artifacts/<target>/; the last line per target says how many
# inputs ran. Exits non-zero when any target crashed.
set -u
: "${FUZZ_SECONDS:=60}" "${FUZZ_BUILD:=build/fuzz}"
here=$(cd "$(dirname "$0")" && pwd)
status=0
summary=$FUZZ_BUILD/summary.txt
: >"$summary"
for t in "$@"; do
	name=${t#fuzz_}
	work=$FUZZ_BUILD/corpus/$name
	art=$FUZZ_BUILD/artifacts/$name
	mkdir -p "$work" "$art"
	cp -n "$here/corpus/$name"/* "$work"/ 2>/dev/null
	log=$FUZZ_BUILD/$t.log
	# detect_leaks stays on: a decoder leak is a bug we want to see.
	# close_fd_mask=2 silences the decoders' warnings; libFuzzer keeps its
	# own copy of stderr for reports.
	"$FUZZ_BUILD/$t" -max_total_time="$FUZZ_SECONDS" -print_final_stats=1 \
		-artifact_prefix="$art/" -max_len=16384 -timeout=10 -close_fd_mask=2 -rss_limit_mb=2048 \
		"$work" >"$log" 2>&1
	rc=$?
	execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	if [ $rc -eq 0 ]; then
		res=ok
	else
		res="CRASH (rc $rc, see $log, $art)"
		status=1
	fi
	line="$t: ${execs:-?} executions in ${FUZZ_SECONDS}s, $cov, corpus $(ls "$work" | wc -l), $res"
	echo "$line" | tee -a "$summary"
done
exit $status
