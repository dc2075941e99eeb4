/* User, groups and per-process attributes of the container process. Every
 * failure names the config field it came from. */
#include "linux/creds.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/procfs.h"

int creds_set_user(const struct oci_user *u, berth_err **err)
{
	_Static_assert(sizeof(gid_t) == sizeof(*u->additional_gids), "gid_t is 32 bits");
	/* The config's array is the list setgroups takes, as long as the
	 * kernel allows (NGROUPS_MAX, 65536; EINVAL past it). */
	const gid_t *groups = (const gid_t *)u->additional_gids;
	size_t n = u->n_additional_gids;

	if (setgroups(n, n ? groups : NULL) < 0 && !(errno == EPERM && n == 0))
		return berth_err_set(err, errno, "process.user.additionalGids: setgroups");
	if (setresgid(u->gid, u->gid, u->gid) < 0)
		return berth_err_set(err, errno, "process.user.gid: setgid %u", u->gid);
	if (setresuid(u->uid, u->uid, u->uid) < 0)
		return berth_err_set(err, errno, "process.user.uid: setuid %u", u->uid);
	return 0;
}

int creds_set_rlimits(const struct oci_process *p, berth_err **err)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct oci_rlimit *r = &p->rlimits[i];
		struct rlimit cur, want = {.rlim_cur = r->soft, .rlim_max = r->hard};

		if (setrlimit(r->resource, &want) == 0)
			continue;
		if (errno == EPERM && getrlimit(r->resource, &cur) == 0 && want.rlim_max > cur.rlim_max)
			return berth_err_set(err, EPERM,
					     "process.rlimits: %s: cannot raise the hard limit from %llu to %llu "
					     "(raising a hard limit needs CAP_SYS_RESOURCE, which the runtime lacks)",
					     r->type, (unsigned long long)cur.rlim_max,
					     (unsigned long long)want.rlim_max);
		return berth_err_set(err, errno, "process.rlimits: %s: setrlimit soft %llu hard %llu", r->type,
				     (unsigned long long)r->soft, (unsigned long long)r->hard);
	}
	return 0;
}

int creds_set_oom_score_adj(pid_t pid, int value, berth_err **err)
{
	char path[64], buf[16];
	int n = snprintf(buf, sizeof(buf), "%d", value);

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	if (procfs_write(path, buf, (size_t)n, err) < 0) {
		if ((*err)->errno_ == EACCES || (*err)->errno_ == EPERM) {
			berth_err_clear(err);
			return berth_err_set(err, EACCES,
					     "process.oomScoreAdj: cannot set %d: lowering oom_score_adj needs "
					     "CAP_SYS_RESOURCE, which the runtime lacks",
					     value);
		}
		return berth_err_wrap(err, "process.oomScoreAdj");
	}
	return 0;
}

int creds_set_io_priority(const struct oci_process *p, berth_err **err)
{
	if (!p->has_io_priority)
		return 0;
	/* IOPRIO_WHO_PROCESS = 1; class in the top bits (IOPRIO_CLASS_SHIFT 13). */
	if (syscall(SYS_ioprio_set, 1, 0, (p->io_priority_class << 13) | p->io_priority) < 0)
		return berth_err_set(err, errno, "process.ioPriority: ioprio_set");
	return 0;
}

int creds_set_scheduler(const struct oci_process *p, berth_err **err)
{
	/* struct sched_attr, SCHED_ATTR_SIZE_VER1 (with the utilization
	 * clamps, left at their widest). */
	struct {
		uint32_t size, policy;
		uint64_t flags;
		int32_t nice;
		uint32_t priority;
		uint64_t runtime, deadline, period;
		uint32_t util_min, util_max;
	} a;

	if (!p->has_scheduler)
		return 0;
	memset(&a, 0, sizeof(a));
	a.size = sizeof(a);
	a.policy = (uint32_t)p->sched_policy;
	a.flags = p->sched_flags;
	a.nice = p->sched_nice;
	a.priority = (uint32_t)p->sched_priority;
	a.runtime = p->sched_runtime;
	a.deadline = p->sched_deadline;
	a.period = p->sched_period;
	a.util_max = 1024;
	if (syscall(SYS_sched_setattr, 0, &a, 0) < 0) {
		/* With RT group scheduling a cgroup gets no real-time time
		 * unless it is given some. */
		if (errno == EPERM && (a.policy == 1 || a.policy == 2 || a.policy == 6))
			return berth_err_set(err, errno,
					     "process.scheduler: sched_setattr (a real-time policy needs time for the "
					     "cgroup: linux.resources.cpu.realtimeRuntime)");
		return berth_err_set(err, errno, "process.scheduler: sched_setattr");
	}
	return 0;
}

int creds_set_no_new_privs(berth_err **err)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return berth_err_set(err, errno, "process.noNewPrivileges: prctl");
	return 0;
}

void creds_new_session_keyring(void)
{
	/* KEYCTL_JOIN_SESSION_KEYRING = 1, NULL name: a new anonymous keyring. */
	(void)syscall(SYS_keyctl, 1, NULL, 0, 0, 0);
}

void creds_stdio_give(uid_t uid, bool own_tty)
{
	for (int fd = 0; fd < 3; fd++) {
		struct stat st;
		bool ours;

		if (fstat(fd, &st) < 0 || st.st_uid == uid)
			continue;
		ours = S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || (own_tty && S_ISCHR(st.st_mode) && isatty(fd));
		if (!ours)
			continue;
		/* EPERM, EINVAL (an owner or group not mapped in the user
		 * namespace), EROFS: the fd stays as it is, as with runc. */
		(void)!fchown(fd, uid, (gid_t)-1);
	}
}
