/* Freezing a container's cgroup (v1 freezer.state, v2 cgroup.freeze) and
 * reading whether it is frozen: for one manager, and through a probe that
 * opens the freezer's hierarchy once so that `list` can ask about thousands
 * of containers with one short openat each. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "linux/cgroup_internal.h"
#include "util/cleanup.h"

int cgroup_manager_freeze(struct cgroup_manager *m, bool freeze, berth_err **err)
{
	const char *dir, *file, *want;
	long deadline;

	if (m->mode == CGROUP_MODE_V2) {
		dir = m->unified_dir;
		file = "cgroup.freeze";
		want = freeze ? "1" : "0";
	} else {
		struct cg_hier *h = cg_v1_find(m, "freezer");
		if (h == NULL)
			return berth_err_set(err, 0, "freezer controller not available");
		dir = h->dir;
		file = "freezer.state";
		want = freeze ? "FROZEN" : "THAWED";
	}
	if (cg_write(m, dir, file, want, NULL, err) < 0)
		return -1;
	if (m->fake)
		return 0; /* nothing changes state in a plain directory */
	/* The kernel freezes asynchronously: wait (bounded) until it says so. */
	deadline = cg_now_ms() + 5000;
	for (int i = 0;; i++) {
		bool done;
		if (m->mode == CGROUP_MODE_V2) {
			_cleanup_free_ char *ev = cg_read(dir, "cgroup.events");
			uint64_t v = 2;
			done = ev && cg_keyed_u64(ev, "frozen", &v) && v == (freeze ? 1u : 0u);
		} else {
			_cleanup_free_ char *st = cg_read(dir, file);
			done = st && strcmp(st, want) == 0;
			/* A v1 freeze can stall on a task in an uninterruptible
			 * sleep; asking again retries the stragglers. */
			if (!done && freeze && i % 10 == 9)
				cg_write(m, dir, file, want, NULL, NULL);
		}
		if (done)
			return 0;
		if (cg_now_ms() > deadline) {
			if (freeze)
				cg_write(m, dir, file, m->mode == CGROUP_MODE_V2 ? "0" : "THAWED",
					 NULL, NULL);
			return berth_err_set(err, ETIMEDOUT, "%s %s", freeze ? "freeze" : "thaw", dir);
		}
		cg_sleep_ms(i < 10 ? 1 : 10);
	}
}

int cgroup_manager_is_frozen(struct cgroup_manager *m, bool *frozen, berth_err **err)
{
	_cleanup_free_ char *s = NULL;
	const char *dir;

	*frozen = false;
	if (m->mode == CGROUP_MODE_V2) {
		dir = m->unified_dir;
		s = cg_read(dir, "cgroup.freeze");
	} else {
		struct cg_hier *h = cg_v1_find(m, "freezer");
		if (h == NULL)
			return 0;
		dir = h->dir;
		s = cg_read(dir, "freezer.state");
	}
	if (s == NULL) {
		if (errno == ENOENT)
			return 0;
		return berth_err_set(err, errno, "read freezer state of %s", dir);
	}
	if (m->fake) {
		/* The last line is the last write. */
		char *nl = strrchr(s, '\n');
		memmove(s, nl ? nl + 1 : s, strlen(nl ? nl + 1 : s) + 1);
	}
	*frozen = strcmp(s, "1") == 0 || strcmp(s, "FROZEN") == 0;
	/* v1: frozen through an ancestor is not paused (pause did not do it,
	 * and resume could not undo it), as runc reads it. Kernels without
	 * the file only freeze directly. */
	if (*frozen && !m->fake && strcmp(s, "FROZEN") == 0) {
		_cleanup_free_ char *self = cg_read(dir, "freezer.self_freezing");
		if (self && strcmp(self, "0") == 0)
			*frozen = false;
	}
	return 0;
}

/* ------------------------------------------------------------------ probe */

struct cgroup_freezer_probe {
	struct cgroup_manager *root; /* the hierarchy root, for its layout */
	int fd;			     /* O_PATH of the freezer's hierarchy, -1: none */
	const char *file;
};

struct cgroup_freezer_probe *cgroup_freezer_probe_new(const char *root, berth_err **err)
{
	struct cgroup_freezer_probe *p = calloc(1, sizeof(*p));
	const char *mnt = NULL;

	if (p == NULL) {
		berth_err_set(err, ENOMEM, "freezer probe");
		return NULL;
	}
	p->fd = -1;
	p->root = cgroup_manager_new(root, "/", err);
	if (p->root == NULL) {
		free(p);
		return NULL;
	}
	if (p->root->mode == CGROUP_MODE_V2) {
		mnt = p->root->unified_mount;
		p->file = "cgroup.freeze";
	} else {
		struct cg_hier *h = cg_v1_find(p->root, "freezer");
		mnt = h ? h->mount : NULL;
		p->file = "freezer.state";
	}
	/* A fake tree keeps its own file format: it goes through the manager. */
	if (mnt && !p->root->fake)
		p->fd = openat(AT_FDCWD, mnt, O_PATH | O_DIRECTORY | O_CLOEXEC);
	return p;
}

void cgroup_freezer_probe_free(struct cgroup_freezer_probe *p)
{
	if (p == NULL)
		return;
	if (p->fd >= 0)
		close(p->fd);
	cgroup_manager_free(p->root);
	free(p);
}

bool cgroup_freezer_probe_frozen(struct cgroup_freezer_probe *p, const char *path)
{
	char rel[PATH_MAX], buf[16];
	ssize_t n;
	int fd;

	if (path == NULL || *path != '/')
		return false;
	if (p->fd < 0) {
		struct cgroup_manager *m = cgroup_manager_new(p->root->root, path, NULL);
		bool frozen = false;
		if (m && cgroup_manager_is_frozen(m, &frozen, NULL) < 0)
			frozen = false;
		cgroup_manager_free(m);
		return frozen;
	}
	while (*path == '/')
		path++;
	if (snprintf(rel, sizeof(rel), "%s%s%s", path, *path ? "/" : "", p->file) >= (int)sizeof(rel))
		return false;
	fd = openat(p->fd, rel, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	return strcmp(buf, "1\n") == 0 || strcmp(buf, "FROZEN\n") == 0;
}
