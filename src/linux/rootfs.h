/* The container's root filesystem: propagation of the mount tree, the
 * rootfs bind, pivot_root (or move + chroot with --no-pivot), and the final
 * touches after it: masked and read-only paths, a read-only root. */
#ifndef BERTH_LINUX_ROOTFS_H
#define BERTH_LINUX_ROOTFS_H

#include <stdbool.h>
#include <stdint.h>

#include "oci/config.h"
#include "util/error.h"

/* Sets the propagation of the whole mount tree (linux.rootfsPropagation,
 * default rslave so nothing the container mounts reaches the host), makes
 * rootfs a mount point of its own, and returns an O_PATH fd to it. Without
 * a mount namespace of the container's own (own_mntns false) the host's
 * tree is left alone: rootfs only gets a private recursive bind of itself,
 * which rootfs_release_host_mounts takes away again. */
int rootfs_prepare(const char *rootfs, const char *propagation, bool own_mntns, berth_err **err);

/* Makes rootfs the root: pivot_root and detaching the old root, or with
 * no_pivot a move mount and chroot, or without a mount namespace of its own
 * a chroot only. The cwd becomes the new "/". */
int rootfs_enter(const char *rootfs, bool no_pivot, bool own_mntns, berth_err **err);

/* The id of the topmost mount on the path rootfs (statx STATX_MNT_ID). */
int rootfs_mount_id(const char *rootfs, uint64_t *id, berth_err **err);

/* Detaches from the caller's mount namespace every mount stacked on the path
 * rootfs above the mount base_id (taken with rootfs_mount_id before the
 * container was made): the rootfs bind of a container without a mount
 * namespace and all the container mounted below it. Nothing is done when
 * base_id is already on top, so the mounts the bundle came with stay. */
int rootfs_release_host_mounts(const char *rootfs, uint64_t base_id, berth_err **err);

/* After entering: re-applies a shared/slave propagation to "/", masks
 * maskedPaths (binds of a verified /dev/null; for directories read-only
 * binds of mask_src, an empty directory (O_PATH) of the container's
 * (mount_spare), or when it is -1 of one read-only tmpfs made here), makes
 * readonlyPaths and (root_readonly) "/" read-only. */
int rootfs_finalize(const struct oci_config *c, int mask_src, berth_err **err);

#endif
