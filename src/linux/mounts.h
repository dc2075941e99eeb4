/* The mounts of config.json, each done onto a destination resolved inside
 * the container root (openat2 RESOLVE_IN_ROOT) and pinned by an O_PATH fd,
 * so that a symlink in the image, or one swapped in while we work, can never
 * send a mount outside the rootfs. */
#ifndef BERTH_LINUX_MOUNTS_H
#define BERTH_LINUX_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "oci/config.h"
#include "util/error.h"

/* One hierarchy to show under a "cgroup" mount: its name under the mount
 * point ("memory", "systemd", "unified", or "" for a v2-only host) and the
 * container's cgroup directory in it on the host. */
struct mount_cgroup_dir {
	const char *name;
	const char *host_dir;
};

struct mount_env {
	int rootfd;          /* the rootfs, O_PATH */
	const char *bundle;  /* relative bind sources are taken from here */
	bool userns;         /* in a new user namespace: mknod and some fs types fail */
	bool cgroupns;       /* in a new cgroup namespace */
	bool cgroup_v2_only; /* the host is pure cgroup v2 */
	const struct mount_cgroup_dir *cgroups;
	size_t n_cgroups;
	/* From mount_cgroup_tree_prepare, made by another process: -1 none.
	 * cgroup_tree_bound: the hierarchies are bound in it already. */
	int cgroup_tree_fd;
	bool cgroup_tree_bound;
};

/* Performs mount m inside the root: creates the destination (a directory, or
 * an empty file when a bind source is not a directory), then mounts with the
 * options' flags, propagation and data. Errors name mounts[index]. */
int mount_apply(const struct mount_env *env, const struct oci_mount *m, size_t index, berth_err **err);

/* For a "cgroup" mount m on a v1 or hybrid host: the tree mount_apply
 * would build at its destination (a tmpfs with a directory for each of
 * env's hierarchies), detached, so that a process with time to spare can
 * make it while the init is busy. The hierarchies are bound into it too
 * where the kernel attaches mounts to a detached tree (6.15), *bound says
 * whether. Returns an fd for env->cgroup_tree_fd, or -1 (the init then
 * makes it all itself). Needs the cgroup directories to exist. */
int mount_cgroup_tree_prepare(const struct mount_env *env, const struct oci_mount *m, bool *bound);

/* Bind-mounts the object behind src_fd (any fd, e.g. an O_PATH fd or a pty)
 * onto dst_fd (an O_PATH fd) with mount attributes attr_set (MOUNT_ATTR_*). */
int mount_bind_fd(int src_fd, int dst_fd, unsigned long long attr_set, bool recursive, berth_err **err);

#endif
