/* The state store: one directory per container under --root, holding
 * state.json, a copy of config.json and, while the container is "created",
 * the exec.fifo its init waits on. The directory fd's flock serialises
 * concurrent commands on one container. */
#ifndef BERTH_RUNTIME_STATE_H
#define BERTH_RUNTIME_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "runtime/container.h"
#include "util/error.h"

#define STATE_FILE "state.json"
#define STATE_CONFIG "config.json"
/* Only for a container without a mount namespace: its mounts in the host. */
#define STATE_HOST_MOUNTS "rootfs.mnt"
#define STATE_FIFO "exec.fifo"
/* In the state root beside the containers: berth's caches (compiled seccomp
 * filters). Not a container id. */
#define STATE_CACHE_DIR ".cache"

struct container_state {
	char *id;
	pid_t pid;
	uint64_t pid_start; /* field 22 of /proc/PID/stat, guards against pid reuse */
	char *bundle;
	char *rootfs;
	char *created;
	char *owner;
	int64_t owner_uid; /* who created it (list's OWNER), -1: not recorded */
	char *cgroup_path;
	uint64_t cgroup_id; /* the init's cgroup2 id (inode), 0: none (pure v1) */
	bool systemd_cgroup;
	bool own_pidns; /* the container has its own pid namespace */
	bool paused;	/* frozen by `pause` and not resumed since: list's hint */
	unsigned hooks; /* STATE_HOOK_*: which later hooks the config has */
};

/* Which hooks run after create, so that start and delete decode the stored
 * config only when it has some. */
#define STATE_HOOK_POSTSTART 1u
#define STATE_HOOK_POSTSTOP 2u

void container_state_clear(struct container_state *s);

/* Checks a container ID: non-empty, at most 255 bytes, only [A-Za-z0-9_+.-],
 * and not "." or "..". */
int state_validate_id(const char *id, berth_err **err);

/* Opens (creating with 0700 when create) the state root. */
int state_root_open(const char *root, bool create, berth_err **err);

/* Creates the container's directory (0700) and returns it open and locked.
 * Fails with "container with given ID already exists" if present. */
int state_dir_create(int rootfd, const char *id, berth_err **err);

/* Opens an existing container's directory and takes its lock (shared or
 * exclusive). Fails with "container does not exist" when absent. */
int state_dir_open(int rootfd, const char *id, bool exclusive, berth_err **err);

/* Removes the container's directory and everything in it. */
int state_dir_remove(int rootfd, const char *id, berth_err **err);

/* Records that a container without a mount namespace of its own is about
 * to mount on rootfs in the host's namespace, base_id being the mount on
 * top of rootfs before it (see rootfs_release_host_mounts). Written before
 * the container's first mount, so that delete finds it even when create
 * was killed half way. */
int state_host_mounts_write(int dirfd, const char *rootfs, uint64_t base_id, berth_err **err);

/* Takes away the host mounts recorded by state_host_mounts_write, if any
 * (0 when there is no record). The record stays until the state dir goes. */
int state_host_mounts_release(int dirfd, berth_err **err);

/* Replaces state.json atomically (a temporary file renamed over it). */
int state_write(int dirfd, const struct container_state *s, berth_err **err);
/* Writes the first state.json of a container being created, in place. */
int state_write_first(int dirfd, const struct container_state *s, berth_err **err);
int state_read(int dirfd, struct container_state *s, berth_err **err);

/* Start time of pid from /proc, 0 when it does not exist or is a zombie. */
uint64_t proc_start_time(pid_t pid);

/* The runtime status of a container whose state was read from dirfd:
 * "creating", "created", "running", "paused" or "stopped". */
const char *state_status(int dirfd, const struct container_state *s);

/* Reads many containers' states for `list`: /proc and the freezer's
 * hierarchy are opened once, each state file is read with one openat (no
 * symlink followed) and one read. rootfd must outlive the scan. */
struct state_scan;
struct state_scan *state_scan_new(int rootfd, berth_err **err);
void state_scan_free(struct state_scan *sc);
/* Reads the state of container id and derives its status (as
 * state_status, but the freezer is read only for a container `pause`
 * froze); *owner gets list's OWNER (state_owner_name). -1 when the state
 * cannot be read (a container still being created). */
int state_scan_read(struct state_scan *sc, const char *id, struct container_state *s,
		    const char **status, char **owner);

/* The owner column of list, as runc shows it: "root", else "#UID". */
char *state_owner_name(uid_t uid);

/* true while the init process recorded in s is still the same process. */
bool state_pid_alive(const struct container_state *s);

#endif
