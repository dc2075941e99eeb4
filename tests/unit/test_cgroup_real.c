/* Unit tests of the cgroup manager against this host's real hierarchies,
 * as root, under cgroups named berth-test that they make and remove: the
 * whole create / join / limit / stats / destroy cycle, the device policy in
 * v1's devices files and as a cgroup2 BPF program, and its pin cache. */
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

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The real file dir/file reads exactly want. */
#define CHECK_FILE(dir, file, want)                                               \
	do {                                                                      \
		_cleanup_free_ char *p_ = path_join(dir, file);                   \
		_cleanup_free_ char *got_ = read_file_at(AT_FDCWD, p_, NULL, NULL); \
		CHECK_STR(got_, want);                                            \
	} while (0)

/* ------------------------------------------------------- real hierarchy */

struct sleeper {
	pid_t pid;
	int go; /* write end: a byte lets the child touch memory and sleep */
};

/* A child that waits for a byte, then dirties some memory (so that the
 * cgroup it was moved to is charged) and sleeps. */
static struct sleeper spawn_sleeper(void)
{
	struct sleeper s = {-1, -1};
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		abort();
	s.pid = fork();
	if (s.pid == 0) {
		char c, *mem;
		close(p[1]);
		if (read(p[0], &c, 1) == 1 && (mem = malloc(4 << 20)) != NULL)
			memset(mem, 1, 4 << 20);
		for (;;)
			pause();
	}
	close(p[0]);
	s.go = p[1];
	return s;
}

static void release_sleeper(struct sleeper *s)
{
	if (write(s->go, "x", 1) != 1)
		abort();
	close(s->go);
	s->go = -1;
}

static bool pid_listed(const char *dir, pid_t pid)
{
	_cleanup_free_ char *s = cg_read(dir, "cgroup.procs");
	char needle[32];

	snprintf(needle, sizeof(needle), "%d", (int)pid);
	for (char *save = NULL, *l = s ? strtok_r(s, "\n", &save) : NULL; l; l = strtok_r(NULL, "\n", &save))
		if (strcmp(l, needle) == 0)
			return true;
	return false;
}

/* Removes the berth-test parents if nothing else uses them. */
static void drop_test_parents(void)
{
	static const char *const h[] = {"cpu",	   "cpuacct", "cpu,cpuacct", "cpuset", "memory",
					"devices", "freezer", "blkio",	     "pids",   "systemd",
					"unified", "hugetlb", "net_cls,net_prio", "misc", "rdma", "perf_event"};
	char p[128];

	for (size_t i = 0; i < ARRAY_SIZE(h); i++) {
		snprintf(p, sizeof(p), "/sys/fs/cgroup/%s/berth-test", h[i]);
		rmdir(p);
	}
	rmdir("/sys/fs/cgroup/berth-test");
}

static void real_cycle(const char *root, const char *path)
{
	_cleanup_err_ berth_err *err = NULL;
	struct cgroup_manager *m = cgroup_manager_new(root, path, &err);
	struct oci_resources r = {0};
	_cleanup_free_ pid_t *pids = NULL;
	_cleanup_free_ char *stats = NULL;
	size_t n = 0;
	struct sleeper s1, s2;
	pid_t child, child2;
	bool frozen = false, v2;
	int status = 0;
	uint64_t ooms = 99;
	const char *mem, *pd, *cpu;
	char **dirs;
	size_t ndirs = 0;

	CHECK(m != NULL);
	if (m == NULL) {
		CHECK_ERR(err, "");
		return;
	}
	v2 = cgroup_manager_mode(m) == CGROUP_MODE_V2;
	if (cgroup_manager_create(m, &err) < 0) {
		CHECK_ERR(err, "(create)");
		cgroup_manager_free(m);
		return;
	}
	/* Remember every directory to check that destroy removes them. */
	dirs = calloc(m->n_v1 + 2, sizeof(*dirs));
	for (size_t i = 0; i < m->n_v1; i++)
		dirs[ndirs++] = strdup(m->v1[i].dir);
	if (m->unified_dir)
		dirs[ndirs++] = strdup(m->unified_dir);
	for (size_t i = 0; i < ndirs; i++)
		CHECK(is_dir(dirs[i]));

	mem = cgroup_manager_dir(m, "memory");
	pd = cgroup_manager_dir(m, "pids");
	cpu = cgroup_manager_dir(m, "cpu");
	/* On the controller-less unified mount of a hybrid host only the
	 * core files exist. */
	_cleanup_free_ char *mm = mem ? path_join(mem, "memory.max") : NULL;
	bool have_ctl = mem && pd && cpu && (!v2 || path_exists(mm));
	if (have_ctl) {
		r.has_memory = true;
		r.memory.has_limit = true;
		r.memory.limit = 67108864;
		r.has_pids = true;
		r.pids_limit = 10;
		r.has_cpu = true;
		r.cpu.has_quota = true;
		r.cpu.quota = 50000;
		r.cpu.has_period = true;
		r.cpu.period = 100000;
		CHECK(cgroup_manager_set_resources(m, &r, &err) == 0);
		CHECK_ERR(err, "(no error)");
		if (v2) {
			CHECK_FILE(mem, "memory.max", "67108864\n");
			CHECK_FILE(pd, "pids.max", "10\n");
			CHECK_FILE(cpu, "cpu.max", "50000 100000\n");
		} else {
			CHECK_FILE(mem, "memory.limit_in_bytes", "67108864\n");
			CHECK_FILE(pd, "pids.max", "10\n");
			CHECK_FILE(cpu, "cpu.cfs_quota_us", "50000\n");
			CHECK_FILE(cpu, "cpu.cfs_period_us", "100000\n");
		}
		/* Lowering the limit below the old memsw value and setting swap
		 * equal to it works whatever order the kernel needs. */
		{
			struct oci_resources u = {.has_memory = true};
			u.memory.has_limit = true;
			u.memory.limit = 33554432;
			u.memory.has_swap = true;
			u.memory.swap = 33554432;
			CHECK(cgroup_manager_set_resources(m, &u, &err) == 0);
			CHECK_ERR(err, "(no error)");
			CHECK_FILE(mem, v2 ? "memory.max" : "memory.limit_in_bytes", "33554432\n");
			if (!v2 && path_exists("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))
				CHECK_FILE(mem, "memory.memsw.limit_in_bytes", "33554432\n");
			u.memory.limit = 67108864;
			u.memory.swap = 134217728;
			CHECK(cgroup_manager_set_resources(m, &u, &err) == 0);
			CHECK_ERR(err, "(no error)");
			CHECK_FILE(mem, v2 ? "memory.max" : "memory.limit_in_bytes", "67108864\n");
		}
		/* The kernel's refusal names the field. */
		{
			struct oci_resources bad = {.has_cpu = true};
			_cleanup_err_ berth_err *e2 = NULL;
			bad.cpu.cpus = (char *)"9999";
			CHECK(cgroup_manager_set_resources(m, &bad, &e2) < 0);
			CHECK_ERR(e2, "linux.resources.cpu.cpus: write cpuset.cpus");
		}
	}

	s1 = spawn_sleeper();
	s2 = spawn_sleeper();
	child = s1.pid;
	child2 = s2.pid;
	CHECK(cgroup_manager_add_pid(m, child, NULL, &err) == 0);
	CHECK(cgroup_manager_add_pid(m, child2, "sub/x", &err) == 0);
	CHECK_ERR(err, "(no error)");
	release_sleeper(&s1);
	release_sleeper(&s2);
	usleep(50000);
	for (size_t i = 0; i < ndirs; i++) {
		_cleanup_free_ char *sub = path_join(dirs[i], "sub/x");
		CHECK(pid_listed(dirs[i], child));
		CHECK(pid_listed(sub, child2));
	}

	CHECK(cgroup_manager_freeze(m, true, &err) == 0);
	CHECK(cgroup_manager_is_frozen(m, &frozen, NULL) == 0 && frozen);
	if (v2) {
		_cleanup_free_ char *ev = cg_read(m->unified_dir, "cgroup.events");
		CHECK_CONTAINS(ev, "frozen 1");
	} else {
		CHECK_FILE(cgroup_manager_dir(m, "freezer"), "freezer.state", "FROZEN\n");
	}
	CHECK(cgroup_manager_freeze(m, false, &err) == 0);
	CHECK(cgroup_manager_is_frozen(m, &frozen, NULL) == 0 && !frozen);

	CHECK(cgroup_manager_pids(m, &pids, &n, &err) == 0);
	CHECK(n == 2);
	CHECK(n == 2 && ((pids[0] == child && pids[1] == child2) || (pids[1] == child && pids[0] == child2)));

	stats = cgroup_manager_stats_json(m, &err);
	CHECK(stats != NULL);
	{
		json_object *j = stats ? json_tokener_parse(stats) : NULL, *o;
		CHECK(j != NULL);
		if (have_ctl) {
			CHECK(json_object_object_get_ex(j, "memory", &o) && json_object_object_get_ex(o, "usage", &o) &&
			      json_object_object_get_ex(o, "usage", &o) && json_object_get_uint64(o) > 0);
			CHECK(json_object_object_get_ex(j, "pids", &o) && json_object_object_get_ex(o, "current", &o) &&
			      json_object_get_uint64(o) == 2);
			CHECK(json_object_object_get_ex(j, "pids", &o) && json_object_object_get_ex(o, "limit", &o) &&
			      json_object_get_uint64(o) == 10);
		}
		CHECK(json_object_object_get_ex(j, "cpu", &o));
		json_object_put(j);
	}
	CHECK(cgroup_manager_oom_count(m, &ooms, NULL) == 0 && ooms == 0);

	CHECK(cgroup_manager_kill_all(m, SIGKILL, &err) == 0);
	CHECK(waitpid(child, &status, 0) == child && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK(waitpid(child2, &status, 0) == child2 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK(cgroup_manager_destroy(m, &err) == 0);
	CHECK_ERR(err, "(no error)");
	for (size_t i = 0; i < ndirs; i++) {
		CHECK(!is_dir(dirs[i]));
		free(dirs[i]);
	}
	free(dirs);
	cgroup_manager_free(m);
}

TEST(real_hierarchy)
{
	char path[64];

	snprintf(path, sizeof(path), "/berth-test/unit-%d", (int)getpid());
	real_cycle(NULL, path);
	drop_test_parents();
}

/* On a hybrid host the unified mount is a real cgroup2 hierarchy (without
 * controllers): the v2 paths (cgroup.freeze, cgroup.kill, device programs)
 * run against the kernel there. */
TEST(real_unified)
{
	char path[64];

	snprintf(path, sizeof(path), "/berth-test/unit2-%d", (int)getpid());
	real_cycle("/sys/fs/cgroup/unified", path);
	drop_test_parents();
}

/* Opens path (flags) in a child moved into the cgroup; returns the child's
 * errno, 0 when the open worked. */
static int open_in_cgroup(struct cgroup_manager *m, const char *path, int flags)
{
	int pfd[2], e = -1;
	pid_t p;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -1;
	p = fork();
	if (p == 0) {
		char c;
		close(pfd[1]);
		if (read(pfd[0], &c, 1) != 1)
			_exit(100);
		int fd = open(path, flags | O_CLOEXEC | O_NONBLOCK);
		_exit(fd >= 0 ? 0 : errno);
	}
	close(pfd[0]);
	if (cgroup_manager_add_pid(m, p, NULL, NULL) == 0 && write(pfd[1], "x", 1) == 1) {
		int st;
		if (waitpid(p, &st, 0) == p && WIFEXITED(st))
			e = WEXITSTATUS(st);
	} else {
		kill(p, SIGKILL);
		waitpid(p, NULL, 0);
	}
	close(pfd[1]);
	return e;
}

TEST(real_device_program)
{
	const char *root = "/sys/fs/cgroup/unified";
	enum cgroup_mode mode;
	char path[64];
	struct cgroup_manager *m;
	struct oci_device_rule deny[] = {{false, 'a', -1, -1, NULL}};
	struct oci_device_rule allow[] = {{false, 'a', -1, -1, NULL}, {true, 'c', 1, 11, (char *)"r"}};
	struct oci_resources r = {0};
	_cleanup_err_ berth_err *err = NULL;

	if (cgroup_detect_mode(NULL, &mode, NULL) == 0 && mode == CGROUP_MODE_V2)
		root = NULL;
	snprintf(path, sizeof(path), "/berth-test/unit3-%d", (int)getpid());
	m = cgroup_manager_new(root, path, &err);
	if (m == NULL || cgroup_manager_create(m, &err) < 0) {
		CHECK_ERR(err, "(create)");
		cgroup_manager_free(m);
		return;
	}
	/* Deny all: /dev/kmsg (1:11) is not among the defaults. */
	r.devices = deny;
	r.n_devices = 1;
	CHECK(cgroup_manager_set_resources(m, &r, &err) == 0);
	CHECK_ERR(err, "(no error)");
	CHECK(open_in_cgroup(m, "/dev/kmsg", O_RDONLY) == EPERM);
	CHECK(open_in_cgroup(m, "/dev/null", O_RDWR) == 0);
	/* The update replaces the program (else both would have to allow). */
	r.devices = allow;
	r.n_devices = 2;
	CHECK(cgroup_manager_set_resources(m, &r, &err) == 0);
	CHECK(open_in_cgroup(m, "/dev/kmsg", O_RDONLY) == 0);
	CHECK(open_in_cgroup(m, "/dev/kmsg", O_WRONLY) == EPERM);
	CHECK(open_in_cgroup(m, "/dev/full", O_RDWR) == 0);
	CHECK(open_in_cgroup(m, "/dev/loop-control", O_RDWR) == EPERM);
	CHECK(cgroup_manager_destroy(m, &err) == 0);
	cgroup_manager_free(m);
	drop_test_parents();
}

/* v1 and hybrid: the rules go to devices.deny/allow and the kernel
 * enforces them on the processes in the cgroup. */
TEST(real_v1_devices)
{
	struct oci_device_rule rules[] = {{false, 'a', -1, -1, NULL}, {true, 'c', 1, 11, (char *)"r"}};
	struct oci_resources r = {.devices = rules, .n_devices = 2};
	_cleanup_err_ berth_err *err = NULL;
	struct cgroup_manager *m;
	char path[64];

	snprintf(path, sizeof(path), "/berth-test/unit4-%d", (int)getpid());
	m = cgroup_manager_new(NULL, path, &err);
	if (m == NULL || cgroup_manager_create(m, &err) < 0) {
		CHECK_ERR(err, "(create)");
		cgroup_manager_free(m);
		return;
	}
	CHECK(cgroup_manager_set_resources(m, &r, &err) == 0);
	CHECK_ERR(err, "(no error)");
	{
		_cleanup_free_ char *list = cg_read(cgroup_manager_dir(m, "devices"), "devices.list");
		CHECK_CONTAINS(list, "c 1:11 r");
		CHECK_CONTAINS(list, "c 1:3 rwm");
	}
	CHECK(open_in_cgroup(m, "/dev/kmsg", O_RDONLY) == 0);
	CHECK(open_in_cgroup(m, "/dev/kmsg", O_WRONLY) == EPERM);
	CHECK(open_in_cgroup(m, "/dev/null", O_RDWR) == 0);
	CHECK(open_in_cgroup(m, "/dev/loop-control", O_RDWR) == EPERM);
	CHECK(cgroup_manager_destroy(m, &err) == 0);
	cgroup_manager_free(m);
	drop_test_parents();
}

/* The device program pin cache, on a bpffs of the test's own (in a private
 * mount namespace): the second load of the same rules opens the pinned
 * program; other rules, a directory others can enter, or no bpffs at all
 * mean a fresh load. */
static enum cgroup_mode cg_mode = CGROUP_MODE_V1;

static void device_cache_child(void)
{
	struct oci_device_rule r1[] = {{false, 'a', -1, -1, NULL}};
	struct oci_device_rule r2[] = {{false, 'a', -1, -1, NULL}, {true, 'c', 1, 11, (char *)"r"}};
	_cleanup_free_ char *fs = path_join(base, "bpffs");
	_cleanup_free_ char *pin = path_join(base, "bpffs/berth");
	_cleanup_free_ char *nopin = path_join(base, "plain/berth");
	_cleanup_free_ void *i1 = NULL, *i2 = NULL;
	size_t n1, n2;
	bool cached = true;
	int a, b, c, d, e;

	if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mkdir_p(fs, 0700, NULL) < 0 || mount("bpf", fs, "bpf", 0, NULL) < 0) {
		fprintf(stderr, "  no private bpffs: %s\n", strerror(errno));
		_exit(2);
	}
	CHECK(cg_devices_bpf_build(r1, 1, &i1, &n1, NULL) == 0);
	CHECK(cg_devices_bpf_build(r2, 2, &i2, &n2, NULL) == 0);
	a = cg_devices_prog(pin, i1, n1, &cached, NULL);
	CHECK(a >= 0 && !cached);
	b = cg_devices_prog(pin, i1, n1, &cached, NULL);
	CHECK(b >= 0 && cached && cg_devices_prog_id(a) != 0);
	CHECK(cg_devices_prog_id(a) == cg_devices_prog_id(b));
	c = cg_devices_prog(pin, i2, n2, &cached, NULL);
	CHECK(c >= 0 && !cached && cg_devices_prog_id(c) != cg_devices_prog_id(a));
	CHECK(chmod(pin, 0755) == 0);
	d = cg_devices_prog(pin, i1, n1, &cached, NULL);
	CHECK(d >= 0 && !cached && cg_devices_prog_id(d) != cg_devices_prog_id(a));
	e = cg_devices_prog(nopin, i1, n1, &cached, NULL);
	CHECK(e >= 0 && !cached && !is_dir(nopin));
	/* Through the cgroup: with the cache at its real place, the same rules
	 * set twice on one cgroup (containers that share it) find their
	 * program attached already, which the kernel refuses to attach twice. */
	if (cg_mode != CGROUP_MODE_V1 && mount("bpf", "/sys/fs/bpf", "bpf", 0, NULL) == 0) {
		char path[64];
		struct cgroup_manager *m;
		struct oci_resources r = {.devices = r1, .n_devices = 1};
		_cleanup_err_ berth_err *err = NULL;
		snprintf(path, sizeof(path), "/berth-test/unit4-%d", (int)getpid());
		m = cgroup_manager_new(cg_mode == CGROUP_MODE_V2 ? NULL : "/sys/fs/cgroup/unified", path, &err);
		if (m && cgroup_manager_create(m, &err) == 0) {
			CHECK(cgroup_manager_set_resources(m, &r, &err) == 0);
			CHECK(cgroup_manager_set_resources(m, &r, &err) == 0);
			CHECK_ERR(err, "(no error)");
			CHECK(open_in_cgroup(m, "/dev/kmsg", O_RDONLY) == EPERM);
			CHECK(open_in_cgroup(m, "/dev/null", O_RDWR) == 0);
			CHECK(cgroup_manager_destroy(m, NULL) == 0);
		} else {
			CHECK_ERR(err, "(create)");
		}
		cgroup_manager_free(m);
		drop_test_parents();
	}
	_exit(test_failed_);
}

TEST(real_device_program_cache)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0)
		device_cache_child();
	CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
	struct statfs uf;
	enum cgroup_mode mode = CGROUP_MODE_V1;
	char cmd[160];

	snprintf(base, sizeof(base), "/tmp/berth-unit-cgreal.%d", (int)getpid());
	if (mkdir_p(base, 0755, NULL) < 0)
		return 1;
	cgroup_detect_mode(NULL, &mode, NULL);
	if (geteuid() != 0) {
		TEST_SKIP(real_hierarchy, "needs root");
		TEST_SKIP(real_unified, "needs root");
		TEST_SKIP(real_device_program, "needs root");
		TEST_SKIP(real_device_program_cache, "needs root");
	} else {
		RUN(real_hierarchy);
		if (mode == CGROUP_MODE_HYBRID && statfs("/sys/fs/cgroup/unified", &uf) == 0)
			RUN(real_unified);
		else
			TEST_SKIP(real_unified, "not a hybrid host");
		if (mode != CGROUP_MODE_V2)
			RUN(real_v1_devices);
		else
			TEST_SKIP(real_v1_devices, "cgroup v2 host");
		if (mode != CGROUP_MODE_V1)
			RUN(real_device_program);
		else
			TEST_SKIP(real_device_program, "no cgroup2 hierarchy");
		cg_mode = mode;
		RUN(real_device_program_cache);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", base);
	if (system(cmd) != 0)
		return 1;
	TEST_EXIT();
}
