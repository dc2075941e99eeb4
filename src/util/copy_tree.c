/* Copying a directory tree between two open directories, entry by entry
 * through *at calls with O_NOFOLLOW: what "tmpcopyup" needs to give a fresh
 * tmpfs the content of the image directory it covers. No path is ever
 * resolved from a name the tree holds, so a symlink in it is copied as a
 * symlink and never followed. */
#include "util/copy_tree.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/cleanup.h"

#define COPY_MAX_DEPTH 64

/* The owner, mode and times of st on the entry name in dir (a symlink's own
 * owner; symlinks have no mode). */
static int copy_attrs(int dir, const char *name, const struct stat *st, berth_err **err)
{
	struct timespec ts[2] = {st->st_atim, st->st_mtim};

	if (fchownat(dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0 && errno != EPERM &&
	    errno != EINVAL)
		return berth_err_set(err, errno, "chown %s", name);
	if (!S_ISLNK(st->st_mode) && fchmodat(dir, name, st->st_mode & 07777, 0) < 0)
		return berth_err_set(err, errno, "chmod %s", name);
	utimensat(dir, name, ts, AT_SYMLINK_NOFOLLOW);
	return 0;
}

static int copy_file(int sdir, int ddir, const char *name, const struct stat *st, berth_err **err)
{
	_cleanup_close_ int in = openat(sdir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	_cleanup_close_ int out = -1;
	off_t left = st->st_size;

	if (in < 0)
		return berth_err_set(err, errno, "open %s", name);
	out = openat(ddir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0)
		return berth_err_set(err, errno, "create %s", name);
	while (left > 0) {
		ssize_t n = sendfile(out, in, NULL, left > (1 << 30) ? (size_t)1 << 30 : (size_t)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return berth_err_set(err, errno, "copy %s", name);
		if (n == 0)
			break; /* it shrank meanwhile */
		left -= n;
	}
	return 0;
}

static int copy_dir(int sdir, int ddir, int depth, berth_err **err)
{
	_cleanup_closedir_ DIR *d = NULL;
	int fd = dup(sdir);
	struct dirent *de;

	if (depth > COPY_MAX_DEPTH)
		return berth_err_set(err, ELOOP, "directory tree deeper than %d", COPY_MAX_DEPTH);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return berth_err_set(err, errno, "read directory");
	}
	rewinddir(d);
	while ((errno = 0, de = readdir(d)) != NULL) {
		const char *n = de->d_name;
		struct stat st;
		int r = 0;

		if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0')))
			continue;
		if (fstatat(sdir, n, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return berth_err_set(err, errno, "stat %s", n);
		switch (st.st_mode & S_IFMT) {
		case S_IFDIR: {
			_cleanup_close_ int s = -1, t = -1;
			if (mkdirat(ddir, n, 0700) < 0)
				return berth_err_set(err, errno, "mkdir %s", n);
			s = openat(sdir, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			t = openat(ddir, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (s < 0 || t < 0)
				return berth_err_set(err, errno, "open %s", n);
			if (copy_dir(s, t, depth + 1, err) < 0)
				return berth_err_wrap(err, "%s", n);
			break;
		}
		case S_IFREG:
			r = copy_file(sdir, ddir, n, &st, err);
			break;
		case S_IFLNK: {
			char target[4096];
			ssize_t len = readlinkat(sdir, n, target, sizeof(target) - 1);
			if (len < 0)
				return berth_err_set(err, errno, "readlink %s", n);
			target[len] = '\0';
			if (symlinkat(target, ddir, n) < 0)
				return berth_err_set(err, errno, "symlink %s", n);
			break;
		}
		case S_IFCHR:
		case S_IFBLK:
		case S_IFIFO:
			if (mknodat(ddir, n, st.st_mode, st.st_rdev) < 0)
				return berth_err_set(err, errno, "mknod %s", n);
			break;
		default:
			continue; /* a socket means nothing without its listener */
		}
		if (r < 0 || copy_attrs(ddir, n, &st, err) < 0)
			return -1;
	}
	if (errno)
		return berth_err_set(err, errno, "read directory");
	return 0;
}

int copy_tree(int src_dir, int dst_dir, berth_err **err)
{
	struct stat st;

	if (copy_dir(src_dir, dst_dir, 0, err) < 0)
		return -1;
	/* The top takes the covered directory's owner and mode too. */
	if (fstat(src_dir, &st) < 0)
		return berth_err_set(err, errno, "stat directory");
	if (fchown(dst_dir, st.st_uid, st.st_gid) < 0 && errno != EPERM && errno != EINVAL)
		return berth_err_set(err, errno, "chown directory");
	if (fchmod(dst_dir, st.st_mode & 07777) < 0)
		return berth_err_set(err, errno, "chmod directory");
	return 0;
}
