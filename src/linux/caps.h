/* Capabilities of the container process: the bounding set is reduced while
 * still privileged, the other sets are installed after the uid switch. */
#ifndef BERTH_LINUX_CAPS_H
#define BERTH_LINUX_CAPS_H

#include "oci/config.h"
#include "util/error.h"

/* Highest capability the running kernel knows (/proc/sys/kernel/cap_last_cap). */
int caps_last_cap(void);

/* Takes out of c's effective, permitted, inheritable and ambient sets every
 * capability the calling process does not hold in its own permitted set,
 * and so could never give (capset would fail with EPERM), and returns them
 * as a mask; 0 when nothing was taken or capget failed. The bounding set
 * is left as it is: keeping a capability there is only not dropping it.
 * Only meaningful without a new user namespace, where the process gets a
 * full set of its own. config.md: a capability that cannot be granted is
 * a warning, and the runtime should not fail. */
uint64_t caps_restrict_to_own(struct oci_caps *c);

/* Drops every capability not in c->bounding from the bounding set, and sets
 * PR_SET_KEEPCAPS so a later setuid keeps the permitted set. */
int caps_drop_bounding(const struct oci_caps *c, int last_cap, berth_err **err);

/* Installs effective, permitted and inheritable sets, then the ambient set;
 * bits above last_cap are ignored (a newer spec on an older kernel). */
int caps_apply(const struct oci_caps *c, int last_cap, berth_err **err);

#endif
