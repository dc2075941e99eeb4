/* Device nodes in the container's /dev: the default devices and symlinks of
 * config-linux.md / runtime-linux.md, plus linux.devices. In a user
 * namespace (no mknod) each node is a bind of the host's device instead. */
#ifndef BERTH_LINUX_DEVICES_H
#define BERTH_LINUX_DEVICES_H

#include <stdbool.h>

#include "oci/config.h"
#include "util/error.h"

/* Creates linux.devices and the defaults (null, zero, full, random, urandom,
 * tty, ptmx -> pts/ptmx, fd/stdin/stdout/stderr symlinks) under rootfd's
 * /dev. Defaults are skipped when /dev is not a mount of its own (the image
 * brings its /dev) unless listed in linux.devices. Nothing is created when
 * the config bind-mounts /dev (a host's /dev, as runc also leaves it), and a
 * node that already is the configured device is never replaced. */
int devices_create(int rootfd, const struct oci_config *c, bool userns, bool prefilled, berth_err **err);

/* Whether the defaults devices_create makes at the end can be made ahead
 * into mounts[i] while it is still detached (mount_prepare): mounts[i] is
 * a tmpfs at /dev and no later mount goes to /dev itself or to a default's
 * path; the config neither binds /dev nor lists a default node's or
 * symlink's path in linux.devices. */
bool devices_prefill_ok(const struct oci_config *c, size_t i);

/* Makes the default nodes and symlinks in dev, an fd of that tmpfs's root,
 * as devices_create would (root's, mode 0666). 0, or -1 when any failed:
 * devices_create is then told nothing and makes them itself. */
int devices_prefill(int dev);

#endif
