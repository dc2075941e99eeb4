/* The processes of a container's cgroup: listing them (the whole subtree,
 * for ps and kill --all) and signalling them all, through cgroup.kill where
 * the kernel has it and otherwise frozen so none can fork past the walk. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "linux/cgroup.h"
#include "linux/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* The directory whose cgroup.procs tree lists every container process. */
static const char *procs_dir(struct cgroup_manager *m)
{
	static const char *const pref[] = {"pids", "freezer", "memory", "cpu", "devices"};

	if (m->unified_dir)
		return m->unified_dir;
	for (size_t i = 0; i < ARRAY_SIZE(pref); i++) {
		struct cg_hier *h = cg_v1_find(m, pref[i]);
		if (h)
			return h->dir;
	}
	return m->n_v1 ? m->v1[0].dir : NULL;
}

struct pidvec {
	pid_t *v;
	size_t n, cap;
};

static int collect_pids(const char *dir, struct pidvec *pv, int depth, berth_err **err)
{
	_cleanup_free_ char *procs = NULL;
	_cleanup_closedir_ DIR *d = NULL;
	struct dirent *de;

	if (depth > 64)
		return berth_err_set(err, ELOOP, "%s: cgroup tree too deep", dir);
	procs = cg_read(dir, "cgroup.procs");
	if (procs == NULL) {
		if (errno == ENOENT && depth > 0)
			return 0; /* removed while walking */
		return berth_err_set(err, errno, "read %s/cgroup.procs", dir);
	}
	for (char *save = NULL, *l = strtok_r(procs, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		long p = strtol(l, NULL, 10);
		if (p <= 0)
			continue;
		if (pv->n == pv->cap) {
			size_t nc = pv->cap ? pv->cap * 2 : 16;
			pid_t *nv = realloc(pv->v, nc * sizeof(*nv));
			if (nv == NULL)
				return berth_err_set(err, ENOMEM, "list pids");
			pv->v = nv;
			pv->cap = nc;
		}
		pv->v[pv->n++] = (pid_t)p;
	}
	d = opendir(dir);
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		_cleanup_free_ char *sub = NULL;
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		sub = path_join(dir, de->d_name);
		if (collect_pids(sub, pv, depth + 1, err) < 0)
			return -1;
	}
	return 0;
}

int cgroup_manager_pids(struct cgroup_manager *m, pid_t **pids, size_t *n, berth_err **err)
{
	struct pidvec pv = {0};
	const char *dir = procs_dir(m);

	*pids = NULL;
	*n = 0;
	if (dir == NULL)
		return berth_err_set(err, 0, "no cgroup hierarchy to list processes from");
	if (collect_pids(dir, &pv, 0, err) < 0) {
		free(pv.v);
		return -1;
	}
	*pids = pv.v;
	*n = pv.n;
	return 0;
}

int cgroup_manager_kill_all(struct cgroup_manager *m, int sig, berth_err **err)
{
	const char *dir = procs_dir(m);
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	bool was_frozen = false, froze = false;
	int r = 0;

	/* The root cgroup holds the host's processes, never only a
	 * container's: whatever path led here, nothing there is signalled. */
	if (strcmp(m->path, "/") == 0)
		return berth_err_set(err, EPERM, "refusing to signal every process of the root cgroup");
	if (dir == NULL || !path_exists(dir))
		return 0;
	cgroup_manager_is_frozen(m, &was_frozen, NULL);
	if (sig == SIGKILL && m->unified_dir && !m->fake) {
		_cleanup_free_ char *kf = path_join(m->unified_dir, "cgroup.kill");
		if (path_exists(kf)) {
			r = cg_write(m, m->unified_dir, "cgroup.kill", "1", NULL, err);
			/* On a hybrid host the freezer is v1's, and a task it
			 * froze acts on the SIGKILL only once thawed. */
			if (r == 0 && was_frozen)
				cgroup_manager_freeze(m, false, NULL);
			return r;
		}
	}
	/* Frozen, no process can fork a child that the walk would miss. */
	if (!was_frozen)
		froze = cgroup_manager_freeze(m, true, NULL) == 0;
	if (cgroup_manager_pids(m, &pids, &n, err) < 0) {
		r = -1;
	} else {
		for (size_t i = 0; i < n; i++) {
			if (kill(pids[i], sig) < 0 && errno != ESRCH && r == 0)
				r = berth_err_set(err, errno, "kill %d", (int)pids[i]);
		}
	}
	/* A frozen task only acts on SIGKILL once thawed. */
	if (froze || (was_frozen && sig == SIGKILL))
		cgroup_manager_freeze(m, false, NULL);
	return r;
}

