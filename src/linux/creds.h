/* Process credentials and attributes set just before exec: user and groups,
 * umask, rlimits, no_new_privs, I/O priority, oom_score_adj. */
#ifndef BERTH_LINUX_CREDS_H
#define BERTH_LINUX_CREDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "oci/config.h"
#include "util/error.h"

/* setgroups(additionalGids), setresgid, setresuid. In a user namespace
 * whose setgroups is denied an empty group list is not set. */
int creds_set_user(const struct oci_user *u, berth_err **err);

/* Applies process.rlimits. Raising a hard limit needs CAP_SYS_RESOURCE, and
 * the error says so. */
int creds_set_rlimits(const struct oci_process *p, berth_err **err);

/* Writes process.oomScoreAdj to /proc/PID/oom_score_adj (verified procfs);
 * lowering it needs CAP_SYS_RESOURCE and the error says so. */
int creds_set_oom_score_adj(pid_t pid, int value, berth_err **err);

/* process.ioPriority via ioprio_set. */
int creds_set_io_priority(const struct oci_process *p, berth_err **err);

/* process.scheduler with sched_setattr(2) on the calling process (before
 * the capabilities go: a real-time policy needs CAP_SYS_NICE). */
int creds_set_scheduler(const struct oci_process *p, berth_err **err);

/* PR_SET_NO_NEW_PRIVS. */
int creds_set_no_new_privs(berth_err **err);

/* Joins a new anonymous session keyring (unless --no-new-keyring), so the
 * container does not share the host's. ENOSYS/EPERM are not fatal. */
void creds_new_session_keyring(void);

/* Makes uid the owner of the stdio fds (0-2) that are pipes, FIFOs or
 * sockets (what engines hand over: containerd's shim and conmon pass
 * pipes), and of the container's own pty when own_tty, so that a non-root
 * process can reopen them (/dev/stdout is /proc/self/fd/1), as under runc.
 * The caller's terminal and regular files keep their owner: they are the
 * host's. The group is left as it is; failures leave the fd unchanged. */
void creds_stdio_give(uid_t uid, bool own_tty);

#endif
