# Hooks: order, state on stdin, args and env, namespaces they run in,
# timeouts, and what a failing hook does to the life cycle.
#
# runc 1.1.5 runs poststart hooks during `create` (status "created"), before
# startContainer; the spec says after the user process started. The tests
# that depend on this are split: the common part runs everywhere, the
# spec-only part is berth-only.

# hooks_setup: $T/hl (bind-mounted at /hl in the container) gets a log;
# $T/hook.sh (host) and /bin/hook-in.sh (container) append
# "NAME STATE-JSON env=$HOOKENV a2=$2 mnt=MNT-NS" lines to it.
hooks_setup() {
	chmod 755 "$T"
	mkdir -p "$T/hl"
	chmod 777 "$T/hl"
	cat >"$T/hook.sh" <<EOF
#!/bin/sh
echo "\$1 \$(cat | tr -d '\n') env=\$HOOKENV a2=\$2 mnt=\$(readlink /proc/self/ns/mnt)" >>$T/hl/log
EOF
	chmod 755 "$T/hook.sh"
	cat >"$BUNDLE/rootfs/bin/hook-in.sh" <<'EOF'
#!/bin/sh
echo "$1 $(cat | tr -d '\n') env=$HOOKENV a2=$2 mnt=$(readlink /proc/self/ns/mnt)" >>/hl/log
EOF
	chmod 755 "$BUNDLE/rootfs/bin/hook-in.sh"
	cfg ".mounts += [{\"destination\": \"/hl\", \"type\": \"bind\", \"source\": \"$T/hl\", \"options\": [\"bind\"]}]"
	touch "$T/hl/log"
}

# hook NAME [PATH]: a hook object running PATH (default the host hook.sh).
hook() {
	echo "{\"path\": \"${2:-$T/hook.sh}\", \"args\": [\"hook\", \"$1\", \"x y\"], \"env\": [\"HOOKENV=e-$1\"]}"
}

all_hooks() {
	cfg ".hooks = {
		\"prestart\": [$(hook prestart)],
		\"createRuntime\": [$(hook createRuntime)],
		\"createContainer\": [$(hook createContainer)],
		\"startContainer\": [$(hook startContainer /bin/hook-in.sh)],
		\"poststart\": [$(hook poststart)],
		\"poststop\": [$(hook poststop)]}"
}

# line_no NAME: the line number of the first log line starting with NAME.
line_no() {
	local n
	n=$(grep -n "^$1 " "$T/hl/log" | head -n 1 | cut -d: -f1)
	[ -n "$n" ] || fail "hook $1 did not run: $(cat "$T/hl/log")"
	echo "$n"
}

# hook_state NAME: the state JSON the hook NAME got.
hook_state() {
	grep "^$1 " "$T/hl/log" | head -n 1 | sed -e "s/^$1 //" -e 's/ env=.*//'
}

test_hooks_order_and_state() {
	hooks_setup
	all_hooks
	set_args /bin/sh -c 'echo "process $$" >>/hl/log; sleep 100'
	b create --bundle "$BUNDLE" c1 || fail "create"
	pid=$(ctr_pid c1)
	for h in prestart createRuntime createContainer; do
		line_no $h >/dev/null
	done
	grep -q '^startContainer ' "$T/hl/log" && fail "startContainer ran at create"
	grep -q '^process ' "$T/hl/log" && fail "the process ran at create"
	b start c1 || fail "start"
	wait_text "$T/hl/log" process
	[ "$(line_no prestart)" -lt "$(line_no createRuntime)" ] || fail "prestart after createRuntime"
	[ "$(line_no createRuntime)" -lt "$(line_no createContainer)" ] || fail "createRuntime after createContainer"
	[ "$(line_no createContainer)" -lt "$(line_no startContainer)" ] || fail "createContainer after startContainer"
	[ "$(line_no createContainer)" -lt "$(line_no poststart)" ] || fail "poststart before createContainer"
	[ "$(line_no startContainer)" -lt "$(line_no process)" ] || fail "startContainer after the process started"
	grep -q '^poststop ' "$T/hl/log" && fail "poststop ran before delete"
	# The state each hook got.
	for h in prestart createRuntime createContainer startContainer poststart; do
		st=$(hook_state $h)
		assert_eq "$(echo "$st" | jq -r .id)" c1 "$h: id"
		assert_eq "$(echo "$st" | jq -r .bundle)" "$BUNDLE" "$h: bundle"
		assert_eq "$(echo "$st" | jq -r .pid)" "$pid" "$h: the init's pid"
		[ -n "$(echo "$st" | jq -r .ociVersion)" ] || fail "$h: ociVersion"
	done
	# The environment is made (step 2 of runtime.md's lifecycle) before
	# these hooks run, so the spec's status is "created" (as crun and the
	# runtime-tools hooks_stdin test have it); runc 1.1.5 says "creating".
	want=created
	is_runc && want=creating
	for h in prestart createRuntime; do
		assert_eq "$(hook_state $h | jq -r .status)" $want "$h: status"
		assert_eq "$(hook_state $h | jq -r .pid)" "$pid" "$h: pid"
	done
	assert_eq "$(hook_state createContainer | jq -r .status)" $want "createContainer: status"
	assert_eq "$(hook_state startContainer | jq -r .status)" created "startContainer: status"
	b kill c1 KILL
	wait_status c1 stopped
	b delete c1 || fail "delete"
	wait_text "$T/hl/log" poststop
	st=$(hook_state poststop)
	assert_eq "$(echo "$st" | jq -r .status)" stopped "poststop: status"
	assert_eq "$(echo "$st" | jq -r .id)" c1 "poststop: id"
	[ "$(line_no process)" -lt "$(line_no poststop)" ] || fail "poststop order"
}

# Spec order: poststart after the user process started, with status running.
test_poststart_after_start() {
	berth_only "runc 1.1.5 runs poststart hooks during create"
	hooks_setup
	all_hooks
	set_args /bin/sh -c 'echo "process $$" >>/hl/log; sleep 100'
	b create --bundle "$BUNDLE" c1 || fail "create"
	grep -q '^poststart ' "$T/hl/log" && fail "poststart ran at create"
	b start c1 || fail "start"
	wait_text "$T/hl/log" poststart
	[ "$(line_no startContainer)" -lt "$(line_no poststart)" ] || fail "poststart before startContainer"
	assert_eq "$(hook_state poststart | jq -r .status)" running "poststart: status"
}

# The same through run, which lets the init go on to exec without a round
# trip when there is no startContainer hook: poststart still waits for the
# process, and sees the state written.
test_run_poststart_after_process() {
	berth_only "runc 1.1.5 runs poststart hooks during create"
	hooks_setup
	cfg ".hooks = {\"poststart\": [$(hook poststart)], \"prestart\": [$(hook prestart)]}"
	set_args /bin/sh -c 'echo "process $$" >>/hl/log'
	b run --bundle "$BUNDLE" c1 || fail "run"
	[ "$(line_no prestart)" -lt "$(line_no process)" ] || fail "process before prestart"
	[ "$(line_no process)" -lt "$(line_no poststart)" ] || fail "poststart before the process started"
	st=$(hook_state poststart)
	assert_eq "$(echo "$st" | jq -r .status)" running "poststart: status"
	assert_eq "$(echo "$st" | jq -r .id)" c1 "poststart: id"
	[ "$(echo "$st" | jq -r .pid)" -gt 0 ] || fail "poststart: pid"
}

test_hook_args_env() {
	hooks_setup
	all_hooks
	set_args /bin/true
	b run --bundle "$BUNDLE" c1 || fail "run"
	for h in prestart createRuntime createContainer poststart poststop; do
		l=$(grep "^$h " "$T/hl/log")
		assert_contains "$l" "env=e-$h a2=x y " "$h args/env"
	done
	l=$(grep "^startContainer " "$T/hl/log")
	assert_contains "$l" "env=e-startContainer a2=x y " "startContainer args/env"
	# The environment is exactly the hook's env, nothing of the runtime's.
	printf '#!/bin/sh\nenv >%s/hl/env\n' "$T" >"$T/envhook.sh"
	chmod 755 "$T/envhook.sh"
	cfg ".hooks = {\"createRuntime\": [{\"path\": \"$T/envhook.sh\", \"env\": [\"ONLY=1\"]}]}"
	MY_SECRET=leak b run --bundle "$BUNDLE" c2 || fail "run"
	assert_contains "$(cat "$T/hl/env")" "ONLY=1"
	assert_not_contains "$(cat "$T/hl/env")" "MY_SECRET" "runtime env leaked into the hook"
}

# Host-side hooks run in the runtime's namespaces, createContainer and
# startContainer in the container's.
test_hook_namespaces() {
	hooks_setup
	all_hooks
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	b start c1 || fail "start"
	wait_text "$T/hl/log" startContainer
	host=$(readlink /proc/self/ns/mnt)
	ctr=$(readlink "/proc/$(ctr_pid c1)/ns/mnt")
	for h in prestart createRuntime poststart; do
		assert_contains "$(grep "^$h " "$T/hl/log")" "mnt=$host" "$h not in the host mount ns"
	done
	for h in createContainer startContainer; do
		assert_contains "$(grep "^$h " "$T/hl/log")" "mnt=$ctr" "$h not in the container mount ns"
	done
}

test_hook_timeout() {
	hooks_setup
	printf '#!/bin/sh\necho $$ >%s/hl/slow.pid\nexec sleep 30\n' "$T" >"$T/slow.sh"
	chmod 755 "$T/slow.sh"
	cfg ".hooks = {\"createRuntime\": [{\"path\": \"$T/slow.sh\", \"timeout\": 1}]}"
	set_args /bin/sleep 100
	start=$(date +%s)
	b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "create with a timed-out hook worked"
	el=$(($(date +%s) - start))
	[ "$el" -lt 5 ] || fail "create took ${el}s with a 1s hook timeout"
	grep -qi "timeout\|timed out" "$T/err" || fail "error does not mention the timeout: $(cat "$T/err")"
	[ -s "$T/hl/slow.pid" ] || fail "the slow hook never ran"
	hp=$(cat "$T/hl/slow.pid")
	alive "$hp" && fail "the slow hook $hp still runs"
	assert_nothing_left
}

# The timeout also holds for a hook that never reads a state larger than a
# pipe holds (a 200 KB annotation): the runtime must not block writing it.
test_hook_timeout_large_state() {
	hooks_setup
	printf '#!/bin/sh\necho $$ >%s/hl/slow.pid\nexec sleep 30\n' "$T" >"$T/slow.sh"
	chmod 755 "$T/slow.sh"
	head -c 200000 /dev/zero | tr '\0' a >"$T/big"
	cfg ".hooks = {\"createRuntime\": [{\"path\": \"$T/slow.sh\", \"timeout\": 1}]}"
	jq --rawfile big "$T/big" '.annotations = {"big": $big}' "$BUNDLE/config.json" >"$T/c.json" &&
		mv "$T/c.json" "$BUNDLE/config.json" || fail "jq"
	set_args /bin/sleep 100
	start=$(date +%s)
	timeout 40 "$BERTH" --root "$STATE" create --bundle "$BUNDLE" c1 2>"$T/err" &&
		fail "create with a timed-out hook worked"
	el=$(($(date +%s) - start))
	[ "$el" -lt 5 ] || fail "create took ${el}s with a 1s hook timeout"
	grep -qi "timed out" "$T/err" || fail "error does not mention the timeout: $(cat "$T/err")"
	[ -s "$T/hl/slow.pid" ] || fail "the slow hook never ran"
	hp=$(cat "$T/hl/slow.pid")
	alive "$hp" && fail "the slow hook $hp still runs"
	assert_nothing_left
}

test_failing_create_runtime_hook() {
	printf '#!/bin/sh\nexit 3\n' >"$T/fail.sh"
	printf '#!/bin/sh\ncat >"%s/post.$1"\n' "$T" >"$T/post.sh"
	chmod 755 "$T/fail.sh" "$T/post.sh"
	set_args /bin/sleep 100
	for k in createRuntime prestart createContainer; do
		cfg ".hooks = {\"$k\": [{\"path\": \"$T/fail.sh\"}],
			\"poststop\": [{\"path\": \"$T/post.sh\", \"args\": [\"post.sh\", \"$k\"]}]}"
		b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "create with a failing $k hook worked"
		grep -qi hook "$T/err" || fail "error does not mention the hook: $(cat "$T/err")"
		assert_nothing_left
		# runtime.md lifecycle steps 12-13: the poststop hooks still run.
		[ -f "$T/post.$k" ] || fail "no poststop hook after a failing $k hook"
		assert_eq "$(jq -r '.id + " " + .status' "$T/post.$k")" "c1 stopped" "poststop state after $k"
	done
}

test_failing_poststart_hook() {
	printf '#!/bin/sh\nexit 3\n' >"$T/fail.sh"
	chmod 755 "$T/fail.sh"
	cfg ".hooks = {\"poststart\": [{\"path\": \"$T/fail.sh\"}]}"
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 2>"$T/err"
	rc=$?
	if is_runc; then
		# runc 1.1.5 runs poststart in create and fails it.
		[ $rc -ne 0 ] || fail "runc create worked"
		grep -qi hook "$T/err" || fail "error does not mention the hook"
		assert_nothing_left
		return 0
	fi
	# The spec: a failing poststart hook only warns.
	[ $rc -eq 0 ] || fail "create failed: $(cat "$T/err")"
	b start c1 2>"$T/err"
	grep -qi "hook" "$T/err" || fail "no warning about the hook: $(cat "$T/err")"
	assert_eq "$(b state c1 | jq -r .status)" running "status after a failing poststart"
}

test_failing_poststop_hook() {
	printf '#!/bin/sh\nexit 3\n' >"$T/fail.sh"
	chmod 755 "$T/fail.sh"
	cfg ".hooks = {\"poststop\": [{\"path\": \"$T/fail.sh\"}]}"
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	b delete -f c1 2>"$T/err" || fail "delete failed with a failing poststop hook"
	grep -qi hook "$T/err" || fail "no warning about the poststop hook"
	assert_nothing_left
}

# A hook need not read the state on its stdin. With an annotation larger
# than a pipe's buffer the runtime's write of the state is still going when
# the hook exits, and must end in EPIPE, not in a SIGPIPE that kills the
# runtime (create and delete died of it before). berth runs with SIGPIPE's
# default action, as an engine (a Go program) starts it, whatever the test
# shell inherited.
test_hook_not_reading_stdin() {
	local big
	big=$(head -c 100000 /dev/zero | tr '\0' a)
	cfg ".annotations = {\"big\": \"$big\"} | .hooks = {
		\"createRuntime\": [{\"path\": \"/bin/true\"}],
		\"poststop\": [{\"path\": \"/bin/true\"}]}"
	set_args /bin/true
	env --default-signal=PIPE "$BERTH" --root "$STATE" create --bundle "$BUNDLE" c1 2>"$T/err" ||
		fail "create: $(cat "$T/err")"
	b start c1 || fail "start"
	wait_status c1 stopped
	env --default-signal=PIPE "$BERTH" --root "$STATE" delete c1 2>"$T/err" ||
		fail "delete: $(cat "$T/err")"
	assert_nothing_left
}

test_hook_missing_path() {
	cfg ".hooks = {\"createRuntime\": [{\"path\": \"$T/no-such-hook\"}]}"
	b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "create with a missing hook worked"
	[ -s "$T/err" ] || fail "no error"
	assert_nothing_left
}

test_hooks_run_in_order_within_kind() {
	hooks_setup
	cfg ".hooks = {\"createRuntime\": [$(hook first), $(hook second), $(hook third)]}"
	set_args /bin/true
	b run --bundle "$BUNDLE" c1 || fail "run"
	assert_eq "$(cut -d' ' -f1 "$T/hl/log" | tr '\n' ' ')" "first second third " "hook order"
}

# A poststart hook may call the runtime back for its container (here `kill
# 0` and `ps`): start no longer holds the container's lock by then.
test_poststart_hook_calls_runtime() {
	berth_only "runc 1.1.5 runs poststart hooks during create"
	hooks_setup
	cat >"$T/callback.sh" <<EOF2
#!/bin/sh
"$BERTH" --root "$STATE" kill c1 0 && echo kill-ok >>$T/hl/cb
"$BERTH" --root "$STATE" ps c1 >/dev/null && echo ps-ok >>$T/hl/cb
EOF2
	chmod 755 "$T/callback.sh"
	cfg ".hooks = {\"poststart\": [{\"path\": \"$T/callback.sh\"}]}"
	set_args /bin/sleep 100
	b create --bundle "$BUNDLE" c1 || fail "create"
	timeout 20 "$BERTH" --root "$STATE" start c1 || fail "start hung or failed"
	assert_eq "$(cat "$T/hl/cb" 2>/dev/null)" "kill-ok
ps-ok" "the hook's calls"
}

# Hooks that run before the process is prepared see the bounding set the
# init had, not the container's: createContainer ones inherit it, and
# createRuntime (as prestart) ones read the init's. The init drops it
# early, while it waits for the runtime, only when no such hook is to run.
# That wait happens in about half of the starts, so several are made.
test_early_hooks_see_the_init_bounding_set() {
	hooks_setup
	cat >"$T/capbnd.sh" <<EOF
#!/bin/sh
pid=self
[ "\$1" = init ] && pid=\$(sed -n 's/.*"pid": *\([0-9][0-9]*\).*/\1/p')
while read -r k v; do [ "\$k" != CapBnd: ] || echo "\$2 \$v" >>$T/hl/caps; done </proc/\$pid/status
EOF
	chmod 755 "$T/capbnd.sh"
	set_args /bin/true
	want=$(awk '/^CapBnd:/ {print $2}' /proc/self/status)
	# Runs of each: the wait is rarer with a createRuntime hook (about 1
	# start in 10 here).
	for kind in createContainer:self:8 createRuntime:init:30; do
		name=${kind%%:*} rest=${kind#*:}
		cfg ".hooks = {\"$name\": [{\"path\": \"$T/capbnd.sh\", \"args\": [\"capbnd.sh\", \"${rest%%:*}\", \"$name\"]}]}"
		for i in $(seq "${rest#*:}"); do
			b run --bundle "$BUNDLE" "c$i" || fail "run $i"
		done
	done
	assert_eq "$(grep -c "^createContainer $want\$" "$T/hl/caps")" 8 "createContainer hooks' CapBnd (want $want): $(cat "$T/hl/caps")"
	assert_eq "$(grep -c "^createRuntime $want\$" "$T/hl/caps")" 30 "the init's CapBnd at createRuntime (want $want): $(cat "$T/hl/caps")"
}
