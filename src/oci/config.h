/* Typed form of an OCI runtime config.json (runtime-spec config.md and
 * config-linux.md). Produced by the decoders in src/oci, read by src/runtime
 * and src/linux. Optional scalars carry a has_* flag; arrays a count. */
#ifndef BERTH_OCI_CONFIG_H
#define BERTH_OCI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* GNU C predefines `linux` as 1; the spec's object is called linux and so is
 * our field, so the macro goes. */
#undef linux

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

struct oci_kv {
	char *key;
	char *value;
};

struct oci_idmap {
	uint32_t container_id;
	uint32_t host_id;
	uint32_t size;
};

struct oci_user {
	uint32_t uid;
	uint32_t gid;
	bool has_umask;
	uint32_t umask;
	uint32_t *additional_gids;
	size_t n_additional_gids;
	char *username;
};

/* Capability sets as bit masks over capability numbers (CAP_CHOWN = bit 0). */
struct oci_caps {
	uint64_t bounding;
	uint64_t effective;
	uint64_t inheritable;
	uint64_t permitted;
	uint64_t ambient;
};

struct oci_rlimit {
	int resource; /* RLIMIT_* */
	char *type;   /* "RLIMIT_NOFILE" as written */
	uint64_t soft;
	uint64_t hard;
};

struct oci_process {
	bool terminal;
	bool has_console_size;
	uint32_t console_height;
	uint32_t console_width;
	char *cwd;
	char **env;  /* NULL-terminated, may be NULL */
	char **args; /* NULL-terminated, at least one entry once validated */
	struct oci_user user;
	struct oci_caps *caps; /* NULL when "capabilities" is absent */
	struct oci_rlimit *rlimits;
	size_t n_rlimits;
	bool no_new_privileges;
	char *apparmor_profile;
	bool has_oom_score_adj;
	int oom_score_adj;
	char *selinux_label;
	bool has_io_priority;
	int io_priority_class; /* IOPRIO_CLASS_RT=1, BE=2, IDLE=3 */
	int io_priority;
	/* process.scheduler, for sched_setattr(2) */
	bool has_scheduler;
	int sched_policy; /* SCHED_* number */
	int32_t sched_nice;
	int32_t sched_priority;
	uint64_t sched_flags; /* SCHED_FLAG_* bits */
	uint64_t sched_runtime, sched_deadline, sched_period;
};

/* One entry of "mounts". Options are decoded into flags by
 * src/linux/mount_opts (mount_opts_parse) at validation time. */
struct oci_mount {
	char *destination;
	char *source;
	char *type;
	char **options; /* NULL-terminated, may be NULL */
	size_t n_options;
	struct oci_idmap *uid_mappings;
	size_t n_uid_mappings;
	struct oci_idmap *gid_mappings;
	size_t n_gid_mappings;
};

struct oci_hook {
	char *path;
	char **args; /* NULL-terminated, may be NULL */
	char **env;  /* NULL-terminated, may be NULL */
	bool has_timeout;
	int timeout; /* seconds, > 0 */
};

struct oci_hook_list {
	struct oci_hook *hooks;
	size_t n;
};

struct oci_hooks {
	struct oci_hook_list prestart;
	struct oci_hook_list create_runtime;
	struct oci_hook_list create_container;
	struct oci_hook_list start_container;
	struct oci_hook_list poststart;
	struct oci_hook_list poststop;
};

struct oci_namespace {
	int type;   /* CLONE_NEWPID, CLONE_NEWNET, ..., CLONE_NEWTIME */
	char *path; /* NULL: create a new one */
};

struct oci_device {
	char type; /* 'c', 'b', 'u', 'p' */
	char *path;
	int64_t major;
	int64_t minor;
	bool has_file_mode;
	uint32_t file_mode;
	bool has_uid;
	uint32_t uid;
	bool has_gid;
	uint32_t gid;
};

/* linux.resources.devices[] */
struct oci_device_rule {
	bool allow;
	char type;     /* 'a', 'c', 'b'; 'a' when absent */
	int64_t major; /* -1: any */
	int64_t minor; /* -1: any */
	char *access;  /* subset of "rwm"; NULL: "rwm" */
};

struct oci_memory {
	bool has_limit;
	int64_t limit;
	bool has_reservation;
	int64_t reservation;
	bool has_swap;
	int64_t swap;
	bool has_kernel;
	int64_t kernel;
	bool has_kernel_tcp;
	int64_t kernel_tcp;
	bool has_swappiness;
	uint64_t swappiness;
	bool has_disable_oom_killer;
	bool disable_oom_killer;
	bool has_use_hierarchy;
	bool use_hierarchy;
	bool check_before_update;
};

struct oci_cpu {
	bool has_shares;
	uint64_t shares;
	bool has_quota;
	int64_t quota;
	bool has_burst;
	uint64_t burst;
	bool has_period;
	uint64_t period;
	bool has_realtime_runtime;
	int64_t realtime_runtime;
	bool has_realtime_period;
	uint64_t realtime_period;
	char *cpus;
	char *mems;
	bool has_idle;
	int64_t idle;
};

struct oci_weight_device {
	int64_t major;
	int64_t minor;
	bool has_weight;
	uint16_t weight;
	bool has_leaf_weight;
	uint16_t leaf_weight;
};

struct oci_throttle_device {
	int64_t major;
	int64_t minor;
	uint64_t rate;
};

struct oci_throttle_list {
	struct oci_throttle_device *devs;
	size_t n;
};

struct oci_blkio {
	bool has_weight;
	uint16_t weight;
	bool has_leaf_weight;
	uint16_t leaf_weight;
	struct oci_weight_device *weight_device;
	size_t n_weight_device;
	struct oci_throttle_list throttle_read_bps;
	struct oci_throttle_list throttle_write_bps;
	struct oci_throttle_list throttle_read_iops;
	struct oci_throttle_list throttle_write_iops;
};

struct oci_hugepage_limit {
	char *page_size; /* "2MB" */
	uint64_t limit;
};

struct oci_net_priority {
	char *name;
	uint32_t priority;
};

struct oci_rdma_limit {
	char *device;
	bool has_hca_handles;
	uint32_t hca_handles;
	bool has_hca_objects;
	uint32_t hca_objects;
};

struct oci_resources {
	struct oci_device_rule *devices;
	size_t n_devices;
	bool has_memory;
	struct oci_memory memory;
	bool has_cpu;
	struct oci_cpu cpu;
	bool has_pids;
	int64_t pids_limit; /* <= 0: unlimited */
	bool has_blkio;
	struct oci_blkio blkio;
	struct oci_hugepage_limit *hugepage_limits;
	size_t n_hugepage_limits;
	bool has_net_class_id;
	uint32_t net_class_id;
	struct oci_net_priority *net_priorities;
	size_t n_net_priorities;
	struct oci_rdma_limit *rdma;
	size_t n_rdma;
	struct oci_kv *unified;
	size_t n_unified;
};

struct oci_seccomp_arg {
	uint32_t index;
	uint64_t value;
	uint64_t value_two;
	char *op; /* "SCMP_CMP_EQ", ... */
};

struct oci_seccomp_rule {
	char **names; /* NULL-terminated */
	size_t n_names;
	char *action; /* "SCMP_ACT_ERRNO", ... */
	bool has_errno_ret;
	uint32_t errno_ret;
	struct oci_seccomp_arg *args;
	size_t n_args;
};

struct oci_seccomp {
	char *default_action;
	bool has_default_errno_ret;
	uint32_t default_errno_ret;
	char **architectures; /* NULL-terminated, may be NULL */
	size_t n_architectures;
	char **flags; /* NULL-terminated, may be NULL */
	size_t n_flags;
	char *listener_path;
	char *listener_metadata;
	struct oci_seccomp_rule *syscalls;
	size_t n_syscalls;
};

struct oci_time_offset {
	bool set;
	int64_t secs;
	uint32_t nanosecs;
};

struct oci_linux {
	struct oci_namespace *namespaces;
	size_t n_namespaces;
	struct oci_idmap *uid_mappings;
	size_t n_uid_mappings;
	struct oci_idmap *gid_mappings;
	size_t n_gid_mappings;
	struct oci_device *devices;
	size_t n_devices;
	char *cgroups_path;
	struct oci_resources *resources; /* NULL when absent */
	char *rootfs_propagation;        /* "shared", "rslave", ...; NULL: default */
	char **masked_paths;             /* NULL-terminated, may be NULL */
	size_t n_masked_paths;
	char **readonly_paths;
	size_t n_readonly_paths;
	struct oci_kv *sysctl;
	size_t n_sysctl;
	struct oci_seccomp *seccomp; /* NULL when absent */
	char *mount_label;
	struct oci_time_offset time_monotonic;
	struct oci_time_offset time_boottime;
	bool has_personality;
	char *personality_domain; /* "LINUX", "LINUX32" */
};

struct oci_config {
	char *oci_version;
	char *root_path;
	bool root_readonly;
	char *hostname;
	char *domainname;
	struct oci_process *process; /* NULL when absent */
	struct oci_mount *mounts;
	size_t n_mounts;
	struct oci_hooks hooks;
	struct oci_kv *annotations;
	size_t n_annotations;
	struct oci_linux *linux; /* NULL when absent */
};

/* Decodes and validates a config.json document. Unknown fields are ignored as
 * the spec requires; a field of the wrong type, a missing required field or an
 * invalid value fails with a message naming the field, e.g.
 * "process.cwd: must be an absolute path". */
struct oci_config *oci_config_parse(const char *json, size_t len, berth_err **err);

/* Reads path and decodes it (errors are prefixed with the path). */
struct oci_config *oci_config_load(const char *path, berth_err **err);

void oci_config_free(struct oci_config *c);

/* Decodes a process object (exec --process FILE), validated as for a config. */
struct oci_process *oci_process_parse(const char *json, size_t len, berth_err **err);

void oci_process_free(struct oci_process *p);

/* Decodes a linux.resources object (update --resources FILE). */
struct oci_resources *oci_resources_parse(const char *json, size_t len, berth_err **err);

void oci_resources_free(struct oci_resources *r);

/* Looks up a namespace of type (CLONE_NEW*) in c->linux; NULL if absent. */
const struct oci_namespace *oci_config_namespace(const struct oci_config *c, int type);

/* Capability name ("CAP_CHOWN") to number, -1 when unknown; and back. */
int oci_cap_from_name(const char *name);

/* Whether an environment entry is KEY=value with a non-empty KEY (the
 * spec's form; runc refuses others). */
bool oci_env_entry_valid(const char *kv);
const char *oci_cap_name(int cap);
/* Highest capability number berth knows by name. */
int oci_cap_last_known(void);

/* Rlimit name ("RLIMIT_NOFILE") to resource number, -1 when unknown. */
int oci_rlimit_from_name(const char *name);

/* Namespace type name ("pid", "network", ...) to CLONE_NEW* flag, 0 when
 * unknown; and back ("network" for CLONE_NEWNET). */
int oci_namespace_from_name(const char *name);
const char *oci_namespace_name(int type);

#endif
