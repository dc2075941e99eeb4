#!/usr/bin/env bash
# A pure cgroup-v2 view of this hybrid host, for the v2 code paths: in a
# private mount namespace the v1 hierarchies are unmounted and the host's
# cgroup2 tree is mounted at /sys/fs/cgroup, so berth (and the tests) see
# what they would on a v2-only distribution. The controllers stay bound to
# v1, so tests that need memory/pids/cpu limits fail here ("... controller
# not available"); everything else (life cycle, cgroup.procs, cgroup.kill,
# cgroup.freeze, clone3 into the cgroup, exec, namespaces, the device
# program and its pin cache) runs for real.
# Nothing outside the private namespace changes.
#
# Usage (as root, after make): bash tests/v2sim.sh [PATTERN...]
#   default patterns: the berth-only suites (the engine tests need
#   controllers and are left out)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "v2sim: run as root" >&2; exit 1; }
[ -d /sys/fs/cgroup/unified ] || [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] ||
	{ echo "v2sim: no cgroup2 tree on this host" >&2; exit 1; }
[ $# -gt 0 ] || set -- test_cgroup test_state test_fs test_mount_opts test_oci_config test_seccomp test_spec \
	05_ 10_ 11_ 12_ 13_ 14_ 15_ 16_ 30_ 40_ 42_ 45_
exec unshare -m --propagation private bash -c '
	set -e
	umount -R /sys/fs/cgroup
	mount -t cgroup2 -o nsdelegate none /sys/fs/cgroup
	# bpffs too, as systemd mounts it on v2 hosts: berth pins its device
	# programs there (a private one, gone with the namespace).
	if [ -d /sys/fs/bpf ]; then mount -t bpf bpf /sys/fs/bpf; fi
	cd "$0"
	BERTH=$PWD/build/berth BHELPER=$PWD/build/bhelper UNIT_DIR=$PWD/build/tests \
		exec bash tests/run.sh "$@"' "$here" "$@"
