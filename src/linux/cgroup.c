/* The cgroup manager's core: the manager's life, and the operations that do
 * not depend on controller files (create, add_pid, destroy). Mode detection,
 * cgroupsPath resolution and hierarchy discovery live in cgroup_discover.c,
 * listing and signalling the processes in cgroup_procs.c, freezing in
 * cgroup_freezer.c, resource writes in cgroup_v1.c / cgroup_v2.c. */
#include "linux/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "linux/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* ---------------------------------------------------------------- helpers */

char *cg_strdup(const char *s)
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
	m->root = cg_strdup(root ? root : CGROUP_DEFAULT_ROOT);
	rl = strlen(m->root);
	while (rl > 1 && m->root[rl - 1] == '/')
		m->root[--rl] = '\0';
	m->path = path_clean(path);
	if (cgroup_detect_mode(m->root, &m->mode, err) < 0)
		goto fail;
	if (strcmp(m->root, CGROUP_DEFAULT_ROOT) != 0) {
		fake = path_join(m->root, CG_FAKE_MODE_FILE);
		m->fake = path_exists(fake);
	}
	if (m->mode == CGROUP_MODE_V2) {
		m->unified_mount = cg_strdup(m->root);
	} else {
		if (m->mode == CGROUP_MODE_HYBRID)
			m->unified_mount = path_join(m->root, "unified");
		if (cg_discover_v1(m, err) < 0)
			goto fail;
	}
	if (m->unified_mount)
		m->unified_dir = strcmp(m->path, "/") == 0 ? cg_strdup(m->unified_mount)
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
	_cleanup_free_ char *cur = cg_strdup(base);
	_cleanup_free_ char *copy = cg_strdup(rel);
	_cleanup_free_ char *full = path_join(base, rel);
	int depth = 0;

	*first_new = 0;
	for (const char *p = rel; *p; p++)
		if (*p == '/' && p[1] && p[1] != '/')
			depth++;
	if (mkdir(full, 0755) == 0) {
		*first_new = depth + 1;
		if (cpuset) {
			_cleanup_free_ char *parent = cg_strdup(full);
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
	_cleanup_free_ char *cur = cg_strdup(m->unified_mount);
	_cleanup_free_ char *copy = cg_strdup(m->path);
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
		target = cg_strdup(dir);
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
	size_t plen = strlen(CG_DEFAULT_PARENT);
	bool default_parent = strncmp(m->path, CG_DEFAULT_PARENT "/", plen + 1) == 0 &&
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
			_cleanup_free_ char *parent = path_join(mount, CG_DEFAULT_PARENT + 1);
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
