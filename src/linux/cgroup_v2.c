/* linux.resources on the unified (v2) hierarchy: the OCI fields, which are
 * shaped after v1, converted to v2's files the way runc converts them
 * (shares → cpu.weight, memory+swap → memory.swap.max, blkio → io.*), plus
 * linux.resources.unified written verbatim. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define F "linux.resources."

uint64_t cg_shares_to_weight(uint64_t shares)
{
	/* Maps v1's [2, 262144] linearly onto v2's [1, 10000]. */
	if (shares < 2)
		shares = 2;
	return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cg_blkio_to_io_weight(uint64_t w)
{
	/* Maps blkio's [10, 1000] linearly onto io's [1, 10000]. */
	if (w < 10)
		w = 10;
	return 1 + ((w - 10) * 9999) / 990;
}

/* true when controller is listed in the cgroup's cgroup.controllers. */
static bool controller_enabled(struct cgroup_manager *m, const char *controller)
{
	_cleanup_free_ char *s = cg_read(m->unified_dir, "cgroup.controllers");
	size_t l = strlen(controller);

	for (const char *p = s; p && *p; p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL)
		if (strncmp(p, controller, l) == 0 && (p[l] == ' ' || p[l] == '\0'))
			return true;
	return false;
}

/* Writes file; a missing file of a controller the cgroup does not have is
 * reported as that, not as a bare ENOENT. */
static int w(struct cgroup_manager *m, const char *file, const char *value, const char *field,
	     berth_err **err)
{
	_cleanup_err_ berth_err *local = NULL;
	char ctl[64];
	size_t l;

	if (cg_write(m, m->unified_dir, file, value, field, &local) == 0)
		return 0;
	l = strcspn(file, ".");
	if (errno == ENOENT && l < sizeof(ctl) && strncmp(file, "cgroup.", 7) != 0) {
		memcpy(ctl, file, l);
		ctl[l] = '\0';
		if (!controller_enabled(m, ctl))
			return berth_err_set(err, 0, "%s: %s controller not available", field, ctl);
	}
	if (err && *err == NULL)
		*err = TAKE_PTR(local);
	return -1;
}

static int w_i64_or_max(struct cgroup_manager *m, const char *file, int64_t v, const char *field,
			berth_err **err)
{
	char buf[32];

	if (v < 0)
		snprintf(buf, sizeof(buf), "max");
	else
		snprintf(buf, sizeof(buf), "%" PRId64, v);
	return w(m, file, buf, field, err);
}

static int v2_memory(struct cgroup_manager *m, const struct oci_memory *mem, berth_err **err)
{
	bool has_limit = mem->has_limit && mem->limit != 0;
	bool has_swap = mem->has_swap && mem->swap != 0;
	int64_t swap = 0;
	_cleanup_free_ char *swapfile = path_join(m->unified_dir, "memory.swap.max");
	_cleanup_err_ berth_err *local = NULL;

	if (mem->check_before_update && has_limit && mem->limit > 0) {
		uint64_t usage;
		if (cg_read_u64(m->unified_dir, "memory.current", &usage) == 0 &&
		    usage > (uint64_t)mem->limit)
			return berth_err_set(err, 0,
					     F "memory.limit: %" PRId64 " is below the current usage %" PRIu64
					       " (checkBeforeUpdate)",
					     mem->limit, usage);
	}
	/* An update's new limit alone keeps memory+swap where it was, as v1's
	 * memsw limit does by itself (runc's update too): v2 limits swap
	 * alone, so swap moves by what memory moved. Nothing to keep while
	 * either is unlimited; at create nothing is kept (runc leaves
	 * swap.max alone there). The kernel keeps both in whole pages: the
	 * new limit is compared and subtracted in pages too. */
	if (m->updating && has_limit && mem->limit > 0 && !mem->has_swap && path_exists(swapfile)) {
		uint64_t cur_mem, cur_swap;
		long pg = sysconf(_SC_PAGESIZE);
		int64_t limit = pg > 0 ? mem->limit / pg * pg : mem->limit;

		if (cg_read_u64(m->unified_dir, "memory.max", &cur_mem) == 0 &&
		    cg_read_u64(m->unified_dir, "memory.swap.max", &cur_swap) == 0 && cur_mem <= INT64_MAX &&
		    cur_swap <= (uint64_t)INT64_MAX - cur_mem) {
			int64_t total = (int64_t)(cur_mem + cur_swap);

			if (limit > total)
				return berth_err_set(err, 0,
						     F "memory.limit: %" PRId64 " is above the memory+swap limit %" PRId64
						       " (give memory.swap with it)",
						     mem->limit, total);
			has_swap = true;
			swap = total - limit;
		}
	}
	/* OCI's swap is memory+swap (v1's memsw); v2 limits swap alone. */
	if (has_swap && mem->has_swap && mem->swap > 0) {
		int64_t base = mem->limit;
		if (!has_limit) {
			uint64_t cur;
			if (cg_read_u64(m->unified_dir, "memory.max", &cur) < 0 || cur > INT64_MAX)
				return berth_err_set(err, 0, F "memory.swap: needs memory.limit to be set");
			base = (int64_t)cur;
		}
		if (base < 0)
			return berth_err_set(err, 0, F "memory.swap: needs memory.limit to be set");
		if (mem->swap < base)
			return berth_err_set(err, 0,
					     F "memory.swap: %" PRId64 " is below memory.limit %" PRId64
					       " (swap counts memory+swap)",
					     mem->swap, base);
		swap = mem->swap - base;
	} else if ((mem->has_swap && mem->swap != 0) || (has_limit && mem->limit < 0)) {
		/* -1, or unlimited memory with swap unset: both unlimited. */
		has_swap = true;
		swap = -1;
	}
	if (has_swap && !path_exists(swapfile)) {
		if (mem->has_swap && mem->swap != 0)
			log_warn(F "memory.swap: the kernel has no swap accounting, ignored");
		has_swap = false;
	}
	if (has_limit && has_swap) {
		if (w_i64_or_max(m, "memory.swap.max", swap, F "memory.swap", &local) == 0) {
			if (w_i64_or_max(m, "memory.max", mem->limit, F "memory.limit", err) < 0)
				return -1;
		} else if (errno != EINVAL) {
			if (err && *err == NULL)
				*err = TAKE_PTR(local);
			return -1;
		} else if (w_i64_or_max(m, "memory.max", mem->limit, F "memory.limit", err) < 0 ||
			   w_i64_or_max(m, "memory.swap.max", swap, F "memory.swap", err) < 0) {
			return -1;
		}
	} else if (has_limit) {
		if (w_i64_or_max(m, "memory.max", mem->limit, F "memory.limit", err) < 0)
			return -1;
	} else if (has_swap) {
		if (w_i64_or_max(m, "memory.swap.max", swap, F "memory.swap", err) < 0)
			return -1;
	}
	if (mem->has_reservation &&
	    w_i64_or_max(m, "memory.low", mem->reservation, F "memory.reservation", err) < 0)
		return -1;
	if ((mem->has_kernel && mem->kernel) || (mem->has_kernel_tcp && mem->kernel_tcp))
		log_warn(F "memory.kernel/kernelTCP: no such limits on cgroup v2, ignored");
	if (mem->has_swappiness && mem->swappiness != UINT64_MAX)
		log_warn(F "memory.swappiness: no per-cgroup swappiness on cgroup v2, ignored");
	if (mem->has_disable_oom_killer && mem->disable_oom_killer)
		log_warn(F "memory.disableOOMKiller: not supported on cgroup v2, ignored");
	return 0;
}

static int v2_cpu(struct cgroup_manager *m, const struct oci_cpu *c, berth_err **err)
{
	char buf[64];
	bool quota = c->has_quota && c->quota != 0, period = c->has_period && c->period != 0;

	if (c->has_shares && c->shares != 0) {
		if (c->shares < 2 || c->shares > 262144)
			return berth_err_set(err, 0, F "cpu.shares: %" PRIu64 " is out of range 2-262144",
					     c->shares);
		snprintf(buf, sizeof(buf), "%" PRIu64, cg_shares_to_weight(c->shares));
		if (w(m, "cpu.weight", buf, F "cpu.shares", err) < 0)
			return -1;
	}
	if (quota || period) {
		/* cpu.max is "quota period"; a lone period keeps the quota. */
		_cleanup_free_ char *cur = NULL;
		char q[32] = "max";
		if (quota && c->quota > 0)
			snprintf(q, sizeof(q), "%" PRId64, c->quota);
		else if (!quota && (cur = cg_read(m->unified_dir, "cpu.max")) != NULL)
			snprintf(q, sizeof(q), "%.*s", (int)strcspn(cur, " \n"), cur);
		if (period)
			snprintf(buf, sizeof(buf), "%s %" PRIu64, q, c->period);
		else
			snprintf(buf, sizeof(buf), "%s", q);
		if (w(m, "cpu.max", buf, quota ? F "cpu.quota" : F "cpu.period", err) < 0)
			return -1;
	}
	if (c->has_burst) {
		snprintf(buf, sizeof(buf), "%" PRIu64, c->burst);
		if (w(m, "cpu.max.burst", buf, F "cpu.burst", err) < 0)
			return -1;
	}
	if (c->has_idle) {
		snprintf(buf, sizeof(buf), "%" PRId64, c->idle);
		if (w(m, "cpu.idle", buf, F "cpu.idle", err) < 0)
			return -1;
	}
	if ((c->has_realtime_runtime && c->realtime_runtime) || (c->has_realtime_period && c->realtime_period))
		return berth_err_set(err, 0, F "cpu.realtimeRuntime: realtime scheduling limits are not "
					       "supported on cgroup v2");
	if (c->cpus && w(m, "cpuset.cpus", c->cpus, F "cpu.cpus", err) < 0)
		return -1;
	if (c->mems && w(m, "cpuset.mems", c->mems, F "cpu.mems", err) < 0)
		return -1;
	return 0;
}

struct io_max {
	int64_t major, minor;
	char *v[4]; /* rbps wbps riops wiops */
};

static int v2_io(struct cgroup_manager *m, const struct oci_blkio *b, berth_err **err)
{
	static const char *const keys[] = {"rbps", "wbps", "riops", "wiops"};
	const struct oci_throttle_list *lists[] = {&b->throttle_read_bps, &b->throttle_write_bps,
						   &b->throttle_read_iops, &b->throttle_write_iops};
	_cleanup_free_ struct io_max *dev = NULL;
	size_t ndev = 0, cap = 0;
	char buf[256];
	int r = 0;

	/* 0 means "not set" (Docker always sends a weight; see cgroup_v1.c). */
	if (b->has_weight && b->weight != 0) {
		_cleanup_free_ char *iow = path_join(m->unified_dir, "io.weight");
		/* Without io.weight (no cost model) BFQ takes blkio's scale. */
		if (!path_exists(iow)) {
			snprintf(buf, sizeof(buf), "%u", b->weight);
			if (w(m, "io.bfq.weight", buf, F "blockIO.weight", err) < 0)
				return -1;
		} else {
			snprintf(buf, sizeof(buf), "%" PRIu64, cg_blkio_to_io_weight(b->weight));
			if (w(m, "io.weight", buf, F "blockIO.weight", err) < 0)
				return -1;
		}
	}
	if (b->has_leaf_weight)
		log_warn(F "blockIO.leafWeight: no leaf weight on cgroup v2, ignored");
	for (size_t i = 0; i < b->n_weight_device; i++) {
		const struct oci_weight_device *d = &b->weight_device[i];
		if (!d->has_weight)
			continue;
		snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64 " %" PRIu64, d->major, d->minor,
			 cg_blkio_to_io_weight(d->weight));
		if (w(m, "io.weight", buf, F "blockIO.weightDevice", err) < 0)
			return -1;
	}
	/* One io.max line per device carries all four limits. */
	for (size_t k = 0; k < 4; k++) {
		for (size_t i = 0; i < lists[k]->n; i++) {
			const struct oci_throttle_device *t = &lists[k]->devs[i];
			size_t j;
			for (j = 0; j < ndev; j++)
				if (dev[j].major == t->major && dev[j].minor == t->minor)
					break;
			if (j == ndev) {
				if (ndev == cap) {
					cap = cap ? cap * 2 : 4;
					struct io_max *nd = realloc(dev, cap * sizeof(*nd));
					if (nd == NULL)
						berth_abort();
					dev = nd;
				}
				dev[ndev++] = (struct io_max){.major = t->major, .minor = t->minor};
			}
			free(dev[j].v[k]);
			if (t->rate == 0)
				dev[j].v[k] = strdup("max");
			else if (asprintf(&dev[j].v[k], "%" PRIu64, t->rate) < 0)
				berth_abort();
		}
	}
	for (size_t j = 0; j < ndev; j++) {
		int n = snprintf(buf, sizeof(buf), "%" PRId64 ":%" PRId64, dev[j].major, dev[j].minor);
		for (size_t k = 0; k < 4; k++)
			if (dev[j].v[k])
				n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s=%s", keys[k], dev[j].v[k]);
		if (r == 0 && w(m, "io.max", buf, F "blockIO.throttle", err) < 0)
			r = -1;
	}
	for (size_t j = 0; j < ndev; j++)
		for (size_t k = 0; k < 4; k++)
			free(dev[j].v[k]);
	return r;
}

/* linux.resources.unified: each key names a file of the cgroup. */
static int v2_unified(struct cgroup_manager *m, const struct oci_resources *r, berth_err **err)
{
	char field[320];

	for (size_t i = 0; i < r->n_unified; i++) {
		const char *k = r->unified[i].key, *v = r->unified[i].value;
		snprintf(field, sizeof(field), F "unified.%s", k);
		if (*k == '\0' || strchr(k, '/') || strstr(k, "..") || strcmp(k, ".") == 0)
			return berth_err_set(err, 0, "%s: not a cgroup file name", field);
		if (w(m, k, v ? v : "", field, err) < 0)
			return -1;
	}
	return 0;
}

int cg_v2_set_resources(struct cgroup_manager *m, const struct oci_resources *r, berth_err **err)
{
	char file[128], buf[160];

	if ((r->n_devices || m->device_policy) && cg_devices_v2(m, m->unified_dir, r->devices, r->n_devices, err) < 0)
		return -1;
	if (r->has_memory && v2_memory(m, &r->memory, err) < 0)
		return -1;
	if (r->has_cpu && v2_cpu(m, &r->cpu, err) < 0)
		return -1;
	/* 0: unchanged, as on v1 (see there). */
	if (r->has_pids && r->pids_limit != 0 && w_i64_or_max(m, "pids.max", r->pids_limit < 0 ? -1 : r->pids_limit,
					F "pids.limit", err) < 0)
		return -1;
	if (r->has_blkio && v2_io(m, &r->blkio, err) < 0)
		return -1;
	for (size_t i = 0; i < r->n_hugepage_limits; i++) {
		snprintf(file, sizeof(file), "hugetlb.%s.max", r->hugepage_limits[i].page_size);
		snprintf(buf, sizeof(buf), "%" PRIu64, r->hugepage_limits[i].limit);
		if (w(m, file, buf, F "hugepageLimits", err) < 0)
			return -1;
	}
	if (r->has_net_class_id || r->n_net_priorities)
		log_warn(F "network: no net_cls/net_prio on cgroup v2, ignored");
	for (size_t i = 0; i < r->n_rdma; i++) {
		const struct oci_rdma_limit *l = &r->rdma[i];
		int k = cg_rdma_line(buf, sizeof(buf), l, err);
		if (k < 0)
			return -1;
		if (k > 0 && w(m, "rdma.max", buf, F "rdma", err) < 0)
			return -1;
	}
	/* Last, so that a verbatim value overrides the converted ones. */
	return v2_unified(m, r, err);
}
