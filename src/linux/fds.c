/* Closing and marking fds before exec with close_range(2). */
#include "linux/fds.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/log.h"

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int close_range_sys(unsigned first, unsigned last, unsigned flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}

void fds_reserve_preserved(int n)
{
	if (n <= 0)
		return;
	log_move_above(3 + n);
	for (int fd = 3; fd < 3 + n; fd++) {
		int nul;

		if (fcntl(fd, F_GETFD) >= 0)
			continue;
		nul = openat(AT_FDCWD, "/dev/null", O_RDWR);
		if (nul >= 0 && nul != fd) {
			dup2(nul, fd);
			close(nul);
		}
	}
}

int fds_close_except(int lowest, const int *keep, size_t n, berth_err **err)
{
	int sorted[16];
	unsigned from = (unsigned)lowest;

	if (n > 16)
		return berth_err_set(err, E2BIG, "too many fds to keep");
	for (size_t i = 0; i < n; i++)
		sorted[i] = keep[i];
	qsort(sorted, n, sizeof(int), cmp_int);
	for (size_t i = 0; i < n; i++) {
		if (sorted[i] < lowest)
			continue;
		if ((unsigned)sorted[i] > from && close_range_sys(from, (unsigned)sorted[i] - 1, 0) < 0)
			return berth_err_set(err, errno, "close_range");
		from = (unsigned)sorted[i] + 1;
	}
	if (close_range_sys(from, ~0U, 0) < 0)
		return berth_err_set(err, errno, "close_range");
	return 0;
}

/* close_range(2) may be refused after the container's seccomp filter is
 * loaded (profiles older than the call answer EPERM or ENOSYS for it), so
 * the marking falls back to fcntl over /proc/self/fd, as runc does. */
static int cloexec_from_proc(int lowest, berth_err **err)
{
	_cleanup_closedir_ DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (d == NULL)
		return berth_err_set(err, errno, "open /proc/self/fd");
	while ((e = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(e->d_name, &end, 10);
		int fl;

		if (*end != '\0' || end == e->d_name || fd < lowest || fd == dirfd(d))
			continue;
		fl = fcntl((int)fd, F_GETFD);
		if (fl >= 0 && !(fl & FD_CLOEXEC) && fcntl((int)fd, F_SETFD, fl | FD_CLOEXEC) < 0)
			return berth_err_set(err, errno, "mark fd %ld close-on-exec", fd);
	}
	return 0;
}

int fds_prepare_exec(int lowest, berth_err **err)
{
	for (int fd = 3; fd < lowest; fd++) {
		int fl = fcntl(fd, F_GETFD);
		if (fl >= 0 && fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) < 0)
			return berth_err_set(err, errno, "preserve fd %d", fd);
	}
	if (close_range_sys((unsigned)lowest, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
		return 0;
	if (errno != EPERM && errno != ENOSYS && errno != EACCES)
		return berth_err_set(err, errno, "close_range");
	return cloexec_from_proc(lowest, err);
}

static bool is_dev_null(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == makedev(1, 3);
}

void fds_reopen_dev_null(void)
{
	_cleanup_close_ int null = -1;
	struct stat st;

	for (int fd = 0; fd < 3; fd++) {
		if (fstat(fd, &st) < 0 || !is_dev_null(&st))
			continue;
		if (null < 0) {
			null = open("/dev/null", O_RDWR | O_NOFOLLOW | O_CLOEXEC);
			if (null < 0 || fstat(null, &st) < 0 || !is_dev_null(&st))
				return;
		}
		(void)dup2(null, fd);
	}
}
