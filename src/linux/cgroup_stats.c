/* Resource statistics for `events --stats`: reads the controllers' stat
 * files (v1 or v2) into the JSON "data" object runc emits, with runc's field
 * names and its habit of leaving out zero values of optional fields. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"

static void put(json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_uint64(v));
}

/* Go's omitempty: zero values are left out. */
static void put_nz(json_object *o, const char *key, uint64_t v)
{
	if (v)
		put(o, key, v);
}

static uint64_t rd(const char *dir, const char *file)
{
	uint64_t v = 0;
	if (dir == NULL || cg_read_u64(dir, file, &v) < 0)
		return 0;
	return v;
}

/* memory.stat's "key value" lines as an object. */
static json_object *keyed_object(const char *text)
{
	json_object *o = json_object_new_object();
	_cleanup_free_ char *copy = text ? strdup(text) : NULL;

	for (char *save = NULL, *l = copy ? strtok_r(copy, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(l, ' ');
		if (sp == NULL)
			continue;
		*sp = '\0';
		put(o, l, strtoull(sp + 1, NULL, 10));
	}
	return o;
}

static json_object *u64_array(const char *text)
{
	json_object *a = json_object_new_array();
	const char *p = text;

	while (p && *p) {
		char *end;
		uint64_t v = strtoull(p, &end, 10);
		if (end == p)
			break;
		json_object_array_add(a, json_object_new_uint64(v));
		p = end;
		while (*p == ' ' || *p == '\n')
			p++;
	}
	return a;
}

/* One number of a cpuset list at *p: digits only. */
static bool list_number(const char **p, unsigned long *v)
{
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	errno = 0;
	*v = strtoul(*p, &end, 10);
	if (errno || *v > 65535)
		return false;
	*p = end;
	return true;
}

/* A cpuset list ("0-3,8\n") as an array of its numbers, as runc has it;
 * NULL when the text is not one. */
static json_object *cpuset_list(const char *text)
{
	json_object *a = json_object_new_array();
	const char *p = text;

	while (p && *p && *p != '\n') {
		unsigned long lo, hi;

		if (!list_number(&p, &lo))
			goto bad;
		hi = lo;
		if (*p == '-') {
			p++;
			if (!list_number(&p, &hi) || hi < lo)
				goto bad;
		}
		for (unsigned long v = lo; v <= hi; v++)
			json_object_array_add(a, json_object_new_uint64(v));
		if (*p == ',' && p[1] != '\0' && p[1] != '\n')
			p++;
		else if (*p != '\0' && *p != '\n')
			goto bad;
	}
	return a;
bad:
	json_object_put(a);
	return NULL;
}

/* runc's "cpuset" object: on v1 the lists (left out when empty) and the
 * flags; runc's v2 driver reads no cpuset statistics, so on v2 the flags
 * are 0 and there are no lists. */
static json_object *cpuset_stats(const char *dir)
{
	static const char *const flags[] = {"cpu_exclusive",	  "mem_hardwall",	"mem_exclusive",
					    "memory_migrate",	  "memory_spread_page", "memory_spread_slab",
					    "memory_pressure",	  "sched_load_balance"};
	json_object *o = json_object_new_object();
	_cleanup_free_ char *cpus = dir ? cg_read(dir, "cpuset.cpus") : NULL;
	_cleanup_free_ char *mems = dir ? cg_read(dir, "cpuset.mems") : NULL;
	_cleanup_free_ char *level = dir ? cg_read(dir, "cpuset.sched_relax_domain_level") : NULL;
	json_object *l;
	char f[64];

	if (cpus && (l = cpuset_list(cpus)) != NULL) {
		if (json_object_array_length(l))
			json_object_object_add(o, "cpus", l);
		else
			json_object_put(l);
	}
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		snprintf(f, sizeof(f), "cpuset.%s", flags[i]);
		put(o, flags[i], rd(dir, f));
		if (i == 0 && mems && (l = cpuset_list(mems)) != NULL) {
			if (json_object_array_length(l))
				json_object_object_add(o, "mems", l);
			else
				json_object_put(l);
		}
	}
	json_object_object_add(o, "sched_relax_domain_level",
			       json_object_new_int64(level ? strtoll(level, NULL, 10) : 0));
	return o;
}

static json_object *mem_entry(uint64_t limit, uint64_t usage, uint64_t max, uint64_t failcnt)
{
	json_object *o = json_object_new_object();
	put(o, "limit", limit);
	put_nz(o, "usage", usage);
	put_nz(o, "max", max);
	put(o, "failcnt", failcnt);
	return o;
}

static json_object *v1_mem_entry(const char *dir, const char *prefix)
{
	char f[4][96];
	snprintf(f[0], sizeof(f[0]), "%s.limit_in_bytes", prefix);
	snprintf(f[1], sizeof(f[1]), "%s.usage_in_bytes", prefix);
	snprintf(f[2], sizeof(f[2]), "%s.max_usage_in_bytes", prefix);
	snprintf(f[3], sizeof(f[3]), "%s.failcnt", prefix);
	return mem_entry(rd(dir, f[0]), rd(dir, f[1]), rd(dir, f[2]), rd(dir, f[3]));
}

/* blkio v1 lines "8:0 Read 4096" (and a closing "Total N") as entries. */
static void add_blkio_v1(json_object *blkio, const char *key, const char *dir, const char *const files[3])
{
	for (int i = 0; i < 3; i++) {
		_cleanup_free_ char *s = cg_read(dir, files[i]);
		json_object *a;
		if (s == NULL || strchr(s, ':') == NULL)
			continue;
		a = json_object_new_array();
		for (char *save = NULL, *l = strtok_r(s, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			unsigned long long maj, min, v;
			char op[32];
			if (sscanf(l, "%llu:%llu %31s %llu", &maj, &min, op, &v) != 4)
				continue;
			json_object *e = json_object_new_object();
			put_nz(e, "major", maj);
			put_nz(e, "minor", min);
			json_object_object_add(e, "op", json_object_new_string(op));
			put_nz(e, "value", v);
			json_object_array_add(a, e);
		}
		json_object_object_add(blkio, key, a);
		return;
	}
}

static void blkio_entry(json_object *arr, unsigned long long maj, unsigned long long min, const char *op,
			uint64_t v)
{
	json_object *e = json_object_new_object();
	put_nz(e, "major", maj);
	put_nz(e, "minor", min);
	json_object_object_add(e, "op", json_object_new_string(op));
	put_nz(e, "value", v);
	json_object_array_add(arr, e);
}

/* hugetlb.<size>.<suffix> files of dir, one object per page size. */
static void add_hugetlb(json_object *out, const char *dir, bool v2)
{
	_cleanup_closedir_ DIR *d = dir ? opendir(dir) : NULL;
	const char *suffix = v2 ? ".current" : ".usage_in_bytes";
	struct dirent *de;

	while (d && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name), sl = strlen(suffix);
		char size[64], f[128];
		json_object *o;
		if (strncmp(de->d_name, "hugetlb.", 8) != 0 || l <= 8 + sl ||
		    strcmp(de->d_name + l - sl, suffix) != 0 || l - sl - 8 >= sizeof(size))
			continue;
		memcpy(size, de->d_name + 8, l - sl - 8);
		size[l - sl - 8] = '\0';
		if (strchr(size, '.'))
			continue; /* "2MB.rsvd": reservations, not usage */
		o = json_object_new_object();
		put_nz(o, "usage", rd(dir, de->d_name));
		if (v2) {
			_cleanup_free_ char *ev = NULL;
			uint64_t fc = 0;
			snprintf(f, sizeof(f), "hugetlb.%s.events", size);
			ev = cg_read(dir, f);
			if (ev)
				cg_keyed_u64(ev, "max", &fc);
			put(o, "failcnt", fc);
		} else {
			snprintf(f, sizeof(f), "hugetlb.%s.max_usage_in_bytes", size);
			put_nz(o, "max", rd(dir, f));
			snprintf(f, sizeof(f), "hugetlb.%s.failcnt", size);
			put(o, "failcnt", rd(dir, f));
		}
		json_object_object_add(out, size, o);
	}
}

static void stats_v1(struct cgroup_manager *m, json_object *cpu, json_object *mem, json_object *pids,
		     json_object *blkio, json_object *huge)
{
	struct cg_hier *h;
	json_object *usage = json_object_new_object(), *thr = json_object_new_object();

	if ((h = cg_v1_find(m, "cpuacct")) != NULL) {
		_cleanup_free_ char *pc = cg_read(h->dir, "cpuacct.usage_percpu");
		_cleanup_free_ char *pk = cg_read(h->dir, "cpuacct.usage_percpu_sys");
		_cleanup_free_ char *pu = cg_read(h->dir, "cpuacct.usage_percpu_user");
		_cleanup_free_ char *st = cg_read(h->dir, "cpuacct.stat");
		uint64_t user = 0, sys = 0;
		long hz = sysconf(_SC_CLK_TCK);
		put_nz(usage, "total", rd(h->dir, "cpuacct.usage"));
		if (pc)
			json_object_object_add(usage, "percpu", u64_array(pc));
		if (pk)
			json_object_object_add(usage, "percpu_kernel", u64_array(pk));
		if (pu)
			json_object_object_add(usage, "percpu_user", u64_array(pu));
		/* cpuacct.stat counts clock ticks; runc reports nanoseconds. */
		if (st && hz > 0) {
			cg_keyed_u64(st, "user", &user);
			cg_keyed_u64(st, "system", &sys);
		}
		put(usage, "kernel", hz > 0 ? sys * (1000000000ull / (uint64_t)hz) : 0);
		put(usage, "user", hz > 0 ? user * (1000000000ull / (uint64_t)hz) : 0);
	}
	if ((h = cg_v1_find(m, "cpu")) != NULL) {
		_cleanup_free_ char *st = cg_read(h->dir, "cpu.stat");
		uint64_t v;
		if (st && cg_keyed_u64(st, "nr_periods", &v))
			put_nz(thr, "periods", v);
		if (st && cg_keyed_u64(st, "nr_throttled", &v))
			put_nz(thr, "throttledPeriods", v);
		if (st && cg_keyed_u64(st, "throttled_time", &v))
			put_nz(thr, "throttledTime", v);
	}
	json_object_object_add(cpu, "usage", usage);
	json_object_object_add(cpu, "throttling", thr);

	if ((h = cg_v1_find(m, "memory")) != NULL) {
		_cleanup_free_ char *st = cg_read(h->dir, "memory.stat");
		uint64_t cache = 0;
		if (st)
			cg_keyed_u64(st, "cache", &cache);
		put_nz(mem, "cache", cache);
		json_object_object_add(mem, "usage", v1_mem_entry(h->dir, "memory"));
		json_object_object_add(mem, "swap", v1_mem_entry(h->dir, "memory.memsw"));
		json_object_object_add(mem, "kernel", v1_mem_entry(h->dir, "memory.kmem"));
		json_object_object_add(mem, "kernelTCP", v1_mem_entry(h->dir, "memory.kmem.tcp"));
		if (st)
			json_object_object_add(mem, "raw", keyed_object(st));
	}
	if ((h = cg_v1_find(m, "pids")) != NULL) {
		uint64_t lim = rd(h->dir, "pids.max");
		put_nz(pids, "current", rd(h->dir, "pids.current"));
		put_nz(pids, "limit", lim == UINT64_MAX ? 0 : lim);
	}
	if ((h = cg_v1_find(m, "blkio")) != NULL) {
		static const char *const bytes[3] = {"blkio.io_service_bytes_recursive",
						     "blkio.bfq.io_service_bytes_recursive",
						     "blkio.throttle.io_service_bytes_recursive"};
		static const char *const ios[3] = {"blkio.io_serviced_recursive",
						   "blkio.bfq.io_serviced_recursive",
						   "blkio.throttle.io_serviced_recursive"};
		add_blkio_v1(blkio, "ioServiceBytesRecursive", h->dir, bytes);
		add_blkio_v1(blkio, "ioServicedRecursive", h->dir, ios);
	}
	if ((h = cg_v1_find(m, "hugetlb")) != NULL)
		add_hugetlb(huge, h->dir, false);
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static void stats_v2(struct cgroup_manager *m, json_object *cpu, json_object *mem, json_object *pids,
		     json_object *blkio, json_object *huge)
{
	const char *dir = m->unified_dir;
	json_object *usage = json_object_new_object(), *thr = json_object_new_object();
	_cleanup_free_ char *cst = cg_read(dir, "cpu.stat");
	_cleanup_free_ char *mst = cg_read(dir, "memory.stat");
	_cleanup_free_ char *mev = cg_read(dir, "memory.events");
	_cleanup_free_ char *io = cg_read(dir, "io.stat");
	uint64_t v, cur = rd(dir, "memory.current"), lim = rd(dir, "memory.max"), fc = 0;

	/* cpu.stat counts microseconds; runc reports nanoseconds. */
	if (cst && cg_keyed_u64(cst, "usage_usec", &v))
		put_nz(usage, "total", v * 1000);
	put(usage, "kernel", cst && cg_keyed_u64(cst, "system_usec", &v) ? v * 1000 : 0);
	put(usage, "user", cst && cg_keyed_u64(cst, "user_usec", &v) ? v * 1000 : 0);
	if (cst && cg_keyed_u64(cst, "nr_periods", &v))
		put_nz(thr, "periods", v);
	if (cst && cg_keyed_u64(cst, "nr_throttled", &v))
		put_nz(thr, "throttledPeriods", v);
	if (cst && cg_keyed_u64(cst, "throttled_usec", &v))
		put_nz(thr, "throttledTime", v * 1000);
	json_object_object_add(cpu, "usage", usage);
	json_object_object_add(cpu, "throttling", thr);

	if (mst && cg_keyed_u64(mst, "file", &v))
		put_nz(mem, "cache", v);
	if (mev)
		cg_keyed_u64(mev, "max", &fc);
	json_object_object_add(mem, "usage", mem_entry(lim, cur, rd(dir, "memory.peak"), fc));
	/* As in v1, swap is reported as memory+swap. */
	json_object_object_add(mem, "swap",
			       mem_entry(sat_add(rd(dir, "memory.swap.max"), lim),
					 sat_add(rd(dir, "memory.swap.current"), cur), 0, 0));
	if (mst)
		json_object_object_add(mem, "raw", keyed_object(mst));

	v = rd(dir, "pids.max");
	put_nz(pids, "current", rd(dir, "pids.current"));
	put_nz(pids, "limit", v == UINT64_MAX ? 0 : v);

	if (io && *io) {
		json_object *bytes = json_object_new_array(), *ios = json_object_new_array();
		for (char *save = NULL, *l = strtok_r(io, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			unsigned long long maj, min;
			if (sscanf(l, "%llu:%llu", &maj, &min) != 2)
				continue;
			char *rest = strchrnul(l, ' ');
			for (char *s2 = NULL, *kv = strtok_r(rest, " ", &s2); kv; kv = strtok_r(NULL, " ", &s2)) {
				char *eq = strchr(kv, '=');
				if (eq == NULL)
					continue;
				*eq = '\0';
				v = strtoull(eq + 1, NULL, 10);
				if (strcmp(kv, "rbytes") == 0)
					blkio_entry(bytes, maj, min, "Read", v);
				else if (strcmp(kv, "wbytes") == 0)
					blkio_entry(bytes, maj, min, "Write", v);
				else if (strcmp(kv, "rios") == 0)
					blkio_entry(ios, maj, min, "Read", v);
				else if (strcmp(kv, "wios") == 0)
					blkio_entry(ios, maj, min, "Write", v);
			}
		}
		json_object_object_add(blkio, "ioServiceBytesRecursive", bytes);
		json_object_object_add(blkio, "ioServicedRecursive", ios);
	}
	add_hugetlb(huge, dir, true);
}

char *cgroup_manager_stats_json(struct cgroup_manager *m, berth_err **err)
{
	json_object *root = json_object_new_object();
	json_object *cpu = json_object_new_object(), *mem = json_object_new_object();
	json_object *pids = json_object_new_object(), *blkio = json_object_new_object();
	json_object *huge = json_object_new_object(), *cpuset;
	const char *probe = cgroup_manager_dir(m, m->mode == CGROUP_MODE_V2 ? "" : "memory");
	char *out;

	if (probe && !path_exists(probe)) {
		json_object_put(root);
		json_object_put(cpu);
		json_object_put(mem);
		json_object_put(pids);
		json_object_put(blkio);
		json_object_put(huge);
		berth_err_set(err, ENOENT, "cgroup %s", probe);
		return NULL;
	}
	if (m->mode == CGROUP_MODE_V2) {
		stats_v2(m, cpu, mem, pids, blkio, huge);
		cpuset = cpuset_stats(NULL);
	} else {
		struct cg_hier *h = cg_v1_find(m, "cpuset");
		stats_v1(m, cpu, mem, pids, blkio, huge);
		cpuset = cpuset_stats(h ? h->dir : NULL);
	}
	/* runc's order and keys; no Intel RDT here and, for an OCI bundle,
	 * no network interfaces of runc's own making: {} and null, as runc. */
	json_object_object_add(root, "cpu", cpu);
	json_object_object_add(root, "cpuset", cpuset);
	json_object_object_add(root, "memory", mem);
	json_object_object_add(root, "pids", pids);
	json_object_object_add(root, "blkio", blkio);
	json_object_object_add(root, "hugetlb", huge);
	json_object_object_add(root, "intel_rdt", json_object_new_object());
	json_object_object_add(root, "network_interfaces", NULL);
	out = strdup(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	if (out == NULL)
		berth_err_set(err, ENOMEM, "stats");
	return out;
}
