/* Root filesystem switching and the last mount touches. All paths inside the
 * container are opened with RESOLVE_IN_ROOT against "/" once we are in it,
 * and masking checks that its source really is a null device. */
#include "linux/rootfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "linux/mount_api.h"
#include "linux/mount_opts.h"
#include "linux/mounts.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* pivot_root(2) refuses a new root whose parent mount is shared: find the
 * mount holding the rootfs's parent directory and make it private. */
static int make_parent_private(const char *rootfs, berth_err **err)
{
	_cleanup_free_ char *parent = strdup(rootfs);
	char *slash;
	_cleanup_close_ int fd = -1;
	struct statx stx;
	char p[64];

	if (parent == NULL)
		return berth_err_set(err, ENOMEM, "rootfs");
	slash = strrchr(parent, '/');
	if (slash == NULL)
		return 0;
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	/* Walk up to the mount point: a directory whose mount differs from its
	 * parent's, or "/". */
	for (;;) {
		struct statx up;
		_cleanup_free_ char *upath = NULL;
		char *s;

		if (statx(AT_FDCWD, parent, AT_NO_AUTOMOUNT, STATX_MNT_ID, &stx) < 0)
			return berth_err_set(err, errno, "stat %s", parent);
		if (strcmp(parent, "/") == 0)
			break;
		upath = strdup(parent);
		if (upath == NULL)
			return berth_err_set(err, ENOMEM, "rootfs");
		s = strrchr(upath, '/');
		if (s == upath)
			s[1] = '\0';
		else
			*s = '\0';
		if (statx(AT_FDCWD, upath, AT_NO_AUTOMOUNT, STATX_MNT_ID, &up) < 0)
			return berth_err_set(err, errno, "stat %s", upath);
		if (up.stx_mnt_id != stx.stx_mnt_id)
			break;
		strcpy(parent, upath);
	}
	fd = openat(AT_FDCWD, parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return berth_err_set(err, errno, "open %s", parent);
	if (mount(NULL, fd_path(fd, p, sizeof(p)), NULL, MS_PRIVATE, NULL) < 0 && errno != EINVAL)
		return berth_err_set(err, errno, "make %s private", parent);
	return 0;
}

int rootfs_prepare(const char *rootfs, const char *propagation, bool own_mntns, berth_err **err)
{
	unsigned long prop = MS_SLAVE | MS_REC;
	int fd;

	if (propagation && *propagation) {
		prop = mount_propagation_from_name(propagation);
		if (prop == 0)
			return berth_err_set(err, 0, "linux.rootfsPropagation: unknown value \"%s\"", propagation);
	}
	/* In the host's mount namespace nothing above the rootfs is ours to
	 * change: only the bind below is made, and made private. */
	if (own_mntns) {
		if (mount(NULL, "/", NULL, prop, NULL) < 0)
			return berth_err_set(err, errno, "set propagation of /");
		if (make_parent_private(rootfs, err) < 0)
			return -1;
	}
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return berth_err_set(err, errno, "bind rootfs %s", rootfs);
	/* Keeps what the container mounts from propagating to the host's
	 * peers; delete detaches the bind and everything on it at once. */
	if (!own_mntns && mount(NULL, rootfs, NULL, MS_PRIVATE | MS_REC, NULL) < 0)
		return berth_err_set(err, errno, "make rootfs %s private", rootfs);
	fd = openat(AT_FDCWD, rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return berth_err_set(err, errno, "open rootfs %s", rootfs);
	return fd;
}

int rootfs_enter(const char *rootfs, bool no_pivot, bool own_mntns, berth_err **err)
{
	if (chdir(rootfs) < 0)
		return berth_err_set(err, errno, "chdir %s", rootfs);
	if (!own_mntns) {
		/* pivot_root would change the root of every process of the
		 * host's namespace: only this one moves. */
		if (chroot(".") < 0)
			return berth_err_set(err, errno, "chroot %s", rootfs);
	} else if (no_pivot) {
		if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
			return berth_err_set(err, errno, "move rootfs to /");
		if (chroot(".") < 0)
			return berth_err_set(err, errno, "chroot");
	} else {
		_cleanup_close_ int oldroot = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (oldroot < 0)
			return berth_err_set(err, errno, "open /");
		/* pivot_root(".", ".") stacks the old root on top of the new
		 * one; detaching it leaves only the new root, with no
		 * directory needed to hold the old one. */
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return berth_err_set(err, errno, "pivot_root %s", rootfs);
		/* "." is still the new root's directory, below the old root:
		 * a propagation change through it would make every mount of
		 * the container a slave, undoing a bind's "rshared" (a
		 * Kubernetes Bidirectional volume). From the old root's own
		 * directory it reaches only the old root's tree. */
		if (fchdir(oldroot) < 0)
			return berth_err_set(err, errno, "chdir to the old root");
		/* Keep the unmount of the old root from propagating to the host. */
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
			return berth_err_set(err, errno, "make old root slave");
		if (umount2(".", MNT_DETACH) < 0)
			return berth_err_set(err, errno, "detach old root");
	}
	if (chdir("/") < 0)
		return berth_err_set(err, errno, "chdir /");
	return 0;
}

/* The id of the topmost mount on path; -1 with errno on failure. */
static int top_mount_id(const char *path, uint64_t *id)
{
	struct statx stx;

	if (statx(AT_FDCWD, path, AT_NO_AUTOMOUNT | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0)
		return -1;
	if (!(stx.stx_mask & STATX_MNT_ID)) {
		errno = ENOSYS;
		return -1;
	}
	*id = stx.stx_mnt_id;
	return 0;
}

int rootfs_mount_id(const char *rootfs, uint64_t *id, berth_err **err)
{
	if (top_mount_id(rootfs, id) < 0)
		return berth_err_set(err, errno, "stat %s: mount id", rootfs);
	return 0;
}

int rootfs_release_host_mounts(const char *rootfs, uint64_t base_id, berth_err **err)
{
	/* Each pass detaches the topmost mount on the path (with all that is
	 * mounted below it); the bound keeps a mount the container stacked
	 * again and again from holding delete forever. */
	for (int i = 0; i < 64; i++) {
		uint64_t id;

		if (top_mount_id(rootfs, &id) < 0)
			return errno == ENOENT ? 0 : berth_err_set(err, errno, "stat %s: mount id", rootfs);
		if (id == base_id)
			return 0;
		if (umount2(rootfs, MNT_DETACH | UMOUNT_NOFOLLOW) < 0)
			return berth_err_set(err, errno, "unmount %s", rootfs);
	}
	return berth_err_set(err, EBUSY, "unmount %s: mounts keep coming back", rootfs);
}

/* An empty read-only tmpfs, detached, to clone over every masked directory
 * when the container has no spare directory (mount_spare): one superblock
 * a container instead of one a directory (each costs a list_lru
 * registration, and the kernel walks them all whenever any memory cgroup
 * goes away). -1 when the kernel has no fsopen (then each directory gets a
 * tmpfs of its own). */
static int empty_ro_tmpfs(void)
{
	_cleanup_close_ int fs = fsopen("tmpfs", FSOPEN_CLOEXEC);

	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "size", "4k", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "mode", "0555", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -1;
	return fsmount(fs, FSMOUNT_CLOEXEC,
		       MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
}

/* Binds the empty directory src read-only over dst. Private: src's mount
 * may be shared (rootfsPropagation), and a mount made later on src's
 * directory would otherwise propagate over every mask. */
static int mask_bind(int src, int dst, berth_err **err)
{
	_cleanup_close_ int tree = open_tree(src, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	struct mount_attr a = {
		.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
		.propagation = MS_PRIVATE,
	};

	if (tree < 0)
		return berth_err_set(err, errno, "clone mount");
	if (mount_setattr(tree, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
		return berth_err_set(err, errno, "set mount attributes");
	if (move_mount(tree, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return berth_err_set(err, errno, "move mount");
	return 0;
}

static int mask_path(int rootfd, int nullfd, int mask_src, int *emptyfd, const char *path, size_t i,
		     berth_err **err)
{
	/* A symlink is followed, inside the root and never through a /proc
	 * magic link: what it points to is what the path shows (runc masks the
	 * target too). */
	_cleanup_close_ int fd = open_in_root(rootfd, path, O_PATH, 0, NULL);
	struct stat st;
	char p[64];

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return berth_err_set(err, errno, "linux.maskedPaths[%zu]: open %s", i, path);
	}
	if (fstat(fd, &st) < 0)
		return berth_err_set(err, errno, "linux.maskedPaths[%zu]: stat %s", i, path);
	if (S_ISDIR(st.st_mode)) {
		if (mask_src >= 0) {
			berth_err *e = NULL;

			if (mask_bind(mask_src, fd, &e) == 0)
				return 0;
			/* Not clonable after all (a mount made unbindable
			 * since): the tmpfs of the masks' own. */
			berth_err_free(e);
		}
		if (*emptyfd == -2) {
			*emptyfd = empty_ro_tmpfs();
			/* The first directory gets the new mount itself: closing
			 * a mount fd never attached dissolves it, and that
			 * unmount waits for an RCU grace period, milliseconds
			 * when the other CPUs are busy in the kernel. */
			if (*emptyfd >= 0) {
				if (move_mount(*emptyfd, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
					return berth_err_set(err, errno, "linux.maskedPaths[%zu]: mask %s", i, path);
				return 0;
			}
		}
		if (*emptyfd >= 0) {
			if (mount_bind_fd(*emptyfd, fd,
					  MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC,
					  false, err) < 0)
				return berth_err_wrap(err, "linux.maskedPaths[%zu]: mask %s", i, path);
			return 0;
		}
		if (mount("tmpfs", fd_path(fd, p, sizeof(p)), "tmpfs", MS_RDONLY, "size=0k") < 0)
			return berth_err_set(err, errno, "linux.maskedPaths[%zu]: mask %s", i, path);
		return 0;
	}
	if (mount_bind_fd(nullfd, fd, 0, false, err) < 0)
		return berth_err_wrap(err, "linux.maskedPaths[%zu]: mask %s", i, path);
	return 0;
}

static int readonly_path(int rootfd, const char *path, size_t i, berth_err **err)
{
	_cleanup_close_ int fd = open_in_root(rootfd, path, O_PATH, 0, NULL);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return berth_err_set(err, errno, "linux.readonlyPaths[%zu]: open %s", i, path);
	}
	/* Read-only, and nothing else changed: programs under a read-only path
	 * still run, as with runc (which keeps the source's nosuid, nodev and
	 * noexec and adds only ro). */
	if (mount_bind_fd(fd, fd, MOUNT_ATTR_RDONLY, true, err) < 0)
		return berth_err_wrap(err, "linux.readonlyPaths[%zu]: %s", i, path);
	return 0;
}

int rootfs_finalize(const struct oci_config *c, int mask_src, berth_err **err)
{
	const struct oci_linux *l = c->linux;
	_cleanup_close_ int rootfd = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (rootfd < 0)
		return berth_err_set(err, errno, "open /");
	if (l && l->rootfs_propagation) {
		unsigned long prop = mount_propagation_from_name(l->rootfs_propagation);
		if ((prop & ~MS_REC) == MS_SHARED || (prop & ~MS_REC) == MS_SLAVE) {
			if (mount(NULL, "/", NULL, prop, NULL) < 0)
				return berth_err_set(err, errno, "linux.rootfsPropagation: set on /");
		}
	}
	if (l && l->n_masked_paths) {
		_cleanup_close_ int nullfd = open_in_root(rootfd, "/dev/null", O_PATH, 0, err);
		struct stat st;

		if (nullfd < 0)
			return berth_err_wrap(err, "linux.maskedPaths");
		/* Only a real null device may be the mask: a file the image put
		 * at /dev/null would otherwise leak its content. */
		if (fstat(nullfd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
			return berth_err_set(err, 0, "linux.maskedPaths: /dev/null is not the null device");
		_cleanup_close_ int emptyfd = -2; /* -2: not made yet */
		for (size_t i = 0; i < l->n_masked_paths; i++)
			if (mask_path(rootfd, nullfd, mask_src, &emptyfd, l->masked_paths[i], i, err) < 0)
				return -1;
	}
	if (l) {
		for (size_t i = 0; i < l->n_readonly_paths; i++)
			if (readonly_path(rootfd, l->readonly_paths[i], i, err) < 0)
				return -1;
	}
	if (c->root_readonly) {
		struct mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
		if (mount_setattr(rootfd, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
			return berth_err_set(err, errno, "root.readonly: remount / read-only");
	}
	/* Last: nothing can be bound from an unbindable root, and the masked
	 * and read-only paths above are bind mounts of paths in it. */
	if (l && (mount_propagation_from_name(l->rootfs_propagation) & ~MS_REC) == MS_UNBINDABLE &&
	    mount(NULL, "/", NULL, mount_propagation_from_name(l->rootfs_propagation), NULL) < 0)
		return berth_err_set(err, errno, "linux.rootfsPropagation: set on /");
	return 0;
}
