#!/usr/bin/env bash
# Removes the shared test parent cgroups (/berth-test) once empty. Each test
# removes its own cgroup in t_teardown; only the empty parents go here, so a
# suite running beside this one is never disturbed.
for d in /sys/fs/cgroup/*/berth-test /sys/fs/cgroup/berth-test; do
	[ -d "$d" ] && rmdir "$d" 2>/dev/null
done
exit 0
