/* linux.resources on cgroup v1 (and the v1 side of hybrid hosts): each field
 * goes to its file in the hierarchy that holds its controller, and every
 * failure names the config field that caused it. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define F "linux.resources."

/* The container's dir in controller's hierarchy, or an error naming field. */
static const char *dir_for(struct cgroup_manager *m, const char *controller, const char *field,
			   berth_err **err)
{
	struct cg_hier *h = cg_v1_find(m, controller);

	if (h == NULL) {
		berth_err_set(err, 0, "%s: %s controller not available", field, controller);
		return NULL;
	}
	return h->dir;
}

static int write_i64(struct cgroup_manager *m, const char *dir, const char *file, int64_t v,
		     const char *field, berth_err **err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	return cg_write(m, dir, file, buf, field, err);
}

static int write_u64(struct cgroup_manager *m, const char *dir, const char *file, uint64_t v,
		     const char *field, berth_err **err)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return cg_write(m, dir, file, buf, field, err);
}

/* Writes to file, or to alt when file does not exist (CFQ's blkio.weight is
 * gone from current kernels; BFQ offers blkio.bfq.weight). */
static int write_alt(struct cgroup_manager *m, const char *dir, const char *file, const char *alt,
		     const char *value, const char *field, berth_err **err)
{
	_cleanup_free_ char *p = path_join(dir, file);

	if (!path_exists(p))
		return cg_write(m, dir, alt, value, field, err);
	return cg_write(m, dir, file, value, field, err);
}

/* Passes a local error up (the first one wins in berth_err). */
static int pass_err(berth_err **err, berth_err **local)
{
	if (err && *err == NULL)
		*err = TAKE_PTR(*local);
	return -1;
}

/* memory.limit_in_bytes and memory.memsw.limit_in_bytes must satisfy
 * limit <= memsw at every moment: raising both needs swap first, lowering
 * both needs the limit first. Swap first is tried, EINVAL means the other. */
static int memory_limit_swap(struct cgroup_manager *m, const char *dir, const struct oci_memory *mem,
			     berth_err **err)
{
	bool has_limit = mem->has_limit && mem->limit != 0;
	bool has_swap = mem->has_swap && mem->swap != 0;
	int64_t swap = mem->swap;
	_cleanup_free_ char *memsw = path_join(dir, "memory.memsw.limit_in_bytes");
	bool swap_accounting = path_exists(memsw);
	_cleanup_err_ berth_err *local = NULL;

	/* Unlimited memory with the swap left alone would stay capped by the
	 * old memsw value, so it goes unlimited as well. */
	if (has_limit && mem->limit == -1 && !has_swap && swap_accounting) {
		has_swap = true;
		swap = -1;
	}
	if (has_swap && !swap_accounting) {
		log_warn(F "memory.swap: the kernel has no swap accounting, ignored");
		has_swap = false;
	}
	if (has_limit && has_swap) {
		if (write_i64(m, dir, "memory.memsw.limit_in_bytes", swap, F "memory.swap", &local) == 0)
			return write_i64(m, dir, "memory.limit_in_bytes", mem->limit, F "memory.limit", err);
		if (errno != EINVAL)
			return pass_err(err, &local);
		if (write_i64(m, dir, "memory.limit_in_bytes", mem->limit, F "memory.limit", err) < 0)
			return -1;
		return write_i64(m, dir, "memory.memsw.limit_in_bytes", swap, F "memory.swap", err);
	}
	if (has_limit && write_i64(m, dir, "memory.limit_in_bytes", mem->limit, F "memory.limit", err) < 0)
		return -1;
	if (has_swap && write_i64(m, dir, "memory.memsw.limit_in_bytes", swap, F "memory.swap", err) < 0)
		return -1;
	return 0;
}

static int v1_memory(struct cgroup_manager *m, const struct oci_memory *mem, berth_err **err)
{
	const char *dir = dir_for(m, "memory", F "memory", err);
	_cleanup_err_ berth_err *local = NULL;

	if (dir == NULL)
		return -1;
	if (mem->check_before_update && mem->has_limit && mem->limit > 0) {
		uint64_t usage;
		if (cg_read_u64(dir, "memory.usage_in_bytes", &usage) == 0 && usage > (uint64_t)mem->limit)
			return berth_err_set(err, 0,
					     F "memory.limit: %" PRId64 " is below the current usage %" PRIu64
					       " (checkBeforeUpdate)",
					     mem->limit, usage);
	}
	if (memory_limit_swap(m, dir, mem, err) < 0)
		return -1;
	if (mem->has_reservation &&
	    write_i64(m, dir, "memory.soft_limit_in_bytes", mem->reservation, F "memory.reservation", err) < 0)
		return -1;
	if (mem->has_kernel && mem->kernel != 0 &&
	    write_i64(m, dir, "memory.kmem.limit_in_bytes", mem->kernel, F "memory.kernel", &local) < 0) {
		/* Deprecated by the kernel (5.4) and refused by current ones. */
		_cleanup_free_ char *t = berth_err_text(local);
		log_warn("%s (kernel memory limits are deprecated), ignored", t);
	}
	if (mem->has_kernel_tcp && mem->kernel_tcp != 0 &&
	    write_i64(m, dir, "memory.kmem.tcp.limit_in_bytes", mem->kernel_tcp, F "memory.kernelTCP", err) < 0)
		return -1;
	/* -1 as uint64 is how Docker spells "not set". */
	if (mem->has_swappiness && mem->swappiness != UINT64_MAX) {
		if (mem->swappiness > 100)
			return berth_err_set(err, 0, F "memory.swappiness: %" PRIu64 " is out of range 0-100",
					     mem->swappiness);
		if (write_u64(m, dir, "memory.swappiness", mem->swappiness, F "memory.swappiness", err) < 0)
			return -1;
	}
	if (mem->has_disable_oom_killer &&
	    cg_write(m, dir, "memory.oom_control", mem->disable_oom_killer ? "1" : "0",
		     F "memory.disableOOMKiller", err) < 0)
		return -1;
	/* Current kernels are always hierarchical and refuse "0". */
	if (mem->has_use_hierarchy && mem->use_hierarchy)
		cg_write(m, dir, "memory.use_hierarchy", "1", NULL, NULL);
	else if (mem->has_use_hierarchy)
		log_warn(F "memory.useHierarchy: the kernel is always hierarchical, false ignored");
	return 0;
}

static int v1_cpu(struct cgroup_manager *m, const struct oci_cpu *c, berth_err **err)
{
	bool cpu_fields = c->has_shares || c->has_quota || c->has_period || c->has_burst ||
			  c->has_realtime_runtime || c->has_realtime_period || c->has_idle;
	const char *dir = NULL;
	bool period_later = false;
	_cleanup_err_ berth_err *local = NULL;

	if (cpu_fields && (dir = dir_for(m, "cpu", F "cpu", err)) == NULL)
		return -1;
	if (c->has_shares && c->shares != 0) {
		uint64_t got;
		if (write_u64(m, dir, "cpu.shares", c->shares, F "cpu.shares", err) < 0)
			return -1;
		/* The kernel clamps shares silently; say so instead. */
		if (cg_read_u64(dir, "cpu.shares", &got) == 0 && got != c->shares)
			return berth_err_set(err, 0,
					     F "cpu.shares: %" PRIu64 " is out of range (the kernel set %" PRIu64 ")",
					     c->shares, got);
	}
	if (c->has_period && c->period != 0 &&
	    write_u64(m, dir, "cpu.cfs_period_us", c->period, F "cpu.period", &local) < 0) {
		/* A shorter period can make the old quota exceed the parent's
		 * bandwidth (EINVAL); with a new quota coming, retry after it. */
		if (errno != EINVAL || !c->has_quota || c->quota == 0)
			return pass_err(err, &local);
		berth_err_clear(&local);
		period_later = true;
	}
	if (c->has_quota && c->quota != 0) {
		if (write_i64(m, dir, "cpu.cfs_quota_us", c->quota, F "cpu.quota", err) < 0)
			return -1;
		if (period_later && write_u64(m, dir, "cpu.cfs_period_us", c->period, F "cpu.period", err) < 0)
			return -1;
	}
	if (c->has_burst && write_u64(m, dir, "cpu.cfs_burst_us", c->burst, F "cpu.burst", err) < 0)
		return -1;
	if (c->has_realtime_period && c->realtime_period != 0 &&
	    write_u64(m, dir, "cpu.rt_period_us", c->realtime_period, F "cpu.realtimePeriod", err) < 0)
		return -1;
	if (c->has_realtime_runtime && c->realtime_runtime != 0 &&
	    write_i64(m, dir, "cpu.rt_runtime_us", c->realtime_runtime, F "cpu.realtimeRuntime", err) < 0)
		return -1;
	if (c->has_idle && write_i64(m, dir, "cpu.idle", c->idle, F "cpu.idle", err) < 0)
		return -1;
	if (c->cpus || c->mems) {
		const char *cs = dir_for(m, "cpuset", c->cpus ? F "cpu.cpus" : F "cpu.mems", err);
		if (cs == NULL)
			return -1;
		if (c->cpus && cg_write(m, cs, "cpuset.cpus", c->cpus, F "cpu.cpus", err) < 0)
			return -1;
		if (c->mems && cg_write(m, cs, "cpuset.mems", c->mems, F "cpu.mems", err) < 0)
			return -1;
	}
	return 0;
}

static int v1_blkio(struct cgroup_manager *m, const struct oci_blkio *b, berth_err **err)
{
	static const struct {
		size_t off;
		const char *file, *field;
	} thr[] = {
		{offsetof(struct oci_blkio, throttle_read_bps), "blkio.throttle.read_bps_device",
		 F "blockIO.throttleReadBpsDevice"},
		{offsetof(struct oci_blkio, throttle_write_bps), "blkio.throttle.write_bps_device",
		 F "blockIO.throttleWriteBpsDevice"},
		{offsetof(struct oci_blkio, throttle_read_iops), "blkio.throttle.read_iops_device",
		 F "blockIO.throttleReadIOPSDevice"},
		{offsetof(struct oci_blkio, throttle_write_iops), "blkio.throttle.write_iops_device",
		 F "blockIO.throttleWriteIOPSDevice"},
	};
	const char *dir = dir_for(m, "blkio", F "blockIO", err);
	char buf[96];

	if (dir == NULL)
		return -1;
	/* 0 means "not set", as runc reads it: Docker always sends a weight,
	 * 0 unless --blkio-weight was given, and the kernel rejects 0. */
	if (b->has_weight && b->weight != 0) {
		snprintf(buf, sizeof(buf), "%u", b->weight);
		if (write_alt(m, dir, "blkio.weight", "blkio.bfq.weight", buf, F "blockIO.weight", err) < 0)
			return -1;
	}
	if (b->has_leaf_weight && b->leaf_weight != 0) {
		snprintf(buf, sizeof(buf), "%u", b->leaf_weight);
		if (cg_write(m, dir, "blkio.leaf_weight", buf, F "blockIO.leafWeight", err) < 0)
			return -1;
	}
	for (size_t i = 0; i < b->n_weight_device; i++) {
		const struct oci_weight_device *d = &b->weight_device[i];
		if (d->has_weight) {
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor, d->weight);
			if (write_alt(m, dir, "blkio.weight_device", "blkio.bfq.weight_device", buf,
				      F "blockIO.weightDevice", err) < 0)
				return -1;
		}
		if (d->has_leaf_weight) {
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %u", d->major, d->minor,
				 d->leaf_weight);
			if (cg_write(m, dir, "blkio.leaf_weight_device", buf, F "blockIO.weightDevice", err) < 0)
				return -1;
		}
	}
	for (size_t t = 0; t < ARRAY_SIZE(thr); t++) {
		const struct oci_throttle_list *l = (const void *)((const char *)b + thr[t].off);
		for (size_t i = 0; i < l->n; i++) {
			snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %" PRIu64, l->devs[i].major,
				 l->devs[i].minor, l->devs[i].rate);
			if (cg_write(m, dir, thr[t].file, buf, thr[t].field, err) < 0)
				return -1;
		}
	}
	return 0;
}

static int v1_misc(struct cgroup_manager *m, const struct oci_resources *r, berth_err **err)
{
	char file[128], buf[160];

	if (r->n_hugepage_limits) {
		const char *dir = dir_for(m, "hugetlb", F "hugepageLimits", err);
		if (dir == NULL)
			return -1;
		for (size_t i = 0; i < r->n_hugepage_limits; i++) {
			const struct oci_hugepage_limit *h = &r->hugepage_limits[i];
			snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes", h->page_size);
			if (write_u64(m, dir, file, h->limit, F "hugepageLimits", err) < 0)
				return -1;
		}
	}
	if (r->has_net_class_id) {
		const char *dir = dir_for(m, "net_cls", F "network.classID", err);
		if (dir == NULL || write_u64(m, dir, "net_cls.classid", r->net_class_id,
					     F "network.classID", err) < 0)
			return -1;
	}
	if (r->n_net_priorities) {
		const char *dir = dir_for(m, "net_prio", F "network.priorities", err);
		if (dir == NULL)
			return -1;
		for (size_t i = 0; i < r->n_net_priorities; i++) {
			snprintf(buf, sizeof(buf), "%s %u", r->net_priorities[i].name,
				 r->net_priorities[i].priority);
			if (cg_write(m, dir, "net_prio.ifpriomap", buf, F "network.priorities", err) < 0)
				return -1;
		}
	}
	if (r->n_rdma) {
		const char *dir = dir_for(m, "rdma", F "rdma", err);
		if (dir == NULL)
			return -1;
		for (size_t i = 0; i < r->n_rdma; i++) {
			const struct oci_rdma_limit *l = &r->rdma[i];
			int k = cg_rdma_line(buf, sizeof(buf), l, err);
			if (k < 0)
				return -1;
			if (k > 0 && cg_write(m, dir, "rdma.max", buf, F "rdma", err) < 0)
				return -1;
		}
	}
	return 0;
}

int cg_v1_set_resources(struct cgroup_manager *m, const struct oci_resources *r, bool memory, bool rest,
			berth_err **err)
{
	if (memory && r->has_memory && v1_memory(m, &r->memory, err) < 0)
		return -1;
	if (!rest)
		return 0;
	if (r->n_devices || m->device_policy) {
		const char *dir = dir_for(m, "devices", F "devices", err);
		if (dir == NULL || cg_devices_v1(m, dir, r->devices, r->n_devices, err) < 0)
			return -1;
	}
	if (r->has_cpu && v1_cpu(m, &r->cpu, err) < 0)
		return -1;
	/* 0 leaves the limit as it is, as runc does (engines send 0 for "not
	 * set"; the spec would have it a limit of no task); < 0 is "max". */
	if (r->has_pids && r->pids_limit != 0) {
		const char *dir = dir_for(m, "pids", F "pids.limit", err);
		if (dir == NULL)
			return -1;
		if (r->pids_limit < 0) {
			if (cg_write(m, dir, "pids.max", "max", F "pids.limit", err) < 0)
				return -1;
		} else if (write_i64(m, dir, "pids.max", r->pids_limit, F "pids.limit", err) < 0) {
			return -1;
		}
	}
	if (r->has_blkio && v1_blkio(m, &r->blkio, err) < 0)
		return -1;
	return v1_misc(m, r, err);
}
