/* AppArmor profiles and SELinux labels of container processes: the host
 * check done before a container or an exec'd process is made, and the
 * AppArmor exec transition asked for just before execve. */
#include "linux/lsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux/procfs.h"
#include "util/cleanup.h"

bool lsm_apparmor_enabled(void)
{
	_cleanup_close_ int fd = openat(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
	char c = 0;

	return fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
}

bool lsm_selinux_enabled(void)
{
	return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

int lsm_check(const char *apparmor_profile, const char *selinux_label, const char *mount_label,
	      berth_err **err)
{
	if (apparmor_profile && *apparmor_profile && !lsm_apparmor_enabled())
		return berth_err_set(err, 0,
				     "process.apparmorProfile: \"%s\" asked for, but AppArmor is not enabled on this host",
				     apparmor_profile);
	if (((selinux_label && *selinux_label) || (mount_label && *mount_label)) && lsm_selinux_enabled())
		return berth_err_set(err, 0, "%s: SELinux labels are not supported by berth yet, and SELinux is on",
				     selinux_label && *selinux_label ? "process.selinuxLabel" : "linux.mountLabel");
	return 0;
}

int lsm_apparmor_exec(const char *profile, berth_err **err)
{
	_cleanup_free_ char *v = NULL;
	int n;

	if (profile == NULL || *profile == '\0')
		return 0;
	n = asprintf(&v, "exec %s", profile);
	if (n < 0)
		return berth_err_set(err, ENOMEM, "process.apparmorProfile");
	/* The per-LSM file first (kernels with LSM stacking), then the shared
	 * one, which older kernels route to AppArmor. */
	if (procfs_write("/proc/thread-self/attr/apparmor/exec", v, (size_t)n, NULL) == 0)
		return 0;
	if (procfs_write("/proc/thread-self/attr/exec", v, (size_t)n, err) < 0)
		return berth_err_wrap(err, "process.apparmorProfile: apply \"%s\"", profile);
	return 0;
}
