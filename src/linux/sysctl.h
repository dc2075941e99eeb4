/* linux.sysctl: only sysctls that belong to a namespace the container owns
 * are accepted, and each write is verified to land on procfs. */
#ifndef BERTH_LINUX_SYSCTL_H
#define BERTH_LINUX_SYSCTL_H

#include "oci/config.h"
#include "util/error.h"

/* Refuses sysctls that are not namespaced, or whose namespace (ipc, net,
 * uts) the container does not get a new one of. */
int sysctl_validate(const struct oci_config *c, berth_err **err);

/* Writes each sysctl to /proc/sys (in the caller's namespaces). */
int sysctl_apply(const struct oci_linux *l, berth_err **err);

#endif
