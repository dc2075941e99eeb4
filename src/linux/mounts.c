/* Mounting config.json entries safely: destinations are opened inside the
 * root as O_PATH fds; binds use open_tree + mount_setattr + move_mount (the
 * attributes land on the new mount atomically), other filesystems mount(2)
 * onto the pinned destination through its /proc/self/fd magic link. */
#include "linux/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux/mount_api.h"
#include "linux/mount_opts.h"
#include "util/cleanup.h"
#include "util/fs.h"

static unsigned long long attr_from_flags(unsigned long flags)
{
	unsigned long long a = 0;

	if (flags & MS_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (flags & MS_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (flags & MS_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (flags & MS_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	if (flags & MS_NODIRATIME)
		a |= MOUNT_ATTR_NODIRATIME;
	if (flags & MS_NOATIME)
		a |= MOUNT_ATTR_NOATIME;
	else if (flags & MS_STRICTATIME)
		a |= MOUNT_ATTR_STRICTATIME;
	else if (flags & MS_RELATIME)
		a |= MOUNT_ATTR_RELATIME;
#ifdef MS_NOSYMFOLLOW
	if (flags & MS_NOSYMFOLLOW)
		a |= MOUNT_ATTR_NOSYMFOLLOW;
#endif
	return a;
}

int mount_bind_fd(int src_fd, int dst_fd, unsigned long long attr_set, bool recursive, berth_err **err)
{
	_cleanup_close_ int tree = -1;
	unsigned int fl = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH;

	if (recursive)
		fl |= AT_RECURSIVE;
	tree = open_tree(src_fd, "", fl);
	if (tree < 0)
		return berth_err_set(err, errno, "clone mount");
	if (attr_set) {
		struct mount_attr a = {.attr_set = attr_set};
		if (attr_set & MOUNT_ATTR__ATIME)
			a.attr_clr = MOUNT_ATTR__ATIME;
		if (mount_setattr(tree, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
			return berth_err_set(err, errno, "set mount attributes");
	}
	if (move_mount(tree, "", dst_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return berth_err_set(err, errno, "move mount");
	return 0;
}

static int apply_propagation(int rootfd, const char *dest, unsigned long prop, berth_err **err)
{
	_cleanup_close_ int fd = -1;
	char p[64];

	if (prop == 0)
		return 0;
	/* Reopen: the earlier fd pins the directory under the new mount. */
	fd = open_in_root(rootfd, dest, O_PATH, 0, err);
	if (fd < 0)
		return -1;
	if (mount(NULL, fd_path(fd, p, sizeof(p)), NULL, prop, NULL) < 0)
		return berth_err_set(err, errno, "set propagation");
	return 0;
}

static int mount_bind(const struct mount_env *env, const struct oci_mount *m, const struct mount_opts *o,
		      int dst, berth_err **err)
{
	_cleanup_close_ int tree = -1;
	_cleanup_free_ char *src = NULL;
	unsigned int fl = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC;
	struct mount_attr a = {0};

	src = m->source[0] == '/' ? strdup(m->source) : path_join(env->bundle, m->source);
	if (src == NULL)
		return berth_err_set(err, ENOMEM, "bind");
	if (o->recursive)
		fl |= AT_RECURSIVE;
	tree = open_tree(AT_FDCWD, src, fl);
	if (tree < 0)
		return berth_err_set(err, errno, "bind source %s", src);
	a.attr_set = attr_from_flags(o->flags);
	a.attr_clr = attr_from_flags(o->clear_flags);
	if (a.attr_set & MOUNT_ATTR__ATIME)
		a.attr_clr |= MOUNT_ATTR__ATIME;
	a.attr_clr &= ~a.attr_set | MOUNT_ATTR__ATIME;
	if (a.attr_set || a.attr_clr) {
		unsigned int sf = AT_EMPTY_PATH | (o->recursive_ro ? AT_RECURSIVE : 0);
		if (mount_setattr(tree, "", sf, &a, sizeof(a)) < 0)
			return berth_err_set(err, errno, "set attributes of bind mount %s", src);
	}
	if (o->propagation) {
		struct mount_attr pa = {.propagation = o->propagation & ~MS_REC};
		if (mount_setattr(tree, "", AT_EMPTY_PATH | ((o->propagation & MS_REC) ? AT_RECURSIVE : 0), &pa,
				  sizeof(pa)) < 0)
			return berth_err_set(err, errno, "set propagation of bind mount %s", src);
	}
	if (move_mount(tree, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return berth_err_set(err, errno, "bind %s", src);
	return 0;
}

/* "cgroup" mounts: on a v2 host a bind of the container's cgroup directory
 * (a fresh cgroup2 only when the container has none); otherwise a tmpfs
 * holding a bind of the container's directory in each hierarchy (what runc
 * shows on v1 and hybrid hosts). */
static int mount_cgroup(const struct mount_env *env, const struct oci_mount *m, const struct mount_opts *o,
			int dst, berth_err **err)
{
	char p[64];
	unsigned long ro = o->flags & MS_RDONLY;
	unsigned long base = (o->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME)) | MS_NOSUID |
			     MS_NODEV | MS_NOEXEC;

	if (env->cgroup_v2_only) {
		/* Inside its cgroup namespace the bind looks the same as a fresh
		 * cgroup2 mount (root "/", the same files), but a fresh mount is
		 * a superblock per container: the kernel scans every cgroup2
		 * superblock at each new mount, and every superblock's lists
		 * whenever any memory cgroup goes away. */
		if (env->n_cgroups == 0 && env->cgroupns &&
		    mount("cgroup2", fd_path(dst, p, sizeof(p)), "cgroup2", base | ro, NULL) == 0)
			return 0;
		if (env->n_cgroups > 0) {
			_cleanup_close_ int s = openat(AT_FDCWD, env->cgroups[0].host_dir, O_PATH | O_CLOEXEC | O_DIRECTORY);
			if (s < 0)
				return berth_err_set(err, errno, "open %s", env->cgroups[0].host_dir);
			return mount_bind_fd(s, dst, attr_from_flags(base | ro), false, err);
		}
		return berth_err_set(err, ENOENT, "no cgroup hierarchy to mount");
	}
	if (mount("tmpfs", fd_path(dst, p, sizeof(p)), "tmpfs", base, "mode=755") < 0)
		return berth_err_set(err, errno, "mount tmpfs for cgroup");
	{
		_cleanup_close_ int top = -1;
		struct mount_attr a = {.attr_set = attr_from_flags(base | ro)};
		/* Reopen the destination: it is now the tmpfs. */
		top = open_in_root(env->rootfd, m->destination, O_PATH | O_DIRECTORY, 0, err);
		if (top < 0)
			return -1;
		/* The tmpfs is ours alone and fresh, so names in it are used
		 * directly; the binds get their attributes in one recursive
		 * call at the end. 4 syscalls a hierarchy instead of 9. */
		for (size_t i = 0; i < env->n_cgroups; i++) {
			_cleanup_close_ int tree = -1;
			const char *name = env->cgroups[i].name;

			if (mkdirat(top, name, 0755) < 0 && errno != EEXIST)
				return berth_err_set(err, errno, "mkdir cgroup %s", name);
			tree = open_tree(AT_FDCWD, env->cgroups[i].host_dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
			if (tree < 0)
				continue; /* a hierarchy without the container's directory */
			if (move_mount(tree, "", top, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
				return berth_err_set(err, errno, "bind cgroup %s", name);
		}
		if (a.attr_set & MOUNT_ATTR__ATIME)
			a.attr_clr = MOUNT_ATTR__ATIME;
		if (mount_setattr(top, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
			return berth_err_set(err, errno, "set attributes of the cgroup mounts");
	}
	return 0;
}

static bool source_is_dir(const struct mount_env *env, const char *source)
{
	_cleanup_free_ char *src = source[0] == '/' ? strdup(source) : path_join(env->bundle, source);
	struct stat st;

	return src == NULL || stat(src, &st) < 0 || S_ISDIR(st.st_mode);
}

int mount_apply(const struct mount_env *env, const struct oci_mount *m, size_t index, berth_err **err)
{
	struct mount_opts o = {0};
	_cleanup_close_ int dst = -1;
	const char *type = m->type ? m->type : "";
	bool as_file = false;
	char p[64];
	int r = -1;

	if (mount_opts_parse(m->options, &o, err) < 0)
		return berth_err_wrap(err, "mounts[%zu].options", index);
	if (strcmp(type, "bind") == 0)
		o.bind = true;
	if (o.bind && m->source == NULL) {
		berth_err_set(err, 0, "mounts[%zu].source: required for a bind mount", index);
		goto out;
	}
	if (o.bind)
		as_file = !source_is_dir(env, m->source);
	dst = mkdir_in_root(env->rootfd, m->destination, as_file, as_file ? 0644 : 0755, err);
	if (dst < 0)
		goto wrap;
	if (o.bind) {
		r = mount_bind(env, m, &o, dst, err);
		goto wrap;
	}
	if (strcmp(type, "cgroup") == 0) {
		r = mount_cgroup(env, m, &o, dst, err);
		goto wrap;
	}
	if (mount(m->source ? m->source : type, fd_path(dst, p, sizeof(p)), type, o.flags & ~MS_REMOUNT,
		  o.data) < 0) {
		int e = errno;
		/* sysfs needs a network namespace of our own user namespace:
		 * without one, fall back to the host's, read-only, as runc does. */
		if (strcmp(type, "sysfs") == 0 && (e == EPERM || e == EBUSY)) {
			_cleanup_close_ int s = openat(AT_FDCWD, "/sys", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (s >= 0 && mount_bind_fd(s, dst, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
							       MOUNT_ATTR_NOEXEC,
						    true, err) == 0) {
				r = 0;
				goto wrap;
			}
		}
		berth_err_set(err, e, "mount %s", type);
		goto wrap;
	}
	r = apply_propagation(env->rootfd, m->destination, o.propagation, err);
wrap:
	if (r < 0)
		berth_err_wrap(err, "mounts[%zu] (%s)", index, m->destination);
out:
	mount_opts_clear(&o);
	return r;
}
