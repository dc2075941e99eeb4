/* The kernel's new mount API (open_tree, move_mount, mount_setattr, fsopen,
 * fsconfig, fsmount) and statx for every libc berth builds with. glibc 2.36
 * declares them in <sys/mount.h> and <sys/stat.h>; musl 1.2.3 has neither,
 * so there they come from the kernel headers with thin syscall wrappers. */
#ifndef BERTH_LINUX_MOUNT_API_H
#define BERTH_LINUX_MOUNT_API_H

#include <sys/mount.h>
#include <sys/stat.h>

#ifndef __GLIBC__
#include <fcntl.h>
#include <linux/mount.h>
#include <linux/stat.h>
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The wrappers keep glibc's names and signatures, so callers do not know
 * which libc they were built with. */
static inline int open_tree(int dfd, const char *path, unsigned int flags)
{
	return (int)syscall(SYS_open_tree, dfd, path, flags);
}

static inline int move_mount(int from_dfd, const char *from_path, int to_dfd, const char *to_path,
			     unsigned int flags)
{
	return (int)syscall(SYS_move_mount, from_dfd, from_path, to_dfd, to_path, flags);
}

static inline int mount_setattr(int dfd, const char *path, unsigned int flags, struct mount_attr *attr,
				size_t size)
{
	return (int)syscall(SYS_mount_setattr, dfd, path, flags, attr, size);
}

static inline int fsopen(const char *fsname, unsigned int flags)
{
	return (int)syscall(SYS_fsopen, fsname, flags);
}

static inline int fsconfig(int fd, unsigned int cmd, const char *key, const void *value, int aux)
{
	return (int)syscall(SYS_fsconfig, fd, cmd, key, value, aux);
}

static inline int fsmount(int fd, unsigned int flags, unsigned int attr_flags)
{
	return (int)syscall(SYS_fsmount, fd, flags, attr_flags);
}

static inline int statx(int dfd, const char *path, int flags, unsigned int mask, struct statx *buf)
{
	return (int)syscall(SYS_statx, dfd, path, flags, mask, buf);
}
#endif

#endif
