/* Where the cgroups are: the host's layout (v1, v2 or hybrid), the
 * container's cgroup from linux.cgroupsPath, and the mounted v1 hierarchies
 * the manager writes to. Reads /proc/self/cgroup, mountinfo or a test tree;
 * changes nothing. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "linux/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"

static const char *const v1_known[] = {
	"cpu",	   "cpuacct", "cpuset",	    "memory", "devices", "freezer", "net_cls",
	"net_prio", "blkio",   "perf_event", "hugetlb", "pids",	 "rdma",    "misc",
};

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
		_cleanup_free_ char *f = cg_read(root, CG_FAKE_MODE_FILE);
		if (f) {
			if (strcmp(f, "v1") == 0)
				*mode = CGROUP_MODE_V1;
			else if (strcmp(f, "v2") == 0)
				*mode = CGROUP_MODE_V2;
			else if (strcmp(f, "hybrid") == 0)
				*mode = CGROUP_MODE_HYBRID;
			else
				return berth_err_set(err, 0, "%s/%s: unknown mode %s", root,
						     CG_FAKE_MODE_FILE, f);
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
				unified = cg_strdup(c2 + 1);
			continue;
		}
		for (char *s2 = NULL, *c = strtok_r(c1 + 1, ",", &s2); c; c = strtok_r(NULL, ",", &s2)) {
			if (strcmp(c, "memory") == 0 && memory == NULL)
				memory = cg_strdup(c2 + 1);
		}
		if (first == NULL && strncmp(c1 + 1, "name=", 5) != 0)
			first = cg_strdup(c2 + 1);
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
		if (asprintf(&joined, "%s/%s", CG_DEFAULT_PARENT, id) < 0)
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
	h->controllers = cg_strdup(controllers);
	h->mount = cg_strdup(mount);
	h->dir = strcmp(m->path, "/") == 0 ? cg_strdup(mount) : path_join(mount, m->path + 1);
}

/* The filtered controllers of a hierarchy: the known ones and "name=*"
 * words of list (comma-separated), in order; "" when none. */
static void hier_controllers(const char *list, char *out, size_t size)
{
	_cleanup_free_ char *copy = cg_strdup(list);

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
	text = cg_strdup(cached);
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

int cg_discover_v1(struct cgroup_manager *m, berth_err **err)
{
	if (!m->fake && strcmp(m->root, CGROUP_DEFAULT_ROOT) == 0 && discover_standard(m))
		return 0;
	if (!m->fake && discover_mountinfo(m, err) < 0)
		return -1;
	if (m->n_v1 == 0 && discover_dirs(m, err) < 0)
		return -1;
	return 0;
}
