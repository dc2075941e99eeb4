/* Verified procfs access: open, fstatfs == PROC_SUPER_MAGIC, then act. */
#include "linux/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "util/cleanup.h"

int procfs_open(const char *path, int flags, berth_err **err)
{
	struct statfs sfs;
	int fd = openat(AT_FDCWD, path, flags | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return berth_err_set(err, errno, "open %s", path);
	if (fstatfs(fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
		close(fd);
		return berth_err_set(err, EXDEV, "%s is not on procfs", path);
	}
	return fd;
}

int procfs_write(const char *path, const char *value, size_t len, berth_err **err)
{
	_cleanup_close_ int fd = procfs_open(path, O_WRONLY, err);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = write(fd, value, len);
	if (r < 0)
		return berth_err_set(err, errno, "write %s", path);
	if ((size_t)r != len)
		return berth_err_set(err, EIO, "short write to %s", path);
	return 0;
}
