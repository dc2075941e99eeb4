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
int devices_create(int rootfd, const struct oci_config *c, bool userns, berth_err **err);

#endif
