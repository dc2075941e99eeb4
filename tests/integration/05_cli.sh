# The command line itself: version and help output, flag and argument
# errors in runc's wording, spec, features, list, errors for unknown ids and
# the JSON error line in the --log file that containerd reads. Most of these
# also pass against runc (BERTH=/usr/sbin/runc); berth-only text is guarded.

COMMANDS="create run start state list kill delete pause resume ps update events exec spec features"

# run_err VAR CMD...: runs CMD, stores stdout+stderr in VAR, returns its status.
run_err() {
	local __var=$1 __out __rc
	shift
	__out=$("$@" 2>&1)
	__rc=$?
	printf -v "$__var" '%s' "$__out"
	return $__rc
}

test_version() {
	local out
	out=$("$BERTH" --version) || fail "--version failed"
	assert_eq "$("$BERTH" -v)" "$out" "-v and --version differ"
	assert_contains "$out" "commit: "
	assert_contains "$out" "spec: "
	assert_contains "$out" "libseccomp: "
	is_runc && return 0
	assert_eq "$(echo "$out" | sed -n 1p)" "berth version 0.1.0" "version line"
	assert_eq "$(echo "$out" | sed -n 3p)" "spec: 1.2.0" "spec line"
	echo "$out" | sed -n 4p | grep -Eq '^libseccomp: [0-9]+\.[0-9]+\.[0-9]+$' || fail "libseccomp line: $out"
}

test_help_each_command() {
	local c out
	out=$(b --help) || fail "--help failed"
	assert_contains "$out" "USAGE"
	b -h >/dev/null || fail "-h failed"
	for c in $COMMANDS; do
		out=$(b "$c" --help) || fail "$c --help exited $?"
		assert_contains "$out" "USAGE" "$c --help"
		b "$c" -h >/dev/null || fail "$c -h exited $?"
	done
}

test_unknown_flag() {
	local out
	run_err out b list --foo && fail "list --foo succeeded"
	assert_contains "$out" "flag provided but not defined: -foo"
	run_err out "$BERTH" --bogus-global list && fail "--bogus-global succeeded"
	assert_contains "$out" "flag provided but not defined: -bogus-global"
	run_err out b create --no-such-flag x && fail "create --no-such-flag succeeded"
	assert_contains "$out" "-no-such-flag"
	run_err out b no-such-command && fail "unknown command succeeded"
	b no-such-command 2>/dev/null
	assert_eq "$?" 3 "exit status of an unknown command (runc's)"
	return 0
}

# --rootless takes what Go's ParseBool takes, and "auto" or nothing.
test_rootless_values() {
	local v
	for v in true false auto 1 0 t F TRUE False ""; do
		"$BERTH" --root "$STATE" --rootless "$v" list >/dev/null || fail "--rootless '$v' refused"
	done
	"$BERTH" --root "$STATE" --rootless maybe list 2>/dev/null && fail "--rootless maybe accepted"
	true
}

test_wrong_arg_count() {
	local out
	# runc's stderr escapes the quotes around the command name, so only the
	# rest of the wording is compared
	run_err out b create && fail "create without id succeeded"
	assert_contains "$out" 'requires exactly 1 argument(s)'
	assert_contains "$out" 'create'
	run_err out b state a b && fail "state with two ids succeeded"
	assert_contains "$out" 'requires exactly 1 argument(s)'
	assert_contains "$out" 'state'
	run_err out b kill && fail "kill without id succeeded"
	assert_contains "$out" 'requires a minimum of 1 argument(s)'
	assert_contains "$out" 'kill'
	run_err out b kill a KILL extra && fail "kill with three arguments succeeded"
	assert_contains "$out" 'requires a maximum of 2 argument(s)'
	assert_contains "$out" 'kill'
	run_err out b spec extra && fail "spec with an argument succeeded"
	assert_contains "$out" 'requires exactly 0 argument(s)'
	assert_contains "$out" 'spec'
	return 0
}

test_flag_values_checked() {
	local out
	run_err out b create --preserve-fds x c1 && fail "--preserve-fds x accepted"
	assert_contains "$out" "preserve-fds"
	run_err out b create --bundle && fail "--bundle without a value accepted"
	assert_contains "$out" "flag needs an argument"
	run_err out b list --format xml && fail "list --format xml accepted"
	assert_contains "$out" "invalid format option"
	run_err out "$BERTH" --root "$STATE" --log-format xml list && fail "--log-format xml accepted"
	assert_contains "$out" "xml"
	return 0
}

test_spec_writes_config() {
	local out d=$T/specdir
	mkdir -p "$d"
	(cd "$d" && b spec) || fail "spec failed"
	jq -e '.ociVersion and .process and .root' "$d/config.json" >/dev/null || fail "config.json does not parse"
	echo '{"mine":true}' >"$d/config.json"
	run_err out sh -c "cd '$d' && \"\$0\" --root '$STATE' spec" "$BERTH" && fail "spec overwrote config.json"
	assert_contains "$out" "File config.json exists. Remove it first"
	assert_eq "$(jq -c . "$d/config.json")" '{"mine":true}' "config.json was changed"

	mkdir -p "$d/rl"
	b spec --rootless --bundle "$d/rl" || fail "spec --rootless --bundle failed"
	jq -e '.linux.namespaces | map(.type) | index("user")' "$d/rl/config.json" >/dev/null ||
		fail "rootless spec has no user namespace"
	mkdir -p "$d/short"
	b spec -b "$d/short" || fail "spec -b failed"
	[ -f "$d/short/config.json" ] || fail "spec -b wrote no config.json"
}

test_features_json() {
	local out ns h
	out=$(b features) || fail "features failed"
	assert_eq "$(echo "$out" | jq -r .ociVersionMin)" "1.0.0" "ociVersionMin"
	[ -n "$(echo "$out" | jq -r '.ociVersionMax // empty')" ] || fail "no ociVersionMax"
	for ns in cgroup ipc mount network pid user uts; do
		echo "$out" | jq -e --arg n "$ns" '.linux.namespaces | index($n)' >/dev/null ||
			fail "namespace $ns missing"
	done
	for h in prestart createRuntime createContainer startContainer poststart poststop; do
		echo "$out" | jq -e --arg h "$h" '.hooks | index($h)' >/dev/null || fail "hook $h missing"
	done
	echo "$out" | jq -e '.linux.capabilities | index("CAP_SYS_ADMIN")' >/dev/null ||
		fail "CAP_SYS_ADMIN missing"
	echo "$out" | jq -e '.linux.seccomp.enabled == true and (.linux.seccomp.actions | index("SCMP_ACT_ERRNO"))' \
		>/dev/null || fail "seccomp section"
	echo "$out" | jq -e '.mountOptions | index("nosuid")' >/dev/null || fail "mountOptions"
	is_runc && return 0
	assert_eq "$(echo "$out" | jq -r .ociVersionMax)" "1.2.0" "ociVersionMax"
	echo "$out" | jq -e '.linux.namespaces | index("time")' >/dev/null || fail "time namespace missing"
	assert_eq "$(echo "$out" | jq -r '.annotations["io.github.berth.version"]')" "0.1.0" "version annotation"
}

test_unknown_id_errors() {
	local out c
	for c in state delete kill start pause resume ps events update; do
		run_err out b "$c" no-such-ctr && fail "$c on an unknown id succeeded"
		assert_contains "$out" "does not exist" "$c"
	done
	run_err out b exec no-such-ctr true && fail "exec on an unknown id succeeded"
	assert_contains "$out" "does not exist" "exec"
	# flags after the id are still flags (runc reorders them)
	run_err out b kill no-such-ctr --all 9 && fail "kill --all on an unknown id succeeded"
	assert_contains "$out" "does not exist" "kill ID --all"
	return 0
}

test_delete_force_unknown_id() {
	# runc treats a forced delete of a missing container as done
	b delete --force no-such-ctr || fail "delete --force of an unknown id failed"
}

test_list_empty_root() {
	local out
	out=$(b list -q) || fail "list -q failed"
	assert_eq "$out" "" "list -q on an empty root"
	out=$(b list --format json) || fail "list -f json failed"
	assert_eq "$out" "null" "list -f json on an empty root"
	out=$(b list) || fail "list failed"
	assert_eq "$(echo "$out" | tr -s ' ')" "ID PID STATUS BUNDLE CREATED OWNER" "list header"
}

test_kill_invalid_signal() {
	local out
	b create --bundle "$BUNDLE" k1 >/dev/null || fail "create failed"
	run_err out b kill k1 NOSUCHSIG && fail "kill with an invalid signal succeeded"
	assert_contains "$out" "signal"
	assert_contains "$out" "NOSUCHSIG"
	b kill k1 0 || fail "kill with signal 0 failed"
	b delete -f k1 || fail "delete -f failed"
}

test_list_and_state_of_created() {
	local out
	b create --bundle "$BUNDLE" l1 >/dev/null || fail "create failed"
	out=$(b state l1) || fail "state failed"
	assert_eq "$(echo "$out" | jq -r .status)" "created" "state status"
	assert_eq "$(echo "$out" | jq -r .id)" "l1" "state id"
	assert_eq "$(echo "$out" | jq -r .bundle)" "$BUNDLE" "state bundle"
	assert_eq "$(b list -q)" "l1" "list -q"
	out=$(b list -f json) || fail "list -f json failed"
	assert_eq "$(echo "$out" | jq -r '.[0].id + " " + .[0].status')" "l1 created" "list json"
	out=$(b list | sed -n 2p | tr -s ' ')
	assert_contains "$out" "l1 "
	assert_contains "$out" " created $BUNDLE "
	b delete -f l1 || fail "delete -f failed"
	assert_eq "$(b list -q)" "" "list -q after delete"
}

# list -q reads only the directory: the same ids, sorted, as the table, a
# container still being created (no state file yet) included, and nothing
# that is not a container directory.
test_list_quiet_same_ids() {
	berth_only "runc skips a directory without a state"
	b create --bundle "$BUNDLE" zz >/dev/null || fail "create zz"
	b create --bundle "$BUNDLE" aa >/dev/null || fail "create aa"
	mkdir "$STATE/mm"
	touch "$STATE/notadir" "$STATE/.hidden"
	assert_eq "$(b list -q | tr '\n' ' ')" "aa mm zz " "list -q"
	assert_eq "$(b list | awk 'NR > 1 {print $1 "=" $3}' | tr '\n' ' ')" "aa=created mm=creating zz=created " "list"
	rmdir "$STATE/mm"
	# A state file that would block whoever opens it for reading: list -q
	# must not open it at all.
	mkdir "$STATE/ff"
	mkfifo "$STATE/ff/state.json"
	on_teardown "rm -rf '$STATE/ff'" # before teardown's own list
	out=$(timeout 5 "$BERTH" --root "$STATE" list -q) || fail "list -q read a state file"
	assert_eq "$(echo "$out" | tr '\n' ' ')" "aa ff zz " "list -q with a blocking state file"
	rm -r "$STATE/ff"
}

test_log_json_error_line() {
	local log=$T/berth-log.json line
	"$BERTH" --root "$STATE" --log "$log" --log-format json state no-such-ctr 2>/dev/null &&
		fail "state on an unknown id succeeded"
	[ -s "$log" ] || fail "nothing written to --log"
	line=$(tail -n 1 "$log")
	assert_eq "$(echo "$line" | jq -r .level)" "error" "level"
	assert_contains "$(echo "$line" | jq -r .msg)" "does not exist"
	echo "$line" | jq -r .time | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}' ||
		fail "time is not RFC 3339: $line"
}

# The text --log line quotes the message as logrus does: a quote or a
# newline in it (here from the id) stays inside the msg field, one line.
test_log_text_quoted() {
	local log=$T/berth-log.txt
	"$BERTH" --root "$STATE" --log "$log" state 'a"b
level=fake' 2>/dev/null && fail "state on a bad id succeeded"
	assert_eq "$(wc -l <"$log")" 1 "lines in the log"
	assert_contains "$(cat "$log")" 'msg="invalid container id: a\"b\n'
	assert_not_contains "$(cat "$log")" 'level=fake msg' "a forged field"
}
