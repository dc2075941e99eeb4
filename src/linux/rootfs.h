/* The container's root filesystem: propagation of the mount tree, the
 * rootfs bind, pivot_root (or move + chroot with --no-pivot), and the final
 * touches after it: masked and read-only paths, a read-only root. */
#ifndef BERTH_LINUX_ROOTFS_H
#define BERTH_LINUX_ROOTFS_H

#include <stdbool.h>

#include "oci/config.h"
#include "util/error.h"

/* Sets the propagation of the whole mount tree (linux.rootfsPropagation,
 * default rslave so nothing the container mounts reaches the host), makes
 * rootfs a mount point of its own, and returns an O_PATH fd to it. */
int rootfs_prepare(const char *rootfs, const char *propagation, berth_err **err);

/* Makes rootfs the root: pivot_root and detaching the old root, or with
 * no_pivot a move mount and chroot. The cwd becomes the new "/". */
int rootfs_enter(const char *rootfs, bool no_pivot, berth_err **err);

/* After entering: re-applies a shared/slave propagation to "/", masks
 * maskedPaths (binds of a verified /dev/null, or a read-only tmpfs for
 * directories), makes readonlyPaths and (root_readonly) "/" read-only. */
int rootfs_finalize(const struct oci_config *c, berth_err **err);

#endif
