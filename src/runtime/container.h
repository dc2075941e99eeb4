/* The runtime's public API: the life cycle operations of runtime.md over a
 * state directory (--root). src/cli calls only this (plus oci/spec.h); the
 * future engine can call it directly. No function here prints. */
#ifndef BERTH_RUNTIME_CONTAINER_H
#define BERTH_RUNTIME_CONTAINER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "oci/config.h"
#include "util/error.h"

#define BERTH_DEFAULT_ROOT "/run/berth"
#define BERTH_OCI_VERSION "1.2.0"

/* Global options shared by every command. */
struct runtime_ctx {
	const char *root;    /* state directory, default BERTH_DEFAULT_ROOT */
	bool systemd_cgroup; /* --systemd-cgroup */
	int rootless;        /* --rootless: 0 false, 1 true, -1 auto */
};

struct create_opts {
	const char *bundle;         /* NULL: current directory */
	const char *console_socket; /* NULL: none */
	const char *pid_file;       /* NULL: none */
	bool no_pivot;
	bool no_new_keyring;
	int preserve_fds;           /* extra fds after 0-2 passed to the container */
	/* run only: */
	bool detach;
	bool keep;
};

/* create: builds the container up to the "created" state; its init waits for
 * start. On failure nothing is left behind (state, cgroup, mounts, process). */
int container_create(const struct runtime_ctx *ctx, const char *id, const struct create_opts *o,
		     berth_err **err);

/* start: lets a created container's init exec the user process, runs the
 * poststart hooks. */
int container_start(const struct runtime_ctx *ctx, const char *id, berth_err **err);

/* run: create + start, then (unless o->detach) waits for the process, proxying
 * a terminal and forwarding signals; *exit_status is the container's status as
 * a shell reports it (128+N for signal N). Without o->keep the container is
 * deleted once it exits. */
int container_run(const struct runtime_ctx *ctx, const char *id, const struct create_opts *o,
		  int *exit_status, berth_err **err);

/* What `state` and `list` show. */
struct container_info {
	char *id;
	pid_t pid; /* 0 once stopped */
	char *status; /* "creating", "created", "running", "paused", "stopped" */
	char *bundle;
	char *rootfs;
	char *created; /* RFC 3339 */
	char *owner;
	struct oci_kv *annotations;
	size_t n_annotations;
};

void container_info_clear(struct container_info *i);

int container_state(const struct runtime_ctx *ctx, const char *id, struct container_info *out,
		    berth_err **err);

/* The state JSON of runtime.md (indented like runc's `state`). */
char *container_info_json(const struct container_info *i, bool with_annotations);

/* Every container under ctx->root, sorted by id. */
int container_list(const struct runtime_ctx *ctx, struct container_info **out, size_t *n,
		   berth_err **err);

/* Fills the annotations of each of v[0..n) (from container_list) from its
 * stored config, as runc's `list --format json` shows them; an entry whose
 * config cannot be read keeps none. */
void container_list_annotations(const struct runtime_ctx *ctx, struct container_info *v, size_t n);

/* Like container_list with only the id of each filled (the other fields
 * NULL): no state file or process is looked at, for `list -q`. A container
 * being created or deleted is listed as long as its directory exists. */
int container_list_ids(const struct runtime_ctx *ctx, struct container_info **out, size_t *n,
		       berth_err **err);

int container_kill(const struct runtime_ctx *ctx, const char *id, int sig, bool all,
		   berth_err **err);

/* delete: a stopped (or, with force, any) container: kills what is left,
 * removes its cgroup and state, runs the poststop hooks. */
int container_delete(const struct runtime_ctx *ctx, const char *id, bool force, berth_err **err);

int container_pause(const struct runtime_ctx *ctx, const char *id, berth_err **err);
int container_resume(const struct runtime_ctx *ctx, const char *id, berth_err **err);

/* Host pids of every process of the container. */
int container_pids(const struct runtime_ctx *ctx, const char *id, pid_t **pids, size_t *n,
		   berth_err **err);

/* Applies r to a running container's cgroup; fields absent in r are left
 * as they are. The cgroup files are the record: later updates, events and
 * stats read them, the stored config keeps the values of create. */
int container_update(const struct runtime_ctx *ctx, const char *id, const struct oci_resources *r,
		     berth_err **err);

/* events: calls emit with one JSON line at a time ({"type":"stats",...} every
 * interval_ms when stats is false, or once when stats is true; "oom" events
 * as they happen) until the container stops or emit returns < 0. */
typedef int (*container_emit_fn)(const char *json_line, void *data);
int container_events(const struct runtime_ctx *ctx, const char *id, bool stats,
		     unsigned interval_ms, container_emit_fn emit, void *data, berth_err **err);

struct exec_opts {
	struct oci_process *process; /* owned by the caller; filled from --process or flags */
	const char *console_socket;
	const char *pid_file;
	bool detach;
	int preserve_fds;
	const char *cgroup; /* exec --cgroup: sub-cgroup, NULL: the container's */
	bool ignore_paused;
};

/* exec: runs a new process inside the running container (all namespaces, its
 * cgroup, root, capabilities, seccomp filter and rlimits). Without
 * o->detach, waits and returns its status in *exit_status. */
int container_exec(const struct runtime_ctx *ctx, const char *id, const struct exec_opts *o,
		   int *exit_status, berth_err **err);

/* Builds the process for exec from the container's config: its env, cwd,
 * user, capabilities, rlimits, noNewPrivileges and apparmor profile, with
 * args as given. Caller frees with oci_process_free. */
struct oci_process *container_exec_default_process(const struct runtime_ctx *ctx, const char *id,
						   char **args, berth_err **err);

/* The `features` document (features.md / features-linux.md). */
char *runtime_features_json(void);

#endif
