/* File and path helpers shared by every layer: whole-file reads and writes,
 * directory creation, and path resolution that never leaves a given root
 * (openat2 RESOLVE_IN_ROOT). */
#ifndef BERTH_UTIL_FS_H
#define BERTH_UTIL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* Reads all of path (relative to dirfd, AT_FDCWD for cwd) into a new
 * NUL-terminated buffer; *len gets its size when len is not NULL. */
char *read_file_at(int dirfd, const char *path, size_t *len, berth_err **err);

/* Reads all of an open fd from its current position. */
char *read_fd_all(int fd, size_t *len, berth_err **err);

/* Writes buf to path (relative to dirfd) with O_WRONLY|O_CLOEXEC|flags.
 * flags may add O_CREAT|O_TRUNC, then mode is used. */
int write_file_at(int dirfd, const char *path, const void *buf, size_t len, int flags, mode_t mode,
		  berth_err **err);

/* Writes all of buf to fd, retrying on EINTR and short writes. */
int write_all(int fd, const void *buf, size_t len);

/* Writes buf to a temporary file beside path and renames it over path, so that
 * readers see the old or the new content, never a torn one. */
int write_file_atomic_at(int dirfd, const char *path, const void *buf, size_t len, mode_t mode,
			 berth_err **err);

/* mkdir -p: creates path and its parents with mode; existing dirs are fine. */
int mkdir_p(const char *path, mode_t mode, berth_err **err);

/* Opens path resolved inside the directory rootfd as if rootfd were "/":
 * absolute symlinks and ".." can never leave it (openat2 RESOLVE_IN_ROOT,
 * magic links refused). flags are open(2) flags (O_PATH for a handle). */
int open_in_root(int rootfd, const char *path, int flags, mode_t mode, berth_err **err);

/* Creates every missing component of path inside rootfd (directories, and the
 * last one as a directory or, when as_file, an empty file), each step resolved
 * inside the root, and returns an O_PATH|O_CLOEXEC fd to the result. */
int mkdir_in_root(int rootfd, const char *path, bool as_file, mode_t mode, berth_err **err);

/* "/proc/self/fd/N" for fd, in buf (at least 32 bytes). */
const char *fd_path(int fd, char *buf, size_t size);

/* true when path exists (lstat). */
bool path_exists(const char *path);

/* in, lexically cleaned as an absolute path: no "//", "." or "..", no
 * trailing '/' ("" and ".." at the top give "/", as Go's path.Clean).
 * Aborts on out of memory. */
char *path_clean(const char *in);

/* Joins a and b with one '/'. Aborts on out of memory. */
char *path_join(const char *a, const char *b);

#endif
