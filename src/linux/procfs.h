/* Verified writes to procfs: every file the runtime writes under /proc is
 * checked with fstatfs to really be procfs, so a mount the container placed
 * over it cannot redirect the write. */
#ifndef BERTH_LINUX_PROCFS_H
#define BERTH_LINUX_PROCFS_H

#include <stddef.h>

#include "util/error.h"

/* Opens path (under a procfs mount) with flags (O_CLOEXEC|O_NOFOLLOW added)
 * and checks it lives on procfs. */
int procfs_open(const char *path, int flags, berth_err **err);

/* Writes value to path under procfs (one write, as procfs wants). */
int procfs_write(const char *path, const char *value, size_t len, berth_err **err);

#endif
