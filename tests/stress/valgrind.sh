#!/usr/bin/env bash
# valgrind memcheck over berth's main commands on real containers: spec,
# features, create, state, start, list, exec, pause, resume, ps, update,
# events --stats, kill, delete, delete -f, run. Every process of a command
# is checked (--child-silent-after-fork=no: the container's init is a fork
# of create or run and runs berth's code until it execs the container's
# process; exec's child the same), with --leak-check=full (definite and
# indirect leaks count as errors) and --track-fds=yes (fds left open at
# exit, bad closes). Prints one line per command: exit status, processes,
# errors, definitely lost bytes; exits non-zero if any command failed or
# any error was found.
#
# `make valgrind` builds the binary it needs (build/vg/berth: dynamically
# linked, -O1 -g) and runs it. valgrind 3.19 (Debian 12) lacks openat2 and
# pidfd_open, 3.24 (Debian 13) open_tree and mount_setattr;
# with those berth's create and run stop at ENOSYS, and this script says
# so. scripts/valgrind-unstable.sh unpacks Debian unstable's (3.27.1) into
# build/valgrind: make valgrind VALGRIND=build/valgrind/valgrind. Of the
# calls these commands make it lacks only pidfd_send_signal (see kill below).
# tests/stress/valgrind.supp lists valgrind's own false positives.
# Usage: BERTH=build/vg/berth BHELPER=build/bhelper [VALGRIND=valgrind] bash tests/stress/valgrind.sh
set -u
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../integration/lib.sh"
source "$here/common.sh"
VALGRIND=${VALGRIND:-valgrind}
case $VALGRIND in /*) ;; */*) VALGRIND=$PWD/$VALGRIND ;; esac
if ! ldd "$BERTH" >/dev/null 2>&1; then
	echo "valgrind: $BERTH is static; run 'make valgrind' (it builds build/vg/berth)" >&2
	exit 2
fi
stress_setup vg
trap stress_cleanup EXIT
# valgrind keeps fds of its own above the soft limit and refuses any
# setrlimit(RLIMIT_NOFILE) that changes the hard limit: the bundles set none.
bundle_for c1 /bin/sleep 1000 >/dev/null
bundle_for c2 /bin/sh -c 'echo hi' >/dev/null
bundle_for c3 /bin/sleep 1000 >/dev/null
for d in "$T"/b-c*; do cfg 'del(.process.rlimits)' "$d"; done
mkdir -p "$T/vg" "$T/spec"
bad=0 n=0 total_errors=0 total_lost=0 old="" enosys=""
echo "valgrind: $("$VALGRIND" --version), berth $("$BERTH" --version | head -1)"

# vg [-C DIR] NAME ARG...: berth ARG... under memcheck, from DIR; the logs
# are $T/vg/NAME.PID.log and .xml (stress_cleanup removes them).
vg() {
	local dir=$T name rc errs lost procs kinds u xml
	if [ "$1" = -C ]; then dir=$2; shift 2; fi
	name=$1
	shift
	n=$((n + 1))
	(cd "$dir" && BERTH_STRESS_TAG=$T "$VALGRIND" --tool=memcheck --leak-check=full \
		--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--track-fds=yes --error-exitcode=99 --trace-children=no --child-silent-after-fork=no \
		--suppressions="$here/valgrind.supp" --log-file="$T/vg/$name.%p.log" \
		--xml=yes --xml-file="$T/vg/$name.%p.xml" \
		"$BERTH" --root "$STATE" "$@" >"$T/vg/$name.out" 2>&1 </dev/null)
	rc=$?
	# A forked child (the container's init, exec's child) writes its XML
	# into its parent's file, and a process that execs leaves no summary:
	# errors are counted one <error> at a time, processes by <pid>.
	xml=$(cat "$T/vg/$name".*.xml 2>/dev/null)
	procs=$(grep -c '^<pid>' <<<"$xml")
	errs=$(grep -c '<error>' <<<"$xml")
	lost=$(awk '/<kind>Leak_DefinitelyLost/ { d = 1 } /<leakedbytes>/ && d { gsub(/[^0-9]/, ""); s += $0; d = 0 } END { print s + 0 }' <<<"$xml")
	u=$(grep -ho 'unhandled amd64-linux syscall: [0-9]*' "$T/vg/$name".*.log 2>/dev/null | awk '{print $NF}' | sort -u | tr '\n' ' ')
	if [ -n "$u" ]; then
		old="$old$u"
		enosys="$enosys $name"
	fi
	echo "valgrind $name: rc=$rc processes=$procs errors=$errs definitely-lost=${lost}B${u:+ unhandled syscalls: $u}"
	total_errors=$((total_errors + errs))
	total_lost=$((total_lost + lost))
	if [ "$rc" != 0 ] || [ "$errs" != 0 ]; then
		# The one known gap: kill reaches pidfd_send_signal (see below).
		[ "$name" = kill ] && [ "$u" = "424 " ] && [ "$errs" = 0 ] || bad=$((bad + 1))
		sed 's/^/    /' "$T/vg/$name.out" | head -5
		kinds=$(grep -o '<kind>[^<]*' <<<"$xml" | sort | uniq -c | tr '\n' ' ')
		[ -n "$kinds" ] && echo "    kinds: $kinds"
		# Each error: what, then its first frames as function file:line.
		awk '/<error>/ { e = 1; f = 0 } e && /<text>|<what>/ { gsub(/ *<[^>]*>/, ""); print "  " $0 }
			e && /<fn>/ { gsub(/ *<[^>]*>/, ""); fn = $0 } e && /<file>/ { gsub(/ *<[^>]*>/, ""); fl = $0 }
			e && /<line>/ { gsub(/ *<[^>]*>/, ""); if (f++ < 8) print "      " fn " " fl ":" $0 }
			/<\/error>/ { e = 0 }' <<<"$xml" | head -80 | sed 's/^/  /'
	fi
}

vg -C "$T/spec" spec spec
vg features features
vg create create --bundle "$T/b-c1" c1
vg state state c1
vg start start c1
vg list list
vg exec exec c1 /bin/true
vg pause pause c1
vg resume resume c1
vg ps ps c1
vg update update --pids-limit 100 c1
vg events events --stats c1
vg kill kill c1 KILL
# valgrind 3.27.1 has no pidfd_send_signal (424): kill stops there with
# ENOSYS, checked up to that call; the plain binary then sends the signal.
b kill c1 KILL 2>/dev/null
for _ in $(seq 100); do
	[ "$(b state c1 2>/dev/null | jq -r .status)" = stopped ] && break
	sleep 0.05
done
vg delete delete c1
vg run run --bundle "$T/b-c2" c2
BERTH_STRESS_TAG=$T "$BERTH" --root "$STATE" create --bundle "$T/b-c3" c3 >/dev/null 2>&1 </dev/null
vg delete_f delete -f c3
if [ -n "$old" ]; then
	echo "valgrind: $VALGRIND does not handle syscalls $(tr ' ' '\n' <<<"$old" | sort -u | tr '\n' ' ')(ENOSYS to:$enosys; see the top of $0)"
fi
l=$(leak_report)
[ -n "$l" ] && { echo "left behind: $l"; bad=$((bad + 1)); }
echo "valgrind: $n commands, $bad failed or with errors; $total_errors errors, ${total_lost} bytes definitely lost"
[ $bad -eq 0 ]
