/* Capability sets through capset(2) and prctl(2); no libcap needed. */
#include "linux/caps.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int caps_last_cap(void)
{
	char buf[16] = {0};
	int fd = openat(AT_FDCWD, "/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
	int last = CAP_LAST_CAP;

	if (fd >= 0) {
		if (read(fd, buf, sizeof(buf) - 1) > 0)
			last = atoi(buf);
		close(fd);
	}
	return last;
}

uint64_t caps_restrict_to_own(struct oci_caps *c)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2] = {{0}};
	uint64_t own, lost;

	if (syscall(SYS_capget, &h, d) < 0)
		return 0;
	own = (uint64_t)d[0].permitted | ((uint64_t)d[1].permitted << 32);
	lost = (c->effective | c->permitted | c->inheritable | c->ambient) & ~own;
	c->effective &= own;
	c->permitted &= own;
	c->inheritable &= own;
	c->ambient &= own;
	return lost;
}

int caps_drop_bounding(const struct oci_caps *c, int last_cap, berth_err **err)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return berth_err_set(err, errno, "prctl keepcaps");
	for (int cap = 0; cap <= last_cap && cap < 64; cap++) {
		if (c->bounding & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return berth_err_set(err, errno, "process.capabilities.bounding: drop %s",
					     oci_cap_name(cap) ? oci_cap_name(cap) : "capability");
	}
	return 0;
}

int caps_apply(const struct oci_caps *c, int last_cap, berth_err **err)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
	struct __user_cap_data_struct d[2];
	uint64_t mask = last_cap >= 63 ? ~0ULL : ((1ULL << (last_cap + 1)) - 1);
	uint64_t eff = c->effective & mask, prm = c->permitted & mask, inh = c->inheritable & mask;

	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	d[0].permitted = (uint32_t)prm;
	d[1].permitted = (uint32_t)(prm >> 32);
	d[0].inheritable = (uint32_t)inh;
	d[1].inheritable = (uint32_t)(inh >> 32);
	if (syscall(SYS_capset, &h, d) < 0)
		return berth_err_set(err, errno, "process.capabilities: capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return berth_err_set(err, errno, "process.capabilities.ambient: clear");
	for (int cap = 0; cap <= last_cap && cap < 64; cap++) {
		if (!(c->ambient & (1ULL << cap)))
			continue;
		/* The kernel refuses an ambient capability that is not also
		 * permitted and inheritable; like runc, such an entry is
		 * skipped rather than failing the container. */
		if (!(prm & inh & (1ULL << cap)))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
			return berth_err_set(err, errno, "process.capabilities.ambient: raise %s",
					     oci_cap_name(cap) ? oci_cap_name(cap) : "capability");
	}
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return berth_err_set(err, errno, "prctl keepcaps");
	return 0;
}
