/* One cgroup manager interface over the host's hierarchy mode: cgroup v1,
 * unified v2, or hybrid (v1 controllers plus cgroup2 at <root>/unified).
 * The cgroupfs root is a parameter so unit tests can point it at a fake tree. */
#ifndef BERTH_LINUX_CGROUP_H
#define BERTH_LINUX_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "oci/config.h"
#include "util/error.h"

#define CGROUP_DEFAULT_ROOT "/sys/fs/cgroup"

enum cgroup_mode {
	CGROUP_MODE_V1,
	CGROUP_MODE_V2,
	CGROUP_MODE_HYBRID,
};

struct cgroup_manager;

/* Detects the mode of the hierarchy mounted at root (NULL: /sys/fs/cgroup). */
int cgroup_detect_mode(const char *root, enum cgroup_mode *mode, berth_err **err);

/* Turns linux.cgroupsPath (NULL when absent) into the absolute cgroup path the
 * container uses, as runc does: absolute paths are used as they are, relative
 * ones are taken under the runtime's own cgroup, and an absent one becomes
 * "/berth/<id>". With systemd_cgroup the "slice:prefix:name" form is parsed
 * and, until a systemd backend exists, refused with a clear error. */
int cgroup_resolve_path(const char *cgroups_path, const char *id, bool systemd_cgroup, char **out,
			berth_err **err);

/* A manager for the cgroup at path (absolute, from cgroup_resolve_path) under
 * root (NULL: /sys/fs/cgroup). Nothing is created yet. */
struct cgroup_manager *cgroup_manager_new(const char *root, const char *path, berth_err **err);

void cgroup_manager_free(struct cgroup_manager *m);

enum cgroup_mode cgroup_manager_mode(const struct cgroup_manager *m);

/* Creates the cgroup in every hierarchy (v1: each mounted controller and named
 * hierarchy, each new cpuset level getting its parent's cpus and mems; hybrid:
 * also the unified one; v2: the one directory, each ancestor delegating the
 * controllers it has through cgroup.subtree_control, where it lets us; a
 * controller that stays missing is reported by set_resources if needed). */
int cgroup_manager_create(struct cgroup_manager *m, berth_err **err);
/* A container's cgroup may exist already (shared, with a warning when it
 * has processes); cgroup_manager_existed tells whether it was there, and
 * cgroup_manager_destroy on this manager leaves what create did not make.
 * The root cgroup is refused. */
bool cgroup_manager_existed(const struct cgroup_manager *m);
/* Whether create made the container's directory in at least one hierarchy. */
bool cgroup_manager_made(const struct cgroup_manager *m);

/* A cgroup made in parts lets create overlap the slower part with the
 * init's own work on v1 and hybrid hosts. CGROUP_PART_MEMORY is the v1
 * hierarchy holding the memory controller plus the unified tree: what the
 * init must be in before it allocates (its mounts are charged to it) and
 * what clone3 needs. CGROUP_PART_REST is every other v1 hierarchy (none on
 * a v2 host). CGROUP_PART_UNIFIED is the unified tree alone (the whole
 * cgroup on a v2 host) and CGROUP_PART_V1 every v1 hierarchy: the split
 * when the init has a network namespace to make first. CGROUP_PART_ALL is
 * everything, as the plain functions do. */
enum cgroup_part { CGROUP_PART_ALL, CGROUP_PART_MEMORY, CGROUP_PART_REST, CGROUP_PART_UNIFIED, CGROUP_PART_V1 };

/* Whether part names any hierarchy on this host. */
bool cgroup_manager_has_part(struct cgroup_manager *m, enum cgroup_part part);

/* cgroup_manager_create for one part only. */
int cgroup_manager_create_part(struct cgroup_manager *m, enum cgroup_part part, berth_err **err);

/* Create is done: from now on m stands for the container's cgroup as one
 * built from its path does (destroy removes every hierarchy's directory,
 * not only those this create made). */
void cgroup_manager_created(struct cgroup_manager *m);

/* Writes every field of linux.resources (NULL: nothing) to the controllers.
 * A value out of range or for a controller the host lacks fails naming the
 * field. Used by create and update; update leaves unspecified fields alone. */
int cgroup_manager_set_resources(struct cgroup_manager *m, const struct oci_resources *r,
				 berth_err **err);

/* cgroup_manager_set_resources for a running container's `update`: a
 * field not given keeps its meaning where the kernel splits one OCI value
 * over files that depend on each other (on v2 a memory limit alone keeps
 * memory+swap where it was, as v1's memsw limit does by itself). */
int cgroup_manager_update_resources(struct cgroup_manager *m, const struct oci_resources *r,
				    berth_err **err);

/* cgroup_manager_set_resources for one part: linux.resources.memory goes
 * with CGROUP_PART_MEMORY, every other field with CGROUP_PART_REST, all of
 * them with CGROUP_PART_V1 (on a v2 host everything goes with
 * CGROUP_PART_MEMORY or CGROUP_PART_UNIFIED). */
int cgroup_manager_set_resources_part(struct cgroup_manager *m, const struct oci_resources *r,
				      enum cgroup_part part, berth_err **err);

/* For create: set_resources then always writes the device policy (deny
 * everything, then the configured rules, then the defaults),
 * also when linux.resources has no device rule or is missing. Without it
 * (update) devices are written only when rules are given. */
void cgroup_manager_require_device_policy(struct cgroup_manager *m);

/* Moves pid into the cgroup in every hierarchy; sub (NULL or "") names a
 * sub-cgroup relative to the container's (exec --cgroup). */
int cgroup_manager_add_pid(struct cgroup_manager *m, pid_t pid, const char *sub, berth_err **err);

/* Moves the calling (single-threaded) process into the cgroup in every
 * hierarchy, the unified one only unless unified_done (the process was
 * cloned into it with CLONE_INTO_CGROUP). Unlike add_pid this never waits
 * for an RCU grace period on the v1 hierarchies. */
int cgroup_manager_enter_self(struct cgroup_manager *m, bool unified_done, berth_err **err);

/* cgroup_manager_enter_self for one part (the unified tree is in
 * CGROUP_PART_MEMORY and CGROUP_PART_UNIFIED). */
int cgroup_manager_enter_self_part(struct cgroup_manager *m, bool unified_done, enum cgroup_part part,
				   berth_err **err);
/* An O_PATH fd of the cgroup in the v2 (or hybrid unified) tree for
 * clone3's CLONE_INTO_CGROUP; -1 on a v1 host or a fake tree. */
int cgroup_manager_open_unified(struct cgroup_manager *m);

/* Freezes or thaws every process (v1 freezer.state / v2 cgroup.freeze) and
 * waits until the kernel reports the new state. */
int cgroup_manager_freeze(struct cgroup_manager *m, bool freeze, berth_err **err);

/* *frozen = whether the cgroup is frozen (false when it does not exist). */
int cgroup_manager_is_frozen(struct cgroup_manager *m, bool *frozen, berth_err **err);

/* A cheap frozen test for many cgroups (list): the freezer's hierarchy is
 * opened once, and each question is one openat and read relative to it.
 * root as for cgroup_manager_new. */
struct cgroup_freezer_probe;
struct cgroup_freezer_probe *cgroup_freezer_probe_new(const char *root, berth_err **err);
void cgroup_freezer_probe_free(struct cgroup_freezer_probe *p);
/* Whether the cgroup at path (absolute) is frozen; false when it does not
 * exist or the host has no freezer. */
bool cgroup_freezer_probe_frozen(struct cgroup_freezer_probe *p, const char *path);

/* Sends sig to every process in the cgroup (cgroup.kill for SIGKILL where the
 * kernel has it, else each pid from cgroup.procs, freezing around the walk so
 * that no new process escapes). A frozen cgroup is thawed after a SIGKILL,
 * so that the processes die rather than wait frozen with it pending. */
int cgroup_manager_kill_all(struct cgroup_manager *m, int sig, berth_err **err);

/* All pids in the cgroup and its descendants, host pid namespace. */
int cgroup_manager_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, berth_err **err);

/* Resource statistics as a JSON object text in runc's events --stats "data"
 * shape: {"cpu":{...},"memory":{...},"pids":{...},"blkio":{...},"hugetlb":{...}}. */
char *cgroup_manager_stats_json(struct cgroup_manager *m, berth_err **err);

/* Number of OOM kills seen by the memory controller so far (0 if unknown). */
int cgroup_manager_oom_count(struct cgroup_manager *m, uint64_t *count, berth_err **err);

/* Removes the cgroup from every hierarchy (deepest first, retrying briefly
 * while the last processes exit). A missing cgroup is not an error. On the
 * manager that created it, only the directories create made go. */
int cgroup_manager_destroy(struct cgroup_manager *m, berth_err **err);

/* The cgroup2 id (what the kernel reports for a task's cgroup, the
 * directory's inode number) of the container's cgroup in the v2 or hybrid
 * unified tree; 0 on a pure v1 host, a fake tree, or when it is missing. */
uint64_t cgroup_manager_id(struct cgroup_manager *m);

/* Path of the container's cgroup directory in the hierarchy that holds
 * controller ("memory", "pids", ...; "" for the v2/unified one); NULL if that
 * hierarchy is not mounted. Valid until the manager is freed. */
const char *cgroup_manager_dir(struct cgroup_manager *m, const char *controller);

#endif
