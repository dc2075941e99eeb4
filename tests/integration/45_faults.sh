# Fault injection, quick form: tests/stress/kill9.sh with N=30 (a SIGKILL
# at a random 0-5 ms into create/start/exec/delete/run/kill, then
# `delete --force`): nothing may be left. The long form is `make stress`.

test_kill9_quick() {
	berth_only "fault injection of berth commands"
	local out
	out=$(N=30 bash "$(dirname "${BASH_SOURCE[0]}")/../stress/kill9.sh" 2>&1) ||
		fail "kill9 found leaks: $out"
	assert_contains "$out" " faults injected (SIGKILL while running), 0 leaks"
	# Some of the kills landed while berth still ran (about 40 % do).
	n=$(echo "$out" | sed -n 's/.* iterations, \([0-9]*\) faults injected.*/\1/p')
	[ "${n:-0}" -gt 0 ] || fail "no fault was injected: $out"
}
