/* File and path helpers: whole-file I/O, mkdir -p, and in-root resolution.
 * Everything opens with O_CLOEXEC so that nothing leaks into a container. */
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"

char *read_fd_all(int fd, size_t *len, berth_err **err)
{
	/* Most files read here (state, config, cgroup and proc files) fit in
	 * one stack page: read there and allocate the exact size, so that no
	 * page-sized buffer is allocated and freed per file (musl's allocator
	 * maps and unmaps a page for each). */
	char first[4096];
	size_t cap = sizeof(first), n = 0;
	_cleanup_free_ char *buf = NULL;
	char *dst = first;

	for (;;) {
		ssize_t r;
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL) {
				berth_err_set(err, ENOMEM, "read");
				return NULL;
			}
			if (buf == NULL)
				memcpy(nb, first, n);
			buf = dst = nb;
			cap *= 2;
		}
		r = read(fd, dst + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			berth_err_set(err, errno, "read");
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (buf == NULL) {
		buf = malloc(n + 1);
		if (buf == NULL) {
			berth_err_set(err, ENOMEM, "read");
			return NULL;
		}
		memcpy(buf, first, n);
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return TAKE_PTR(buf);
}

char *read_file_at(int dirfd, const char *path, size_t *len, berth_err **err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	char *r;

	if (fd < 0) {
		berth_err_set(err, errno, "open %s", path);
		return NULL;
	}
	r = read_fd_all(fd, len, err);
	if (r == NULL)
		berth_err_wrap(err, "%s", path);
	return r;
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t r = write(fd, p, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += r;
		len -= (size_t)r;
	}
	return 0;
}

int write_file_at(int dirfd, const char *path, const void *buf, size_t len, int flags, mode_t mode,
		  berth_err **err)
{
	_cleanup_close_ int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | flags, mode);

	if (fd < 0)
		return berth_err_set(err, errno, "open %s", path);
	if (write_all(fd, buf, len) < 0)
		return berth_err_set(err, errno, "write %s", path);
	return 0;
}

int write_file_atomic_at(int dirfd, const char *path, const void *buf, size_t len, mode_t mode,
			 berth_err **err)
{
	char tmp[4096];
	int r = snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());

	if (r < 0 || (size_t)r >= sizeof(tmp))
		return berth_err_set(err, ENAMETOOLONG, "%s", path);
	if (write_file_at(dirfd, tmp, buf, len, O_CREAT | O_TRUNC, mode, err) < 0)
		return -1;
	if (renameat(dirfd, tmp, dirfd, path) < 0) {
		int e = errno;
		unlinkat(dirfd, tmp, 0);
		return berth_err_set(err, e, "rename %s", path);
	}
	return 0;
}

int mkdir_p(const char *path, mode_t mode, berth_err **err)
{
	_cleanup_free_ char *p = strdup(path);
	char *s;

	if (p == NULL)
		return berth_err_set(err, ENOMEM, "mkdir %s", path);
	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return berth_err_set(err, errno, "mkdir %s", p);
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return berth_err_set(err, errno, "mkdir %s", p);
	return 0;
}

static int sys_openat2(int dirfd, const char *path, struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

int open_in_root(int rootfd, const char *path, int flags, mode_t mode, berth_err **err)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd, tries = 0;

	while (*path == '/')
		path++;
	if (*path == '\0')
		path = ".";
	/* EAGAIN: a rename somewhere in the filesystem raced the walk. Someone
	 * renaming in a loop (a shared volume) must not hold us forever. */
	do
		fd = sys_openat2(rootfd, path, &how);
	while (fd < 0 && (errno == EINTR || (errno == EAGAIN && ++tries < 128)));
	if (fd < 0)
		return berth_err_set(err, errno, "open %s in container root", path);
	return fd;
}

static int mkdir_in_root_depth(int rootfd, const char *path, bool as_file, mode_t mode, int depth,
			       berth_err **err);

/* The prefix p[0..i) is a dangling symlink inside the root: create what it
 * points to (resolved inside the root) followed by the rest of the path. */
static int follow_dangling(int rootfd, int parent, const char *name, char *p, size_t i, const char *rest,
			   bool as_file, mode_t mode, int depth, berth_err **err)
{
	char target[4096];
	_cleanup_free_ char *np = NULL;
	ssize_t n = readlinkat(parent, name, target, sizeof(target) - 1);
	char *slash;

	if (n < 0)
		return berth_err_set(err, errno, "readlink %s in container root", p);
	target[n] = '\0';
	if (target[0] == '/') {
		if (asprintf(&np, "%s%s", target, rest) < 0)
			return berth_err_set(err, ENOMEM, "%s", p);
	} else {
		p[i] = '\0';
		slash = strrchr(p, '/');
		if (asprintf(&np, "%.*s/%s%s", slash ? (int)(slash - p) : 0, p, target, rest) < 0)
			return berth_err_set(err, ENOMEM, "%s", p);
	}
	return mkdir_in_root_depth(rootfd, np, as_file, mode, depth + 1, err);
}

/* The common case of mkdir_in_root: the parent exists and the last
 * component is simply missing (not a dangling link). Creates it and returns
 * it opened; -2 when the case does not apply and the full walk must decide. */
static int create_last(int rootfd, char *p, bool as_file, mode_t mode, berth_err **err)
{
	_cleanup_close_ int parent = -1;
	char *slash = strrchr(p, '/');
	struct stat st;
	const char *name;

	if (slash == NULL || slash[1] == '\0')
		return -2;
	*slash = '\0';
	parent = open_in_root(rootfd, slash == p ? "/" : p, O_PATH | O_DIRECTORY, 0, NULL);
	*slash = '/';
	name = slash + 1;
	if (parent < 0 || fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 || errno != ENOENT)
		return -2;
	if (as_file) {
		int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, mode);
		if (f < 0 && errno != EEXIST)
			return berth_err_set(err, errno, "create %s in container root", p);
		if (f >= 0)
			close(f);
	} else if (mkdirat(parent, name, mode) < 0 && errno != EEXIST) {
		return berth_err_set(err, errno, "mkdir %s in container root", p);
	}
	/* Resolved again from the root: whatever raced in meanwhile, the
	 * result stays inside it. */
	return open_in_root(rootfd, p, O_PATH, 0, err);
}

static int mkdir_in_root_depth(int rootfd, const char *path, bool as_file, mode_t mode, int depth,
			       berth_err **err)
{
	_cleanup_free_ char *p = strdup(path);
	size_t len;
	int fd;

	if (p == NULL)
		return berth_err_set(err, ENOMEM, "%s", path);
	if (depth > 40)
		return berth_err_set(err, ELOOP, "%s in container root", path);
	fd = open_in_root(rootfd, p, O_PATH, 0, NULL);
	if (fd >= 0 || errno != ENOENT)
		return fd >= 0 ? fd : berth_err_set(err, errno, "open %s in container root", path);
	fd = create_last(rootfd, p, as_file, mode, err);
	if (fd != -2)
		return fd;
	len = strlen(p);
	/* Walk the prefixes, each resolved again from the root, so that a
	 * symlink anywhere in the path is followed as the container would see
	 * it and never out of the root. */
	for (size_t i = 1; i <= len; i++) {
		_cleanup_close_ int parent = -1;
		char saved, *slash;
		const char *name;
		bool last;

		if (i < len && p[i] != '/')
			continue;
		if (p[i - 1] == '/')
			continue;
		last = p[i] == '\0' || strspn(p + i, "/") == len - i;
		saved = p[i];
		p[i] = '\0';
		fd = open_in_root(rootfd, p, O_PATH, 0, NULL);
		if (fd >= 0) {
			if (!last)
				close(fd);
			p[i] = saved;
			if (last)
				return fd;
			continue;
		}
		if (errno != ENOENT)
			return berth_err_set(err, errno, "open %s in container root", p);
		slash = strrchr(p, '/');
		if (slash == NULL || slash == p) {
			parent = open_in_root(rootfd, "/", O_PATH | O_DIRECTORY, 0, err);
			name = slash ? slash + 1 : p;
		} else {
			*slash = '\0';
			parent = open_in_root(rootfd, p, O_PATH | O_DIRECTORY, 0, err);
			*slash = '/';
			name = slash + 1;
		}
		if (parent < 0)
			return -1;
		{
			struct stat st;
			if (fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
				_cleanup_free_ char *rest = NULL;
				/* path (unmodified) holds what follows the link. */
				if (asprintf(&rest, "%s%s", saved ? "/" : "", saved ? path + i + 1 : "") < 0)
					return berth_err_set(err, ENOMEM, "%s", path);
				return follow_dangling(rootfd, parent, name, p, i, rest, as_file, mode, depth, err);
			}
		}
		if (last && as_file) {
			int f = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, mode);
			if (f < 0 && errno != EEXIST)
				return berth_err_set(err, errno, "create %s in container root", p);
			if (f >= 0)
				close(f);
		} else if (mkdirat(parent, name, last ? mode : 0755) < 0 && errno != EEXIST) {
			return berth_err_set(err, errno, "mkdir %s in container root", p);
		}
		fd = open_in_root(rootfd, p, O_PATH, 0, err);
		if (fd < 0)
			return -1;
		p[i] = saved;
		if (last)
			return fd;
		close(fd);
	}
	return berth_err_set(err, EINVAL, "empty path %s", path);
}

int mkdir_in_root(int rootfd, const char *path, bool as_file, mode_t mode, berth_err **err)
{
	return mkdir_in_root_depth(rootfd, path, as_file, mode, 0, err);
}

const char *fd_path(int fd, char *buf, size_t size)
{
	snprintf(buf, size, "/proc/self/fd/%d", fd);
	return buf;
}

bool path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

char *path_clean(const char *in)
{
	size_t n = strlen(in);
	char *out = malloc(n + 2);
	size_t o = 0;
	const char *p = in;

	if (out == NULL)
		berth_abort();
	while (*p) {
		const char *s;
		size_t len;
		while (*p == '/')
			p++;
		s = p;
		while (*p && *p != '/')
			p++;
		len = (size_t)(p - s);
		if (len == 0 || (len == 1 && s[0] == '.'))
			continue;
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, s, len);
		o += len;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return out;
}

/* ------------------------------------------------------- mode and paths */

char *path_join(const char *a, const char *b)
{
	size_t la = strlen(a), lb, slash;
	char *s;

	while (*b == '/')
		b++;
	lb = strlen(b);
	slash = la && a[la - 1] == '/' ? 0 : 1;
	/* On every cgroup and state path: no formatting, one allocation. */
	s = malloc(la + slash + lb + 1);
	if (s == NULL)
		berth_abort();
	memcpy(s, a, la);
	if (slash)
		s[la] = '/';
	memcpy(s + la + slash, b, lb + 1);
	return s;
}
