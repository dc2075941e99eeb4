# Terminals: process.terminal with --console-socket (the pty master is sent
# to a socket; bhelper recvtty is the receiving end), consoleSize,
# /dev/console, and run in the foreground with a terminal.

# recv_start [ARGS...]: starts bhelper recvtty on $T/sock in the background,
# output to $T/tty.out, pid in $RECV; stdin from $T/tty.in if it exists.
recv_start() {
	local in=/dev/null
	[ -e "$T/tty.in" ] && in=$T/tty.in
	"$BHELPER" recvtty "$T/sock" --once "$@" <"$in" >"$T/tty.out" 2>"$T/tty.err" &
	RECV=$!
	on_teardown "kill $RECV"
	wait_file "$T/sock"
}

# recv_wait: waits (5 s at most) for recvtty to see the pty close.
recv_wait() {
	local i
	for ((i = 0; i < 100; i++)); do
		kill -0 "$RECV" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$RECV" 2>/dev/null && fail "recvtty did not finish: $(cat "$T/tty.out")"
	wait "$RECV" || fail "recvtty failed: $(cat "$T/tty.err")"
	tr -d '\r' <"$T/tty.out" >"$T/tty.txt"
}

test_console_socket() {
	cfg '.process.terminal = true | .process.consoleSize = {"height": 33, "width": 111}'
	set_args /bin/sh -c 'bhelper isatty; stty size; bhelper stat /dev/console; echo done'
	recv_start --no-stdin
	b create --bundle "$BUNDLE" --console-socket "$T/sock" c1 || fail "create"
	b start c1 || fail "start"
	wait_status c1 stopped
	recv_wait
	out=$(cat "$T/tty.txt")
	assert_contains "$out" done "output through the pty"
	tty=$(echo "$out" | awk '$1 == "fd0" {print $3}')
	[[ "$tty" == /dev/pts/* ]] || fail "stdin is not a pty: $out"
	for fd in fd0 fd1 fd2; do
		assert_eq "$(echo "$out" | awk -v f=$fd '$1 == f {print $2, $3}')" "tty $tty" "$fd"
	done
	assert_contains "$out" "ctty yes" "no controlling terminal"
	assert_eq "$(echo "$out" | awk '$1 == "fd0" {print $4, $5}')" "33 111" "winsize"
	assert_contains "$out" "
33 111
" "stty size"
	# /dev/console is the pty slave (a devpts node, major 136..143).
	maj=$(echo "$out" | awk '$1 == "chr" {split($3, a, ":"); print a[1]}')
	[ -n "$maj" ] && [ "$maj" -ge 136 ] && [ "$maj" -le 143 ] || fail "/dev/console: $out"
	b delete c1 || fail "delete"
	assert_nothing_left
}

test_console_socket_input() {
	cfg '.process.terminal = true'
	set_args /bin/sh
	printf 'echo $((6 * 7))x\nexit 5\n' >"$T/tty.in"
	recv_start
	b run -d --bundle "$BUNDLE" --console-socket "$T/sock" c1 || fail "run -d"
	wait_status c1 stopped
	recv_wait
	assert_contains "$(cat "$T/tty.txt")" "42x" "input typed into the pty"
}

test_console_socket_missing() {
	cfg '.process.terminal = true'
	set_args /bin/true
	b create --bundle "$BUNDLE" --console-socket "$T/nosock" c1 2>"$T/err" && fail "create with a missing socket worked"
	assert_contains "$(cat "$T/err")" "$T/nosock"
	assert_nothing_left
}

test_terminal_requires_socket_when_detached() {
	cfg '.process.terminal = true'
	set_args /bin/true
	b create --bundle "$BUNDLE" c1 2>"$T/err" && fail "create with a terminal and no socket worked"
	grep -qi "console" "$T/err" || fail "error does not mention the console socket: $(cat "$T/err")"
	assert_nothing_left
	b run -d --bundle "$BUNDLE" c1 2>"$T/err" && fail "run -d with a terminal and no socket worked"
	assert_nothing_left
}

test_no_terminal_no_tty() {
	set_args /bin/bhelper isatty
	out=$(b run --bundle "$BUNDLE" c1 </dev/null) || fail "run"
	assert_eq "$out" "fd0 notty
fd1 notty
fd2 notty
ctty no" "isatty without a terminal"
}

# Run from a terminal without process.terminal, the process leaves the
# caller's session (as runc's does): the caller's terminal is not its
# controlling terminal, so /dev/tty does not reach it. Also for exec.
test_no_terminal_leaves_the_callers_session() {
	command -v script >/dev/null || skip "no script(1)"
	set_args /bin/bhelper isatty
	timeout 10 script -qec "$BERTH --root $STATE run --bundle $BUNDLE c1 </dev/null" /dev/null </dev/null >"$T/out" 2>&1 ||
		fail "run under script: $(cat "$T/out")"
	out=$(tr -d '\r' <"$T/out")
	# (the caller's pty is not in the container's /dev/pts: no name)
	assert_contains "$out" "fd1 tty " "the caller's terminal as stdout"
	assert_contains "$out" "ctty no" "run"
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c2 || fail "run -d"
	timeout 10 script -qec "$BERTH --root $STATE exec c2 /bin/bhelper isatty </dev/null" /dev/null </dev/null >"$T/out" 2>&1 ||
		fail "exec under script: $(cat "$T/out")"
	out=$(tr -d '\r' <"$T/out")
	assert_contains "$out" "fd1 tty " "the caller's terminal as stdout of exec"
	assert_contains "$out" "ctty no" "exec"
}

test_run_foreground_terminal() {
	command -v script >/dev/null || skip "no script(1)"
	cfg '.process.terminal = true | .process.consoleSize = {"height": 20, "width": 70}'
	set_args /bin/sh -c 'bhelper isatty; exit 7'
	timeout 10 script -qec "$BERTH --root $STATE run --bundle $BUNDLE c1" /dev/null </dev/null >"$T/out" 2>&1
	rc=$?
	out=$(tr -d '\r' <"$T/out")
	assert_eq "$rc" 7 "exit status through the terminal: $out"
	# The container's own pty (the first of its devpts), at consoleSize:
	# script's terminal has no size (its input is not a terminal).
	assert_contains "$out" "fd0 tty /dev/pts/0 20 70"
	assert_contains "$out" "ctty yes"
	assert_nothing_left
	# A caller's terminal with a size: that size wins.
	timeout 10 script -qec "stty rows 30 cols 100; $BERTH --root $STATE run --bundle $BUNDLE c2" /dev/null \
		</dev/null >"$T/out" 2>&1
	out=$(tr -d '\r' <"$T/out")
	assert_contains "$out" "fd0 tty /dev/pts/0 30 100" "the caller's size"
}

# run and exec with a terminal in the foreground: the last output the
# process wrote before it exited reaches the caller, every line of it.
test_foreground_terminal_output_complete() {
	cfg '.process.terminal = true'
	set_args /bin/sh -c 'seq 1 20000'
	# Counted with the \r the pty adds to each line: the output went
	# through a terminal, not straight through.
	for i in 1 2 3; do
		out=$(set -o pipefail; b run --bundle "$BUNDLE" r$i </dev/null | grep -c $'\r$') || fail "run -t, round $i"
		assert_eq "$out" 20000 "lines through run -t, round $i"
	done
	cfg '.process.terminal = false'
	set_args /bin/sleep 100
	b run -d --bundle "$BUNDLE" c1 || fail "run -d"
	for i in 1 2 3; do
		out=$(set -o pipefail; b exec -t c1 /bin/sh -c 'seq 1 20000' </dev/null | grep -c $'\r$') ||
			fail "exec -t, round $i"
		assert_eq "$out" 20000 "lines through exec -t, round $i"
	done
}

# Without a /dev mount and with a read-only root, /dev/console is still the
# pty: it is made and bound before the root goes read-only (runc's order);
# a link at /dev/console is refused, not followed.
test_console_on_readonly_root() {
	cfg '.process.terminal = true | .root.readonly = true
		| .mounts |= map(select(.destination != "/dev" and (.destination | startswith("/dev/") | not)))
		| .mounts += [{"destination": "/dev/pts", "type": "devpts", "source": "devpts",
			"options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]}]
		| .linux.maskedPaths = [] | .linux.readonlyPaths = []'
	ln -sf pts/ptmx "$BUNDLE/rootfs/dev/ptmx"
	set_args /bin/sh -c 'bhelper stat /dev/console; echo done'
	recv_start --no-stdin
	b run -d --bundle "$BUNDLE" --console-socket "$T/sock" c1 || fail "run -d"
	wait_status c1 stopped
	recv_wait
	out=$(cat "$T/tty.txt")
	assert_contains "$out" done
	maj=$(echo "$out" | awk '$1 == "chr" {split($3, a, ":"); print a[1]}')
	[ -n "$maj" ] && [ "$maj" -ge 136 ] && [ "$maj" -le 143 ] || fail "/dev/console: $out"
	b delete c1 || fail "delete"
	rm -f "$BUNDLE/rootfs/dev/console"
	ln -s /etc/passwd "$BUNDLE/rootfs/dev/console"
	rm -f "$T/sock"
	recv_start --no-stdin
	b create --bundle "$BUNDLE" --console-socket "$T/sock" c2 2>"$T/err" && fail "a /dev/console link was followed"
	assert_contains "$(cat "$T/err")" "/dev/console"
	assert_nothing_left
}
