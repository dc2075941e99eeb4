/* The on-disk state of containers: directory layout, locking, state.json
 * encoding, and the status of runtime.md derived from the live system
 * (the init process, the exec fifo, the freezer). */
#include "runtime/state.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <stddef.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "linux/rootfs.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/json_str.h"

void container_state_clear(struct container_state *s)
{
	free(s->id);
	free(s->bundle);
	free(s->rootfs);
	free(s->created);
	free(s->owner);
	free(s->cgroup_path);
	memset(s, 0, sizeof(*s));
}

int state_validate_id(const char *id, berth_err **err)
{
	size_t n;

	if (id == NULL || *id == '\0')
		return berth_err_set(err, 0, "invalid container id: the id must not be empty");
	n = strlen(id);
	if (n > 255)
		return berth_err_set(err, 0, "invalid container id: longer than 255 bytes");
	if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return berth_err_set(err, 0, "invalid container id: %s", id);
	/* The directory of berth's own caches in the state root. */
	if (strcmp(id, STATE_CACHE_DIR) == 0)
		return berth_err_set(err, 0, "invalid container id: %s is reserved", id);
	/* runc's set: letters, digits, '_' and '+' through '.' ("+,-."). */
	for (const char *p = id; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("_+,.-", *p))
			return berth_err_set(err, 0,
					     "invalid container id: %s (only letters, digits and _+,.- are allowed)",
					     id);
	}
	return 0;
}

int state_root_open(const char *root, bool create, berth_err **err)
{
	int fd = openat(AT_FDCWD, root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && create) {
		if (mkdir_p(root, 0700, err) < 0)
			return -1;
		fd = openat(AT_FDCWD, root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return berth_err_set(err, errno, "open state root %s", root);
	return fd;
}

int state_dir_create(int rootfd, const char *id, berth_err **err)
{
	int fd;

	if (mkdirat(rootfd, id, 0700) < 0) {
		if (errno == EEXIST)
			return berth_err_set(err, 0, "container with given ID already exists: %s", id);
		return berth_err_set(err, errno, "create state directory for %s", id);
	}
	fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		unlinkat(rootfd, id, AT_REMOVEDIR);
		return berth_err_set(err, e, "open state directory for %s", id);
	}
	return fd;
}

int state_dir_open(int rootfd, const char *id, bool exclusive, berth_err **err)
{
	int fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return berth_err_set(err, 0, "container does not exist: %s", id);
		return berth_err_set(err, errno, "open state of %s", id);
	}
	if (flock(fd, exclusive ? LOCK_EX : LOCK_SH) < 0) {
		int e = errno;
		close(fd);
		return berth_err_set(err, e, "lock state of %s", id);
	}
	return fd;
}

static int remove_tree_at(int parent, const char *name)
{
	int fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	DIR *d;
	struct dirent *de;

	if (fd < 0)
		return unlinkat(parent, name, 0) < 0 && errno != ENOENT ? -1 : 0;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (de->d_type == DT_DIR)
			remove_tree_at(dirfd(d), de->d_name);
		else
			unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
	return unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT ? -1 : 0;
}

int state_dir_remove(int rootfd, const char *id, berth_err **err)
{
	_cleanup_close_ int d = openat(rootfd, id, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

	/* What berth puts there, by name; a directory walk only for leftovers. */
	if (d >= 0) {
		unlinkat(d, STATE_FILE, 0);
		unlinkat(d, STATE_CONFIG, 0);
		unlinkat(d, STATE_FIFO, 0);
		if (unlinkat(rootfd, id, AT_REMOVEDIR) == 0 || errno == ENOENT)
			return 0;
	}
	if (remove_tree_at(rootfd, id) < 0)
		return berth_err_set(err, errno, "remove state directory of %s", id);
	return 0;
}

int state_host_mounts_write(int dirfd, const char *rootfs, uint64_t base_id, berth_err **err)
{
	_cleanup_free_ char *t = NULL;
	int n = asprintf(&t, "%" PRIu64 "\n%s\n", base_id, rootfs);

	if (n < 0)
		return berth_err_set(err, ENOMEM, "state");
	return write_file_at(dirfd, STATE_HOST_MOUNTS, t, (size_t)n, O_CREAT | O_TRUNC, 0600, err);
}

int state_host_mounts_release(int dirfd, berth_err **err)
{
	size_t len;
	_cleanup_free_ char *t = read_file_at(dirfd, STATE_HOST_MOUNTS, &len, NULL);
	char *path, *end;
	uint64_t base;

	if (t == NULL)
		return errno == ENOENT ? 0 : berth_err_set(err, errno, "read %s", STATE_HOST_MOUNTS);
	errno = 0;
	base = strtoull(t, &end, 10);
	if (errno || end == t || *end != '\n')
		return berth_err_set(err, EINVAL, "%s: bad mount id", STATE_HOST_MOUNTS);
	path = end + 1;
	end = strchr(path, '\n');
	if (end == NULL || path[0] != '/')
		return berth_err_set(err, EINVAL, "%s: bad rootfs path", STATE_HOST_MOUNTS);
	*end = '\0';
	if (rootfs_release_host_mounts(path, base, err) < 0)
		return berth_err_wrap(err, "release the rootfs mounts in the host's mount namespace");
	return 0;
}

static int state_store(int dirfd, const struct container_state *s, bool fresh, berth_err **err);

int state_write(int dirfd, const struct container_state *s, berth_err **err)
{
	return state_store(dirfd, s, false, err);
}

int state_write_first(int dirfd, const struct container_state *s, berth_err **err)
{
	return state_store(dirfd, s, true, err);
}

static int state_store(int dirfd, const struct container_state *s, bool fresh, berth_err **err)
{
	json_object *o = json_object_new_object();
	const char *txt;
	int r;

	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "pid_start", json_object_new_uint64(s->pid_start));
	json_object_object_add(o, "bundle", json_object_new_string(s->bundle ? s->bundle : ""));
	json_object_object_add(o, "rootfs", json_object_new_string(s->rootfs ? s->rootfs : ""));
	json_object_object_add(o, "created", json_object_new_string(s->created ? s->created : ""));
	json_object_object_add(o, "owner", json_object_new_string(s->owner ? s->owner : ""));
	if (s->owner_uid >= 0)
		json_object_object_add(o, "owner_uid", json_object_new_int64(s->owner_uid));
	json_object_object_add(o, "cgroup_path",
			       json_object_new_string(s->cgroup_path ? s->cgroup_path : ""));
	if (s->cgroup_id)
		json_object_object_add(o, "cgroup_id", json_object_new_uint64(s->cgroup_id));
	json_object_object_add(o, "systemd_cgroup", json_object_new_boolean(s->systemd_cgroup));
	json_object_object_add(o, "own_pidns", json_object_new_boolean(s->own_pidns));
	if (s->paused)
		json_object_object_add(o, "paused", json_object_new_boolean(true));
	json_object_object_add(o, "hooks", json_object_new_int((int)s->hooks));
	txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	/* The first state goes straight into place: a reader that meets it
	 * half-written takes the container for "creating", which it is. */
	if (fresh)
		r = write_file_at(dirfd, STATE_FILE, txt, strlen(txt), O_CREAT | O_EXCL, 0600, err);
	else
		r = write_file_atomic_at(dirfd, STATE_FILE, txt, strlen(txt), 0600, err);
	json_object_put(o);
	return r;
}

static char *dup_field(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return strdup("");
	return strdup(json_object_get_string(v));
}

/* The string members of state.json and where they go. */
static const struct {
	const char *key;
	size_t off;
} state_strings[] = {
	{"id", offsetof(struct container_state, id)},
	{"bundle", offsetof(struct container_state, bundle)},
	{"rootfs", offsetof(struct container_state, rootfs)},
	{"created", offsetof(struct container_state, created)},
	{"owner", offsetof(struct container_state, owner)},
	{"cgroup_path", offsetof(struct container_state, cgroup_path)},
};

static char **state_string(struct container_state *s, size_t k)
{
	return (char **)(void *)((char *)s + state_strings[k].off);
}

static void flat_member(const char *key, const struct json_flat_value *v, void *ud)
{
	struct container_state *s = ud;
	bool num = v->type == JSON_FLAT_INT, yes = v->type == JSON_FLAT_BOOL && v->b;

	for (size_t k = 0; k < ARRAY_SIZE(state_strings); k++) {
		if (strcmp(key, state_strings[k].key) == 0) {
			char **dst = state_string(s, k);
			free(*dst);
			*dst = strdup(v->type == JSON_FLAT_STRING ? v->str : "");
			return;
		}
	}
	if (strcmp(key, "pid") == 0)
		s->pid = num && !v->neg && v->u <= INT32_MAX ? (pid_t)v->u : 0;
	else if (strcmp(key, "owner_uid") == 0)
		s->owner_uid = num ? v->i : -1;
	else if (strcmp(key, "pid_start") == 0)
		s->pid_start = num && !v->neg ? v->u : 0;
	else if (strcmp(key, "cgroup_id") == 0)
		s->cgroup_id = num && !v->neg ? v->u : 0;
	else if (strcmp(key, "systemd_cgroup") == 0)
		s->systemd_cgroup = yes;
	else if (strcmp(key, "own_pidns") == 0)
		s->own_pidns = yes;
	else if (strcmp(key, "paused") == 0)
		s->paused = yes;
	else if (strcmp(key, "hooks") == 0)
		s->hooks = num && !v->neg && v->u <= UINT32_MAX ? (unsigned)v->u : 0;
}

/* Berth writes state.json itself as one flat object: read it in one pass
 * with one allocation per string instead of json-c's tree (a quarter of
 * list's time with many containers, and more under musl's malloc). 0, or
 * -1 (s cleared) for anything else, which json-c then reads. */
static int state_parse_flat(const char *txt, size_t len, struct container_state *s)
{
	s->owner_uid = -1;
	/* Absent in a state from an older berth: assume every hook. */
	s->hooks = STATE_HOOK_POSTSTART | STATE_HOOK_POSTSTOP;
	if (json_flat_parse(txt, len, flat_member, s) < 0) {
		container_state_clear(s);
		return -1;
	}
	for (size_t k = 0; k < ARRAY_SIZE(state_strings); k++) {
		char **dst = state_string(s, k);
		if (*dst == NULL && (*dst = strdup("")) == NULL) {
			container_state_clear(s);
			return -1;
		}
	}
	return 0;
}

/* Fills s from the text of a state.json: the flat reader, else json-c. */
static int state_parse(const char *txt, size_t len, struct container_state *s, berth_err **err)
{
	json_object *o, *v;

	memset(s, 0, sizeof(*s));
	if (state_parse_flat(txt, len, s) == 0)
		return 0;
	o = json_tokener_parse(txt);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		json_object_put(o);
		return berth_err_set(err, 0, "state.json: corrupt state file");
	}
	s->id = dup_field(o, "id");
	s->bundle = dup_field(o, "bundle");
	s->rootfs = dup_field(o, "rootfs");
	s->created = dup_field(o, "created");
	s->owner = dup_field(o, "owner");
	s->cgroup_path = dup_field(o, "cgroup_path");
	if (json_object_object_get_ex(o, "pid", &v))
		s->pid = json_object_get_int(v);
	s->owner_uid = -1;
	if (json_object_object_get_ex(o, "owner_uid", &v))
		s->owner_uid = json_object_get_int64(v);
	if (json_object_object_get_ex(o, "pid_start", &v))
		s->pid_start = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "cgroup_id", &v))
		s->cgroup_id = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "systemd_cgroup", &v))
		s->systemd_cgroup = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "own_pidns", &v))
		s->own_pidns = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "paused", &v))
		s->paused = json_object_get_boolean(v);
	/* Absent in a state from an older berth: assume every hook. */
	s->hooks = STATE_HOOK_POSTSTART | STATE_HOOK_POSTSTOP;
	if (json_object_object_get_ex(o, "hooks", &v))
		s->hooks = (unsigned)json_object_get_int(v);
	json_object_put(o);
	return 0;
}

int state_read(int dirfd, struct container_state *s, berth_err **err)
{
	_cleanup_free_ char *txt = NULL;
	size_t len;

	memset(s, 0, sizeof(*s));
	txt = read_file_at(dirfd, STATE_FILE, &len, err);
	if (txt == NULL)
		return -1;
	return state_parse(txt, len, s, err);
}

/* Field 22 (starttime) of a /proc/PID/stat text; 0 for a zombie or a text
 * that does not parse. comm may hold spaces and parentheses: the fields
 * restart after the last ')'. */
static uint64_t stat_start_time(const char *buf)
{
	const char *p = strrchr(buf, ')');
	uint64_t v = 0;

	if (p == NULL || p[1] != ' ' || p[2] == '\0' || p[3] != ' ')
		return 0;
	if (p[2] == 'Z' || p[2] == 'X')
		return 0;
	p += 3; /* at field 4 */
	for (int field = 4; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (p == NULL)
			return 0;
	}
	for (p++; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return *p == ' ' || *p == '\n' || *p == '\0' ? v : 0;
}

static uint64_t proc_start_time_at(int procfd, pid_t pid)
{
	char path[64], buf[1024];
	ssize_t n;
	int fd;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), procfd >= 0 ? "%d/stat" : "/proc/%d/stat", (int)pid);
	fd = openat(procfd >= 0 ? procfd : AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return stat_start_time(buf);
}

uint64_t proc_start_time(pid_t pid)
{
	return proc_start_time_at(-1, pid);
}

bool state_pid_alive(const struct container_state *s)
{
	uint64_t st = proc_start_time(s->pid);
	return st != 0 && st == s->pid_start;
}

const char *state_status(int dirfd, const struct container_state *s)
{
	struct stat st;
	bool frozen = false;

	if (!state_pid_alive(s))
		return "stopped";
	/* Frozen is checked before the fifo: `pause` accepts a created
	 * container (as runc does), and reporting it as "created" let `start`
	 * block forever opening the fifo its frozen init can never open. */
	if (s->cgroup_path && *s->cgroup_path) {
		struct cgroup_manager *m = cgroup_manager_new(NULL, s->cgroup_path, NULL);
		if (m) {
			if (cgroup_manager_is_frozen(m, &frozen, NULL) < 0)
				frozen = false;
			cgroup_manager_free(m);
		}
	}
	if (frozen)
		return "paused";
	if (fstatat(dirfd, STATE_FIFO, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return "created";
	return "running";
}

/* ------------------------------------------------------------------ scan */

/* PIDFD_GET_INFO (Linux 6.13), not yet in every libc's headers. */
struct berth_pidfd_info {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid, spare0;
};
#define BERTH_PIDFD_GET_INFO _IOWR(0xFF, 11, struct berth_pidfd_info)
#define BERTH_PIDFD_INFO_CGROUPID (1ULL << 2)

/* 1 when pid is alive (not a zombie) and in the cgroup2 cgroup cgroup_id,
 * 0 when it is dead, -1 when this cannot tell (old kernel, another cgroup):
 * then /proc/PID/stat decides. Four cheap syscalls with no path walk and no
 * stat text to format: most of `list`'s time with many containers was the
 * kernel generating /proc/PID/stat. A live pid in the container's own
 * cgroup is the container's init: a reused pid would have to be forked
 * into that cgroup, and with its own pid namespace nothing is left there
 * to fork once the init died. */
static int pidfd_alive_in_cgroup(pid_t pid, uint64_t cgroup_id)
{
	struct berth_pidfd_info info = {.mask = BERTH_PIDFD_INFO_CGROUPID};
	struct pollfd pfd;
	int fd, r;

	if (pid <= 0)
		return 0;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd < 0)
		return errno == ESRCH ? 0 : -1;
	if (ioctl(fd, BERTH_PIDFD_GET_INFO, &info) < 0) {
		r = errno == ESRCH ? 0 : -1;
	} else if (!(info.mask & BERTH_PIDFD_INFO_CGROUPID) || info.cgroupid != cgroup_id) {
		r = -1;
	} else {
		/* A pidfd polls readable once the process exited (a zombie). */
		pfd = (struct pollfd){.fd = fd, .events = POLLIN};
		r = poll(&pfd, 1, 0) == 0 ? 1 : (pfd.revents & POLLIN) ? 0 : -1;
	}
	close(fd);
	return r;
}

struct state_scan {
	int rootfd;
	int procfd;
	struct cgroup_freezer_probe *fz;
	bool fz_tried;
};

struct state_scan *state_scan_new(int rootfd, berth_err **err)
{
	struct state_scan *sc = calloc(1, sizeof(*sc));

	if (sc == NULL) {
		berth_err_set(err, ENOMEM, "list");
		return NULL;
	}
	sc->rootfd = rootfd;
	sc->procfd = openat(AT_FDCWD, "/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	return sc;
}

void state_scan_free(struct state_scan *sc)
{
	if (sc == NULL)
		return;
	if (sc->procfd >= 0)
		close(sc->procfd);
	cgroup_freezer_probe_free(sc->fz);
	free(sc);
}

/* Opens id/name below the state root without following a symlink anywhere
 * (the entries are ours; a planted link must not redirect the read). */
static int scan_open(struct state_scan *sc, const char *id, const char *name)
{
	char rel[PATH_MAX];
	struct open_how how = {
		.flags = O_RDONLY | O_CLOEXEC,
		.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	if (snprintf(rel, sizeof(rel), "%s/%s", id, name) >= (int)sizeof(rel)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = (int)syscall(SYS_openat2, sc->rootfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		_cleanup_close_ int dfd =
			openat(sc->rootfd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (dfd < 0)
			return -1;
		fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	return fd;
}

char *state_owner_name(uid_t uid)
{
	char buf[32];

	if (uid == 0)
		return strdup("root");
	snprintf(buf, sizeof(buf), "#%u", (unsigned)uid);
	return strdup(buf);
}

int state_scan_read(struct state_scan *sc, const char *id, struct container_state *s,
		    const char **status, char **owner)
{
	_cleanup_close_ int fd = scan_open(sc, id, STATE_FILE);
	_cleanup_free_ char *big = NULL;
	char buf[4096], rel[PATH_MAX];
	const char *txt = buf;
	struct stat st;
	size_t len;
	ssize_t n;
	bool frozen = false;
	int alive;

	memset(s, 0, sizeof(*s));
	if (fd < 0)
		return -1;
	/* A regular file's read returns all of it that fits: a short read is
	 * the whole state, with no second read to see the end. */
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0)
		return -1;
	len = (size_t)n;
	buf[len] = '\0';
	if (len == sizeof(buf) - 1) {
		if (lseek(fd, 0, SEEK_SET) < 0 || (big = read_fd_all(fd, &len, NULL)) == NULL)
			return -1;
		txt = big;
	}
	if (state_parse(txt, len, s, NULL) < 0)
		return -1;
	/* Recorded at create; a state from an older berth has none. */
	if (s->owner_uid >= 0)
		*owner = state_owner_name((uid_t)s->owner_uid);
	else
		*owner = fstat(fd, &st) == 0 ? state_owner_name(st.st_uid) : strdup("");

	alive = s->own_pidns && s->cgroup_id ? pidfd_alive_in_cgroup(s->pid, s->cgroup_id) : -1;
	if (alive < 0)
		alive = s->pid_start != 0 && proc_start_time_at(sc->procfd, s->pid) == s->pid_start;
	if (!alive) {
		*status = "stopped";
		return 0;
	}
	/* The freezer is read only for a container that `pause` froze (to see
	 * a thaw done behind berth's back): reading it for every container was
	 * a third of list's time. A cgroup frozen by hand is seen by `state`. */
	if (s->paused && s->cgroup_path && *s->cgroup_path) {
		if (!sc->fz_tried) {
			sc->fz_tried = true;
			sc->fz = cgroup_freezer_probe_new(NULL, NULL);
		}
		frozen = sc->fz && cgroup_freezer_probe_frozen(sc->fz, s->cgroup_path);
	}
	if (frozen)
		*status = "paused";
	else if (snprintf(rel, sizeof(rel), "%s/%s", id, STATE_FIFO) < (int)sizeof(rel) &&
		 fstatat(sc->rootfd, rel, &st, AT_SYMLINK_NOFOLLOW) == 0)
		*status = "created";
	else
		*status = "running";
	return 0;
}
