/* The life cycle operations after create: start, state, list, kill, delete,
 * pause, resume, ps, update, events. Each loads the container's state under
 * its lock, derives the live status, checks the operation is allowed in that
 * status (with runc's error wording, which engines match on), and acts. */
#include "runtime/runtime_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/hooks.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

void container_info_clear(struct container_info *i)
{
	free(i->id);
	free(i->status);
	free(i->bundle);
	free(i->rootfs);
	free(i->created);
	free(i->owner);
	for (size_t k = 0; k < i->n_annotations; k++) {
		free(i->annotations[k].key);
		free(i->annotations[k].value);
	}
	free(i->annotations);
	memset(i, 0, sizeof(*i));
}

char *container_info_json(const struct container_info *i, bool with_annotations)
{
	json_object *o = json_object_new_object();
	char *s;

	json_object_object_add(o, "ociVersion", json_object_new_string(BERTH_OCI_VERSION));
	json_object_object_add(o, "id", json_object_new_string(i->id ? i->id : ""));
	json_object_object_add(o, "pid", json_object_new_int(i->pid));
	json_object_object_add(o, "status", json_object_new_string(i->status ? i->status : ""));
	json_object_object_add(o, "bundle", json_object_new_string(i->bundle ? i->bundle : ""));
	json_object_object_add(o, "rootfs", json_object_new_string(i->rootfs ? i->rootfs : ""));
	json_object_object_add(o, "created", json_object_new_string(i->created ? i->created : ""));
	json_object_object_add(o, "owner", json_object_new_string(i->owner ? i->owner : ""));
	if (with_annotations && i->n_annotations) {
		json_object *a = json_object_new_object();
		for (size_t k = 0; k < i->n_annotations; k++)
			json_object_object_add(a, i->annotations[k].key,
					       json_object_new_string(i->annotations[k].value));
		json_object_object_add(o, "annotations", a);
	}
	s = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE |
							     JSON_C_TO_STRING_SPACED));
	json_object_put(o);
	return s;
}

void info_from_state(struct container_info *i, const struct container_state *s, const char *status,
		     const struct oci_config *cfg)
{
	memset(i, 0, sizeof(*i));
	i->id = strdup(s->id ? s->id : "");
	i->pid = strcmp(status, "stopped") == 0 ? 0 : s->pid;
	i->status = strdup(status);
	i->bundle = strdup(s->bundle ? s->bundle : "");
	i->rootfs = strdup(s->rootfs ? s->rootfs : "");
	i->created = strdup(s->created ? s->created : "");
	i->owner = strdup(s->owner ? s->owner : "");
	if (cfg && cfg->n_annotations) {
		i->annotations = calloc(cfg->n_annotations, sizeof(*i->annotations));
		if (i->annotations) {
			for (size_t k = 0; k < cfg->n_annotations; k++) {
				i->annotations[k].key = strdup(cfg->annotations[k].key);
				i->annotations[k].value = strdup(cfg->annotations[k].value);
			}
			i->n_annotations = cfg->n_annotations;
		}
	}
}

static struct oci_config *load_state_config(int dirfd, berth_err **err)
{
	_cleanup_free_ char *txt = NULL;
	size_t len;
	struct oci_config *c;

	txt = read_file_at(dirfd, STATE_CONFIG, &len, err);
	if (txt == NULL)
		return NULL;
	c = oci_config_parse(txt, len, err);
	if (c == NULL)
		berth_err_wrap(err, "stored config");
	return c;
}

int loaded_open(const struct runtime_ctx *ctx, const char *id, bool exclusive, bool with_config,
		struct loaded *l, berth_err **err)
{
	memset(l, 0, sizeof(*l));
	l->rootfd = l->dirfd = -1;
	if (state_validate_id(id, err) < 0)
		return -1;
	l->rootfd = state_root_open(ctx->root, false, NULL);
	if (l->rootfd < 0)
		return berth_err_set(err, 0, "container does not exist: %s", id);
	l->dirfd = state_dir_open(l->rootfd, id, exclusive, err);
	if (l->dirfd < 0)
		goto fail;
	if (state_read(l->dirfd, &l->st, err) < 0)
		goto fail;
	if (with_config) {
		l->cfg = load_state_config(l->dirfd, err);
		if (l->cfg == NULL)
			goto fail;
	}
	l->status = state_status(l->dirfd, &l->st);
	return 0;
fail:
	loaded_close(l);
	return -1;
}

int loaded_relock(struct loaded *l, const char *id, berth_err **err)
{
	struct stat a, b;

	if (flock(l->dirfd, LOCK_EX) < 0)
		return berth_err_set(err, errno, "lock state of %s", id);
	if (fstat(l->dirfd, &a) < 0 || fstatat(l->rootfd, id, &b, AT_SYMLINK_NOFOLLOW) < 0 || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev)
		return berth_err_set(err, 0, "container does not exist: %s", id);
	return 0;
}

int loaded_config(struct loaded *l, berth_err **err)
{
	if (l->cfg == NULL)
		l->cfg = load_state_config(l->dirfd, err);
	return l->cfg ? 0 : -1;
}

void loaded_close(struct loaded *l)
{
	if (l->dirfd >= 0)
		close(l->dirfd);
	if (l->rootfd >= 0)
		close(l->rootfd);
	container_state_clear(&l->st);
	oci_config_free(l->cfg);
	l->cfg = NULL;
	cgroup_manager_free(l->cg);
	l->cg = NULL;
	l->dirfd = l->rootfd = -1;
}

char *loaded_state_json(const struct loaded *l, const char *status)
{
	struct container_info i;
	char *s;

	info_from_state(&i, &l->st, status, l->cfg);
	s = container_info_json(&i, true);
	container_info_clear(&i);
	return s;
}

struct cgroup_manager *loaded_cgroup(const struct loaded *l, berth_err **err)
{
	if (l->st.cgroup_path == NULL || *l->st.cgroup_path == '\0') {
		berth_err_set(err, 0, "container %s has no cgroup", l->st.id);
		return NULL;
	}
	return cgroup_manager_new(NULL, l->st.cgroup_path, err);
}

int signal_init(const struct container_state *s, int sig, berth_err **err)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);

	/* The pidfd pins the process: checking its start time after opening
	 * it rules out signalling a recycled pid. */
	if (pidfd < 0 || !state_pid_alive(s))
		return berth_err_set(err, ESRCH, "container not running");
	if (syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0) {
		if (errno == ESRCH)
			return berth_err_set(err, ESRCH, "container not running: no such process");
		return berth_err_set(err, errno, "kill container init");
	}
	return 0;
}

int wait_pid_gone(pid_t pid, int timeout_ms)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p;

	if (pidfd < 0)
		return 0;
	/* Our own child (run) must be reaped, anyone else's just watched. */
	if (waitpid(pid, NULL, WNOHANG) == pid)
		return 0;
	p.fd = pidfd;
	p.events = POLLIN;
	if (poll(&p, 1, timeout_ms) <= 0)
		return -1;
	waitpid(pid, NULL, WNOHANG);
	return 0;
}

int start_begun(struct loaded *l, int fifo, berth_err **err)
{
	_cleanup_free_ char *st = NULL;
	struct pollfd p = {.fd = fifo, .events = 0};

	(void)err;
	unlinkat(l->dirfd, STATE_FIFO, 0);
	/* The init holds the fifo's only read end until it execs (or dies): a
	 * writer sees POLLERR once it is gone, so poststart hooks run after the
	 * user process started, as the spec wants. */
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	close(fifo);
	if ((l->st.hooks & STATE_HOOK_POSTSTART) && loaded_config(l, NULL) == 0 && l->cfg->hooks.poststart.n) {
		st = loaded_state_json(l, "running");
		/* The start is done: a hook may call back into berth (kill, ps,
		 * exec) for this container, which would wait for our lock. */
		flock(l->dirfd, LOCK_UN);
		hooks_run_warn(&l->cfg->hooks.poststart, "poststart", st);
	}
	return 0;
}

int start_loaded(struct loaded *l, berth_err **err)
{
	int fifo = openat(l->dirfd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fifo < 0)
		return berth_err_set(err, errno == ENXIO ? 0 : errno, "container not running: the init has exited");
	if (write(fifo, "0", 1) != 1) {
		int e = errno;
		close(fifo);
		return berth_err_set(err, e, "start container");
	}
	return start_begun(l, fifo, err);
}

int container_start(const struct runtime_ctx *ctx, const char *id, berth_err **err)
{
	struct loaded l;
	int r = -1;

	if (loaded_open(ctx, id, true, false, &l, err) < 0)
		return -1;
	if (strcmp(l.status, "created") != 0) {
		if (strcmp(l.status, "stopped") == 0)
			berth_err_set(err, 0, "cannot start a container that has stopped");
		else if (strcmp(l.status, "paused") == 0)
			berth_err_set(err, 0, "cannot start a paused container");
		else
			berth_err_set(err, 0, "cannot start an already running container");
		goto out;
	}
	r = start_loaded(&l, err);
out:
	loaded_close(&l);
	return r;
}

int container_state(const struct runtime_ctx *ctx, const char *id, struct container_info *out,
		    berth_err **err)
{
	_cleanup_close_ int rootfd = -1, dirfd = -1;
	struct container_state s;
	struct oci_config *cfg;
	_cleanup_err_ berth_err *ignored = NULL;

	/* No lock: state.json is replaced atomically, and a hook that asks for
	 * the state while create holds the lock must not deadlock. */
	if (state_validate_id(id, err) < 0)
		return -1;
	rootfd = state_root_open(ctx->root, false, NULL);
	if (rootfd < 0)
		return berth_err_set(err, 0, "container does not exist: %s", id);
	dirfd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (dirfd < 0)
		return berth_err_set(err, 0, "container does not exist: %s", id);
	if (state_read(dirfd, &s, NULL) < 0) {
		memset(out, 0, sizeof(*out));
		out->id = strdup(id);
		out->status = strdup("creating");
		out->bundle = strdup("");
		out->rootfs = strdup("");
		out->created = strdup("");
		out->owner = strdup("");
		return 0;
	}
	cfg = load_state_config(dirfd, &ignored);
	info_from_state(out, &s, state_status(dirfd, &s), cfg);
	oci_config_free(cfg);
	container_state_clear(&s);
	return 0;
}

static int cmp_info(const void *a, const void *b)
{
	return strcmp(((const struct container_info *)a)->id, ((const struct container_info *)b)->id);
}

static void free_infos(struct container_info *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		container_info_clear(&v[k]);
	free(v);
}

static int list_dir(const struct runtime_ctx *ctx, bool ids_only, struct container_info **out, size_t *n,
		    berth_err **err)
{
	_cleanup_closedir_ DIR *d = opendir(ctx->root);
	struct state_scan *sc;
	struct container_info *v = NULL;
	size_t cnt = 0, cap = 0;
	struct dirent *de;

	*out = NULL;
	*n = 0;
	if (d == NULL) {
		if (errno == ENOENT)
			return 0;
		return berth_err_set(err, errno, "open %s", ctx->root);
	}
	/* list stays cheap with thousands of containers: no config decode, and
	 * per container only the state file, a pidfd, the freezer of a paused
	 * one and the fifo, each reached by one short relative path. The ids
	 * alone need none of it: one getdents for many containers. */
	sc = ids_only ? NULL : state_scan_new(dirfd(d), err);
	if (sc == NULL && !ids_only)
		return -1;
	while ((de = readdir(d)) != NULL) {
		struct container_state s;
		const char *status = NULL;
		char *owner = NULL;

		/* Every directory but ".", ".." and the caches is a container,
		 * ".hidden" ones too (runc lists them). */
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, STATE_CACHE_DIR) == 0 || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		if (cnt == cap) {
			struct container_info *nv = realloc(v, (cap ? cap * 2 : 16) * sizeof(*v));
			if (nv == NULL) {
				free_infos(v, cnt);
				state_scan_free(sc);
				return berth_err_set(err, ENOMEM, "list");
			}
			v = nv;
			cap = cap ? cap * 2 : 16;
		}
		if (ids_only) {
			memset(&v[cnt], 0, sizeof(v[cnt]));
			if ((v[cnt].id = strdup(de->d_name)) == NULL) {
				free_infos(v, cnt);
				return berth_err_set(err, ENOMEM, "list");
			}
			cnt++;
			continue;
		}
		if (state_scan_read(sc, de->d_name, &s, &status, &owner) < 0) {
			container_state_clear(&s);
			if (faccessat(dirfd(d), de->d_name, F_OK, AT_SYMLINK_NOFOLLOW) < 0)
				continue; /* deleted meanwhile */
			memset(&v[cnt], 0, sizeof(v[cnt]));
			v[cnt].id = strdup(de->d_name);
			v[cnt].status = strdup("creating");
			v[cnt].bundle = strdup("");
			v[cnt].rootfs = strdup("");
			v[cnt].created = strdup("");
			v[cnt].owner = strdup("");
			cnt++;
			continue;
		}
		/* The state's strings move into the entry: no copies. */
		memset(&v[cnt], 0, sizeof(v[cnt]));
		v[cnt].pid = strcmp(status, "stopped") == 0 ? 0 : s.pid;
		v[cnt].status = strdup(status);
		v[cnt].owner = owner;
		v[cnt].id = TAKE_PTR(s.id);
		v[cnt].bundle = TAKE_PTR(s.bundle);
		v[cnt].rootfs = TAKE_PTR(s.rootfs);
		v[cnt++].created = TAKE_PTR(s.created);
		container_state_clear(&s);
	}
	state_scan_free(sc);
	/* v is NULL for an empty root and qsort's pointer must not be (UBSan). */
	if (cnt > 1)
		qsort(v, cnt, sizeof(*v), cmp_info);
	*out = v;
	*n = cnt;
	return 0;
}

int container_list(const struct runtime_ctx *ctx, struct container_info **out, size_t *n, berth_err **err)
{
	return list_dir(ctx, false, out, n, err);
}

void container_list_annotations(const struct runtime_ctx *ctx, struct container_info *v, size_t n)
{
	_cleanup_close_ int rootfd = state_root_open(ctx->root, false, NULL);

	for (size_t i = 0; rootfd >= 0 && i < n; i++) {
		_cleanup_close_ int dirfd = -1;
		_cleanup_err_ berth_err *e = NULL;
		struct oci_config *cfg;
		struct container_info t;
		struct container_state s = {0};

		if (v[i].n_annotations || v[i].id == NULL)
			continue;
		dirfd = openat(rootfd, v[i].id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (dirfd < 0 || (cfg = load_state_config(dirfd, &e)) == NULL)
			continue;
		/* Only the annotations are taken from t. */
		info_from_state(&t, &s, "", cfg);
		v[i].annotations = TAKE_PTR(t.annotations);
		v[i].n_annotations = t.n_annotations;
		t.n_annotations = 0;
		container_info_clear(&t);
		oci_config_free(cfg);
	}
}

int container_list_ids(const struct runtime_ctx *ctx, struct container_info **out, size_t *n, berth_err **err)
{
	return list_dir(ctx, true, out, n, err);
}

int container_kill(const struct runtime_ctx *ctx, const char *id, int sig, bool all, berth_err **err)
{
	struct loaded l;
	int r = -1;

	if (loaded_open(ctx, id, false, false, &l, err) < 0)
		return -1;
	if (strcmp(l.status, "stopped") == 0 && !all) {
		berth_err_set(err, 0, "container not running");
		goto out;
	}
	if (all) {
		struct cgroup_manager *m = loaded_cgroup(&l, err);
		if (m == NULL)
			goto out;
		r = cgroup_manager_kill_all(m, sig, err);
		cgroup_manager_free(m);
		goto out;
	}
	r = signal_init(&l.st, sig, err);
	/* A v1-frozen process acts on nothing, SIGKILL included, until thawed:
	 * a paused container that is killed must be let go to die (runc does
	 * the same). */
	if (r == 0 && sig == SIGKILL && strcmp(l.status, "paused") == 0) {
		struct cgroup_manager *m = loaded_cgroup(&l, NULL);
		if (m) {
			cgroup_manager_freeze(m, false, NULL);
			cgroup_manager_free(m);
		}
	}
out:
	loaded_close(&l);
	return r;
}

int destroy_container(struct loaded *l, const char *id, berth_err **err)
{
	struct cgroup_manager *m = NULL;
	_cleanup_free_ char *st = NULL;
	_cleanup_err_ berth_err *e = NULL;

	if (l->cg)
		m = TAKE_PTR(l->cg);
	else if (l->st.cgroup_path && *l->st.cgroup_path)
		m = cgroup_manager_new(NULL, l->st.cgroup_path, &e);
	if (state_pid_alive(&l->st)) {
		signal_init(&l->st, SIGKILL, NULL);
		if (m) {
			/* Everything in the cgroup goes, also what is not in the
			 * container's pid namespace (a process still joining it):
			 * a cgroup shared with another container is shared with
			 * its fate (runc 1.1 warns at create). */
			cgroup_manager_kill_all(m, SIGKILL, NULL);
			cgroup_manager_freeze(m, false, NULL);
		}
		if (wait_pid_gone(l->st.pid, 10000) < 0) {
			cgroup_manager_free(m);
			return berth_err_set(err, ETIMEDOUT, "container init %d did not exit", (int)l->st.pid);
		}
	}
	if (m) {
		/* Without a pid namespace of its own, processes the init left
		 * behind live on in the cgroup: end them too. */
		if (!l->st.own_pidns)
			cgroup_manager_kill_all(m, SIGKILL, NULL);
		if (cgroup_manager_destroy(m, &e) < 0) {
			_cleanup_free_ char *t = berth_err_text(e);
			log_warn("remove cgroup of %s: %s", id, t);
		}
		cgroup_manager_free(m);
	}
	if (state_host_mounts_release(l->dirfd, err) < 0)
		return -1;
	if ((l->st.hooks & STATE_HOOK_POSTSTOP) && loaded_config(l, NULL) == 0 && l->cfg->hooks.poststop.n)
		st = loaded_state_json(l, "stopped");
	if (state_dir_remove(l->rootfd, id, err) < 0)
		return -1;
	if (st)
		hooks_run_warn(&l->cfg->hooks.poststop, "poststop", st);
	return 0;
}

/* A state entry whose create died before writing state.json: remove its
 * cgroup (from the stored config) and the entry. */
static int delete_broken(const struct runtime_ctx *ctx, const char *id, berth_err **err)
{
	_cleanup_close_ int rootfd = state_root_open(ctx->root, false, NULL);
	_cleanup_close_ int dirfd = -1;
	struct oci_config *cfg;
	_cleanup_free_ char *cgpath = NULL;

	if (rootfd < 0)
		return berth_err_set(err, 0, "container does not exist: %s", id);
	dirfd = state_dir_open(rootfd, id, true, err);
	if (dirfd < 0)
		return -1;
	cfg = load_state_config(dirfd, NULL);
	if (cfg && cgroup_resolve_path(cfg->linux ? cfg->linux->cgroups_path : NULL, id, ctx->systemd_cgroup,
				       &cgpath, NULL) == 0) {
		struct cgroup_manager *m = cgroup_manager_new(NULL, cgpath, NULL);
		if (m) {
			cgroup_manager_kill_all(m, SIGKILL, NULL);
			cgroup_manager_destroy(m, NULL);
			cgroup_manager_free(m);
		}
	}
	oci_config_free(cfg);
	if (state_host_mounts_release(dirfd, err) < 0)
		return -1;
	return state_dir_remove(rootfd, id, err);
}

int container_delete(const struct runtime_ctx *ctx, const char *id, bool force, berth_err **err)
{
	struct loaded l;
	berth_err *e = NULL;
	int r = -1;

	if (loaded_open(ctx, id, true, false, &l, &e) < 0) {
		if (e && strstr(e->msg, "does not exist") == NULL && strstr(e->msg, "invalid container id") == NULL) {
			berth_err_free(e);
			return delete_broken(ctx, id, err);
		}
		*err = e;
		return -1;
	}
	/* runtime.md: deleting a container that is not stopped MUST fail and
	 * leave it as it was. That includes "created": its init is alive,
	 * waiting for start (runc and crun delete it anyway). --force kills
	 * first; the engines that reach a created container (conmon, CRI-O,
	 * containerd's shim cleanup and its kill-then-delete) pass it or kill. */
	if (strcmp(l.status, "stopped") != 0 && !force) {
		berth_err_set(err, 0, "cannot delete container %s that is not stopped: %s", id, l.status);
		goto out;
	}
	r = destroy_container(&l, id, err);
out:
	loaded_close(&l);
	return r;
}

static int set_frozen(const struct runtime_ctx *ctx, const char *id, bool freeze, berth_err **err)
{
	struct loaded l;
	struct cgroup_manager *m = NULL;
	int r = -1;

	if (loaded_open(ctx, id, true, false, &l, err) < 0)
		return -1;
	if (freeze && strcmp(l.status, "running") != 0 && strcmp(l.status, "created") != 0) {
		berth_err_set(err, 0, strcmp(l.status, "paused") == 0 ? "container already paused"
								       : "container not running");
		goto out;
	}
	if (!freeze && strcmp(l.status, "paused") != 0) {
		berth_err_set(err, 0, "container not paused");
		goto out;
	}
	m = loaded_cgroup(&l, err);
	if (m)
		r = cgroup_manager_freeze(m, freeze, err);
	if (r == 0 && l.st.paused != freeze) {
		/* list's hint; the freezer stays the truth for every other command */
		l.st.paused = freeze;
		if (state_write(l.dirfd, &l.st, NULL) < 0)
			log_warn("%s: could not record the pause in its state", id);
	}
out:
	cgroup_manager_free(m);
	loaded_close(&l);
	return r;
}

int container_pause(const struct runtime_ctx *ctx, const char *id, berth_err **err)
{
	return set_frozen(ctx, id, true, err);
}

int container_resume(const struct runtime_ctx *ctx, const char *id, berth_err **err)
{
	return set_frozen(ctx, id, false, err);
}

int container_pids(const struct runtime_ctx *ctx, const char *id, pid_t **pids, size_t *n, berth_err **err)
{
	struct loaded l;
	struct cgroup_manager *m;
	int r = -1;

	*pids = NULL;
	*n = 0;
	if (loaded_open(ctx, id, false, false, &l, err) < 0)
		return -1;
	if (strcmp(l.status, "stopped") == 0) {
		berth_err_set(err, 0, "container not running");
		goto out;
	}
	m = loaded_cgroup(&l, err);
	if (m) {
		r = cgroup_manager_pids(m, pids, n, err);
		cgroup_manager_free(m);
	}
out:
	loaded_close(&l);
	return r;
}

int container_update(const struct runtime_ctx *ctx, const char *id, const struct oci_resources *res,
		     berth_err **err)
{
	struct loaded l;
	struct cgroup_manager *m;
	int r = -1;

	if (loaded_open(ctx, id, true, false, &l, err) < 0)
		return -1;
	if (strcmp(l.status, "stopped") == 0) {
		berth_err_set(err, 0, "container not running");
		goto out;
	}
	m = loaded_cgroup(&l, err);
	if (m) {
		r = cgroup_manager_update_resources(m, res, err);
		cgroup_manager_free(m);
	}
out:
	loaded_close(&l);
	return r;
}

int container_events(const struct runtime_ctx *ctx, const char *id, bool stats, unsigned interval_ms,
		     container_emit_fn emit, void *data, berth_err **err)
{
	struct loaded l;
	struct cgroup_manager *m;
	uint64_t ooms = 0, now;
	int r = -1;

	if (loaded_open(ctx, id, false, false, &l, err) < 0)
		return -1;
	if (strcmp(l.status, "stopped") == 0) {
		berth_err_set(err, 0, "container not running");
		loaded_close(&l);
		return -1;
	}
	m = loaded_cgroup(&l, err);
	/* Watching must not hold the lock: other commands keep working. */
	close(l.dirfd);
	l.dirfd = -1;
	if (m == NULL)
		goto out;
	cgroup_manager_oom_count(m, &ooms, NULL);
	for (;;) {
		_cleanup_free_ char *s = NULL, *line = NULL;
		bool alive = state_pid_alive(&l.st);

		/* Before the liveness check ends the loop: an OOM kill that ended
		 * the container is the event most worth reporting. */
		if (cgroup_manager_oom_count(m, &now, NULL) == 0 && now > ooms) {
			ooms = now;
			if (asprintf(&line, "{\"type\":\"oom\",\"id\":\"%s\"}", id) < 0 || emit(line, data) < 0)
				break;
			free(line);
			line = NULL;
		}
		if (!alive)
			break;
		s = cgroup_manager_stats_json(m, err);
		if (s == NULL)
			goto out;
		if (asprintf(&line, "{\"type\":\"stats\",\"id\":\"%s\",\"data\":%s}", id, s) < 0)
			goto out;
		if (emit(line, data) < 0 || stats)
			break;
		{
			struct timespec ts = {interval_ms / 1000, (long)(interval_ms % 1000) * 1000000L};
			nanosleep(&ts, NULL);
		}
	}
	r = 0;
out:
	cgroup_manager_free(m);
	loaded_close(&l);
	return r;
}
