/* config.json, exec --process and update --resources documents: the decoder
 * tables that map the spec's JSON onto struct oci_config, and the semantic
 * checks the spec asks for beyond types (absolute paths, known names, no
 * duplicates). Seccomp names stay raw: src/linux/seccomp validates them. */
#include "oci/config.h"

#include <ctype.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/mount_opts.h"
#include "oci/decode.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* ---- converters for symbolic values ---- */

static int conv_capset(struct dec_ctx *d, struct json_object *v, void *dst)
{
	uint64_t mask = 0;
	size_t n;

	if (!json_object_is_type(v, json_type_array))
		return dec_fail(d, "expected array of strings, got %s", dec_type_name(v));
	n = json_object_array_length(v);
	for (size_t i = 0; i < n; i++) {
		size_t saved = dec_push_index(d, i);
		const char *name;
		int cap;

		if (dec_string(d, json_object_array_get_idx(v, i), &name) < 0)
			return -1;
		cap = oci_cap_from_name(name);
		/* runc warns and carries on: a config written for a newer kernel
		 * must still run here, without the capability it cannot have. */
		if (cap < 0 || cap > 63)
			log_warn("%s: ignoring unknown capability \"%s\"", d->path, name);
		else
			mask |= UINT64_C(1) << cap;
		dec_pop(d, saved);
	}
	*(uint64_t *)dst = mask;
	return 0;
}

static int conv_namespace(struct dec_ctx *d, struct json_object *v, void *dst)
{
	const char *name;
	int type;

	if (dec_string(d, v, &name) < 0)
		return -1;
	type = oci_namespace_from_name(name);
	if (type == 0)
		return dec_fail(d, "unknown namespace type \"%s\"", name);
	*(int *)dst = type;
	return 0;
}

/* process.scheduler.policy: the kernel's SCHED_* numbers (SCHED_ISO is
 * named by the spec and reserved by Linux, which has no such policy). */
static int conv_sched_policy(struct dec_ctx *d, struct json_object *v, void *dst)
{
	static const char *const names[] = { "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
					     "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE" };
	const char *name;

	if (dec_string(d, v, &name) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(names[i], name) == 0) {
			if (i == 4)
				return dec_fail(d, "SCHED_ISO is not a policy Linux has");
			*(int *)dst = (int)i;
			return 0;
		}
	}
	return dec_fail(d, "unknown scheduling policy \"%s\"", name);
}

static int conv_sched_flags(struct dec_ctx *d, struct json_object *v, void *dst)
{
	static const char *const names[] = { "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM",
					     "SCHED_FLAG_DL_OVERRUN",    "SCHED_FLAG_KEEP_POLICY",
					     "SCHED_FLAG_KEEP_PARAMS",   "SCHED_FLAG_UTIL_CLAMP_MIN",
					     "SCHED_FLAG_UTIL_CLAMP_MAX" };
	uint64_t bits = 0;

	if (!json_object_is_type(v, json_type_array))
		return dec_fail(d, "expected array, got %s", dec_type_name(v));
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		const char *name;
		size_t k;

		if (dec_string(d, json_object_array_get_idx(v, i), &name) < 0)
			return -1;
		for (k = 0; k < ARRAY_SIZE(names) && strcmp(names[k], name) != 0; k++)
			;
		if (k == ARRAY_SIZE(names))
			return dec_fail(d, "unknown scheduling flag \"%s\"", name);
		bits |= UINT64_C(1) << k; /* the kernel's values, 0x01 to 0x40 */
	}
	*(uint64_t *)dst = bits;
	return 0;
}

static int conv_ioprio_class(struct dec_ctx *d, struct json_object *v, void *dst)
{
	static const char *const classes[] = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE" };
	const char *name;

	if (dec_string(d, v, &name) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		if (strcmp(classes[i], name) == 0) {
			*(int *)dst = (int)i + 1;
			return 0;
		}
	}
	return dec_fail(d, "unknown I/O priority class \"%s\"", name);
}

static int conv_char_of(struct dec_ctx *d, struct json_object *v, void *dst, const char *allowed)
{
	const char *s;

	if (dec_string(d, v, &s) < 0)
		return -1;
	if (s[0] == '\0' || s[1] != '\0' || strchr(allowed, s[0]) == NULL)
		return dec_fail(d, "unknown device type \"%s\"", s);
	*(char *)dst = s[0];
	return 0;
}

static int conv_device_type(struct dec_ctx *d, struct json_object *v, void *dst)
{
	return conv_char_of(d, v, dst, "cbup");
}

static int conv_rule_type(struct dec_ctx *d, struct json_object *v, void *dst)
{
	return conv_char_of(d, v, dst, "acb");
}

/* Device numbers that must be given (absent ones stay -1, from init), in
 * what mknod(2) can carry: 12 bits of major, 20 of minor. More would be cut
 * to another device. */
static int conv_dev_major(struct dec_ctx *d, struct json_object *v, void *dst)
{
	return dec_int64(d, v, 0, 4095, dst);
}

static int conv_dev_minor(struct dec_ctx *d, struct json_object *v, void *dst)
{
	return dec_int64(d, v, 0, 1048575, dst);
}

/* Fields of the spec berth does not implement: config.md wants an error for
 * an unsupported value rather than a container that silently lacks it (a
 * real-time policy, a cache allocation). null is the field left out. */
static int conv_unsupported(struct dec_ctx *d, struct json_object *v, void *dst)
{
	(void)dst;
	if (v == NULL)
		return 0;
	return dec_fail(d, "not supported by berth");
}

/* linux.netDevices is not used by berth, but a malformed one is still an
 * invalid config. */
static int conv_netdevices(struct dec_ctx *d, struct json_object *v, void *dst)
{
	(void)dst;
	if (!json_object_is_type(v, json_type_object))
		return dec_fail(d, "expected object, got %s", dec_type_name(v));
	json_object_object_foreach(v, key, dev)
	{
		size_t saved = dec_push_name(d, key);
		struct json_object *name;
		const char *s;

		if (!json_object_is_type(dev, json_type_object))
			return dec_fail(d, "expected object, got %s", dec_type_name(dev));
		if (json_object_object_get_ex(dev, "name", &name) && name) {
			dec_push_name(d, "name");
			if (dec_string(d, name, &s) < 0)
				return -1;
		}
		dec_pop(d, saved);
	}
	return 0;
}

/* ---- tables ---- */

static const struct dec_field idmap_fields[] = {
	F_SCALAR(struct oci_idmap, "containerID", DK_U32, container_id, true),
	F_SCALAR(struct oci_idmap, "hostID", DK_U32, host_id, true),
	F_SCALAR(struct oci_idmap, "size", DK_U32, size, true),
};
static const struct dec_table idmap_table = DEC_TABLE(struct oci_idmap, idmap_fields, NULL, DEC_NONE);

static const struct dec_field user_fields[] = {
	F_SCALAR(struct oci_user, "uid", DK_U32, uid, true),
	F_SCALAR(struct oci_user, "gid", DK_U32, gid, true),
	F_OPT(struct oci_user, "umask", DK_U32, umask, has_umask),
	F_U32V(struct oci_user, "additionalGids", additional_gids, n_additional_gids),
	F_STR(struct oci_user, "username", username, false),
};
static const struct dec_table user_table = DEC_TABLE(struct oci_user, user_fields, NULL, DEC_NONE);

static const struct dec_field caps_fields[] = {
	F_CUSTOM(struct oci_caps, "bounding", bounding, conv_capset, false),
	F_CUSTOM(struct oci_caps, "effective", effective, conv_capset, false),
	F_CUSTOM(struct oci_caps, "inheritable", inheritable, conv_capset, false),
	F_CUSTOM(struct oci_caps, "permitted", permitted, conv_capset, false),
	F_CUSTOM(struct oci_caps, "ambient", ambient, conv_capset, false),
};
static const struct dec_table caps_table = DEC_TABLE(struct oci_caps, caps_fields, NULL, DEC_NONE);

static void rlimit_init(void *p)
{
	((struct oci_rlimit *)p)->resource = -1;
}

static const struct dec_field rlimit_fields[] = {
	F_STR(struct oci_rlimit, "type", type, true),
	F_SCALAR(struct oci_rlimit, "soft", DK_U64, soft, true),
	F_SCALAR(struct oci_rlimit, "hard", DK_U64, hard, true),
};
static const struct dec_table rlimit_table = DEC_TABLE(struct oci_rlimit, rlimit_fields, rlimit_init, DEC_NONE);

static const struct dec_field console_fields[] = {
	F_SCALAR(struct oci_process, "height", DK_U32, console_height, true),
	F_SCALAR(struct oci_process, "width", DK_U32, console_width, true),
};
static const struct dec_table console_table = DEC_TABLE(struct oci_process, console_fields, NULL, DEC_NONE);

static const struct dec_field ioprio_fields[] = {
	F_CUSTOM(struct oci_process, "class", io_priority_class, conv_ioprio_class, true),
	F_SCALAR(struct oci_process, "priority", DK_I32, io_priority, true),
};
static const struct dec_table ioprio_table = DEC_TABLE(struct oci_process, ioprio_fields, NULL, DEC_NONE);

static const struct dec_field scheduler_fields[] = {
	F_CUSTOM(struct oci_process, "policy", sched_policy, conv_sched_policy, true),
	F_SCALAR(struct oci_process, "nice", DK_I32, sched_nice, false),
	F_SCALAR(struct oci_process, "priority", DK_I32, sched_priority, false),
	F_CUSTOM(struct oci_process, "flags", sched_flags, conv_sched_flags, false),
	F_SCALAR(struct oci_process, "runtime", DK_U64, sched_runtime, false),
	F_SCALAR(struct oci_process, "deadline", DK_U64, sched_deadline, false),
	F_SCALAR(struct oci_process, "period", DK_U64, sched_period, false),
};
static const struct dec_table scheduler_table = DEC_TABLE(struct oci_process, scheduler_fields, NULL, DEC_NONE);

static const struct dec_field process_fields[] = {
	F_SCALAR(struct oci_process, "terminal", DK_BOOL, terminal, false),
	F_INLINE(struct oci_process, "consoleSize", has_console_size, &console_table),
	F_STR(struct oci_process, "cwd", cwd, true),
	F_STRV(struct oci_process, "env", env, false),
	F_STRV(struct oci_process, "args", args, true),
	F_OBJ(struct oci_process, "user", user, &user_table),
	F_OBJPTR(struct oci_process, "capabilities", caps, &caps_table),
	F_OBJARR(struct oci_process, "rlimits", rlimits, n_rlimits, &rlimit_table),
	F_SCALAR(struct oci_process, "noNewPrivileges", DK_BOOL, no_new_privileges, false),
	F_STR(struct oci_process, "apparmorProfile", apparmor_profile, false),
	F_OPT(struct oci_process, "oomScoreAdj", DK_I32, oom_score_adj, has_oom_score_adj),
	F_STR(struct oci_process, "selinuxLabel", selinux_label, false),
	F_INLINE(struct oci_process, "ioPriority", has_io_priority, &ioprio_table),
	F_INLINE(struct oci_process, "scheduler", has_scheduler, &scheduler_table),
	{ "execCPUAffinity", DK_CUSTOM, 0, DEC_NONE, false, NULL, conv_unsupported },
};
static const struct dec_table process_table = DEC_TABLE(struct oci_process, process_fields, NULL, DEC_NONE);

static const struct dec_field mount_fields[] = {
	F_STR(struct oci_mount, "destination", destination, true),
	F_STR(struct oci_mount, "source", source, false),
	F_STR(struct oci_mount, "type", type, false),
	F_STRVN(struct oci_mount, "options", options, n_options, false),
	F_OBJARR(struct oci_mount, "uidMappings", uid_mappings, n_uid_mappings, &idmap_table),
	F_OBJARR(struct oci_mount, "gidMappings", gid_mappings, n_gid_mappings, &idmap_table),
};
static const struct dec_table mount_table = DEC_TABLE(struct oci_mount, mount_fields, NULL, DEC_NONE);

static const struct dec_field hook_fields[] = {
	F_STR(struct oci_hook, "path", path, true),
	F_STRV(struct oci_hook, "args", args, false),
	F_STRV(struct oci_hook, "env", env, false),
	F_OPT(struct oci_hook, "timeout", DK_I32, timeout, has_timeout),
};
static const struct dec_table hook_table = DEC_TABLE(struct oci_hook, hook_fields, NULL, DEC_NONE);

#define HOOK_LIST(jname, mem) F_OBJARR(struct oci_hooks, jname, mem.hooks, mem.n, &hook_table)
static const struct dec_field hooks_fields[] = {
	HOOK_LIST("prestart", prestart),
	HOOK_LIST("createRuntime", create_runtime),
	HOOK_LIST("createContainer", create_container),
	HOOK_LIST("startContainer", start_container),
	HOOK_LIST("poststart", poststart),
	HOOK_LIST("poststop", poststop),
};
static const struct dec_table hooks_table = DEC_TABLE(struct oci_hooks, hooks_fields, NULL, DEC_NONE);

static const struct dec_field namespace_fields[] = {
	F_CUSTOM(struct oci_namespace, "type", type, conv_namespace, true),
	F_STR(struct oci_namespace, "path", path, false),
};
static const struct dec_table namespace_table = DEC_TABLE(struct oci_namespace, namespace_fields, NULL, DEC_NONE);

static void device_init(void *p)
{
	struct oci_device *dev = p;

	dev->major = -1;
	dev->minor = -1;
}

static const struct dec_field device_fields[] = {
	F_CUSTOM(struct oci_device, "type", type, conv_device_type, true),
	F_STR(struct oci_device, "path", path, true),
	F_CUSTOM(struct oci_device, "major", major, conv_dev_major, false),
	F_CUSTOM(struct oci_device, "minor", minor, conv_dev_minor, false),
	F_OPT(struct oci_device, "fileMode", DK_U32, file_mode, has_file_mode),
	F_OPT(struct oci_device, "uid", DK_U32, uid, has_uid),
	F_OPT(struct oci_device, "gid", DK_U32, gid, has_gid),
};
static const struct dec_table device_table = DEC_TABLE(struct oci_device, device_fields, device_init, DEC_NONE);

static void device_rule_init(void *p)
{
	struct oci_device_rule *r = p;

	r->type = 'a';
	r->major = -1;
	r->minor = -1;
}

static const struct dec_field device_rule_fields[] = {
	F_SCALAR(struct oci_device_rule, "allow", DK_BOOL, allow, true),
	F_CUSTOM(struct oci_device_rule, "type", type, conv_rule_type, false),
	F_SCALAR(struct oci_device_rule, "major", DK_I64, major, false),
	F_SCALAR(struct oci_device_rule, "minor", DK_I64, minor, false),
	F_STR(struct oci_device_rule, "access", access, false),
};
static const struct dec_table device_rule_table =
	DEC_TABLE(struct oci_device_rule, device_rule_fields, device_rule_init, DEC_NONE);

static const struct dec_field memory_fields[] = {
	F_OPT(struct oci_memory, "limit", DK_I64, limit, has_limit),
	F_OPT(struct oci_memory, "reservation", DK_I64, reservation, has_reservation),
	F_OPT(struct oci_memory, "swap", DK_I64, swap, has_swap),
	F_OPT(struct oci_memory, "kernel", DK_I64, kernel, has_kernel),
	F_OPT(struct oci_memory, "kernelTCP", DK_I64, kernel_tcp, has_kernel_tcp),
	F_OPT(struct oci_memory, "swappiness", DK_U64, swappiness, has_swappiness),
	F_OPT(struct oci_memory, "disableOOMKiller", DK_BOOL, disable_oom_killer, has_disable_oom_killer),
	F_OPT(struct oci_memory, "useHierarchy", DK_BOOL, use_hierarchy, has_use_hierarchy),
	F_SCALAR(struct oci_memory, "checkBeforeUpdate", DK_BOOL, check_before_update, false),
};
static const struct dec_table memory_table = DEC_TABLE(struct oci_memory, memory_fields, NULL, DEC_NONE);

static const struct dec_field cpu_fields[] = {
	F_OPT(struct oci_cpu, "shares", DK_U64, shares, has_shares),
	F_OPT(struct oci_cpu, "quota", DK_I64, quota, has_quota),
	F_OPT(struct oci_cpu, "burst", DK_U64, burst, has_burst),
	F_OPT(struct oci_cpu, "period", DK_U64, period, has_period),
	F_OPT(struct oci_cpu, "realtimeRuntime", DK_I64, realtime_runtime, has_realtime_runtime),
	F_OPT(struct oci_cpu, "realtimePeriod", DK_U64, realtime_period, has_realtime_period),
	F_STR(struct oci_cpu, "cpus", cpus, false),
	F_STR(struct oci_cpu, "mems", mems, false),
	F_OPT(struct oci_cpu, "idle", DK_I64, idle, has_idle),
};
static const struct dec_table cpu_table = DEC_TABLE(struct oci_cpu, cpu_fields, NULL, DEC_NONE);

static const struct dec_field weight_device_fields[] = {
	F_SCALAR(struct oci_weight_device, "major", DK_I64, major, true),
	F_SCALAR(struct oci_weight_device, "minor", DK_I64, minor, true),
	F_OPT(struct oci_weight_device, "weight", DK_U16, weight, has_weight),
	F_OPT(struct oci_weight_device, "leafWeight", DK_U16, leaf_weight, has_leaf_weight),
};
static const struct dec_table weight_device_table =
	DEC_TABLE(struct oci_weight_device, weight_device_fields, NULL, DEC_NONE);

static const struct dec_field throttle_fields[] = {
	F_SCALAR(struct oci_throttle_device, "major", DK_I64, major, true),
	F_SCALAR(struct oci_throttle_device, "minor", DK_I64, minor, true),
	F_SCALAR(struct oci_throttle_device, "rate", DK_U64, rate, true),
};
static const struct dec_table throttle_table = DEC_TABLE(struct oci_throttle_device, throttle_fields, NULL, DEC_NONE);

#define THROTTLE(jname, mem) F_OBJARR(struct oci_blkio, jname, mem.devs, mem.n, &throttle_table)
static const struct dec_field blkio_fields[] = {
	F_OPT(struct oci_blkio, "weight", DK_U16, weight, has_weight),
	F_OPT(struct oci_blkio, "leafWeight", DK_U16, leaf_weight, has_leaf_weight),
	F_OBJARR(struct oci_blkio, "weightDevice", weight_device, n_weight_device, &weight_device_table),
	THROTTLE("throttleReadBpsDevice", throttle_read_bps),
	THROTTLE("throttleWriteBpsDevice", throttle_write_bps),
	THROTTLE("throttleReadIOPSDevice", throttle_read_iops),
	THROTTLE("throttleWriteIOPSDevice", throttle_write_iops),
};
static const struct dec_table blkio_table = DEC_TABLE(struct oci_blkio, blkio_fields, NULL, DEC_NONE);

static const struct dec_field hugepage_fields[] = {
	F_STR(struct oci_hugepage_limit, "pageSize", page_size, true),
	F_SCALAR(struct oci_hugepage_limit, "limit", DK_U64, limit, true),
};
static const struct dec_table hugepage_table = DEC_TABLE(struct oci_hugepage_limit, hugepage_fields, NULL, DEC_NONE);

static const struct dec_field net_priority_fields[] = {
	F_STR(struct oci_net_priority, "name", name, true),
	F_SCALAR(struct oci_net_priority, "priority", DK_U32, priority, true),
};
static const struct dec_table net_priority_table =
	DEC_TABLE(struct oci_net_priority, net_priority_fields, NULL, DEC_NONE);

static const struct dec_field network_fields[] = {
	F_OPT(struct oci_resources, "classID", DK_U32, net_class_id, has_net_class_id),
	F_OBJARR(struct oci_resources, "priorities", net_priorities, n_net_priorities, &net_priority_table),
};
static const struct dec_table network_table = DEC_TABLE(struct oci_resources, network_fields, NULL, DEC_NONE);

static const struct dec_field pids_fields[] = {
	F_OPT(struct oci_resources, "limit", DK_I64, pids_limit, has_pids),
};
static const struct dec_table pids_table = DEC_TABLE(struct oci_resources, pids_fields, NULL, DEC_NONE);

static const struct dec_field rdma_fields[] = {
	F_OPT(struct oci_rdma_limit, "hcaHandles", DK_U32, hca_handles, has_hca_handles),
	F_OPT(struct oci_rdma_limit, "hcaObjects", DK_U32, hca_objects, has_hca_objects),
};
static const struct dec_table rdma_table =
	DEC_TABLE(struct oci_rdma_limit, rdma_fields, NULL, offsetof(struct oci_rdma_limit, device));

static const struct dec_field resources_fields[] = {
	F_OBJARR(struct oci_resources, "devices", devices, n_devices, &device_rule_table),
	F_OBJH(struct oci_resources, "memory", memory, has_memory, &memory_table),
	F_OBJH(struct oci_resources, "cpu", cpu, has_cpu, &cpu_table),
	{ "pids", DK_OBJ, 0, DEC_NONE, false, &pids_table, NULL },
	F_OBJH(struct oci_resources, "blockIO", blkio, has_blkio, &blkio_table),
	F_OBJARR(struct oci_resources, "hugepageLimits", hugepage_limits, n_hugepage_limits, &hugepage_table),
	{ "network", DK_OBJ, 0, DEC_NONE, false, &network_table, NULL },
	F_OBJMAP(struct oci_resources, "rdma", rdma, n_rdma, &rdma_table),
	F_KVMAP(struct oci_resources, "unified", unified, n_unified),
};
static const struct dec_table resources_table = DEC_TABLE(struct oci_resources, resources_fields, NULL, DEC_NONE);

static const struct dec_field seccomp_arg_fields[] = {
	F_SCALAR(struct oci_seccomp_arg, "index", DK_U32, index, true),
	F_SCALAR(struct oci_seccomp_arg, "value", DK_U64, value, true),
	F_SCALAR(struct oci_seccomp_arg, "valueTwo", DK_U64, value_two, false),
	F_STR(struct oci_seccomp_arg, "op", op, true),
};
static const struct dec_table seccomp_arg_table = DEC_TABLE(struct oci_seccomp_arg, seccomp_arg_fields, NULL, DEC_NONE);

static const struct dec_field seccomp_rule_fields[] = {
	F_STRVN(struct oci_seccomp_rule, "names", names, n_names, true),
	F_STR(struct oci_seccomp_rule, "action", action, true),
	F_OPT(struct oci_seccomp_rule, "errnoRet", DK_U32, errno_ret, has_errno_ret),
	F_OBJARR(struct oci_seccomp_rule, "args", args, n_args, &seccomp_arg_table),
};
static const struct dec_table seccomp_rule_table =
	DEC_TABLE(struct oci_seccomp_rule, seccomp_rule_fields, NULL, DEC_NONE);

static const struct dec_field seccomp_fields[] = {
	F_STR(struct oci_seccomp, "defaultAction", default_action, true),
	F_OPT(struct oci_seccomp, "defaultErrnoRet", DK_U32, default_errno_ret, has_default_errno_ret),
	F_STRVN(struct oci_seccomp, "architectures", architectures, n_architectures, false),
	F_STRVN(struct oci_seccomp, "flags", flags, n_flags, false),
	F_STR(struct oci_seccomp, "listenerPath", listener_path, false),
	F_STR(struct oci_seccomp, "listenerMetadata", listener_metadata, false),
	F_OBJARR(struct oci_seccomp, "syscalls", syscalls, n_syscalls, &seccomp_rule_table),
};
static const struct dec_table seccomp_table = DEC_TABLE(struct oci_seccomp, seccomp_fields, NULL, DEC_NONE);

static const struct dec_field time_offset_fields[] = {
	F_SCALAR(struct oci_time_offset, "secs", DK_I64, secs, false),
	F_SCALAR(struct oci_time_offset, "nanosecs", DK_U32, nanosecs, false),
};
static const struct dec_table time_offset_table = DEC_TABLE(struct oci_time_offset, time_offset_fields, NULL, DEC_NONE);

static const struct dec_field time_offsets_fields[] = {
	F_OBJH(struct oci_linux, "monotonic", time_monotonic, time_monotonic.set, &time_offset_table),
	F_OBJH(struct oci_linux, "boottime", time_boottime, time_boottime.set, &time_offset_table),
};
static const struct dec_table time_offsets_table = DEC_TABLE(struct oci_linux, time_offsets_fields, NULL, DEC_NONE);

static const struct dec_field personality_fields[] = {
	F_STR(struct oci_linux, "domain", personality_domain, true),
};
static const struct dec_table personality_table = DEC_TABLE(struct oci_linux, personality_fields, NULL, DEC_NONE);

static const struct dec_field linux_fields[] = {
	F_OBJARR(struct oci_linux, "namespaces", namespaces, n_namespaces, &namespace_table),
	F_OBJARR(struct oci_linux, "uidMappings", uid_mappings, n_uid_mappings, &idmap_table),
	F_OBJARR(struct oci_linux, "gidMappings", gid_mappings, n_gid_mappings, &idmap_table),
	F_OBJARR(struct oci_linux, "devices", devices, n_devices, &device_table),
	F_STR(struct oci_linux, "cgroupsPath", cgroups_path, false),
	F_OBJPTR(struct oci_linux, "resources", resources, &resources_table),
	F_STR(struct oci_linux, "rootfsPropagation", rootfs_propagation, false),
	F_STRVN(struct oci_linux, "maskedPaths", masked_paths, n_masked_paths, false),
	F_STRVN(struct oci_linux, "readonlyPaths", readonly_paths, n_readonly_paths, false),
	F_KVMAP(struct oci_linux, "sysctl", sysctl, n_sysctl),
	F_OBJPTR(struct oci_linux, "seccomp", seccomp, &seccomp_table),
	F_STR(struct oci_linux, "mountLabel", mount_label, false),
	{ "timeOffsets", DK_OBJ, 0, DEC_NONE, false, &time_offsets_table, NULL },
	F_INLINE(struct oci_linux, "personality", has_personality, &personality_table),
	{ "netDevices", DK_CUSTOM, 0, DEC_NONE, false, NULL, conv_netdevices },
	{ "intelRdt", DK_CUSTOM, 0, DEC_NONE, false, NULL, conv_unsupported },
	{ "memoryPolicy", DK_CUSTOM, 0, DEC_NONE, false, NULL, conv_unsupported },
};
static const struct dec_table linux_table = DEC_TABLE(struct oci_linux, linux_fields, NULL, DEC_NONE);

static const struct dec_field root_fields[] = {
	F_STR(struct oci_config, "path", root_path, true),
	F_SCALAR(struct oci_config, "readonly", DK_BOOL, root_readonly, false),
};
static const struct dec_table root_table = DEC_TABLE(struct oci_config, root_fields, NULL, DEC_NONE);

static const struct dec_field config_fields[] = {
	F_STR(struct oci_config, "ociVersion", oci_version, true),
	F_INLINE_REQ("root", &root_table),
	F_STR(struct oci_config, "hostname", hostname, false),
	F_STR(struct oci_config, "domainname", domainname, false),
	F_OBJPTR(struct oci_config, "process", process, &process_table),
	F_OBJARR(struct oci_config, "mounts", mounts, n_mounts, &mount_table),
	F_OBJ(struct oci_config, "hooks", hooks, &hooks_table),
	F_KVMAP(struct oci_config, "annotations", annotations, n_annotations),
	F_OBJPTR(struct oci_config, "linux", linux, &linux_table),
};
static const struct dec_table config_table = DEC_TABLE(struct oci_config, config_fields, NULL, DEC_NONE);

/* ---- validation ---- */

static int fail_at(berth_err **err, const char *field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "<field>: <message>"; field is a JSON path such as "process.cwd". */
static int fail_at(berth_err **err, const char *field, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (r < 0)
		berth_abort();
	return berth_err_set(err, 0, "%s: %s", field, msg);
}

static int check_absolute(const char *path, berth_err **err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Fails unless path is absolute; the field name is built from fmt. */
static int check_absolute(const char *path, berth_err **err, const char *fmt, ...)
{
	_cleanup_free_ char *field = NULL;
	va_list ap;
	int r;

	if (path && path[0] == '/')
		return 0;
	va_start(ap, fmt);
	r = vasprintf(&field, fmt, ap);
	va_end(ap);
	if (r < 0)
		berth_abort();
	return fail_at(err, field, "must be an absolute path, got \"%s\"", path ? path : "");
}

/* runc's range for ids: (uid_t)-1 means "leave as is" to setresuid, so a
 * uid of 4294967295 would keep the process root. */
static int check_id(uint32_t v, berth_err **err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int check_id(uint32_t v, berth_err **err, const char *fmt, ...)
{
	char field[128];
	va_list ap;

	if (v <= INT32_MAX)
		return 0;
	va_start(ap, fmt);
	vsnprintf(field, sizeof(field), fmt, ap);
	va_end(ap);
	return fail_at(err, field, "value %u out of range (ids are 0 to 2147483647)", v);
}

bool oci_env_entry_valid(const char *kv)
{
	const char *eq = strchr(kv, '=');

	return eq != NULL && eq != kv;
}

static int validate_process(const struct oci_process *p, const char *pre, berth_err **err)
{
	char field[128];

	if (check_id(p->user.uid, err, "%s.user.uid", pre) < 0 || check_id(p->user.gid, err, "%s.user.gid", pre) < 0)
		return -1;
	for (size_t i = 0; i < p->user.n_additional_gids; i++)
		if (check_id(p->user.additional_gids[i], err, "%s.user.additionalGids[%zu]", pre, i) < 0)
			return -1;
	if (p->has_console_size && (p->console_height > 65535 || p->console_width > 65535)) {
		snprintf(field, sizeof(field), "%s.consoleSize", pre);
		return fail_at(err, field, "height and width must be at most 65535");
	}

	if (check_absolute(p->cwd, err, "%s.cwd", pre) < 0)
		return -1;
	for (size_t i = 0; p->env && p->env[i]; i++) {
		if (!oci_env_entry_valid(p->env[i])) {
			snprintf(field, sizeof(field), "%s.env[%zu]", pre, i);
			return fail_at(err, field, "invalid environment variable \"%s\": not KEY=value", p->env[i]);
		}
	}
	if (p->args == NULL || p->args[0] == NULL) {
		snprintf(field, sizeof(field), "%s.args", pre);
		return fail_at(err, field, "must not be empty");
	}
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct oci_rlimit *rl = &p->rlimits[i];

		snprintf(field, sizeof(field), "%s.rlimits[%zu].type", pre, i);
		rl->resource = oci_rlimit_from_name(rl->type);
		if (rl->resource < 0)
			return fail_at(err, field, "unknown rlimit type \"%s\"", rl->type);
		for (size_t j = 0; j < i; j++)
			if (p->rlimits[j].resource == rl->resource)
				return fail_at(err, field, "duplicate rlimit type \"%s\"", rl->type);
	}
	if (p->has_io_priority && (p->io_priority < 0 || p->io_priority > 7)) {
		snprintf(field, sizeof(field), "%s.ioPriority.priority", pre);
		return fail_at(err, field, "must be between 0 and 7, got %d", p->io_priority);
	}
	return 0;
}

static int validate_hooks(const struct oci_hooks *h, berth_err **err)
{
	const struct {
		const char *name;
		const struct oci_hook_list *list;
	} lists[] = {
		{ "prestart", &h->prestart },		  { "createRuntime", &h->create_runtime },
		{ "createContainer", &h->create_container }, { "startContainer", &h->start_container },
		{ "poststart", &h->poststart },		  { "poststop", &h->poststop },
	};

	for (size_t l = 0; l < ARRAY_SIZE(lists); l++) {
		for (size_t i = 0; i < lists[l].list->n; i++) {
			const struct oci_hook *hk = &lists[l].list->hooks[i];

			if (check_absolute(hk->path, err, "hooks.%s[%zu].path", lists[l].name, i) < 0)
				return -1;
			if (hk->has_timeout && hk->timeout <= 0) {
				char field[96];
				snprintf(field, sizeof(field), "hooks.%s[%zu].timeout", lists[l].name, i);
				return fail_at(err, field, "must be greater than zero, got %d", hk->timeout);
			}
		}
	}
	return 0;
}

static int validate_mounts(const struct oci_config *c, berth_err **err)
{
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct oci_mount *m = &c->mounts[i];
		struct mount_opts o;

		/* A relative destination is deprecated but still allowed: it is
		 * taken relative to the root, as written. */
		if (m->destination[0] == '\0') {
			char field[64];
			snprintf(field, sizeof(field), "mounts[%zu].destination", i);
			return fail_at(err, field, "must not be empty");
		}
		if (mount_opts_parse(m->options, &o, err) < 0)
			return berth_err_wrap(err, "mounts[%zu].options", i);
		mount_opts_clear(&o);
	}
	return 0;
}

static bool valid_page_size(const char *s)
{
	size_t n = 0;

	if (s[0] < '1' || s[0] > '9')
		return false;
	while (isdigit((unsigned char)s[n]))
		n++;
	return strchr("KMG", s[n]) && s[n] != '\0' && s[n + 1] == 'B' && s[n + 2] == '\0';
}

static int validate_resources(struct oci_resources *r, const char *pre, berth_err **err)
{
	char field[128];

	for (size_t i = 0; i < r->n_devices; i++) {
		struct oci_device_rule *d = &r->devices[i];

		if (d->access == NULL)
			continue;
		snprintf(field, sizeof(field), "%sdevices[%zu].access", pre, i);
		if (strspn(d->access, "rwm") != strlen(d->access))
			return fail_at(err, field, "invalid access \"%s\": only r, w and m are allowed", d->access);
		if (d->access[0] == '\0') {
			free(d->access);
			d->access = NULL;
		}
	}
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		if (!valid_page_size(r->hugepage_limits[i].page_size)) {
			snprintf(field, sizeof(field), "%shugepageLimits[%zu].pageSize", pre, i);
			return fail_at(err, field, "invalid page size \"%s\" (expected e.g. \"2MB\" or \"1GB\")",
				       r->hugepage_limits[i].page_size);
		}
	}
	return 0;
}

static const struct oci_namespace *find_ns(const struct oci_linux *l, int type)
{
	for (size_t i = 0; i < l->n_namespaces; i++)
		if (l->namespaces[i].type == type)
			return &l->namespaces[i];
	return NULL;
}

static int validate_namespaces(struct oci_linux *l, berth_err **err)
{
	const struct oci_namespace *user;

	for (size_t i = 0; i < l->n_namespaces; i++) {
		struct oci_namespace *ns = &l->namespaces[i];
		char field[64];

		/* An empty path is what Go marshals for "none": a new namespace. */
		if (ns->path && ns->path[0] == '\0') {
			free(ns->path);
			ns->path = NULL;
		}
		for (size_t j = 0; j < i; j++) {
			if (l->namespaces[j].type == ns->type) {
				snprintf(field, sizeof(field), "linux.namespaces[%zu].type", i);
				return fail_at(err, field, "duplicated namespace \"%s\"", oci_namespace_name(ns->type));
			}
		}
		if (ns->path && check_absolute(ns->path, err, "linux.namespaces[%zu].path", i) < 0)
			return -1;
	}
	/* Mappings without a user namespace are ignored, as runc does. */
	user = find_ns(l, CLONE_NEWUSER);
	if (user && user->path == NULL) {
		if (l->n_uid_mappings == 0)
			return fail_at(err, "linux.uidMappings", "user namespaces enabled, but no uid mappings found");
		if (l->n_gid_mappings == 0)
			return fail_at(err, "linux.gidMappings", "user namespaces enabled, but no gid mappings found");
	}
	return 0;
}

static int validate_linux(struct oci_linux *l, berth_err **err)
{
	char field[64];

	if (validate_namespaces(l, err) < 0)
		return -1;
	for (size_t i = 0; i < l->n_devices; i++) {
		const struct oci_device *d = &l->devices[i];

		if (check_absolute(d->path, err, "linux.devices[%zu].path", i) < 0)
			return -1;
		if (d->type != 'p' && (d->major < 0 || d->minor < 0)) {
			snprintf(field, sizeof(field), "linux.devices[%zu].%s", i, d->major < 0 ? "major" : "minor");
			return fail_at(err, field, "required for device type \"%c\"", d->type);
		}
		if ((d->has_uid && check_id(d->uid, err, "linux.devices[%zu].uid", i) < 0) ||
		    (d->has_gid && check_id(d->gid, err, "linux.devices[%zu].gid", i) < 0))
			return -1;
		if (d->has_file_mode && d->file_mode > 07777) {
			snprintf(field, sizeof(field), "linux.devices[%zu].fileMode", i);
			return fail_at(err, field, "%#o is not a permission mode", d->file_mode);
		}
	}
	if (l->resources && validate_resources(l->resources, "linux.resources.", err) < 0)
		return -1;
	if (l->rootfs_propagation && l->rootfs_propagation[0] &&
	    mount_propagation_from_name(l->rootfs_propagation) == 0)
		return fail_at(err, "linux.rootfsPropagation", "unknown propagation \"%s\"", l->rootfs_propagation);
	for (size_t i = 0; i < l->n_masked_paths; i++)
		if (check_absolute(l->masked_paths[i], err, "linux.maskedPaths[%zu]", i) < 0)
			return -1;
	for (size_t i = 0; i < l->n_readonly_paths; i++)
		if (check_absolute(l->readonly_paths[i], err, "linux.readonlyPaths[%zu]", i) < 0)
			return -1;
	for (size_t i = 0; i < l->n_sysctl; i++)
		if (l->sysctl[i].key[0] == '\0')
			return fail_at(err, "linux.sysctl", "empty key");
	if (l->time_monotonic.set && l->time_monotonic.nanosecs >= 1000000000)
		return fail_at(err, "linux.timeOffsets.monotonic.nanosecs", "must be less than 1000000000");
	if (l->time_boottime.set && l->time_boottime.nanosecs >= 1000000000)
		return fail_at(err, "linux.timeOffsets.boottime.nanosecs", "must be less than 1000000000");
	/* Offsets are written into a new time namespace only: without one
	 * they would be lost without a word. */
	if (l->time_monotonic.set || l->time_boottime.set) {
		const struct oci_namespace *t = NULL;
		for (size_t i = 0; i < l->n_namespaces; i++)
			if (l->namespaces[i].type == CLONE_NEWTIME)
				t = &l->namespaces[i];
		if (t == NULL || (t->path && *t->path))
			return fail_at(err, "linux.timeOffsets", "needs a new time namespace");
	}
	if (l->has_personality && strcmp(l->personality_domain, "LINUX") != 0 &&
	    strcmp(l->personality_domain, "LINUX32") != 0)
		return fail_at(err, "linux.personality.domain", "unknown domain \"%s\"", l->personality_domain);
	return 0;
}

static int validate_config(struct oci_config *c, berth_err **err)
{
	if (c->oci_version[0] == '\0')
		return fail_at(err, "ociVersion", "must not be empty");
	if (c->root_path[0] == '\0')
		return fail_at(err, "root.path", "must not be empty");
	if (c->process && validate_process(c->process, "process", err) < 0)
		return -1;
	if (validate_mounts(c, err) < 0)
		return -1;
	if (validate_hooks(&c->hooks, err) < 0)
		return -1;
	if (c->linux && validate_linux(c->linux, err) < 0)
		return -1;
	return 0;
}

/* ---- entry points ---- */

/* Parses text, decodes it with t into a new struct, runs check. */
static void *decode_doc(const char *json, size_t len, const struct dec_table *t, const char *root,
			int (*check)(void *obj, berth_err **err), berth_err **err)
{
	struct json_object *o;
	struct dec_ctx d;
	void *obj;
	int r;

	o = dec_parse_text(json, len, err);
	if (o == NULL)
		return NULL;
	obj = calloc(1, t->size);
	if (obj == NULL)
		berth_abort();
	if (t->init)
		t->init(obj);
	dec_init(&d, root, err);
	r = dec_object(&d, o, t, obj);
	json_object_put(o);
	if (r == 0)
		r = check(obj, err);
	if (r < 0) {
		dec_free(t, obj);
		free(obj);
		return NULL;
	}
	return obj;
}

static int check_config(void *obj, berth_err **err)
{
	return validate_config(obj, err);
}

static int check_process(void *obj, berth_err **err)
{
	return validate_process(obj, "process", err);
}

static int check_resources(void *obj, berth_err **err)
{
	return validate_resources(obj, "", err);
}

struct oci_config *oci_config_parse(const char *json, size_t len, berth_err **err)
{
	return decode_doc(json, len, &config_table, "", check_config, err);
}

struct oci_config *oci_config_load(const char *path, berth_err **err)
{
	_cleanup_free_ char *text = NULL;
	struct oci_config *c;
	size_t len = 0;

	text = read_file_at(AT_FDCWD, path, &len, err);
	if (text == NULL)
		return NULL;
	c = oci_config_parse(text, len, err);
	if (c == NULL)
		berth_err_wrap(err, "%s", path);
	return c;
}

void oci_config_free(struct oci_config *c)
{
	if (c == NULL)
		return;
	dec_free(&config_table, c);
	free(c);
}

struct oci_process *oci_process_parse(const char *json, size_t len, berth_err **err)
{
	return decode_doc(json, len, &process_table, "process", check_process, err);
}

void oci_process_free(struct oci_process *p)
{
	if (p == NULL)
		return;
	dec_free(&process_table, p);
	free(p);
}

struct oci_resources *oci_resources_parse(const char *json, size_t len, berth_err **err)
{
	return decode_doc(json, len, &resources_table, "", check_resources, err);
}

void oci_resources_free(struct oci_resources *r)
{
	if (r == NULL)
		return;
	dec_free(&resources_table, r);
	free(r);
}

const struct oci_namespace *oci_config_namespace(const struct oci_config *c, int type)
{
	if (c == NULL || c->linux == NULL)
		return NULL;
	return find_ns(c->linux, type);
}
