/* The container side of create and exec: what runs in the cloned process
 * between clone and execve. The parent prepares an init_ctx, clones, and
 * the child follows it; errors go back over the sync socket. */
#ifndef BERTH_RUNTIME_INIT_H
#define BERTH_RUNTIME_INIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "linux/cgroup.h"
#include "linux/mounts.h"
#include "linux/seccomp.h"
#include "oci/config.h"

struct init_join {
	int type; /* CLONE_NEW* */
	int fd;   /* opened by the parent */
};

struct init_ctx {
	const struct oci_config *cfg;
	const struct oci_process *proc;
	const char *id;
	const char *bundle;
	const char *rootfs;
	int sync_fd;    /* child end of the sync socket */
	int console_fd; /* connected console socket, -1 when none */
	int pty_master, pty_slave; /* the init's terminal, opened before the
				      root goes read-only; -1 until then */
	int trampoline_fd; /* the sealed exec trampoline (init_exec), -1: none */
	bool runtime_sealed; /* the runtime runs from its sealed copy: no trampoline */
	int fifo_fd;    /* exec.fifo opened O_RDWR, -1 for exec */
	int preserve_fds;
	bool no_pivot;
	bool no_new_keyring;
	/* namespaces done by the child rather than by clone */
	struct init_join joins[8];
	size_t n_joins;
	unsigned long unshare_flags;
	bool fork_after_unshare; /* a new pid namespace made by unshare */
	bool new_userns;
	bool late_cgroupns; /* unshare the cgroup namespace after joining the cgroup */
	/* The runtime moves the child into the cgroup while it sets up the
	 * rootfs (SYNC_CGROUP_DONE), rather than before SYNC_GO: the first
	 * cgroup migration waits for an RCU grace period (milliseconds on an
	 * idle host), and the mounts need not wait for it. */
	bool cgroup_async;
	/* The child moves itself into the cgroup first thing (see
	 * cgroup_manager_enter_self); cgroup_unified_done when clone3 already
	 * put it into the unified one. */
	bool cgroup_self;
	/* The runtime has work on the child before it may go on (joining it
	 * to the cgroup, its id maps, oomScoreAdj): wait for SYNC_GO. Without
	 * any, the init goes on at once; a message it would only wait for
	 * costs a wake-up, and the sender's CPU may take it along. */
	bool wait_go;
	bool cgroup_unified_done;
	/* With cgroup_self: the child joins cgroup_first_part first thing and
	 * cgroup_later_part at SYNC_CGROUP_DONE, which the runtime sends once
	 * it has made that part (cgroup_async is set too). */
	bool cgroup_rest_later;
	enum cgroup_part cgroup_first_part, cgroup_later_part;
	/* Make the network namespace first of all (clone did not), then join
	 * the cgroup before anything is charged to it. */
	bool net_first;
	/* After SYNC_CGROUP_DONE the runtime sends a SYNC_PREPARED for each
	 * mount mount_prepared_ahead names, then one for the sealed trampoline
	 * (prepare_for_init in create_init.c); prepared_taken once the last
	 * is read. For those of them that show a namespace (proc, mqueue, sysfs) the
	 * init first sends the filesystem context (SYNC_FSCTX). */
	bool parent_prepares;
	bool prepared_taken;
	/* init_idle_work: tried once; what it did need not be done again. */
	bool idle_tried, bounding_dropped, keyring_joined;
	struct cgroup_manager *cg;
	bool has_mountns;
	/* exec into a container that shares our mount namespace: an O_PATH fd
	 * to its root, to chroot into (no setns would change the root). */
	bool exec_chroot;
	int exec_root_fd;
	struct mount_env menv;
	struct mount_spare spare; /* the masked directories' source (menv.spare) */
	const struct seccomp_program *seccomp; /* NULL: none */
	int last_cap;
	char **exec_env; /* the environment execve gets (process.env + HOME) */
};

/* The child after clone for create: namespaces, rootfs, devices, hooks,
 * process attributes, then waits on the exec fifo and execs. Never returns. */
__attribute__((noreturn)) void init_container(struct init_ctx *c);

/* The process setup shared with exec, run in the final namespaces and root:
 * terminal (sent over console_fd), rlimits, cwd, user, capabilities,
 * no_new_privs, seccomp, environment, and the resolution of args[0].
 * Returns the path to exec in *path (static storage). */
int init_prepare_process(struct init_ctx *c, const char **path, berth_err **err);

/* execve of the prepared process; on failure reports and exits. */
__attribute__((noreturn)) void init_exec(struct init_ctx *c, const char *path);

#endif
