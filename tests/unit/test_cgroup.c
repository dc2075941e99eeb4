/* Unit tests for the cgroup manager: mode detection, path resolution, and
 * exactly which values land in which files, on fake v1 / v2 / hybrid trees
 * (plain directories, every write recorded as a line). The real hierarchies
 * of this host are test_cgroup_real.c's. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <linux/bpf.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "linux/cgroup_internal.h"
#include "test.h"
#include "test_err.h"
#include "util/cleanup.h"
#include "util/fs.h"

static char base[96];

/* --------------------------------------------------------------- helpers */

static void put(const char *root, const char *rel, const char *content)
{
	_cleanup_free_ char *p = path_join(root, rel);
	_cleanup_free_ char *dir = strdup(p);

	*strrchr(dir, '/') = '\0';
	if (mkdir_p(dir, 0755, NULL) < 0 ||
	    write_file_at(AT_FDCWD, p, content, strlen(content), O_CREAT | O_TRUNC, 0644, NULL) < 0)
		abort();
}

static char *slurp(const char *root, const char *rel)
{
	_cleanup_free_ char *p = path_join(root, rel);
	return read_file_at(AT_FDCWD, p, NULL, NULL);
}

/* The file's content equals want. */
#define CHECK_FILE(root, rel, want)                       \
	do {                                              \
		_cleanup_free_ char *got_ = slurp(root, rel); \
		CHECK_STR(got_, want);                    \
	} while (0)

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A fake tree: the mode file and the v1 hierarchies as plain directories. */
static char *fake_tree(const char *name, const char *mode)
{
	static const char *const v1dirs[] = {"cpu,cpuacct", "cpuset", "memory", "devices",
					     "freezer",	    "blkio",  "pids",	"systemd"};
	char *root = path_join(base, name);

	put(root, ".berth-fake-mode", mode);
	if (strcmp(mode, "v2") == 0) {
		put(root, "cgroup.controllers", "cpuset cpu io memory pids\n");
		put(root, "cgroup.subtree_control", "");
		return root;
	}
	for (size_t i = 0; i < ARRAY_SIZE(v1dirs); i++) {
		_cleanup_free_ char *p = path_join(root, v1dirs[i]);
		mkdir_p(p, 0755, NULL);
	}
	put(root, "cpuset/cpuset.cpus", "0-3\n");
	put(root, "cpuset/cpuset.mems", "0\n");
	if (strcmp(mode, "hybrid") == 0) {
		_cleanup_free_ char *p = path_join(root, "unified");
		mkdir_p(p, 0755, NULL);
	}
	return root;
}

/* Creates empty files in dir: what the kernel would provide there. */
static void touch(const char *dir, const char *const *files)
{
	for (; *files; files++)
		put(dir, *files, "");
}

/* ---------------------------------------------------------- mode, paths */

/* A manager for path under the fake tree root, its cgroups made; NULL
 * (the test failed) when either step fails. */
static struct cgroup_manager *made_manager(const char *root, const char *path)
{
	struct cgroup_manager *m = cgroup_manager_new(root, path, NULL);

	if (m == NULL || cgroup_manager_create(m, NULL) < 0) {
		CHECK(!"create");
		cgroup_manager_free(m);
		return NULL;
	}
	return m;
}

TEST(detect_mode)
{
	_cleanup_free_ char *v1 = fake_tree("m1", "v1"), *v2 = fake_tree("m2", "v2");
	_cleanup_free_ char *hy = fake_tree("m3", "hybrid"), *bad = path_join(base, "m4");
	_cleanup_err_ berth_err *err = NULL;
	enum cgroup_mode m = 99;
	struct statfs sf;

	CHECK(cgroup_detect_mode(v1, &m, NULL) == 0 && m == CGROUP_MODE_V1);
	CHECK(cgroup_detect_mode(v2, &m, NULL) == 0 && m == CGROUP_MODE_V2);
	CHECK(cgroup_detect_mode(hy, &m, NULL) == 0 && m == CGROUP_MODE_HYBRID);
	put(bad, ".berth-fake-mode", "v3");
	CHECK(cgroup_detect_mode(bad, &m, &err) < 0);
	CHECK_ERR(err, "unknown mode v3");
	/* A plain directory without the mode file is neither v2 nor hybrid. */
	CHECK(cgroup_detect_mode("/tmp", &m, NULL) == 0 && m == CGROUP_MODE_V1);
	/* The real root, whatever this host has. */
	if (statfs("/sys/fs/cgroup", &sf) == 0) {
		enum cgroup_mode want = CGROUP_MODE_V1;
		struct statfs uf;
		if ((unsigned long)sf.f_type == CGROUP2_SUPER_MAGIC)
			want = CGROUP_MODE_V2;
		else if (statfs("/sys/fs/cgroup/unified", &uf) == 0 &&
			 (unsigned long)uf.f_type == CGROUP2_SUPER_MAGIC)
			want = CGROUP_MODE_HYBRID;
		CHECK(cgroup_detect_mode(NULL, &m, NULL) == 0 && m == want);
		if (want == CGROUP_MODE_HYBRID)
			CHECK(cgroup_detect_mode("/sys/fs/cgroup/unified", &m, NULL) == 0 &&
			      m == CGROUP_MODE_V2);
	}
}

/* What a relative cgroupsPath is taken under, computed independently. */
static char *expected_base(void)
{
	_cleanup_free_ char *t = read_file_at(AT_FDCWD, "/proc/self/cgroup", NULL, NULL);
	enum cgroup_mode mode;
	char *mem = NULL, *uni = NULL;

	if (t == NULL || cgroup_detect_mode(NULL, &mode, NULL) < 0)
		return NULL;
	for (char *s = NULL, *l = strtok_r(t, "\n", &s); l; l = strtok_r(NULL, "\n", &s)) {
		char *p = strchr(l, ':');
		if (strncmp(p, ":memory:", 8) == 0)
			mem = strdup(p + 8);
		if (strncmp(p, "::", 2) == 0)
			uni = strdup(p + 2);
	}
	if (mode == CGROUP_MODE_V2) {
		free(mem);
		char *sl = strrchr(uni, '/');
		if (sl == uni)
			sl[1] = '\0';
		else
			*sl = '\0';
		return uni;
	}
	free(uni);
	return mem;
}

TEST(resolve_path)
{
	_cleanup_err_ berth_err *err = NULL, *err2 = NULL;
	_cleanup_free_ char *b = expected_base();
	char *out = NULL;
	char want[512];

	CHECK(cgroup_resolve_path(NULL, "c1", false, &out, NULL) == 0);
	CHECK_STR(out, "/berth/c1");
	free(out);
	CHECK(cgroup_resolve_path("", "c1", false, &out, NULL) == 0);
	CHECK_STR(out, "/berth/c1");
	free(out);
	CHECK(cgroup_resolve_path("/a//b/./../c/", "c1", false, &out, NULL) == 0);
	CHECK_STR(out, "/a/c");
	free(out);
	CHECK(cgroup_resolve_path("/../../x", "c1", false, &out, NULL) == 0);
	CHECK_STR(out, "/x");
	free(out);

	CHECK(b != NULL);
	snprintf(want, sizeof(want), "%s/rel/x", strcmp(b ? b : "", "/") == 0 ? "" : b);
	CHECK(cgroup_resolve_path("rel/x", "c1", false, &out, NULL) == 0);
	CHECK_STR(out, want);
	free(out);
	/* Without --systemd-cgroup the systemd form is a plain name. */
	snprintf(want, sizeof(want), "%s/sys.slice:pre:name", strcmp(b ? b : "", "/") == 0 ? "" : b);
	CHECK(cgroup_resolve_path("sys.slice:pre:name", "c1", false, &out, NULL) == 0);
	CHECK_STR(out, want);
	free(out);

	out = NULL;
	CHECK(cgroup_resolve_path("sys.slice:pre:name", "c1", true, &out, &err) < 0);
	CHECK(out == NULL);
	CHECK_ERR(err, "systemd cgroup driver is not supported yet: use cgroupfs (omit --systemd-cgroup)");
	CHECK(cgroup_resolve_path("/not/systemd", "c1", true, &out, &err2) < 0);
	CHECK_ERR(err2, "slice:prefix:name");
}

/* ------------------------------------------------------------- fake v1 */

static const char *const v1_mem_files[] = {
	"memory.limit_in_bytes", "memory.memsw.limit_in_bytes", "memory.soft_limit_in_bytes",
	"memory.swappiness", "memory.oom_control", "memory.usage_in_bytes", "cgroup.procs", NULL};
static const char *const v1_cpu_files[] = {"cpu.shares", "cpu.cfs_quota_us", "cpu.cfs_period_us",
					   "cpu.cfs_burst_us", "cpu.idle", "cgroup.procs", NULL};
static const char *const v1_misc_files[] = {"pids.max", "blkio.weight", "blkio.throttle.read_bps_device",
					    "blkio.throttle.write_iops_device", "devices.allow",
					    "devices.deny", "freezer.state", "cgroup.procs", NULL};

TEST(rdma_lines)
{
	char buf[160], longname[300];
	_cleanup_err_ berth_err *err = NULL;
	struct oci_rdma_limit l = {.device = (char *)"mlx5_0", .has_hca_handles = true, .hca_handles = 0};

	CHECK(cg_rdma_line(buf, sizeof(buf), &l, NULL) == 1);
	CHECK_STR(buf, "mlx5_0 hca_handle=0"); /* 0 is a limit, not "unset" */
	l.has_hca_objects = true;
	l.hca_objects = 4294967295u;
	CHECK(cg_rdma_line(buf, sizeof(buf), &l, NULL) == 1);
	CHECK_STR(buf, "mlx5_0 hca_handle=0 hca_object=4294967295");
	l.has_hca_handles = false;
	CHECK(cg_rdma_line(buf, sizeof(buf), &l, NULL) == 1);
	CHECK_STR(buf, "mlx5_0 hca_object=4294967295");
	l.has_hca_objects = false;
	CHECK(cg_rdma_line(buf, sizeof(buf), &l, NULL) == 0);
	/* A name longer than any buffer: refused, nothing written past buf. */
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	l.device = longname;
	l.has_hca_handles = true;
	CHECK(cg_rdma_line(buf, sizeof(buf), &l, &err) < 0);
	CHECK_ERR(err, "not a device name");
	berth_err_clear(&err);
	l.device = (char *)"mlx5_0 hca_handle=9";
	CHECK(cg_rdma_line(buf, sizeof(buf), &l, &err) < 0);
}

TEST(v1_create_and_dirs)
{
	_cleanup_free_ char *root = fake_tree("v1a", "v1");
	struct cgroup_manager *m = cgroup_manager_new(root, "/berth/c1", NULL);
	_cleanup_free_ char *want = NULL;

	CHECK(m != NULL);
	if (m == NULL)
		return;
	CHECK(cgroup_manager_mode(m) == CGROUP_MODE_V1);
	CHECK(cgroup_manager_create(m, NULL) == 0);
	want = path_join(root, "cpu,cpuacct/berth/c1");
	CHECK_STR(cgroup_manager_dir(m, "cpu"), want);
	CHECK_STR(cgroup_manager_dir(m, "cpuacct"), want);
	CHECK(cgroup_manager_dir(m, "hugetlb") == NULL);
	CHECK(cgroup_manager_dir(m, "") == NULL);
	CHECK(cgroup_manager_dir(m, "systemd") != NULL && is_dir(cgroup_manager_dir(m, "systemd")));
	for (const char *c = "memory"; c; c = strcmp(c, "memory") == 0 ? "pids" : NULL)
		CHECK(is_dir(cgroup_manager_dir(m, c)));
	/* Each cpuset level berth made got the parent's cpus and mems. */
	CHECK_FILE(root, "cpuset/berth/cpuset.cpus", "0-3\n");
	CHECK_FILE(root, "cpuset/berth/cpuset.mems", "0\n");
	CHECK_FILE(root, "cpuset/berth/c1/cpuset.cpus", "0-3\n");
	CHECK_FILE(root, "cpuset/berth/c1/cpuset.mems", "0\n");

	CHECK(cgroup_manager_destroy(m, NULL) == 0);
	{
		_cleanup_free_ char *c1 = path_join(root, "memory/berth/c1");
		_cleanup_free_ char *b = path_join(root, "memory/berth");
		_cleanup_free_ char *cs = path_join(root, "cpuset/berth");
		CHECK(!is_dir(c1));
		CHECK(!is_dir(b));
		CHECK(!is_dir(cs));
	}
	/* Destroying what is gone is fine. */
	CHECK(cgroup_manager_destroy(m, NULL) == 0);
	cgroup_manager_free(m);
}

/* events --stats carries runc's "cpuset" object (lists expanded, the v1
 * flags, the relax level signed), an empty "intel_rdt" and a null
 * "network_interfaces", read from a fake v1 tree. */
TEST(v1_stats_cpuset)
{
	_cleanup_free_ char *root = fake_tree("v1s", "v1");
	struct cgroup_manager *m = made_manager(root, "/berth-test/s");
	_cleanup_free_ char *stats = NULL;
	const char *cs;

	if (m == NULL)
		return;
	cs = cgroup_manager_dir(m, "cpuset");
	put(cs, "cpuset.cpus", "0-2,5\n");
	put(cs, "cpuset.mems", "0\n");
	put(cs, "cpuset.sched_load_balance", "1\n");
	put(cs, "cpuset.sched_relax_domain_level", "-1\n");
	stats = cgroup_manager_stats_json(m, NULL);
	CHECK_CONTAINS(stats, "\"cpuset\":{\"cpus\":[0,1,2,5],\"cpu_exclusive\":0,\"mems\":[0],\"mem_hardwall\":0,"
			      "\"mem_exclusive\":0,\"memory_migrate\":0,\"memory_spread_page\":0,"
			      "\"memory_spread_slab\":0,\"memory_pressure\":0,\"sched_load_balance\":1,"
			      "\"sched_relax_domain_level\":-1}");
	CHECK_CONTAINS(stats, "\"intel_rdt\":{},\"network_interfaces\":null");
	/* Not a list: left out. */
	{
		static const char *const bad[] = {"x\n", "-1\n", "1-3-5\n", "1,\n", "1, 2\n", "3-1\n",
						  "99999999999999999999\n"};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			put(cs, "cpuset.cpus", bad[i]);
			free(stats);
			stats = cgroup_manager_stats_json(m, NULL);
			CHECK_CONTAINS(stats, "\"cpuset\":{\"cpu_exclusive\":0,\"mems\":[0]");
		}
	}
	CHECK(cgroup_manager_destroy(m, NULL) == 0);
	cgroup_manager_free(m);
}

TEST(v1_set_resources_files)
{
	_cleanup_free_ char *root = fake_tree("v1b", "v1");
	struct cgroup_manager *m = made_manager(root, "/berth-test/x");
	struct oci_device_rule devs[] = {{false, 'a', -1, -1, NULL}, {true, 'c', 1, 11, (char *)"r"}};
	struct oci_throttle_device rbps[] = {{8, 0, 1048576}};
	struct oci_throttle_device wiops[] = {{8, 16, 300}};
	struct oci_resources r = {0};
	_cleanup_free_ char *devallow = NULL;

	if (m == NULL)
		return;
	touch(cgroup_manager_dir(m, "memory"), v1_mem_files);
	touch(cgroup_manager_dir(m, "cpu"), v1_cpu_files);
	touch(cgroup_manager_dir(m, "pids"), v1_misc_files);
	touch(cgroup_manager_dir(m, "blkio"), v1_misc_files);
	touch(cgroup_manager_dir(m, "devices"), v1_misc_files);

	r.devices = devs;
	r.n_devices = 2;
	r.has_memory = true;
	r.memory = (struct oci_memory){.has_limit = true, .limit = 67108864, .has_swap = true,
				       .swap = 134217728, .has_reservation = true, .reservation = 33554432,
				       .has_swappiness = true, .swappiness = 10,
				       .has_disable_oom_killer = true, .disable_oom_killer = true};
	r.has_cpu = true;
	r.cpu = (struct oci_cpu){.has_shares = true, .shares = 512, .has_quota = true, .quota = 50000,
				 .has_period = true, .period = 100000, .has_burst = true, .burst = 1000,
				 .cpus = (char *)"0-1", .mems = (char *)"0"};
	r.has_pids = true;
	r.pids_limit = 0; /* "not set" as runc reads it: pids.max untouched */
	r.has_blkio = true;
	r.blkio.has_weight = true;
	r.blkio.weight = 500;
	r.blkio.throttle_read_bps = (struct oci_throttle_list){rbps, 1};
	r.blkio.throttle_write_iops = (struct oci_throttle_list){wiops, 1};
	{
		_cleanup_err_ berth_err *err = NULL;
		CHECK(cgroup_manager_set_resources(m, &r, &err) == 0);
		if (err) {
			_cleanup_free_ char *t = berth_err_text(err);
			fprintf(stderr, "  %s\n", t);
		}
	}
	CHECK_FILE(root, "memory/berth-test/x/memory.limit_in_bytes", "67108864\n");
	CHECK_FILE(root, "memory/berth-test/x/memory.memsw.limit_in_bytes", "134217728\n");
	CHECK_FILE(root, "memory/berth-test/x/memory.soft_limit_in_bytes", "33554432\n");
	CHECK_FILE(root, "memory/berth-test/x/memory.swappiness", "10\n");
	CHECK_FILE(root, "memory/berth-test/x/memory.oom_control", "1\n");
	CHECK_FILE(root, "cpu,cpuacct/berth-test/x/cpu.shares", "512\n");
	CHECK_FILE(root, "cpu,cpuacct/berth-test/x/cpu.cfs_quota_us", "50000\n");
	CHECK_FILE(root, "cpu,cpuacct/berth-test/x/cpu.cfs_period_us", "100000\n");
	CHECK_FILE(root, "cpu,cpuacct/berth-test/x/cpu.cfs_burst_us", "1000\n");
	/* create copied the parent's, then the config's value came. */
	CHECK_FILE(root, "cpuset/berth-test/x/cpuset.cpus", "0-3\n0-1\n");
	CHECK_FILE(root, "cpuset/berth-test/x/cpuset.mems", "0\n0\n");
	CHECK_FILE(root, "pids/berth-test/x/pids.max", "");
	CHECK_FILE(root, "blkio/berth-test/x/blkio.weight", "500\n");
	CHECK_FILE(root, "blkio/berth-test/x/blkio.throttle.read_bps_device", "8:0 1048576\n");
	CHECK_FILE(root, "blkio/berth-test/x/blkio.throttle.write_iops_device", "8:16 300\n");
	CHECK_FILE(root, "devices/berth-test/x/devices.deny", "a\n");
	devallow = slurp(root, "devices/berth-test/x/devices.allow");
	/* The config's rules first, then the defaults (null among them). */
	CHECK(devallow && strncmp(devallow, "c 1:11 r\nc *:* m\nb *:* m\nc 1:3 rwm\n", 35) == 0);
	CHECK_CONTAINS(devallow, "c 136:* rwm\n");
	/* linux.devices are not allowed by themselves (the rules decide, as
	 * in runc), nor is the host's console. */
	CHECK(strstr(devallow, "10:229") == NULL);
	CHECK(strstr(devallow, "5:1 ") == NULL);
	/* a zero written by the hand-made formatter */
	CHECK_CONTAINS(devallow, "c 5:0 rwm\n");

	/* Lowering memory: pids >0 written as a number, limit -1 with swap
	 * accounting makes swap unlimited too (swap first: it is raised). */
	{
		struct oci_resources u = {0};
		u.has_pids = true;
		u.pids_limit = 42;
		u.has_memory = true;
		u.memory = (struct oci_memory){.has_limit = true, .limit = -1};
		CHECK(cgroup_manager_set_resources(m, &u, NULL) == 0);
		CHECK_FILE(root, "pids/berth-test/x/pids.max", "42\n");
		CHECK_FILE(root, "memory/berth-test/x/memory.memsw.limit_in_bytes", "134217728\n-1\n");
		CHECK_FILE(root, "memory/berth-test/x/memory.limit_in_bytes", "67108864\n-1\n");
	}
	/* Errors name the field. */
	{
		struct oci_hugepage_limit hp = {(char *)"2MB", 1 << 21};
		struct oci_resources e = {.hugepage_limits = &hp, .n_hugepage_limits = 1};
		_cleanup_err_ berth_err *err = NULL;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.hugepageLimits: hugetlb controller not available");
	}
	{
		struct oci_resources e = {.has_cpu = true};
		_cleanup_err_ berth_err *err = NULL;
		e.cpu.has_realtime_runtime = true;
		e.cpu.realtime_runtime = 1000;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.cpu.realtimeRuntime: write cpu.rt_runtime_us");
		CHECK(err && err->errno_ == ENOENT);
	}
	{
		struct oci_resources e = {.has_memory = true};
		_cleanup_err_ berth_err *err = NULL;
		e.memory.has_swappiness = true;
		e.memory.swappiness = 101;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.memory.swappiness");
	}
	{
		struct oci_kv kv = {(char *)"memory.high", (char *)"1"};
		struct oci_resources e = {.unified = &kv, .n_unified = 1};
		_cleanup_err_ berth_err *err = NULL;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.unified");
	}
	{
		struct oci_resources e = {.has_memory = true};
		_cleanup_err_ berth_err *err = NULL;
		put(cgroup_manager_dir(m, "memory"), "memory.usage_in_bytes", "5000000\n");
		e.memory.has_limit = true;
		e.memory.limit = 4000000;
		e.memory.check_before_update = true;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.memory.limit");
		CHECK_ERR(err, "below the current usage");
	}
	CHECK(cgroup_manager_destroy(m, NULL) == 0);
	cgroup_manager_free(m);
}

/* ------------------------------------------------------------- fake v2 */

static const char *const v2_files[] = {
	"memory.max", "memory.swap.max", "memory.low", "memory.high", "memory.current", "cpu.weight",
	"cpu.max", "cpu.max.burst", "cpu.idle", "cpuset.cpus", "pids.max", "io.weight", "io.max",
	"cgroup.procs", "cgroup.freeze", NULL};

/* memory.max and memory.swap.max set to mem and swap, then an update of
 * the memory limit alone: what the two files hold after it (the fake
 * files keep every write, one a line). */
static void memsw_step(struct cgroup_manager *m, const char *dir, const char *mem, const char *swap,
		       int64_t limit, const char *want_mem, const char *want_swap)
{
	struct oci_resources u = {.has_memory = true};

	u.memory.has_limit = true;
	u.memory.limit = limit;
	put(dir, "memory.max", mem);
	put(dir, "memory.swap.max", swap);
	CHECK(cgroup_manager_update_resources(m, &u, NULL) == 0);
	CHECK_FILE(dir, "memory.max", want_mem);
	CHECK_FILE(dir, "memory.swap.max", want_swap);
}

/* On v2, an update of the memory limit alone keeps memory+swap where it
 * was (v1's memsw limit does it by itself; runc's update too): swap.max
 * moves by what memory.max moved, and a limit above that total is
 * refused. Not at create. */
TEST(v2_memory_limit_alone_keeps_memsw)
{
	_cleanup_free_ char *root = fake_tree("v2m", "v2");
	struct cgroup_manager *m = made_manager(root, "/berth/c3");
	struct oci_resources u = {.has_memory = true};
	const char *dir;

	if (m == NULL)
		return;
	dir = cgroup_manager_dir(m, "");
	touch(dir, v2_files);
	put(dir, "cgroup.controllers", "memory\n");
	/* Both unlimited, or either: swap left alone. */
	memsw_step(m, dir, "max\n", "max\n", 67108864, "max\n67108864\n", "max\n");
	memsw_step(m, dir, "67108864\n", "max\n", 83886080, "67108864\n83886080\n", "max\n");
	memsw_step(m, dir, "max\n", "33554432\n", 83886080, "max\n83886080\n", "33554432\n");
	/* 64 MiB + 32 MiB of swap, then 80 MiB: 16 MiB of swap. */
	memsw_step(m, dir, "67108864\n", "33554432\n", 83886080, "67108864\n83886080\n",
		   "33554432\n16777216\n");
	/* The whole total: no swap. In pages, as the kernel keeps them: a
	 * container made with 100000000 and memory+swap 200000000 holds
	 * 99999744 twice, and 200000000 is then the whole total too. */
	memsw_step(m, dir, "67108864\n", "33554432\n", 100663296, "67108864\n100663296\n", "33554432\n0\n");
	if (sysconf(_SC_PAGESIZE) == 4096)
		memsw_step(m, dir, "99999744\n", "99999744\n", 200000000, "99999744\n200000000\n",
			   "99999744\n0\n");
	/* Above the 96 MiB total: refused, nothing written. */
	put(dir, "memory.max", "67108864\n");
	put(dir, "memory.swap.max", "33554432\n");
	u.memory.has_limit = true;
	u.memory.limit = 134217728;
	{
		_cleanup_err_ berth_err *err = NULL;
		CHECK(cgroup_manager_update_resources(m, &u, &err) < 0);
		CHECK_ERR(err, "linux.resources.memory.limit: 134217728 is above the memory+swap limit 100663296");
	}
	CHECK_FILE(dir, "memory.max", "67108864\n");
	CHECK_FILE(dir, "memory.swap.max", "33554432\n");
	/* At create (a cgroup made before, with both set): swap.max is left
	 * alone, as runc does. */
	CHECK(cgroup_manager_set_resources(m, &u, NULL) == 0);
	CHECK_FILE(dir, "memory.max", "67108864\n134217728\n");
	CHECK_FILE(dir, "memory.swap.max", "33554432\n");
	put(dir, "memory.max", "67108864\n");
	/* Given with it, swap is the new total's. */
	u.memory.has_swap = true;
	u.memory.swap = 201326592;
	CHECK(cgroup_manager_set_resources(m, &u, NULL) == 0);
	CHECK_FILE(dir, "memory.swap.max", "33554432\n67108864\n");
	CHECK(cgroup_manager_destroy(m, NULL) == 0);
	cgroup_manager_free(m);
}

TEST(v2_create_and_set_resources)
{
	_cleanup_free_ char *root = fake_tree("v2a", "v2");
	struct cgroup_manager *m = made_manager(root, "/berth/c2");
	struct oci_throttle_device rbps[] = {{8, 0, 100}, {8, 16, 0}};
	struct oci_throttle_device wiops[] = {{8, 0, 50}};
	struct oci_kv kv[] = {{(char *)"memory.high", (char *)"1000000"}};
	struct oci_resources r = {0};
	const char *dir;

	if (m == NULL)
		return;
	CHECK(cgroup_manager_mode(m) == CGROUP_MODE_V2);
	dir = cgroup_manager_dir(m, "");
	CHECK(dir && is_dir(dir));
	CHECK_STR(cgroup_manager_dir(m, "memory"), dir);
	/* The root existed before: berth never writes a cgroup it did not
	 * create (its owner delegates controllers). */
	CHECK_FILE(root, "cgroup.subtree_control", "");
	touch(dir, v2_files);
	put(dir, "cgroup.controllers", "cpuset cpu io memory pids\n");

	r.has_memory = true;
	r.memory = (struct oci_memory){.has_limit = true, .limit = 67108864, .has_swap = true,
				       .swap = 100663296, .has_reservation = true, .reservation = 1024};
	r.has_cpu = true;
	r.cpu = (struct oci_cpu){.has_shares = true, .shares = 1024, .has_quota = true, .quota = 50000,
				 .has_period = true, .period = 100000, .has_burst = true, .burst = 20,
				 .has_idle = true, .idle = 1, .cpus = (char *)"1"};
	r.has_pids = true;
	r.pids_limit = -1;
	r.has_blkio = true;
	r.blkio.has_weight = true;
	r.blkio.weight = 500;
	r.blkio.throttle_read_bps = (struct oci_throttle_list){rbps, 2};
	r.blkio.throttle_write_iops = (struct oci_throttle_list){wiops, 1};
	r.unified = kv;
	r.n_unified = 1;
	{
		_cleanup_err_ berth_err *err = NULL;
		CHECK(cgroup_manager_set_resources(m, &r, &err) == 0);
		if (err) {
			_cleanup_free_ char *t = berth_err_text(err);
			fprintf(stderr, "  %s\n", t);
		}
	}
	/* swap is memory+swap in OCI: 96 MiB - 64 MiB of swap alone. */
	CHECK_FILE(dir, "memory.swap.max", "33554432\n");
	CHECK_FILE(dir, "memory.max", "67108864\n");
	CHECK_FILE(dir, "memory.low", "1024\n");
	CHECK_FILE(dir, "cpu.weight", "39\n");
	CHECK_FILE(dir, "cpu.max", "50000 100000\n");
	CHECK_FILE(dir, "cpu.max.burst", "20\n");
	CHECK_FILE(dir, "cpu.idle", "1\n");
	CHECK_FILE(dir, "cpuset.cpus", "1\n");
	CHECK_FILE(dir, "pids.max", "max\n");
	CHECK_FILE(dir, "io.weight", "4950\n");
	CHECK_FILE(dir, "io.max", "8:0 rbps=100 wiops=50\n8:16 rbps=max\n");
	CHECK_FILE(dir, "memory.high", "1000000\n");

	CHECK(cg_shares_to_weight(2) == 1);
	CHECK(cg_shares_to_weight(262144) == 10000);
	CHECK(cg_blkio_to_io_weight(10) == 1);
	CHECK(cg_blkio_to_io_weight(1000) == 10000);

	/* Quota -1 is "max"; a lone period keeps the current quota. */
	{
		struct oci_resources u = {.has_cpu = true, .has_pids = true, .pids_limit = 7};
		u.cpu.has_quota = true;
		u.cpu.quota = -1;
		u.cpu.has_period = true;
		u.cpu.period = 200000;
		CHECK(cgroup_manager_set_resources(m, &u, NULL) == 0);
		CHECK_FILE(dir, "cpu.max", "50000 100000\nmax 200000\n");
		CHECK_FILE(dir, "pids.max", "max\n7\n");
		put(dir, "cpu.max", "30000 100000\n");
		u.cpu.has_quota = false;
		CHECK(cgroup_manager_set_resources(m, &u, NULL) == 0);
		CHECK_FILE(dir, "cpu.max", "30000 100000\n30000 200000\n");
	}
	{
		struct oci_resources e = {.has_memory = true};
		_cleanup_err_ berth_err *err = NULL;
		e.memory.has_limit = true;
		e.memory.limit = 1000;
		e.memory.has_swap = true;
		e.memory.swap = 500;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.memory.swap");
	}
	{
		struct oci_hugepage_limit hp = {(char *)"2MB", 1 << 21};
		struct oci_resources e = {.hugepage_limits = &hp, .n_hugepage_limits = 1};
		_cleanup_err_ berth_err *err = NULL;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.hugepageLimits: hugetlb controller not available");
	}
	{
		struct oci_kv bad[] = {{(char *)"../memory.max", (char *)"1"}};
		struct oci_resources e = {.unified = bad, .n_unified = 1};
		_cleanup_err_ berth_err *err = NULL;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.unified.../memory.max: not a cgroup file name");
	}
	{
		struct oci_kv k[] = {{(char *)"hugetlb.2MB.max", (char *)"1"}};
		struct oci_resources e = {.unified = k, .n_unified = 1};
		_cleanup_err_ berth_err *err = NULL;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.unified.hugetlb.2MB.max: hugetlb controller not available");
	}
	{
		struct oci_resources e = {.has_cpu = true};
		_cleanup_err_ berth_err *err = NULL;
		e.cpu.has_shares = true;
		e.cpu.shares = 1;
		CHECK(cgroup_manager_set_resources(m, &e, &err) < 0);
		CHECK_ERR(err, "linux.resources.cpu.shares");
	}
	/* Freeze writes cgroup.freeze. */
	{
		bool frozen = false;
		CHECK(cgroup_manager_freeze(m, true, NULL) == 0);
		CHECK(cgroup_manager_is_frozen(m, &frozen, NULL) == 0 && frozen);
		CHECK(cgroup_manager_freeze(m, false, NULL) == 0);
		CHECK(cgroup_manager_is_frozen(m, &frozen, NULL) == 0 && !frozen);
	}
	CHECK(cgroup_manager_destroy(m, NULL) == 0);
	CHECK(!is_dir(dir));
	{
		_cleanup_free_ char *b = path_join(root, "berth");
		CHECK(!is_dir(b));
	}
	cgroup_manager_free(m);
}

/* ---------------------------------------------------------- fake hybrid */

TEST(hybrid_add_pid_and_freezer)
{
	_cleanup_free_ char *root = fake_tree("hy", "hybrid");
	struct cgroup_manager *m = made_manager(root, "/berth/c3");
	_cleanup_err_ berth_err *err = NULL;
	const char *const procs[] = {"cgroup.procs", "freezer.state", NULL};
	_cleanup_free_ char *udir = path_join(root, "unified/berth/c3");
	bool frozen = true;

	if (m == NULL)
		return;
	CHECK(cgroup_manager_mode(m) == CGROUP_MODE_HYBRID);
	CHECK_STR(cgroup_manager_dir(m, ""), udir);
	CHECK(is_dir(udir));
	/* unified is not taken for a v1 hierarchy. */
	CHECK(cgroup_manager_dir(m, "unified") == NULL);
	touch(udir, procs);
	for (const char *const *c = (const char *const[]){"cpu", "cpuset", "memory", "devices", "freezer",
							  "blkio", "pids", "systemd", NULL};
	     *c; c++)
		touch(cgroup_manager_dir(m, *c), procs);
	CHECK(cgroup_manager_add_pid(m, 4242, NULL, NULL) == 0);
	CHECK_FILE(udir, "cgroup.procs", "4242\n");
	CHECK_FILE(cgroup_manager_dir(m, "memory"), "cgroup.procs", "4242\n");
	CHECK_FILE(cgroup_manager_dir(m, "systemd"), "cgroup.procs", "4242\n");
	CHECK_FILE(cgroup_manager_dir(m, "cpuacct"), "cgroup.procs", "4242\n");
	CHECK(cgroup_manager_add_pid(m, 1, "../escape", &err) < 0);
	CHECK_ERR(err, "must not contain");
	/* The v1 freezer, not cgroup.freeze, on hybrid. */
	CHECK(cgroup_manager_freeze(m, true, NULL) == 0);
	CHECK_FILE(cgroup_manager_dir(m, "freezer"), "freezer.state", "FROZEN\n");
	CHECK(cgroup_manager_freeze(m, false, NULL) == 0);
	CHECK(cgroup_manager_is_frozen(m, &frozen, NULL) == 0 && !frozen);
	CHECK(cgroup_manager_destroy(m, NULL) == 0);
	CHECK(!is_dir(udir));
	cgroup_manager_free(m);
}

/* create in two parts: the memory hierarchy and the unified tree before
 * clone, the rest while the init builds its rootfs; each part's resources
 * and joins touch only its own hierarchies. */
TEST(hybrid_create_in_parts)
{
	_cleanup_free_ char *root = fake_tree("hp", "hybrid");
	_cleanup_free_ char *v2root = fake_tree("hp2", "v2");
	struct cgroup_manager *m = cgroup_manager_new(root, "/berth/c4", NULL);
	struct cgroup_manager *m2 = cgroup_manager_new(v2root, "/berth/c4", NULL);
	_cleanup_free_ char *udir = path_join(root, "unified/berth/c4");
	_cleanup_free_ char *cpudir = path_join(root, "cpu,cpuacct/berth/c4");
	_cleanup_free_ char *piddir = path_join(root, "pids/berth/c4");
	const char *const procs[] = {"cgroup.procs", NULL};
	struct oci_resources r = {0};
	_cleanup_err_ berth_err *err = NULL;

	if (m == NULL || m2 == NULL) {
		CHECK(!"manager");
		cgroup_manager_free(m);
		cgroup_manager_free(m2);
		return;
	}
	CHECK(cgroup_manager_has_part(m, CGROUP_PART_MEMORY) && cgroup_manager_has_part(m, CGROUP_PART_REST));
	CHECK(cgroup_manager_has_part(m2, CGROUP_PART_MEMORY) && !cgroup_manager_has_part(m2, CGROUP_PART_REST));
	r.has_memory = true;
	r.memory = (struct oci_memory){.has_limit = true, .limit = 67108864};
	r.has_pids = true;
	r.pids_limit = 77;

	CHECK(cgroup_manager_create_part(m, CGROUP_PART_MEMORY, NULL) == 0);
	CHECK(is_dir(cgroup_manager_dir(m, "memory")) && is_dir(udir));
	CHECK(!is_dir(cpudir) && !is_dir(piddir) && !is_dir(cgroup_manager_dir(m, "systemd")));
	touch(cgroup_manager_dir(m, "memory"), v1_mem_files);
	/* pids has no directory yet: its field must wait for the rest. */
	CHECK(cgroup_manager_set_resources_part(m, &r, CGROUP_PART_MEMORY, &err) == 0);
	CHECK_FILE(cgroup_manager_dir(m, "memory"), "memory.limit_in_bytes", "67108864\n");

	CHECK(cgroup_manager_create_part(m, CGROUP_PART_REST, NULL) == 0);
	CHECK(is_dir(cpudir) && is_dir(piddir) && is_dir(cgroup_manager_dir(m, "systemd")));
	CHECK_FILE(root, "cpuset/berth/c4/cpuset.cpus", "0-3\n");
	touch(piddir, v1_misc_files);
	touch(cpudir, procs);
	put(cgroup_manager_dir(m, "memory"), "memory.limit_in_bytes", "");
	CHECK(cgroup_manager_set_resources_part(m, &r, CGROUP_PART_REST, &err) == 0);
	CHECK_FILE(piddir, "pids.max", "77\n");
	CHECK_FILE(cgroup_manager_dir(m, "memory"), "memory.limit_in_bytes", "");

	touch(udir, procs);
	for (const char *const *c = (const char *const[]){"cpuset", "devices", "freezer", "blkio", "systemd", NULL};
	     *c; c++)
		touch(cgroup_manager_dir(m, *c), procs);
	CHECK(cgroup_manager_enter_self_part(m, true, CGROUP_PART_MEMORY, NULL) == 0);
	CHECK_FILE(cgroup_manager_dir(m, "memory"), "cgroup.procs", "0\n");
	CHECK_FILE(cpudir, "cgroup.procs", "");
	CHECK(cgroup_manager_enter_self_part(m, true, CGROUP_PART_REST, NULL) == 0);
	CHECK_FILE(cpudir, "cgroup.procs", "0\n");
	CHECK_FILE(cgroup_manager_dir(m, "memory"), "cgroup.procs", "0\n");
	CHECK_FILE(udir, "cgroup.procs", ""); /* clone3 put it there */

	CHECK(cgroup_manager_destroy(m, NULL) == 0);
	CHECK(!is_dir(udir) && !is_dir(cpudir));
	cgroup_manager_free(m);
	cgroup_manager_free(m2);
}

/* ------------------------------------------------------------ bpf build */

TEST(bpf_program_shape)
{
	struct oci_device_rule rules[] = {{false, 'a', -1, -1, NULL}, {true, 'c', 1, 3, (char *)"rw"},
					  {true, 'b', 8, -1, (char *)""}};
	struct oci_device_rule bad[] = {{true, 'c', 1, 3, (char *)"rx"}};
	_cleanup_free_ void *insns = NULL;
	_cleanup_err_ berth_err *err = NULL;
	struct bpf_insn *v;
	size_t n = 0;

	CHECK(cg_devices_bpf_build(rules, 3, &insns, &n, NULL) == 0);
	/* 6 loads, "c 1:3 rw" (type, 3 access, major, minor, verdict, exit),
	 * "a" (verdict, exit) which ends the program, the empty-access rule
	 * skipped. */
	CHECK(n == 6 + 8 + 2);
	v = insns;
	if (n == 16) {
		CHECK(v[6].code == (BPF_JMP | BPF_JNE | BPF_K) && v[6].imm == BPF_DEVCG_DEV_CHAR && v[6].off == 7);
		CHECK(v[8].imm == BPF_DEVCG_ACC_MKNOD); /* access outside rw: no match */
		CHECK(v[10].imm == 1 && v[11].imm == 3);
		CHECK(v[12].code == (BPF_ALU64 | BPF_MOV | BPF_K) && v[12].imm == 1);
		CHECK(v[14].imm == 0 && v[15].code == (BPF_JMP | BPF_EXIT));
	}
	free(insns);
	insns = NULL;
	/* Without a catch-all the default (allow) closes the program. */
	CHECK(cg_devices_bpf_build(rules + 1, 1, &insns, &n, NULL) == 0);
	v = insns;
	CHECK(n == 6 + 8 + 2 && v[n - 2].imm == 1 && v[n - 1].code == (BPF_JMP | BPF_EXIT));
	free(insns);
	insns = NULL;
	CHECK(cg_devices_bpf_build(bad, 1, &insns, &n, &err) < 0);
	CHECK_ERR(err, "linux.resources.devices[0].access");
}

int main(void)
{
	char cmd[160];

	snprintf(base, sizeof(base), "/tmp/berth-unit-cg.%d", (int)getpid());
	if (mkdir_p(base, 0755, NULL) < 0)
		return 1;
	RUN(detect_mode);
	RUN(rdma_lines);
	RUN(resolve_path);
	RUN(v1_create_and_dirs);
	RUN(v1_set_resources_files);
	RUN(v1_stats_cpuset);
	RUN(v2_create_and_set_resources);
	RUN(v2_memory_limit_alone_keeps_memsw);
	RUN(hybrid_add_pid_and_freezer);
	RUN(hybrid_create_in_parts);
	RUN(bpf_program_shape);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	if (system(cmd) != 0)
		return 1;
	TEST_EXIT();
}
