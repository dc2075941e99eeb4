/* The mounts of config.json, each done onto a destination resolved inside
 * the container root (openat2 RESOLVE_IN_ROOT) and pinned by an O_PATH fd,
 * so that a symlink in the image, or one swapped in while we work, can never
 * send a mount outside the rootfs. */
#ifndef BERTH_LINUX_MOUNTS_H
#define BERTH_LINUX_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "oci/config.h"
#include "util/error.h"

/* One hierarchy to show under a "cgroup" mount: its name under the mount
 * point ("memory", "systemd", "unified", or "" for a v2-only host) and the
 * container's cgroup directory in it on the host. */
struct mount_cgroup_dir {
	const char *name;
	const char *host_dir;
};

/* An empty directory of a tmpfs made for this container, covered by a
 * later mount: the source of the masked directories (rootfs_finalize),
 * which then cost no superblock of their own. Each superblock costs the
 * container's start and exit, and every memory cgroup removal on the host
 * walks them all. */
struct mount_spare {
	int fd;              /* O_PATH, the directory beneath the mount; -1 until found */
	uint64_t tmpfs[4];   /* mount ids of the tmpfs mounts made so far */
	size_t n_tmpfs;
};

struct mount_env {
	int rootfd;          /* the rootfs, O_PATH */
	const char *bundle;  /* relative bind sources are taken from here */
	bool userns;         /* in a new user namespace: mknod and some fs types fail */
	bool cgroupns;       /* in a new cgroup namespace */
	bool cgroup_v2_only; /* the host is pure cgroup v2 */
	const struct mount_cgroup_dir *cgroups;
	size_t n_cgroups;
	/* For the mount being applied, made by another process meanwhile
	 * (mount_prepare): its detached filesystem, or -1 to make it here.
	 * prepared_bound: a cgroup tree has the hierarchies bound already. */
	int prepared_fd;
	bool prepared_bound;
	/* Where mount_apply looks for a spare directory; NULL: none wanted. */
	struct mount_spare *spare;
};

/* Performs mount m inside the root: creates the destination (a directory, or
 * an empty file when a bind source is not a directory), then mounts with the
 * options' flags, propagation and data. Errors name mounts[index]. With
 * env->spare, records the tmpfs it makes and keeps the first empty
 * directory of one of them it mounts over (env->spare->fd, the caller's to
 * close). */
int mount_apply(const struct mount_env *env, const struct oci_mount *m, size_t index, berth_err **err);

/* Whether mounts[i] of cfg is one another process may make ahead of the
 * init (mount_prepare): the first "cgroup" mount, and proc, tmpfs, devpts,
 * mqueue or sysfs mounts with nothing a detached mount cannot carry (no
 * tmpcopyup, bind, quoting, or superblock flag but "ro"), and only when
 * every mount before it is one too (mountinfo lists mounts in the order
 * they were made), and among the first MOUNTS_PREPARED_MAX. Depends on
 * cfg alone, so that both sides agree. */
bool mount_prepared_ahead(const struct oci_config *cfg, size_t i);

/* How many mounts mount_prepared_ahead names: the length of that prefix,
 * found in one pass (callers walking the list use it, not a call per
 * mount). */
size_t mount_prepared_count(const struct oci_config *cfg);

/* The longest prefix mount_prepared_ahead names. */
#define MOUNTS_PREPARED_MAX 32

/* The namespace a filesystem of mount m captures when it is opened
 * (fsopen): CLONE_NEWPID for proc, CLONE_NEWIPC for mqueue, CLONE_NEWNET
 * for sysfs; 0 for any other. */
int mount_fs_namespace(const struct oci_mount *m);

/* A filesystem context for mount m's type, opened (fsopen) in the
 * caller's namespaces, for mount_prepare in another process. -1 on
 * failure. */
int mount_fs_context(const struct oci_mount *m);

/* Makes mounts[i]'s filesystem detached, for env->prepared_fd: a tmpfs,
 * devpts, proc, mqueue or sysfs with its options, or for a "cgroup" mount
 * on a v1 or hybrid host the tree mount_apply would build (a tmpfs with a
 * directory for each of env's hierarchies, which are bound into it too
 * where the kernel attaches mounts to a detached tree, 6.15: *bound says
 * whether; the cgroup directories must exist); i within
 * mount_prepared_count, or nothing is made. fsctx, when >= 0, is the
 * filesystem context to make it from (fsopen'd by the init, in the
 * namespace mount_fs_namespace names; taken over and closed), else one is
 * opened here. -1 when not made: the init then makes it and reports what
 * fails. */
int mount_prepare(const struct mount_env *env, const struct oci_config *cfg, size_t i, int fsctx, bool *bound);

/* Bind-mounts the object behind src_fd (any fd, e.g. an O_PATH fd or a pty)
 * onto dst_fd (an O_PATH fd) with mount attributes attr_set (MOUNT_ATTR_*). */
int mount_bind_fd(int src_fd, int dst_fd, unsigned long long attr_set, bool recursive, berth_err **err);

#endif
