/* Linux security modules: AppArmor profiles for container processes, and
 * SELinux labels, which berth cannot apply yet and so refuses wherever
 * SELinux is on. A confinement that was asked for is never dropped
 * silently. */
#ifndef BERTH_LINUX_LSM_H
#define BERTH_LINUX_LSM_H

#include <stdbool.h>

#include "util/error.h"

/* True when the kernel has AppArmor enabled
 * (/sys/module/apparmor/parameters/enabled reads "Y"). */
bool lsm_apparmor_enabled(void);

/* True when SELinux is on (selinuxfs is mounted at /sys/fs/selinux). */
bool lsm_selinux_enabled(void);

/* Checks, before anything is made, that what the config asks of the LSMs
 * can be done: an apparmor_profile needs AppArmor on the host; a
 * selinux_label or mount_label on a host with SELinux on is refused (no
 * SELinux support), and ignored where SELinux is off, as runc does. Errors
 * name the field. */
int lsm_check(const char *apparmor_profile, const char *selinux_label, const char *mount_label,
	      berth_err **err);

/* Makes the calling process switch to profile at its next execve, through
 * a verified procfs write of "exec PROFILE" to its attr/apparmor/exec (or
 * the older attr/exec). Run in the container, with /proc its own. Nothing
 * when profile is NULL or empty. */
int lsm_apparmor_exec(const char *profile, berth_err **err);

#endif
