/* Device nodes: mknod (or a bind of the host node in a user namespace),
 * each path resolved inside the root, ownership and mode as configured. */
#include "linux/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux/mount_api.h"
#include "linux/mounts.h"
#include "util/cleanup.h"
#include "util/fs.h"

struct default_dev {
	const char *path;
	unsigned major, minor;
};

static const struct default_dev default_devs[] = {
	{"/dev/null", 1, 3},    {"/dev/zero", 1, 5}, {"/dev/full", 1, 7},
	{"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0},
};

static const struct {
	const char *target, *link;
} default_links[] = {
	{"/proc/self/fd", "/dev/fd"},
	{"/proc/self/fd/0", "/dev/stdin"},
	{"/proc/self/fd/1", "/dev/stdout"},
	{"/proc/self/fd/2", "/dev/stderr"},
	{"pts/ptmx", "/dev/ptmx"},
	{"/proc/kcore", "/dev/core"},
};

/* Opens the parent directory of path inside the root and returns the last
 * component in *name. */
static int open_parent(int rootfd, const char *path, const char **name, berth_err **err)
{
	_cleanup_free_ char *dir = strdup(path);
	char *slash;

	if (dir == NULL)
		return berth_err_set(err, ENOMEM, "%s", path);
	slash = strrchr(dir, '/');
	*name = slash ? path + (slash - dir) + 1 : path;
	if (slash)
		*slash = '\0';
	return mkdir_in_root(rootfd, slash && *dir ? dir : "/", false, 0755, err);
}

static int make_node(int rootfd, const char *path, char type, unsigned major, unsigned minor, mode_t perm,
		     uid_t uid, gid_t gid, bool userns, berth_err **err)
{
	_cleanup_close_ int parent = -1, dirfd = -1;
	const char *name = NULL;
	mode_t fmt;

	switch (type) {
	case 'c':
	case 'u':
		fmt = S_IFCHR;
		break;
	case 'b':
		fmt = S_IFBLK;
		break;
	case 'p':
		fmt = S_IFIFO;
		break;
	default:
		return berth_err_set(err, 0, "%s: unknown device type '%c'", path, type);
	}
	parent = open_parent(rootfd, path, &name, err);
	if (parent < 0)
		return -1;
	/* The O_PATH fd from mkdir_in_root cannot be used with *at calls that
	 * create: reopen it as a directory. */
	dirfd = openat(parent, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return berth_err_set(err, errno, "open parent of %s", path);
	/* The same device already there stays: the directory may be a
	 * volume of the host's (a bind mount, or /dev a symlink into one),
	 * and replacing an entry would delete a host file. Anything else
	 * there is an error, as the spec asks: the container would otherwise
	 * get a file, or another device, where it asked for this one. */
	struct stat st;
	bool placeholder = false;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if ((st.st_mode & S_IFMT) == fmt && (fmt == S_IFIFO || st.st_rdev == makedev(major, minor)))
			return 0;
		/* An empty file is where a user namespace's bind goes (the
		 * one an earlier run left in an image without a /dev mount). */
		placeholder = userns && fmt != S_IFIFO && S_ISREG(st.st_mode) && st.st_size == 0;
		if (!placeholder)
			return berth_err_set(err, EEXIST, "%s exists and is not the device asked for", path);
	}
	if (!userns || fmt == S_IFIFO) {
		/* A fifo has no device number (and glibc refuses one that does
		 * not fit 32 bits, which a -1 wildcard would be). */
		dev_t dev = fmt == S_IFIFO ? 0 : makedev(major, minor);
		/* The umask is 0 here: the mode is exactly perm. */
		if (mknodat(dirfd, name, fmt | (perm & 07777), dev) < 0)
			return berth_err_set(err, errno, "mknod %s", path);
		if ((uid != geteuid() || gid != getegid()) && fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
			return berth_err_set(err, errno, "chown %s", path);
		return 0;
	}
	{
		/* No mknod in a user namespace: bind the host's node. */
		_cleanup_close_ int f = -1, src = -1, dst = -1;
		if (!placeholder) {
			f = openat(dirfd, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
			if (f < 0)
				return berth_err_set(err, errno, "create %s", path);
		}
		dst = openat(dirfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		src = openat(AT_FDCWD, path, O_PATH | O_CLOEXEC);
		if (dst < 0 || src < 0)
			return berth_err_set(err, errno, "bind device %s", path);
		/* The host's node is what the container gets: a regular file
		 * or another device there must not stand in for it. */
		if (fstat(src, &st) < 0)
			return berth_err_set(err, errno, "bind device %s", path);
		if ((st.st_mode & S_IFMT) != fmt || st.st_rdev != makedev(major, minor))
			return berth_err_set(err, 0, "bind device %s: the host's %s is not device %u:%u", path, path,
					     major, minor);
		return mount_bind_fd(src, dst, 0, false, err);
	}
}

static bool listed(const struct oci_linux *l, const char *path)
{
	for (size_t i = 0; l && i < l->n_devices; i++)
		if (strcmp(l->devices[i].path, path) == 0)
			return true;
	return false;
}

/* Whether a mounts entry binds something onto /dev ("/dev", "/dev/",
 * "//dev"): a directory of the host's, whose nodes are not ours to make. */
static bool dev_is_bound(const struct oci_config *c)
{
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct oci_mount *m = &c->mounts[i];
		const char *d = m->destination;
		bool bind = m->type && strcmp(m->type, "bind") == 0;

		if (d == NULL)
			continue;
		while (*d == '/')
			d++;
		if (strncmp(d, "dev", 3) != 0 || strspn(d + 3, "/") != strlen(d + 3))
			continue;
		for (size_t j = 0; j < m->n_options && !bind; j++)
			bind = strcmp(m->options[j], "bind") == 0 || strcmp(m->options[j], "rbind") == 0;
		if (bind)
			return true;
	}
	return false;
}

/* path's part below /dev ("" for /dev itself, repeated and trailing
 * slashes ignored), or NULL when path is not /dev or below it. */
static const char *below_dev(const char *path)
{
	const char *d = path;

	while (*d == '/')
		d++;
	if (strncmp(d, "dev", 3) != 0 || (d[3] != '\0' && d[3] != '/'))
		return NULL;
	d += 3;
	while (*d == '/')
		d++;
	return d;
}

/* Whether rel (below /dev) is name or below it. */
static bool names(const char *rel, const char *name)
{
	size_t l = strlen(name);

	return strncmp(rel, name, l) == 0 && (rel[l] == '\0' || rel[l] == '/');
}

bool devices_prefill_ok(const struct oci_config *c, size_t i)
{
	const struct oci_mount *m = &c->mounts[i];
	const char *rel = m->destination ? below_dev(m->destination) : NULL;

	if (rel == NULL || *rel != '\0' || m->type == NULL || strcmp(m->type, "tmpfs") != 0 || dev_is_bound(c))
		return false;
	/* A default's path in linux.devices is the config's (the symlinks'
	 * too: made first, the node is kept where a link would go). */
	for (size_t k = 0; k < ARRAY_SIZE(default_devs); k++)
		if (listed(c->linux, default_devs[k].path))
			return false;
	for (size_t k = 0; k < ARRAY_SIZE(default_links); k++)
		if (listed(c->linux, default_links[k].link))
			return false;
	for (size_t j = i + 1; j < c->n_mounts; j++) {
		rel = c->mounts[j].destination ? below_dev(c->mounts[j].destination) : NULL;
		if (rel == NULL)
			continue;
		if (*rel == '\0')
			return false;
		for (size_t k = 0; k < ARRAY_SIZE(default_devs); k++)
			if (names(rel, default_devs[k].path + strlen("/dev/")))
				return false;
		for (size_t k = 0; k < ARRAY_SIZE(default_links); k++)
			if (names(rel, default_links[k].link + strlen("/dev/")))
				return false;
	}
	return true;
}

/* The defaults, made in dev (an fd of a fresh /dev directory): nodes, then
 * symlinks. rootfd < 0: no fallback through the root (a detached tmpfs). */
static int make_defaults(int dev, const struct oci_linux *l, bool userns, int rootfd, berth_err **err)
{
	bool owned = geteuid() == 0 && getegid() == 0;
	int r = 0;

	for (size_t i = 0; i < ARRAY_SIZE(default_devs) && r == 0; i++) {
		const char *name = default_devs[i].path + strlen("/dev/");
		if (listed(l, default_devs[i].path))
			continue;
		/* The common case in one call: a fresh /dev (a mount of the
		 * config's), root creating root's nodes with the umask at 0. */
		if (!userns && owned &&
		    mknodat(dev, name, S_IFCHR | 0666, makedev(default_devs[i].major, default_devs[i].minor)) == 0)
			continue;
		if (rootfd < 0)
			return berth_err_set(err, errno, "mknod %s", default_devs[i].path);
		r = make_node(rootfd, default_devs[i].path, 'c', default_devs[i].major, default_devs[i].minor, 0666, 0, 0,
			      userns, err);
	}
	for (size_t i = 0; i < ARRAY_SIZE(default_links) && r == 0; i++) {
		const char *name = default_links[i].link + strlen("/dev/");

		if (strcmp(name, "core") == 0 && access("/proc/kcore", F_OK) < 0)
			continue;
		if (symlinkat(default_links[i].target, dev, name) < 0 && errno != EEXIST)
			r = berth_err_set(err, errno, "symlink %s", default_links[i].link);
	}
	return r;
}

int devices_prefill(int dev)
{
	mode_t old = umask(0);
	int r = make_defaults(dev, NULL, false, -1, NULL);

	umask(old);
	return r;
}

int devices_create(int rootfd, const struct oci_config *c, bool userns, bool prefilled, berth_err **err)
{
	const struct oci_linux *l = c->linux;
	mode_t old;
	int r = 0;

	if (dev_is_bound(c))
		return 0;
	old = umask(0);

	for (size_t i = 0; l && i < l->n_devices && r == 0; i++) {
		const struct oci_device *d = &l->devices[i];
		r = make_node(rootfd, d->path, d->type, (unsigned)d->major, (unsigned)d->minor,
			      d->has_file_mode ? d->file_mode : 0666, d->has_uid ? d->uid : 0,
			      d->has_gid ? d->gid : 0, userns, err);
		if (r < 0)
			berth_err_wrap(err, "linux.devices[%zu]", i);
	}
	/* prefilled: made in the /dev tmpfs before it was attached
	 * (devices_prefill), and nothing mounted over them since. Without a
	 * /dev mount the defaults go into the rootfs's own /dev, as runc and
	 * crun make them: an image's /dev is often empty, and a /dev/ptmx
	 * there must lead to the container's devpts. */
	if (r == 0 && !prefilled) {
		_cleanup_close_ int dev = open_in_root(rootfd, "/dev", O_RDONLY | O_DIRECTORY, 0, err);

		r = dev < 0 ? -1 : make_defaults(dev, l, userns, rootfd, err);
	}
	umask(old);
	return r;
}
