/* Namespaces: creating them with clone/unshare, joining them by path with
 * setns, user namespace id maps and time namespace offsets. */
#ifndef BERTH_LINUX_NAMESPACES_H
#define BERTH_LINUX_NAMESPACES_H

#include <stdbool.h>
#include <sys/types.h>

#include "oci/config.h"
#include "util/error.h"

/* fork(2) with extra CLONE_NEW* flags: 0 in the child, the child's pid in
 * the parent, -1 with errno on failure. */
pid_t ns_clone(unsigned long flags);

/* ns_clone, the child born in the cgroup2 cgroup cgroup_fd (clone3 with
 * CLONE_INTO_CGROUP, Linux 5.7): no migration afterwards. -1 with errno
 * when the kernel or the cgroup refuses; the caller falls back. */
pid_t ns_clone_into(unsigned long flags, int cgroup_fd);

/* Joins the namespace at ns->path (setns with its type). The path must be a
 * namespace file of that type. */
int ns_join(const struct oci_namespace *ns, berth_err **err);

/* Opens ns->path and checks it is a namespace of ns->type; returns the fd. */
int ns_open(const struct oci_namespace *ns, berth_err **err);

/* Writes /proc/PID/uid_map and gid_map (verified to be procfs). */
int ns_write_idmaps(pid_t pid, const struct oci_idmap *uids, size_t nu, const struct oci_idmap *gids,
		    size_t ng, berth_err **err);

/* Writes linux.timeOffsets to /proc/self/timens_offsets: valid only in a
 * process whose time namespace for children is new and still empty. */
int ns_write_time_offsets(const struct oci_linux *l, berth_err **err);

#endif
