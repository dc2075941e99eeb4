/* Namespaces: raw clone with namespace flags, setns by path (checked to be a
 * namespace of the right type), and the one-shot files of user and time
 * namespaces (uid_map, gid_map, timens_offsets). */
#include "linux/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "linux/procfs.h"
#include "util/cleanup.h"

#ifndef NSFS_MAGIC
#define NSFS_MAGIC 0x6e736673
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE 0xb703
#endif

pid_t ns_clone(unsigned long flags)
{
	/* fork semantics (child continues on a copy of this stack) so the child
	 * can use everything the parent prepared without any marshalling. */
	return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, NULL);
}

/* struct clone_args of <linux/sched.h> up to `cgroup` (CLONE_ARGS_SIZE_VER2),
 * spelled out: that header clashes with glibc's <sched.h>. */
struct berth_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};
#define BERTH_CLONE_INTO_CGROUP 0x200000000ULL

pid_t ns_clone_into(unsigned long flags, int cgroup_fd)
{
	struct berth_clone_args a;

	memset(&a, 0, sizeof(a));
	a.flags = (uint64_t)flags | BERTH_CLONE_INTO_CGROUP;
	a.exit_signal = SIGCHLD;
	a.cgroup = (uint64_t)cgroup_fd;
	return (pid_t)syscall(SYS_clone3, &a, sizeof(a));
}

int ns_open(const struct oci_namespace *ns, berth_err **err)
{
	struct statfs sfs;
	int fd, type;

	fd = openat(AT_FDCWD, ns->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return berth_err_set(err, errno, "open %s namespace path %s", oci_namespace_name(ns->type),
				     ns->path);
	if (fstatfs(fd, &sfs) < 0 || (sfs.f_type != NSFS_MAGIC && sfs.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		return berth_err_set(err, 0, "linux.namespaces: %s is not a namespace file", ns->path);
	}
	type = ioctl(fd, NS_GET_NSTYPE);
	if (type >= 0 && type != ns->type) {
		close(fd);
		return berth_err_set(err, 0, "linux.namespaces: %s is not a %s namespace", ns->path,
				     oci_namespace_name(ns->type));
	}
	return fd;
}

int ns_join(const struct oci_namespace *ns, berth_err **err)
{
	_cleanup_close_ int fd = ns_open(ns, err);

	if (fd < 0)
		return -1;
	if (setns(fd, ns->type) < 0)
		return berth_err_set(err, errno, "join %s namespace %s", oci_namespace_name(ns->type),
				     ns->path);
	return 0;
}

static int write_map(pid_t pid, const char *file, const struct oci_idmap *m, size_t n, berth_err **err)
{
	char path[64], buf[4096];
	size_t len = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int r = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m[i].container_id, m[i].host_id,
				 m[i].size);
		if (r < 0 || (size_t)r >= sizeof(buf) - len)
			return berth_err_set(err, E2BIG, "%s: too many entries", file);
		len += (size_t)r;
	}
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if (procfs_write(path, buf, len, err) < 0)
		return berth_err_wrap(err, "linux.%s", strcmp(file, "uid_map") == 0 ? "uidMappings" : "gidMappings");
	return 0;
}

int ns_write_idmaps(pid_t pid, const struct oci_idmap *uids, size_t nu, const struct oci_idmap *gids,
		    size_t ng, berth_err **err)
{
	if (write_map(pid, "uid_map", uids, nu, err) < 0)
		return -1;
	return write_map(pid, "gid_map", gids, ng, err);
}

int ns_write_time_offsets(const struct oci_linux *l, berth_err **err)
{
	char buf[128];
	int n = 0;

	if (l->time_monotonic.set)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "monotonic %lld %u\n",
			      (long long)l->time_monotonic.secs, l->time_monotonic.nanosecs);
	if (l->time_boottime.set)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "boottime %lld %u\n",
			      (long long)l->time_boottime.secs, l->time_boottime.nanosecs);
	if (n == 0)
		return 0;
	/* One offset per write: the kernel parses a single line at a time. */
	for (char *line = buf, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (procfs_write("/proc/self/timens_offsets", line, (size_t)(nl - line + 1), err) < 0)
			return berth_err_wrap(err, "linux.timeOffsets");
	}
	return 0;
}
