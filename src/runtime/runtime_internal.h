/* Pieces shared by the life cycle operations inside src/runtime. */
#ifndef BERTH_RUNTIME_INTERNAL_H
#define BERTH_RUNTIME_INTERNAL_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "linux/cgroup.h"
#include "runtime/container.h"
#include "runtime/state.h"

/* A loaded container: its locked state dir, state and config. */
struct loaded {
	int rootfd;
	int dirfd;
	struct container_state st;
	struct oci_config *cfg; /* NULL unless asked for */
	const char *status;
	/* The cgroup manager create built, handed to run's delete so that it
	 * need not find the hierarchies again; NULL: built from the state. */
	struct cgroup_manager *cg;
};

/* What create hands to run. */
struct created {
	pid_t pid;
	int console_master; /* pty master when run proxies the terminal, else -1 */
	/* The exec fifo's write end when create already let the init go on to
	 * exec (run without startContainer hooks), else -1: finish the start
	 * with start_begun. */
	int start_fifo;
	/* Filled by create on success: the container as it left it, its state
	 * dir still locked, so that run starts and deletes it without reading
	 * back what it just wrote. Release with loaded_close. */
	struct loaded loaded;
};

/* create, optionally keeping the terminal for run: with proxy_tty and a
 * terminal process but no console socket, the pty master comes back in
 * out->console_master. */
int runtime_create(const struct runtime_ctx *ctx, const char *id, const struct create_opts *o, bool proxy_tty,
		   struct created *out, berth_err **err);

/* Loads id (lock exclusive or shared; with_config also decodes its config). */
int loaded_open(const struct runtime_ctx *ctx, const char *id, bool exclusive, bool with_config,
		struct loaded *l, berth_err **err);
void loaded_close(struct loaded *l);

/* Takes l's lock again (run, after the container exited) and checks that
 * its directory is still the one named id: fails with "container does not
 * exist" when someone deleted it meanwhile, even if a new container took the
 * id since. */
int loaded_relock(struct loaded *l, const char *id, berth_err **err);

/* Starts a loaded container known to be created: opens its exec fifo, lets
 * the init exec and runs the poststart hooks once it has. */
int start_loaded(struct loaded *l, berth_err **err);

/* The rest of a start whose byte is already in the exec fifo (fifo, its
 * write end, taken over and closed): waits for the exec, runs poststart. */
int start_begun(struct loaded *l, int fifo, berth_err **err);

/* Decodes the stored config into l->cfg if that is not done yet. */
int loaded_config(struct loaded *l, berth_err **err);

/* The state JSON (runtime.md) of a loaded container with status. */
char *loaded_state_json(const struct loaded *l, const char *status);

/* A cgroup manager for a loaded container (NULL with err on failure). */
struct cgroup_manager *loaded_cgroup(const struct loaded *l, berth_err **err);

/* Fills a container_info from a state (annotations from cfg when given). */
void info_from_state(struct container_info *i, const struct container_state *s, const char *status,
		     const struct oci_config *cfg);

/* Sends sig to pid through a pidfd checked against the recorded start time. */
int signal_init(const struct container_state *s, int sig, berth_err **err);

/* Waits until pid has exited (not our child: polls a pidfd). */
int wait_pid_gone(pid_t pid, int timeout_ms);

/* Destroys what a container left: processes, cgroup, poststop hooks, state. */
int destroy_container(struct loaded *l, const char *id, berth_err **err);

#endif

#ifndef BERTH_RUNTIME_WAIT_DECL
#define BERTH_RUNTIME_WAIT_DECL
/* Blocks the signals `run` and `exec` forward; call before creating the
 * process so that none is lost. The old mask is saved in *old. */
void foreground_block_signals(sigset_t *old);

/* Re-executes the runtime from a sealed copy of itself (sealed_exe_ensure)
 * when a process p of the container cfg could open the init's own
 * /proc/PID/exe before its last exec: p may hold CAP_SYS_PTRACE and the
 * container has no user namespace. Every other container is covered by the
 * sealed trampoline of its last exec (init_exec), and pays nothing here.
 * 1: this process runs from the sealed copy (its init then needs no
 * trampoline); 0: not needed; -1 with err. */
int seal_runtime_if_needed(const struct oci_config *cfg, const struct oci_process *p, berth_err **err);

/* config.md: a capability that cannot be granted is logged as a warning and
 * the runtime should not fail. Without a user namespace of the container's
 * own, the process can get only what the runtime holds: the rest is taken
 * out of caps (in place) with one warning naming them. */
void caps_leave_out_ungrantable(const struct oci_config *cfg, struct oci_caps *caps);

/* Waits for our child pid: forwards signals to it, proxies the terminal
 * master (>= 0) to stdin/stdout, and returns its shell-style exit status
 * (128+N for signal N). Restores the signal mask old. */
int foreground_wait(pid_t pid, int master, const sigset_t *old, berth_err **err);
#endif
