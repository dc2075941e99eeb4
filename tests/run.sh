#!/usr/bin/env bash
# Runs every unit test binary and every integration test function, then prints
# the closing line "N passed, N failed, N skipped".
# Usage: tests/run.sh [PATTERN...]  (a pattern filters test names by substring)
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${BERTH:?BERTH must name the berth binary}" "${UNIT_DIR:?}" "${BHELPER:?}"
export BERTH BHELPER
pass=0 fail=0 skip=0
failed_names=()
patterns=("$@")

wanted() {
	[ ${#patterns[@]} -eq 0 ] && return 0
	for p in "${patterns[@]}"; do
		case "$1" in *"$p"*) return 0 ;; esac
	done
	return 1
}

count_line() {
	case "$1" in
	PASS\ *) pass=$((pass + 1)) ;;
	FAIL\ *) fail=$((fail + 1)); failed_names+=("${1#FAIL }") ;;
	SKIP\ *) skip=$((skip + 1)) ;;
	*) return ;;
	esac
	echo "$1"
}

# The host's /dev/null as "type major:minor inode": a runtime that writes into
# a /dev bind-mounted from the host replaces it, and every later test (and the
# machine) then sees a regular file there. Checked around each test so the one
# that did it fails by name, and put back so the rest of the run means something.
null_id() {
	stat -c '%F %t:%T %i' /dev/null 2>/dev/null || echo missing
}
# ensure_null WHEN: puts back a /dev/null that is not the null device, saying so.
ensure_null() {
	local id
	id=$(null_id)
	case "$id" in
	"character special file 1:3 "*) ;;
	*) echo "note: host /dev/null was '$id' $1: put back"
		rm -f /dev/null && mknod -m 666 /dev/null c 1 3 ;;
	esac
}
[ "$(id -u)" = 0 ] && ensure_null "before the tests"

# Unit tests: each binary prints PASS/FAIL/SKIP lines.
for t in "$UNIT_DIR"/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	wanted "$name" || continue
	out=$(cd "$here/.." && timeout 120 "$t" 2>&1)
	rc=$?
	seen=0
	while IFS= read -r line; do
		case "$line" in
		PASS\ * | FAIL\ * | SKIP\ *) count_line "$line"; seen=1 ;;
		*) echo "    $line" ;;
		esac
	done <<<"$out"
	if [ $rc -ne 0 ] && [ $seen -eq 0 ]; then
		count_line "FAIL $name (exit $rc)"
	fi
done

# Integration tests: every function named test_* in tests/integration/*.sh,
# each in its own bash process with a fresh state root and temp dir.
if [ "$(id -u)" != 0 ]; then
	echo "SKIP integration (needs root)"
	skip=$((skip + 1))
else
	for f in "$here"/integration/*.sh; do
		[ "$(basename "$f")" = lib.sh ] && continue
		fns=$(bash -c "source '$here/integration/lib.sh'; source '$f'; declare -F" | awk '{print $3}' | grep '^test_' || true)
		for fn in $fns; do
			name="$(basename "$f" .sh):$fn"
			wanted "$name" || continue
			log=$(mktemp /tmp/berth-test-log.XXXXXX)
			ensure_null "before $name"
			null_before=$(null_id)
			timeout -k 5 "${TEST_TIMEOUT:-180}" bash -c "
				source '$here/integration/lib.sh'
				source '$f'
				t_setup
				trap t_teardown EXIT
				$fn
			" >"$log" 2>&1
			rc=$?
			if [ "$(null_id)" != "$null_before" ]; then
				echo "host /dev/null changed: was '$null_before', now '$(null_id)'" >>"$log"
				ensure_null "after $name"
				rc=99
			fi
			if [ $rc -eq 0 ]; then
				count_line "PASS $name"
			elif [ $rc -eq 77 ]; then
				count_line "SKIP $name ($(tail -n 1 "$log"))"
			else
				count_line "FAIL $name (exit $rc)"
				sed 's/^/    /' "$log" | tail -n 40
			fi
			rm -f "$log"
		done
	done
	bash "$here/integration/cleanup.sh" || true
fi

if [ ${#failed_names[@]} -gt 0 ]; then
	echo "failed:"
	printf '  %s\n' "${failed_names[@]}"
fi
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
