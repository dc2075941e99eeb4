# Fault injection, quick form: tests/stress/kill9.sh with N=30 (a SIGKILL
# at a random 0-5 ms into create/start/exec/delete/run/kill, then
# `delete --force`): nothing may be left. The long form is `make stress`.

test_kill9_quick() {
	berth_only "fault injection of berth commands"
	local out
	out=$(N=30 bash "$(dirname "${BASH_SOURCE[0]}")/../stress/kill9.sh" 2>&1) ||
		fail "kill9 found leaks: $out"
	assert_contains "$out" "0 leaks"
}
