# Bad input: every broken bundle fails create with a non-zero status and an
# error on stderr that names the problem, and leaves nothing behind.

# expect_create_fails REGEX [BUNDLE]: create must fail, stderr must match
# REGEX (extended, case-insensitive), and nothing may be left behind.
expect_create_fails() {
	local bundle=${2:-$BUNDLE}
	b create --bundle "$bundle" c1 >"$T/out" 2>"$T/err" && fail "create worked"
	[ -s "$T/err" ] || fail "no error message on stderr"
	grep -Eiq -- "$1" "$T/err" || fail "error does not match /$1/: $(cat "$T/err")"
	assert_nothing_left
	# And the same through run.
	b run --bundle "$bundle" c1 >"$T/out" 2>"$T/err" && fail "run worked"
	grep -Eiq -- "$1" "$T/err" || fail "run error does not match /$1/: $(cat "$T/err")"
	assert_nothing_left
}

test_missing_bundle_dir() {
	expect_create_fails "nope" "$T/nope"
}

test_missing_config_json() {
	mkdir "$T/empty"
	expect_create_fails "config\.json" "$T/empty"
}

test_json_syntax_error() {
	echo '{ "ociVersion": "1.0.2", bad' >"$BUNDLE/config.json"
	expect_create_fails "json|invalid|syntax|parse"
}

test_wrong_type_args() {
	cfg '.process.args = "sh"'
	expect_create_fails "args"
}

test_empty_args() {
	cfg '.process.args = []'
	expect_create_fails "args"
}

test_missing_cwd() {
	cfg 'del(.process.cwd)'
	expect_create_fails "cwd"
}

test_relative_cwd() {
	cfg '.process.cwd = "tmp"'
	expect_create_fails "cwd"
}

test_unknown_namespace() {
	cfg '.linux.namespaces += [{"type": "bogus"}]'
	expect_create_fails "namespace|bogus"
}

test_duplicate_namespace() {
	cfg '.linux.namespaces += [{"type": "pid"}]'
	expect_create_fails "dup"
}

test_missing_root() {
	cfg 'del(.root)'
	# The field named, not just a path that happens to hold "root".
	expect_create_fails '"root"|root (must be|not) '
}

# The spec's env entries are KEY=value; runc refuses others too.
test_env_without_equals() {
	cfg '.process.env = ["PATH=/bin", "FOO"]'
	expect_create_fails 'process.env\[1\].*FOO'
}

test_missing_rootfs_dir() {
	cfg '.root.path = "nothere"'
	expect_create_fails "nothere|rootfs"
}

test_unknown_rlimit() {
	cfg '.process.rlimits += [{"type": "RLIMIT_BOGUS", "soft": 1, "hard": 1}]'
	expect_create_fails "RLIMIT_BOGUS"
}

# Fails late, inside the container's init: namespaces and the cgroup exist
# by then and must all be undone.
test_bad_mount_fails_late() {
	cfg '.mounts += [{"destination": "/mnt", "type": "nosuchfs", "source": "x"}]'
	expect_create_fails "mnt|nosuchfs|mount"
}

# Fails early in the init, while the runtime is still making the cgroup's
# other hierarchies (v1 and hybrid hosts): the init's own report is the
# error, and what either side made is undone.
test_bad_mount_fails_early() {
	cfg '.mounts = [{"destination": "/mnt", "type": "nosuchfs", "source": "x"}] + .mounts'
	expect_create_fails "mnt|nosuchfs"
}

# A tmpfs the runtime makes ahead of the init (v1 and hybrid hosts) with an
# option the kernel refuses: the runtime sends "none", the init mounts it
# itself and its error names the mount; the runtime's prepared mounts
# before it (proc, /dev, ...) and the init's own report still arrive.
test_bad_tmpfs_option_names_the_mount() {
	cfg '.mounts += [{"destination": "/mnt/t", "type": "tmpfs", "source": "tmpfs", "options": ["size=bogus"]}]'
	expect_create_fails "mounts\\[[0-9]+\\] \\(/mnt/t\\)"
}

# runc only warns about unknown capabilities and runs the container.
test_unknown_capability_warns() {
	cfg '.process.capabilities.bounding += ["CAP_BOGUS"]'
	set_args /bin/true
	b run --bundle "$BUNDLE" c1 2>"$T/err" || fail "run failed: $(cat "$T/err")"
	assert_contains "$(cat "$T/err")" CAP_BOGUS "no warning"
	assert_nothing_left
}

test_log_json_error() {
	cfg 'del(.process.cwd)'
	b --log "$T/log.json" --log-format json create --bundle "$BUNDLE" c1 2>"$T/err" && fail "create worked"
	[ -s "$T/err" ] || fail "no error on stderr"
	[ -s "$T/log.json" ] || fail "log file empty"
	jq . "$T/log.json" >/dev/null || fail "log is not JSON lines: $(cat "$T/log.json")"
	line=$(jq -c 'select(.level == "error")' "$T/log.json" | tail -n 1) || fail "log is not JSON lines: $(cat "$T/log.json")"
	[ -n "$line" ] || fail "no error line in the log: $(cat "$T/log.json")"
	msg=$(echo "$line" | jq -r .msg)
	echo "$msg" | grep -qi cwd || fail "msg does not name cwd: $msg"
	time=$(echo "$line" | jq -r .time)
	[[ "$time" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]] ||
		fail "time is not RFC 3339: $time"
	assert_nothing_left
}

test_log_text_error() {
	cfg 'del(.process.cwd)'
	b --log "$T/log.txt" create --bundle "$BUNDLE" c1 2>/dev/null && fail "create worked"
	grep -q 'level=error' "$T/log.txt" || fail "no level=error line: $(cat "$T/log.txt")"
	grep -qi 'cwd' "$T/log.txt" || fail "log does not name cwd"
	assert_nothing_left
}

test_hostname_without_uts_namespace() {
	cfg '.hostname = "h" | .linux.namespaces |= map(select(.type != "uts"))'
	expect_create_fails "hostname"
}

test_unknown_command_and_flag() {
	b no-such-command 2>"$T/err" && fail "unknown command worked"
	[ -s "$T/err" ] || fail "no error for an unknown command"
	b create --no-such-flag --bundle "$BUNDLE" c1 2>"$T/err" && fail "unknown flag worked"
	grep -q "no-such-flag" "$T/err" || fail "error does not name the flag: $(cat "$T/err")"
	assert_nothing_left
}
