/* What create holds while it works, shared by its two files: create.c (the
 * checklist, the bundle, state, cgroup and seccomp steps, the clean-up) and
 * create_init.c (the namespace plan, the clone and the conversation with
 * the init until it is ready). Private to them. */
#ifndef BERTH_RUNTIME_CREATE_JOB_H
#define BERTH_RUNTIME_CREATE_JOB_H

#include "runtime/runtime_internal.h"

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "linux/mounts.h"
#include "linux/seccomp.h"
#include "runtime/init.h"

/* Everything create holds while it works; released by create_cleanup. */
struct create_job {
	const struct runtime_ctx *ctx;
	const char *id;
	const struct create_opts *o;
	char *bundle;
	char *rootfs;
	char *config_text;
	size_t config_len;
	struct oci_config *cfg;
	int rootfd;
	int dirfd;
	bool state_claimed;
	bool state_written; /* state.json exists */
	struct cgroup_manager *cg;
	char *cgroup_path;
	bool cg_created;
	/* Only CGROUP_PART_MEMORY is made before clone; the rest is made while
	 * the init sets up its rootfs (see setup_cgroup). */
	bool cg_rest_later;
	/* The init makes its network namespace itself, and only the unified
	 * tree is made before clone: every v1 hierarchy is made meanwhile. */
	bool net_in_child;
	struct seccomp_program seccomp;
	bool has_seccomp;
	int console_fd;
	int fifo_fd;
	int sync[2];
	pid_t child;    /* what clone returned */
	pid_t init_pid; /* the container's init (child, or its sibling) */
	struct init_ctx ic;
	struct mount_cgroup_dir cgdirs[20];
	size_t n_cgdirs;
	int saved_pidns;
	int saved_timens;
	unsigned long clone_flags;
	int tty_peer; /* our end of the internal console socket (run), -1 */
	int start_fd; /* run: the exec fifo's write end, the start byte in it, -1 */
};
/* ---- create.c ---- */

/* The second part of the cgroup's creation (see setup_cgroup in create.c),
 * made while the init builds its rootfs; then tells the init. -1 with err. */
int create_cgroup_make_rest(struct create_job *j, berth_err **err);

/* The state of the container as create knows it, created at `created`. */
struct container_state create_make_state(struct create_job *j, const char *created);

/* Writes s as the container's state.json (the first time with
 * state_write_first). -1 with err. */
int create_write_state(struct create_job *j, const struct container_state *s, berth_err **err);

/* The state JSON the hooks get on stdin, with status; malloc'd. */
char *create_state_json(struct create_job *j, const char *status);

/* ---- create_init.c ---- */

/* Decides which namespaces clone creates and which the child joins or
 * unshares, and joins pid/time namespaces given by path here (they apply to
 * children; create_restore_namespaces goes back). -1 with err. */
int create_plan_namespaces(struct create_job *j, berth_err **err);

/* Returns this process to the pid and time namespaces it had before
 * create_plan_namespaces; a no-op when it joined none. */
void create_restore_namespaces(struct create_job *j);

/* Clones the container's init (which never returns into this code) and
 * drops this process's copies of what only the init needs. -1 with err. */
int create_spawn_init(struct create_job *j, berth_err **err);

/* Answers the init's requests (cgroup, id maps, prepared mounts, hooks,
 * seccomp listener) until it reports ready. -1 with err: the init's own
 * report when it died of a setup error. */
int create_serve_init(struct create_job *j, const char *created, berth_err **err);

#endif
