/* The cgroup manager's core: hierarchy mode detection, cgroupsPath
 * resolution, discovery of the mounted hierarchies, and the operations that
 * do not depend on controller files (create, add_pid, destroy). Listing and
 * signalling the processes lives in cgroup_procs.c, freezing in
 * cgroup_freezer.c, resource writes in cgroup_v1.c / cgroup_v2.c. */
#include "linux/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "linux/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define FAKE_MODE_FILE ".berth-fake-mode"
#define DEFAULT_PARENT "/berth"

static const char *const v1_known[] = {
	"cpu",	   "cpuacct", "cpuset",	    "memory", "devices", "freezer", "net_cls",
	"net_prio", "blkio",   "perf_event", "hugetlb", "pids",	 "rdma",    "misc",
};

/* ---------------------------------------------------------------- helpers */

static char *xstrdup(const char *s)
{
	char *r = strdup(s);
	if (r == NULL)
		berth_abort();
	return r;
}

void cg_sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

long cg_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int cg_write_keep(struct cgroup_manager *m, int *fd, const char *dir, const char *file, const char *value,
		  const char *field, berth_err **err)
{
	_cleanup_free_ char *p = path_join(dir, file);
	int e;

	if (*fd < 0)
		*fd = openat(AT_FDCWD, p, O_WRONLY | O_CLOEXEC | (m->fake ? O_APPEND : 0));
	if (*fd >= 0) {
		/* The kernel wants one value per write(2); the fake tree
		 * keeps a line per write so tests see every value. */
		if (m->fake) {
			_cleanup_free_ char *line = NULL;
			if (asprintf(&line, "%s\n", value) < 0)
				berth_abort();
			if (write_all(*fd, line, strlen(line)) == 0)
				return 0;
		} else if (write_all(*fd, value, strlen(value)) == 0) {
			return 0;
		}
	}
	e = errno;
	if (field)
		berth_err_set(err, e, "%s: write %s", field, file);
	else
		berth_err_set(err, e, "write %s", p);
	errno = e;
	return -1;
}

int cg_write(struct cgroup_manager *m, const char *dir, const char *file, const char *value,
	     const char *field, berth_err **err)
{
	_cleanup_close_ int fd = -1;

	return cg_write_keep(m, &fd, dir, file, value, field, err);
}

char *cg_read(const char *dir, const char *file)
{
	_cleanup_free_ char *p = path_join(dir, file);
	_cleanup_close_ int fd = openat(AT_FDCWD, p, O_RDONLY | O_CLOEXEC);
	char *s;
	size_t n;

	if (fd < 0)
		return NULL;
	s = read_fd_all(fd, &n, NULL);
	if (s == NULL) {
		errno = EIO;
		return NULL;
	}
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
	return s;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *out)
{
	_cleanup_free_ char *s = cg_read(dir, file);
	char *end;

	if (s == NULL)
		return -1;
	if (strcmp(s, "max") == 0) {
		*out = UINT64_MAX;
		return 0;
	}
	errno = 0;
	*out = strtoull(s, &end, 10);
	if (errno || end == s) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

bool cg_keyed_u64(const char *text, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);

	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) == 0 && l[kl] == ' ') {
			*out = strtoull(l + kl + 1, NULL, 10);
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------- mode and paths */

static int detect_mode(const char *root, enum cgroup_mode *mode, berth_err **err);

int cgroup_detect_mode(const char *root, enum cgroup_mode *mode, berth_err **err)
{
	/* The host's layout does not change under a running runtime: detect
	 * it once per process (list builds a manager per container). */
	static bool known;
	static enum cgroup_mode host;

	if (root != NULL && strcmp(root, CGROUP_DEFAULT_ROOT) != 0)
		return detect_mode(root, mode, err);
	if (!known) {
		if (detect_mode(CGROUP_DEFAULT_ROOT, &host, err) < 0)
			return -1;
		known = true;
	}
	*mode = host;
	return 0;
}

static int detect_mode(const char *root, enum cgroup_mode *mode, berth_err **err)
{
	struct statfs sf;

	/* Tests point root at a plain directory; it says which layout it
	 * imitates. The real root never honours it. */
	if (strcmp(root, CGROUP_DEFAULT_ROOT) != 0) {
		_cleanup_free_ char *f = cg_read(root, FAKE_MODE_FILE);
		if (f) {
			if (strcmp(f, "v1") == 0)
				*mode = CGROUP_MODE_V1;
			else if (strcmp(f, "v2") == 0)
				*mode = CGROUP_MODE_V2;
			else if (strcmp(f, "hybrid") == 0)
				*mode = CGROUP_MODE_HYBRID;
			else
				return berth_err_set(err, 0, "%s/%s: unknown mode %s", root,
						     FAKE_MODE_FILE, f);
			return 0;
		}
	}
	if (statfs(root, &sf) < 0)
		return berth_err_set(err, errno, "statfs %s", root);
	if ((unsigned long)sf.f_type == CGROUP2_SUPER_MAGIC) {
		*mode = CGROUP_MODE_V2;
		return 0;
	}
	if ((unsigned long)sf.f_type == TMPFS_MAGIC) {
		_cleanup_free_ char *u = path_join(root, "unified");
		if (statfs(u, &sf) == 0 && (unsigned long)sf.f_type == CGROUP2_SUPER_MAGIC) {
			*mode = CGROUP_MODE_HYBRID;
			return 0;
		}
	}
	*mode = CGROUP_MODE_V1;
	return 0;
}

/* The runtime's own cgroup, the base of relative cgroupsPaths. On v2 that is
 * the parent of the "0::" cgroup: the runtime's own one holds processes, so
 * by the no-internal-process rule it could not delegate controllers to a
 * child (runc's fs2 does the same). On v1 and hybrid a single path must serve
 * every hierarchy, so the memory controller's cgroup is taken (it is the one
 * whose limits matter most), else the first controller's; runc instead joins
 * each hierarchy's own path, which differs only when the runtime sits in
 * different cgroups per controller. */
static int own_cgroup(char **out, berth_err **err)
{
	_cleanup_free_ char *text = read_file_at(AT_FDCWD, "/proc/self/cgroup", NULL, err);
	_cleanup_free_ char *memory = NULL, *first = NULL, *unified = NULL;
	enum cgroup_mode mode;

	if (text == NULL)
		return -1;
	if (cgroup_detect_mode(NULL, &mode, err) < 0)
		return -1;
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 == NULL)
			continue;
		*c2 = '\0';
		if (c2 == c1 + 1) {
			if (unified == NULL)
				unified = xstrdup(c2 + 1);
			continue;
		}
		for (char *s2 = NULL, *c = strtok_r(c1 + 1, ",", &s2); c; c = strtok_r(NULL, ",", &s2)) {
			if (strcmp(c, "memory") == 0 && memory == NULL)
				memory = xstrdup(c2 + 1);
		}
		if (first == NULL && strncmp(c1 + 1, "name=", 5) != 0)
			first = xstrdup(c2 + 1);
	}
	if (mode == CGROUP_MODE_V2) {
		if (unified == NULL)
			return berth_err_set(err, 0, "/proc/self/cgroup: no cgroup v2 entry");
		char *slash = strrchr(unified, '/');
		if (slash && slash != unified)
			*slash = '\0';
		else if (slash)
			slash[1] = '\0';
		*out = TAKE_PTR(unified);
		return 0;
	}
	if (memory)
		*out = TAKE_PTR(memory);
	else if (first)
		*out = TAKE_PTR(first);
	else if (unified)
		*out = TAKE_PTR(unified);
	else
		return berth_err_set(err, 0, "/proc/self/cgroup: no cgroup entry");
	return 0;
}

int cgroup_resolve_path(const char *cgroups_path, const char *id, bool systemd_cgroup, char **out,
			berth_err **err)
{
	_cleanup_free_ char *own = NULL, *joined = NULL;

	if (systemd_cgroup) {
		if (cgroups_path && *cgroups_path) {
			const char *c1 = strchr(cgroups_path, ':');
			const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
			if (c2 == NULL || strchr(c2 + 1, ':') != NULL || c2[1] == '\0')
				return berth_err_set(err, 0,
						     "linux.cgroupsPath: %s: expected \"slice:prefix:name\" "
						     "with --systemd-cgroup",
						     cgroups_path);
		}
		return berth_err_set(err, 0,
				     "systemd cgroup driver is not supported yet: use cgroupfs "
				     "(omit --systemd-cgroup)");
	}
	if (cgroups_path == NULL || *cgroups_path == '\0') {
		if (id == NULL || *id == '\0' || strchr(id, '/') || strcmp(id, "..") == 0 ||
		    strcmp(id, ".") == 0)
			return berth_err_set(err, 0, "container id %s: not usable as a cgroup name",
					     id ? id : "");
		if (asprintf(&joined, "%s/%s", DEFAULT_PARENT, id) < 0)
			berth_abort();
		*out = path_clean(joined);
		return 0;
	}
	/* Without --systemd-cgroup, "a:b:c" is just a (relative) name. */
	if (cgroups_path[0] == '/') {
		*out = path_clean(cgroups_path);
		return 0;
	}
	if (own_cgroup(&own, err) < 0)
		return berth_err_wrap(err, "linux.cgroupsPath");
	if (asprintf(&joined, "%s/%s", own, cgroups_path) < 0)
		berth_abort();
	*out = path_clean(joined);
	return 0;
}

/* ------------------------------------------------------------ discovery */

static bool is_known_controller(const char *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(v1_known); i++)
		if (strcmp(c, v1_known[i]) == 0)
			return true;
	return false;
}

static void add_hier(struct cgroup_manager *m, const char *controllers, const char *mount)
{
	struct cg_hier *h;

	if (m->n_v1 >= CG_MADE_UNIFIED)
		return; /* a bit of `made` each; the kernel has about a dozen */
	h = realloc(m->v1, (m->n_v1 + 1) * sizeof(*h));
	if (h == NULL)
		berth_abort();
	m->v1 = h;
	h = &m->v1[m->n_v1++];
	h->controllers = xstrdup(controllers);
	h->mount = xstrdup(mount);
	h->dir = strcmp(m->path, "/") == 0 ? xstrdup(mount) : path_join(mount, m->path + 1);
}

/* The filtered controllers of a hierarchy: the known ones and "name=*"
 * words of list (comma-separated), in order; "" when none. */
static void hier_controllers(const char *list, char *out, size_t size)
{
	_cleanup_free_ char *copy = xstrdup(list);

	out[0] = '\0';
	for (char *s = NULL, *o = strtok_r(copy, ",", &s); o; o = strtok_r(NULL, ",", &s)) {
		if (!is_known_controller(o) && strncmp(o, "name=", 5) != 0)
			continue;
		if (out[0])
			strncat(out, ",", size - strlen(out) - 1);
		strncat(out, o, size - strlen(out) - 1);
	}
}

/* The v1 hierarchies from /proc/self/cgroup, each where every init system
 * mounts it: root/<controllers> ("name=" left out), which must be on a
 * cgroup filesystem. A read of 10 lines and a statfs each, where mountinfo
 * costs 0.1 ms to generate with 23 mounts, and more with every mount of the
 * host (an engine's host has hundreds). false, with nothing added, when the
 * host differs: mountinfo then decides. */
static bool discover_standard(struct cgroup_manager *m)
{
	_cleanup_free_ char *text = read_file_at(AT_FDCWD, "/proc/self/cgroup", NULL, NULL);
	char ctl[16][256];
	char *mnt[16] = {0};
	size_t n = 0;
	bool ok = text != NULL;

	for (char *save = NULL, *l = ok ? strtok_r(text, "\n", &save) : NULL; ok && l;
	     l = strtok_r(NULL, "\n", &save)) {
		char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *name;
		struct statfs sf;

		if (c2 == NULL) {
			ok = false;
			break;
		}
		*c2 = '\0';
		if (strcmp(l, "0:") == 0 || c1[1] == '\0')
			continue; /* the cgroup2 line */
		if (n == 16) {
			ok = false;
			break;
		}
		hier_controllers(c1 + 1, ctl[n], sizeof(ctl[n]));
		if (ctl[n][0] == '\0')
			continue; /* no controller berth knows: as mountinfo does */
		name = ctl[n];
		if (strncmp(name, "name=", 5) == 0) {
			name += 5;
			if (strchr(name, ','))
				ok = false; /* a named hierarchy with controllers */
		} else if (strstr(name, "name=")) {
			ok = false;
		}
		/* Below root, not a cgroup itself on a v1 or hybrid host, a
		 * directory of a cgroup filesystem is a hierarchy's root. */
		mnt[n] = path_join(m->root, name);
		if (!ok || statfs(mnt[n], &sf) < 0 || sf.f_type != CGROUP_SUPER_MAGIC)
			ok = false;
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		if (ok && mnt[i])
			add_hier(m, ctl[i], mnt[i]);
		free(mnt[i]);
	}
	return ok && m->n_v1 > 0;
}

/* The v1 hierarchies from mountinfo: "cgroup" mounts directly below root,
 * their controllers taken from the super options ("rw,cpu,cpuacct"). */
static int discover_mountinfo(struct cgroup_manager *m, berth_err **err)
{
	/* Read once per process: `list` and `state` build a manager per
	 * container, and the host's cgroup mounts do not move meanwhile. */
	static char *cached;
	_cleanup_free_ char *text = NULL;
	size_t rl = strlen(m->root);

	if (cached == NULL)
		cached = read_file_at(AT_FDCWD, "/proc/self/mountinfo", NULL, err);
	if (cached == NULL)
		return -1;
	text = xstrdup(cached);
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *f[5] = {0}, *sep, *fstype, *opts, *s2 = NULL;
		char ctl[256] = "";
		char *tok = strtok_r(l, " ", &s2);
		for (int i = 0; i < 5 && tok; i++, tok = strtok_r(NULL, " ", &s2))
			f[i] = tok;
		sep = tok;
		while (sep && strcmp(sep, "-") != 0)
			sep = strtok_r(NULL, " ", &s2);
		fstype = strtok_r(NULL, " ", &s2);
		strtok_r(NULL, " ", &s2); /* source */
		opts = strtok_r(NULL, " ", &s2);
		if (f[4] == NULL || fstype == NULL || opts == NULL || strcmp(fstype, "cgroup") != 0)
			continue;
		if (strncmp(f[4], m->root, rl) != 0 || f[4][rl] != '/' || strchr(f[4] + rl + 1, '/'))
			continue;
		for (char *s3 = NULL, *o = strtok_r(opts, ",", &s3); o; o = strtok_r(NULL, ",", &s3)) {
			if (!is_known_controller(o) && strncmp(o, "name=", 5) != 0)
				continue;
			if (ctl[0])
				strncat(ctl, ",", sizeof(ctl) - strlen(ctl) - 1);
			strncat(ctl, o, sizeof(ctl) - strlen(ctl) - 1);
		}
		if (ctl[0])
			add_hier(m, ctl, f[4]);
	}
	return 0;
}

/* A test tree: every directory below root is a hierarchy named after its
 * controllers ("cpu,cpuacct"); "systemd" stands for name=systemd. */
static int discover_dirs(struct cgroup_manager *m, berth_err **err)
{
	_cleanup_closedir_ DIR *d = opendir(m->root);
	struct dirent *de;

	if (d == NULL)
		return berth_err_set(err, errno, "open %s", m->root);
	while ((de = readdir(d)) != NULL) {
		_cleanup_free_ char *mnt = NULL;
		struct stat st;
		if (de->d_name[0] == '.' || strcmp(de->d_name, "unified") == 0)
			continue;
		mnt = path_join(m->root, de->d_name);
		if (lstat(mnt, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		add_hier(m, strcmp(de->d_name, "systemd") == 0 ? "name=systemd" : de->d_name, mnt);
	}
	return 0;
}

/* Whether the comma-separated list c names controller, as itself or as
 * "name=controller" (named hierarchies such as name=systemd). */
static bool controllers_have(const char *c, const char *controller, size_t l)
{
	for (const char *p = c; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		if (strncmp(p, "name=", 5) == 0)
			p += 5;
		if (strncmp(p, controller, l) == 0 && (p[l] == ',' || p[l] == '\0'))
			return true;
	}
	return false;
}

struct cg_hier *cg_v1_find(struct cgroup_manager *m, const char *controller)
{
	size_t l = strlen(controller);

	for (size_t i = 0; i < m->n_v1; i++)
		if (controllers_have(m->v1[i].controllers, controller, l))
			return &m->v1[i];
	return NULL;
}

struct cgroup_manager *cgroup_manager_new(const char *root, const char *path, berth_err **err)
{
	struct cgroup_manager *m;
	_cleanup_free_ char *fake = NULL;
	size_t rl;

	if (path == NULL || path[0] != '/') {
		berth_err_set(err, 0, "cgroup path %s: must be absolute", path ? path : "");
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		berth_abort();
	m->root = xstrdup(root ? root : CGROUP_DEFAULT_ROOT);
	rl = strlen(m->root);
	while (rl > 1 && m->root[rl - 1] == '/')
		m->root[--rl] = '\0';
	m->path = path_clean(path);
	if (cgroup_detect_mode(m->root, &m->mode, err) < 0)
		goto fail;
	if (strcmp(m->root, CGROUP_DEFAULT_ROOT) != 0) {
		fake = path_join(m->root, FAKE_MODE_FILE);
		m->fake = path_exists(fake);
	}
	if (m->mode == CGROUP_MODE_V2) {
		m->unified_mount = xstrdup(m->root);
	} else {
		if (m->mode == CGROUP_MODE_HYBRID)
			m->unified_mount = path_join(m->root, "unified");
		if (!m->fake && strcmp(m->root, CGROUP_DEFAULT_ROOT) == 0 && discover_standard(m))
			;
		else if (!m->fake && discover_mountinfo(m, err) < 0)
			goto fail;
		if (m->n_v1 == 0 && discover_dirs(m, err) < 0)
			goto fail;
	}
	if (m->unified_mount)
		m->unified_dir = strcmp(m->path, "/") == 0 ? xstrdup(m->unified_mount)
							   : path_join(m->unified_mount, m->path + 1);
	return m;
fail:
	cgroup_manager_free(m);
	return NULL;
}

void cgroup_manager_free(struct cgroup_manager *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->n_v1; i++) {
		free(m->v1[i].controllers);
		free(m->v1[i].mount);
		free(m->v1[i].dir);
	}
	free(m->v1);
	for (size_t i = 0; i < m->n_extra_devs; i++)
		free(m->extra_devs[i].access);
	free(m->extra_devs);
	free(m->unified_dir);
	free(m->unified_mount);
	free(m->root);
	free(m->path);
	free(m);
}

uint64_t cgroup_manager_id(struct cgroup_manager *m)
{
	struct stat st;

	if (m->fake || m->unified_dir == NULL || stat(m->unified_dir, &st) < 0)
		return 0;
	return (uint64_t)st.st_ino;
}

enum cgroup_mode cgroup_manager_mode(const struct cgroup_manager *m)
{
	return m->mode;
}

const char *cgroup_manager_dir(struct cgroup_manager *m, const char *controller)
{
	struct cg_hier *h;

	if (m->mode == CGROUP_MODE_V2 || controller == NULL || *controller == '\0')
		return m->unified_dir;
	h = cg_v1_find(m, controller);
	return h ? h->dir : NULL;
}

int cgroup_manager_allow_devices(struct cgroup_manager *m, const struct oci_device *devs, size_t n,
				 berth_err **err)
{
	struct oci_device_rule *r;

	if (n == 0)
		return 0;
	r = realloc(m->extra_devs, (m->n_extra_devs + n) * sizeof(*r));
	if (r == NULL)
		return berth_err_set(err, ENOMEM, "allow devices");
	m->extra_devs = r;
	for (size_t i = 0; i < n; i++) {
		/* 'u' (unbuffered char) is a char device to the kernel; fifos
		 * need no cgroup permission. */
		if (devs[i].type == 'p')
			continue;
		m->extra_devs[m->n_extra_devs++] = (struct oci_device_rule){
			.allow = true,
			.type = devs[i].type == 'b' ? 'b' : 'c',
			.major = devs[i].major,
			.minor = devs[i].minor,
			.access = xstrdup("rwm"),
		};
	}
	return 0;
}

void cgroup_manager_require_device_policy(struct cgroup_manager *m)
{
	m->device_policy = true;
}

/* --------------------------------------------------------------- create */

/* In a fresh v1 cpuset cgroup cpus and mems are empty and no task may join,
 * so each level berth creates gets its parent's. */
/* Whether the v1 cpuset root balances load over all CPUs (read once per
 * process): then a child's own sched_load_balance flag changes nothing. */
static bool cpuset_root_balances(struct cgroup_manager *m)
{
	static int cached = -1;

	if (cached < 0) {
		struct cg_hier *h = cg_v1_find(m, "cpuset");
		_cleanup_free_ char *v = h ? cg_read(h->mount, "cpuset.sched_load_balance") : NULL;
		cached = v && strcmp(v, "1") == 0;
	}
	return cached == 1;
}

static int cpuset_fill(struct cgroup_manager *m, const char *parent, const char *dir, berth_err **err)
{
	static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};

	/* With load balancing on, every write of a cpuset's cpus, and every
	 * cpuset's removal, rebuilds the scheduler domains by walking all
	 * cpusets: with 1,000 containers that was milliseconds per create and
	 * per delete. Under a root that balances everything the flag of a child
	 * has no effect, so it is cleared while the cpuset is still empty (which
	 * rebuilds nothing). */
	if (!m->fake && cpuset_root_balances(m))
		cg_write(m, dir, "cpuset.sched_load_balance", "0", NULL, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		_cleanup_free_ char *v = cg_read(parent, files[i]);
		if (v == NULL)
			return berth_err_set(err, errno, "read %s/%s", parent, files[i]);
		if (m->fake) {
			/* Plain directories have no files of their own. */
			_cleanup_free_ char *p = path_join(dir, files[i]);
			_cleanup_close_ int fd = openat(AT_FDCWD, p, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		}
		if (cg_write(m, dir, files[i], v, NULL, err) < 0)
			return -1;
	}
	return 0;
}

/* mkdir -p of rel (no leading '/') below base; cpuset fills created levels.
 * *first_new gets the depth (1 = first component) of the first level this
 * call created, or 0 when all existed. The common case, only the leaf
 * missing, costs one mkdir. */
static int make_levels(struct cgroup_manager *m, const char *base, const char *rel, bool cpuset,
		       int *first_new, berth_err **err)
{
	_cleanup_free_ char *cur = xstrdup(base);
	_cleanup_free_ char *copy = xstrdup(rel);
	_cleanup_free_ char *full = path_join(base, rel);
	int depth = 0;

	*first_new = 0;
	for (const char *p = rel; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			depth++;
	if (mkdir(full, 0755) == 0) {
		*first_new = depth + 1;
		if (cpuset) {
			_cleanup_free_ char *parent = xstrdup(full);
			*strrchr(parent, '/') = '\0';
			return cpuset_fill(m, parent, full, err);
		}
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return berth_err_set(err, errno, "create cgroup %s", full);
	depth = 0;
	for (char *save = NULL, *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		_cleanup_free_ char *parent = TAKE_PTR(cur);
		cur = path_join(parent, c);
		depth++;
		if (mkdir(cur, 0755) == 0) {
			if (*first_new == 0)
				*first_new = depth;
			if (cpuset && cpuset_fill(m, parent, cur, err) < 0)
				return -1;
		} else if (errno != EEXIST) {
			return berth_err_set(err, errno, "create cgroup %s", cur);
		}
	}
	return 0;
}

/* Enables, in each ancestor of the cgroup that this create made (depth >=
 * first_new), the controllers that ancestor has, so the cgroup gets every
 * controller's files. Ancestors that existed before are never written: they
 * belong to whoever made them (systemd, the engine), which delegates. A
 * refusal is not fatal: set_resources reports a missing controller when one
 * is actually needed. */
static void v2_enable_controllers(struct cgroup_manager *m, int first_new)
{
	_cleanup_free_ char *cur = xstrdup(m->unified_mount);
	_cleanup_free_ char *copy = xstrdup(m->path);
	char *save = NULL, *c = strtok_r(copy, "/", &save);
	int depth = 0;

	while (c) {
		char *next = strtok_r(NULL, "/", &save);
		if (first_new > 0 && depth >= first_new) {
			_cleanup_free_ char *avail = cg_read(cur, "cgroup.controllers");
			if (avail && *avail) {
				/* "cpu io memory" → "+cpu +io +memory" */
				_cleanup_free_ char *all = malloc(strlen(avail) * 2 + 2);
				size_t o = 0;
				if (all == NULL)
					berth_abort();
				for (char *s2 = NULL, *k = strtok_r(avail, " \n", &s2); k;
				     k = strtok_r(NULL, " \n", &s2))
					o += (size_t)sprintf(all + o, "%s+%s", o ? " " : "", k);
				if (cg_write(m, cur, "cgroup.subtree_control", all, NULL, NULL) < 0) {
					for (char *s3 = NULL, *k = strtok_r(all, " ", &s3); k;
					     k = strtok_r(NULL, " ", &s3))
						cg_write(m, cur, "cgroup.subtree_control", k, NULL, NULL);
				}
			}
		}
		char *nc = path_join(cur, c);
		free(cur);
		cur = nc;
		c = next;
		depth++;
	}
}

/* Whether v1 hierarchy i belongs to part. */
static bool in_part(struct cgroup_manager *m, size_t i, enum cgroup_part part)
{
	switch (part) {
	case CGROUP_PART_ALL:
	case CGROUP_PART_V1:
		return true;
	case CGROUP_PART_UNIFIED:
		return false;
	case CGROUP_PART_MEMORY:
	case CGROUP_PART_REST:
		break;
	}
	return (cg_v1_find(m, "memory") == &m->v1[i]) == (part == CGROUP_PART_MEMORY);
}

/* Whether part takes in the unified tree (the whole cgroup on v2). */
static bool part_unified(enum cgroup_part part)
{
	return part == CGROUP_PART_ALL || part == CGROUP_PART_MEMORY || part == CGROUP_PART_UNIFIED;
}

bool cgroup_manager_has_part(struct cgroup_manager *m, enum cgroup_part part)
{
	if (part_unified(part) && m->unified_mount)
		return true;
	for (size_t i = 0; i < m->n_v1; i++)
		if (in_part(m, i, part))
			return true;
	return false;
}

int cgroup_manager_create(struct cgroup_manager *m, berth_err **err)
{
	return cgroup_manager_create_part(m, CGROUP_PART_ALL, err);
}

/* Records that create made dir (first_new > 0), or that it was there
 * already: then a failed create neither kills what runs in it nor removes
 * it. A cgroup with processes is shared with them, as runc 1.1 allows (with
 * a warning; runc 1.2 refuses). */
static void note_made(struct cgroup_manager *m, const char *dir, int first_new, unsigned bit)
{
	_cleanup_free_ char *procs = NULL;

	if (first_new > 0) {
		m->made |= UINT64_C(1) << bit;
		return;
	}
	if (!m->existed && !m->fake && (procs = cg_read(dir, "cgroup.procs")) != NULL && *procs)
		log_warn("cgroup %s is not empty: the container shares it with the processes in it", dir);
	m->existed = true;
}

int cgroup_manager_create_part(struct cgroup_manager *m, enum cgroup_part part, berth_err **err)
{
	const char *rel = m->path + 1;

	/* The root holds every process of the host: no container's to kill
	 * or remove. */
	if (*rel == '\0')
		return berth_err_set(err, EINVAL, "linux.cgroupsPath: the root cgroup cannot be a container's");

	int first_new;

	m->made_known = true;
	for (size_t i = 0; i < m->n_v1; i++) {
		bool cpuset = cg_v1_find(m, "cpuset") == &m->v1[i];
		if (!in_part(m, i, part))
			continue;
		if (make_levels(m, m->v1[i].mount, rel, cpuset, &first_new, err) < 0)
			return -1;
		note_made(m, m->v1[i].dir, first_new, (unsigned)i);
	}
	if (m->unified_mount && part_unified(part)) {
		if (make_levels(m, m->unified_mount, rel, false, &first_new, err) < 0)
			return -1;
		note_made(m, m->unified_dir, first_new, CG_MADE_UNIFIED);
		if (m->mode == CGROUP_MODE_V2)
			v2_enable_controllers(m, first_new);
	}
	return 0;
}

void cgroup_manager_created(struct cgroup_manager *m)
{
	m->made_known = false;
	m->made = 0;
}

bool cgroup_manager_existed(const struct cgroup_manager *m)
{
	return m->existed;
}

int cg_rdma_line(char *buf, size_t size, const struct oci_rdma_limit *l, berth_err **err)
{
	size_t len = l->device ? strlen(l->device) : 0;
	int n;

	/* The kernel's device names are short (IB_DEVICE_NAME_MAX, 64). */
	if (len == 0 || len >= 64 || strpbrk(l->device, " \t\n=") != NULL)
		return berth_err_set(err, 0, "linux.resources.rdma: \"%.64s\" is not a device name",
				     l->device ? l->device : "");
	if (!l->has_hca_handles && !l->has_hca_objects)
		return 0;
	if (l->has_hca_handles && l->has_hca_objects)
		n = snprintf(buf, size, "%s hca_handle=%u hca_object=%u", l->device, l->hca_handles, l->hca_objects);
	else if (l->has_hca_handles)
		n = snprintf(buf, size, "%s hca_handle=%u", l->device, l->hca_handles);
	else
		n = snprintf(buf, size, "%s hca_object=%u", l->device, l->hca_objects);
	if (n < 0 || (size_t)n >= size)
		return berth_err_set(err, 0, "linux.resources.rdma: line too long");
	return 1;
}

bool cgroup_manager_made(const struct cgroup_manager *m)
{
	return m->made != 0;
}

int cgroup_manager_set_resources(struct cgroup_manager *m, const struct oci_resources *r,
				 berth_err **err)
{
	return cgroup_manager_set_resources_part(m, r, CGROUP_PART_ALL, err);
}

int cgroup_manager_update_resources(struct cgroup_manager *m, const struct oci_resources *r,
				    berth_err **err)
{
	int ret;

	m->updating = true;
	ret = cgroup_manager_set_resources(m, r, err);
	m->updating = false;
	return ret;
}

int cgroup_manager_set_resources_part(struct cgroup_manager *m, const struct oci_resources *r,
				      enum cgroup_part part, berth_err **err)
{
	if (r == NULL)
		return 0;
	if (m->mode == CGROUP_MODE_V2)
		return part_unified(part) ? cg_v2_set_resources(m, r, err) : 0;
	if (r->n_unified > 0 && part_unified(part))
		return berth_err_set(err, 0, "linux.resources.unified: needs a cgroup v2 host (this one is %s)",
				     m->mode == CGROUP_MODE_HYBRID ? "hybrid" : "cgroup v1");
	if (part == CGROUP_PART_UNIFIED)
		return 0;
	return cg_v1_set_resources(m, r, part != CGROUP_PART_REST, part != CGROUP_PART_MEMORY, err);
}

/* -------------------------------------------------------------- add_pid */

static bool sub_ok(const char *sub)
{
	for (const char *p = sub; *p;) {
		const char *e = strchrnul(p, '/');
		if (e - p == 2 && p[0] == '.' && p[1] == '.')
			return false;
		p = *e ? e + 1 : e;
	}
	return true;
}

static int add_pid_to(struct cgroup_manager *m, const char *dir, const char *sub, bool cpuset,
		      const char *pidstr, berth_err **err)
{
	_cleanup_free_ char *target = NULL;

	if (sub && *sub) {
		int first_new;
		if (make_levels(m, dir, sub, cpuset, &first_new, err) < 0)
			return -1;
		target = path_join(dir, sub);
	} else {
		target = xstrdup(dir);
	}
	return cg_write(m, target, "cgroup.procs", pidstr, NULL, err);
}

int cgroup_manager_add_pid(struct cgroup_manager *m, pid_t pid, const char *sub, berth_err **err)
{
	char pidstr[24];

	if (sub) {
		while (*sub == '/')
			sub++;
		if (!sub_ok(sub))
			return berth_err_set(err, 0, "sub-cgroup %s: must not contain \"..\"", sub);
	}
	snprintf(pidstr, sizeof(pidstr), "%d", (int)pid);
	for (size_t i = 0; i < m->n_v1; i++) {
		bool cpuset = cg_v1_find(m, "cpuset") == &m->v1[i];
		if (add_pid_to(m, m->v1[i].dir, sub, cpuset, pidstr, err) < 0)
			return berth_err_wrap(err, "add pid %d to cgroup", (int)pid);
	}
	if (m->unified_dir && add_pid_to(m, m->unified_dir, sub, false, pidstr, err) < 0)
		return berth_err_wrap(err, "add pid %d to cgroup", (int)pid);
	return 0;
}

int cgroup_manager_enter_self(struct cgroup_manager *m, bool unified_done, berth_err **err)
{
	return cgroup_manager_enter_self_part(m, unified_done, CGROUP_PART_ALL, err);
}

int cgroup_manager_enter_self_part(struct cgroup_manager *m, bool unified_done, enum cgroup_part part,
				   berth_err **err)
{
	/* "0" names the writer. In a v1 `tasks` file that moves one thread
	 * without the global threadgroup lock, whose first write-lock waits for
	 * an RCU grace period (7 to 30 ms on an idle host): a single-threaded
	 * process moving itself is exactly that case. cgroup.procs (the
	 * unified tree) always takes the lock, hence CLONE_INTO_CGROUP there. */
	for (size_t i = 0; i < m->n_v1; i++)
		if (in_part(m, i, part) &&
		    cg_write(m, m->v1[i].dir, m->fake ? "cgroup.procs" : "tasks", "0", NULL, err) < 0)
			return berth_err_wrap(err, "join cgroup");
	if (m->unified_dir && !unified_done && part_unified(part) && cg_write(m, m->unified_dir, "cgroup.procs", "0", NULL, err) < 0)
		return berth_err_wrap(err, "join cgroup");
	return 0;
}

int cgroup_manager_open_unified(struct cgroup_manager *m)
{
	if (m->fake || m->unified_dir == NULL)
		return -1;
	return openat(AT_FDCWD, m->unified_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* ------------------------------------------------------------------ oom */

int cgroup_manager_oom_count(struct cgroup_manager *m, uint64_t *count, berth_err **err)
{
	_cleanup_free_ char *s = NULL;

	(void)err;
	*count = 0;
	if (m->mode == CGROUP_MODE_V2) {
		s = cg_read(m->unified_dir, "memory.events");
	} else {
		struct cg_hier *h = cg_v1_find(m, "memory");
		if (h)
			s = cg_read(h->dir, "memory.oom_control");
	}
	if (s)
		cg_keyed_u64(s, "oom_kill", count);
	return 0;
}

/* -------------------------------------------------------------- destroy */

static int rmdir_retry(const char *dir, long deadline)
{
	for (;;) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY || cg_now_ms() > deadline)
			return -1;
		cg_sleep_ms(5);
	}
}

/* Removes dir and the sub-cgroups below it, deepest first. */
static int remove_tree(struct cgroup_manager *m, const char *dir, long deadline, int depth,
		       berth_err **err)
{
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;

	/* The usual cgroup has no children and goes with one rmdir; only a
	 * refusal makes us look inside (a fake tree keeps its files). */
	if (!m->fake && (rmdir(dir) == 0 || errno == ENOENT))
		return 0;
	d = opendir(dir);
	if (d == NULL)
		return errno == ENOENT ? 0 : berth_err_set(err, errno, "open %s", dir);
	if (depth > 64)
		return berth_err_set(err, ELOOP, "%s: cgroup tree too deep", dir);
	while ((de = readdir(d)) != NULL) {
		_cleanup_free_ char *p = NULL;
		if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || strcmp(de->d_name, "..") == 0))
			continue;
		p = path_join(dir, de->d_name);
		if (de->d_type == DT_DIR) {
			if (remove_tree(m, p, deadline, depth + 1, err) < 0)
				return -1;
		} else if (m->fake) {
			unlink(p); /* the files a real cgroupfs would drop itself */
		}
	}
	if (rmdir_retry(dir, deadline) < 0)
		return berth_err_set(err, errno, "remove cgroup %s", dir);
	return 0;
}

int cgroup_manager_destroy(struct cgroup_manager *m, berth_err **err)
{
	long deadline = cg_now_ms() + 100;
	size_t plen = strlen(DEFAULT_PARENT);
	bool default_parent = strncmp(m->path, DEFAULT_PARENT "/", plen + 1) == 0 &&
			      strchr(m->path + plen + 1, '/') == NULL;
	int r = 0;

	if (strcmp(m->path, "/") == 0)
		return berth_err_set(err, 0, "refusing to remove the root cgroup");
	for (size_t i = 0; i <= m->n_v1; i++) {
		const char *dir = i < m->n_v1 ? m->v1[i].dir : m->unified_dir;
		const char *mount = i < m->n_v1 ? m->v1[i].mount : m->unified_mount;
		unsigned bit = i < m->n_v1 ? (unsigned)i : CG_MADE_UNIFIED;
		if (dir == NULL || (m->made_known && !(m->made & (UINT64_C(1) << bit))))
			continue;
		if (remove_tree(m, dir, deadline, 0, err) < 0) {
			r = -1;
			continue;
		}
		if (default_parent) {
			/* Leave no empty /berth behind; another container may
			 * still use it, then rmdir fails and that is fine. */
			_cleanup_free_ char *parent = path_join(mount, DEFAULT_PARENT + 1);
			if (m->fake) {
				_cleanup_closedir_ DIR *d = opendir(parent);
				struct dirent *de;
				bool subdirs = false;
				while (d && (de = readdir(d)) != NULL)
					subdirs |= de->d_type == DT_DIR && de->d_name[0] != '.';
				if (d && !subdirs)
					remove_tree(m, parent, deadline, 0, NULL);
			} else {
				rmdir(parent);
			}
		}
	}
	return r;
}
