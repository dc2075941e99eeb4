# Shared helpers for the stress scripts (kill9.sh, parallel.sh, soak.sh).
# Sourced after tests/integration/lib.sh, whose bundle helpers they reuse.
# Every script works in its own temp dir $T with state root $STATE and puts
# its containers' cgroups below $CG (/berth-test/<name of $T>), one bundle
# per container ID so that two containers never share a cgroup.

: "${BERTH:?BERTH must name the berth binary}" "${BHELPER:?BHELPER must name bhelper}"
export BERTH BHELPER

# stress_setup NAME: creates $T, $STATE, $CG and the tag that marks every
# berth process the script starts (BERTH_STRESS_TAG in their environment),
# and records the host's network namespaces and nsfs mounts for the end.
stress_setup() {
	T=$(mktemp -d "/tmp/berth-$1.XXXXXX")
	STATE=$T/state
	CG=/berth-test/$(basename "$T")
	mkdir -p "$STATE"
	# A private copy: a rebuild of the tree during a long run must not
	# swap (or, while linking, hide) the binary under test.
	cp "$BERTH" "$T/berth" && BERTH=$T/berth
	NETNS_BEFORE=$(ip netns list 2>/dev/null | sort)
	NSFS_BEFORE=$(netns_mounts)
	cd "$T" || exit 1
}

# b ARG...: berth with our state root and tag. The tag goes only into
# berth's environment (not the script's), so tagged_procs finds berth and the
# children it forked but never this script's own pipelines.
b() {
	BERTH_STRESS_TAG=$T "$BERTH" --root "$STATE" "$@"
}

# netns_mounts: mount points of network namespace bind mounts (nsfs
# "net:[...]"), sorted. Other namespace kinds are left out: other work on
# the host (benchmarks) pins mount namespaces that way.
netns_mounts() {
	awk '/ - nsfs / && $4 ~ /^net:/ { print $5 }' /proc/self/mountinfo | sort | tr '\n' ' '
}

# bundle_for ID ARG...: the bundle $T/b-ID running ARGs in cgroup $CG/ID.
bundle_for() {
	local id=$1 d=$T/b-$1
	shift
	make_bundle "$d" "$@"
	cfg ".linux.cgroupsPath = \"$CG/$id\"" "$d"
}

# tagged_procs: live (non-zombie) pids that belong to this run: berth
# processes carrying our tag (and the children they forked before exec),
# anything in a cgroup below $CG, or in another mount namespace with our
# rootfs mounted (lib.sh's leftover_procs).
tagged_procs() {
	local p
	{
		grep -lzF "BERTH_STRESS_TAG=$T" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
		leftover_procs
	} | sort -u | while read -r p; do
		[ "$p" = $$ ] || [ "$p" = "$BASHPID" ] && continue
		alive "$p" && echo "$p"
	done
	return 0
}

# cg_below: cgroup directories below $CG in any hierarchy (v1 controllers,
# named hierarchies and the unified one); $CG itself is the test's parent.
cg_below() {
	local d
	for d in /sys/fs/cgroup/*/"${CG#/}" /sys/fs/cgroup/"${CG#/}"; do
		[ -d "$d" ] && find "$d" -mindepth 1 -type d
	done
	return 0
}

# leak_report: prints one line per leaked thing; silent when clean.
leak_report() {
	local l
	l=$(tagged_procs | tr '\n' ' ')
	[ -n "$l" ] && echo "processes: $l"
	l=$(grep -F " $T" /proc/self/mountinfo | awk '{print $5}' | tr '\n' ' ')
	[ -n "$l" ] && echo "mounts: $l"
	l=$(cg_below | tr '\n' ' ')
	[ -n "$l" ] && echo "cgroups: $l"
	l=$(ip netns list 2>/dev/null | sort)
	[ "$l" != "$NETNS_BEFORE" ] && echo "netns: ip netns list changed: $l"
	l=$(netns_mounts)
	[ "$l" != "$NSFS_BEFORE" ] && echo "netns: network namespace bind mounts were: $NSFS_BEFORE now: $l"
	l=$(ls -A "$STATE" 2>/dev/null | tr '\n' ' ')
	[ -n "$l" ] && echo "state entries: $l"
	l=$(b list -q 2>&1)
	[ -n "$l" ] && echo "list: $l"
	return 0
}

# stress_cleanup: deletes what is left the runtime's way, then (only if
# that failed) by hand, and removes $T and the cgroups below $CG.
stress_cleanup() {
	local id p
	cd /
	for id in $(b list -q 2>/dev/null); do
		b delete -f "$id" >/dev/null 2>&1
	done
	p=$(tagged_procs)
	[ -n "$p" ] && kill -9 $p 2>/dev/null
	grep -o " $T[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
		umount -l "$m" 2>/dev/null
	done
	rm -rf "$T"
	for d in /sys/fs/cgroup/*/"${CG#/}" /sys/fs/cgroup/"${CG#/}"; do
		[ -d "$d" ] && find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null
		# the shared parent too, once no other run uses it (rmdir of a
		# non-empty one fails)
		rmdir "${d%/*}" 2>/dev/null
	done
	return 0
}

# ms_sleep N: sleeps N milliseconds.
ms_sleep() {
	sleep "$(printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)))"
}

# us_sleep N: sleeps N microseconds without forking (sleep(1) alone takes
# about a millisecond to start): a timed read of a FIFO nobody writes to.
us_sleep() {
	if [ -z "${US_SLEEP_FD:-}" ]; then
		mkfifo "$T/us-sleep"
		exec {US_SLEEP_FD}<>"$T/us-sleep"
	fi
	[ "$1" -gt 0 ] || return 0
	local t
	printf -v t '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000))
	read -r -t "$t" -u "$US_SLEEP_FD" _ || true
}
