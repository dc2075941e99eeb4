/* The on-disk state of containers: directory layout, locking, state.json
 * encoding, and the status of runtime.md derived from the live system
 * (the init process, the exec fifo, the freezer). */
#include "runtime/state.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/cgroup.h"
#include "util/cleanup.h"
#include "util/fs.h"

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
	for (const char *p = id; *p; p++) {
		if (!isalnum((unsigned char)*p) && !strchr("_+.-", *p))
			return berth_err_set(err, 0,
					     "invalid container id: %s (only letters, digits and _+.- are allowed)",
					     id);
	}
	return 0;
}

int state_root_open(const char *root, bool create, berth_err **err)
{
	int fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT && create) {
		if (mkdir_p(root, 0700, err) < 0)
			return -1;
		fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
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
	if (remove_tree_at(rootfd, id) < 0)
		return berth_err_set(err, errno, "remove state directory of %s", id);
	return 0;
}

int state_write(int dirfd, const struct container_state *s, berth_err **err)
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
	json_object_object_add(o, "cgroup_path",
			       json_object_new_string(s->cgroup_path ? s->cgroup_path : ""));
	json_object_object_add(o, "systemd_cgroup", json_object_new_boolean(s->systemd_cgroup));
	json_object_object_add(o, "own_pidns", json_object_new_boolean(s->own_pidns));
	json_object_object_add(o, "hooks", json_object_new_int((int)s->hooks));
	txt = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
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

int state_read(int dirfd, struct container_state *s, berth_err **err)
{
	_cleanup_free_ char *txt = NULL;
	json_object *o, *v;
	size_t len;

	memset(s, 0, sizeof(*s));
	txt = read_file_at(dirfd, STATE_FILE, &len, err);
	if (txt == NULL)
		return -1;
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
	if (json_object_object_get_ex(o, "pid_start", &v))
		s->pid_start = json_object_get_uint64(v);
	if (json_object_object_get_ex(o, "systemd_cgroup", &v))
		s->systemd_cgroup = json_object_get_boolean(v);
	if (json_object_object_get_ex(o, "own_pidns", &v))
		s->own_pidns = json_object_get_boolean(v);
	/* Absent in a state from an older berth: assume every hook. */
	s->hooks = STATE_HOOK_POSTSTART | STATE_HOOK_POSTSTOP;
	if (json_object_object_get_ex(o, "hooks", &v))
		s->hooks = (unsigned)json_object_get_int(v);
	json_object_put(o);
	return 0;
}

uint64_t proc_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	char state;
	int fd;
	ssize_t n;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields restart after the last ')' */
	p = strrchr(buf, ')');
	if (p == NULL)
		return 0;
	if (sscanf(p + 2, "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &state, &start) != 2)
		return 0;
	if (state == 'Z' || state == 'X')
		return 0;
	return start;
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
