/*
 * floor.c — the benchmark's lower bound: only the kernel work a container
 * start needs, with no config parsing, no state store and no runtime logic.
 *
 *   floor [--cgroups PATH] [--memory-limit BYTES] ROOTFS [CMD [ARG...]]
 *
 * clone()s a child into new mount, pid, uts, ipc and network namespaces; the
 * child makes ROOTFS a mount point (recursive bind), pivot_root()s into it,
 * mounts /proc and execs CMD (default /bin/true). The parent waits for it
 * and exits with its status. With --cgroups PATH the parent also creates
 * PATH in every cgroup hierarchy (each v1 controller mount and the hybrid
 * cgroup2 at /sys/fs/cgroup/unified, or the single cgroup2 tree) and
 * removes the directories it created after the wait; the child is put there
 * the cheapest way the kernel offers: born in the cgroup2 one (clone3 with
 * CLONE_INTO_CGROUP) and moving itself into each v1 one by writing "0" to
 * its `tasks` file, neither of which waits for an RCU grace period as a
 * cgroup.procs write does. --memory-limit sets the memory limit first.
 * Built statically by bench/run.sh.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CGROUP_SUPER_MAGIC
#define CGROUP_SUPER_MAGIC 0x27e0eb
#endif
#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

#define CG_ROOT "/sys/fs/cgroup"
#define MAX_DIRS 256

struct child_args {
	const char *rootfs;
	char **argv;
	int join; /* move into the v1 leaves first */
};

/* struct clone_args up to `cgroup`; <linux/sched.h> clashes with <sched.h>. */
struct floor_clone_args {
	unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
		set_tid, set_tid_size, cgroup;
};
#define FLOOR_CLONE_INTO_CGROUP 0x200000000ULL

/* Directories created under the cgroup mounts, in creation order. */
static char *created[MAX_DIRS];
static int n_created;
/* Leaf directories (one per hierarchy) the child joins. */
static char *leaves[MAX_DIRS];
static int leaf_is_v2[MAX_DIRS];
static int n_leaves;

static void die(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	_exit(127);
}

static int write_file(const char *dir, const char *name, const char *val)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t len = (ssize_t)strlen(val);
	ssize_t n = write(fd, val, (size_t)len);
	int saved = errno;
	close(fd);
	errno = saved;
	return n == len ? 0 : -1;
}

/* cgroup v1 cpuset: a new directory starts with empty cpus and mems and
 * refuses tasks until they are filled in; copy them from the parent. */
static void cpuset_inherit(const char *dir)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	if (strlen(dir) > 4000)
		return;
	for (size_t i = 0; i < 2; i++) {
		char path[4200], val[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return; /* not a cpuset hierarchy */
		ssize_t n = read(fd, val, sizeof(val) - 1);
		close(fd);
		if (n > 1)
			continue; /* already set */
		snprintf(path, sizeof(path), "%s/../%s", dir, files[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(path);
		n = read(fd, val, sizeof(val) - 1);
		close(fd);
		if (n < 0)
			die(path);
		val[n] = '\0';
		if (write_file(dir, files[i], val) < 0)
			die(dir);
	}
}

/* mkdir -p BASE/REL, remembering each directory it made. */
static void mkdir_under(const char *base, const char *rel)
{
	char path[4096];
	size_t blen = (size_t)snprintf(path, sizeof(path), "%s/", base);
	const char *p = rel;
	while (*p == '/')
		p++;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (blen + len + 2 >= sizeof(path)) {
			errno = ENAMETOOLONG;
			die(rel);
		}
		memcpy(path + blen, p, len);
		blen += len;
		path[blen] = '\0';
		if (mkdir(path, 0755) == 0) {
			if (n_created < MAX_DIRS)
				created[n_created++] = strdup(path);
			cpuset_inherit(path);
		} else if (errno != EEXIST) {
			die(path);
		}
		path[blen++] = '/';
		p += len;
		while (*p == '/')
			p++;
	}
	path[blen - 1] = '\0';
	if (n_leaves < MAX_DIRS)
		leaves[n_leaves] = strdup(path);
}

/* Create PATH in every cgroup hierarchy mounted under /sys/fs/cgroup. */
static void cgroups_create(const char *rel)
{
	struct statfs sf;
	if (statfs(CG_ROOT, &sf) < 0)
		die(CG_ROOT);
	if (sf.f_type == CGROUP2_SUPER_MAGIC) {
		mkdir_under(CG_ROOT, rel);
		leaf_is_v2[n_leaves++] = 1;
		return;
	}
	DIR *d = opendir(CG_ROOT);
	if (!d)
		die(CG_ROOT);
	struct dirent *e;
	while ((e = readdir(d))) {
		char dir[4096];
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), CG_ROOT "/%s", e->d_name);
		/* cpu,cpuacct style names and their symlinks: one mount each. */
		if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
			continue;
		if (statfs(dir, &sf) < 0)
			continue;
		if (sf.f_type != CGROUP_SUPER_MAGIC && sf.f_type != CGROUP2_SUPER_MAGIC)
			continue;
		if (n_leaves >= MAX_DIRS)
			break;
		mkdir_under(dir, rel);
		leaf_is_v2[n_leaves++] = sf.f_type == CGROUP2_SUPER_MAGIC;
	}
	closedir(d);
}

static void cgroups_memory_limit(const char *bytes)
{
	/* cgroup2: enable the memory controller in the directories made here
	 * (never in one that existed before), so that the leaf has memory.max. */
	for (int i = 0; i + 1 < n_created; i++) {
		struct statfs sf;
		if (statfs(created[i], &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
			(void)write_file(created[i], "cgroup.subtree_control", "+memory");
	}
	for (int i = 0; i < n_leaves; i++) {
		const char *file = leaf_is_v2[i] ? "memory.max" : "memory.limit_in_bytes";
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", leaves[i], file);
		if (access(path, F_OK) != 0)
			continue;
		if (write_file(leaves[i], file, bytes) < 0)
			die(path);
	}
}

/* In the child: "0" in a v1 `tasks` file moves the writer alone, without
 * the global lock a cgroup.procs write takes. */
static int cgroups_join_self(void)
{
	for (int i = 0; i < n_leaves; i++) {
		if (leaf_is_v2[i])
			continue;
		if (write_file(leaves[i], "tasks", "0") < 0) {
			fprintf(stderr, "floor: join %s: %s\n", leaves[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int v2_leaf_fd(void)
{
	for (int i = 0; i < n_leaves; i++)
		if (leaf_is_v2[i])
			return open(leaves[i], O_PATH | O_DIRECTORY | O_CLOEXEC);
	return -1;
}

static void cgroups_remove(void)
{
	for (int i = n_created - 1; i >= 0; i--)
		if (rmdir(created[i]) < 0)
			fprintf(stderr, "floor: rmdir %s: %s\n", created[i], strerror(errno));
}

static int child_main(struct child_args *a)
{
	if (a->join && cgroups_join_self() < 0)
		_exit(126);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("make / private");
	if (mount(a->rootfs, a->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		die("bind rootfs");
	if (chdir(a->rootfs) < 0)
		die("chdir rootfs");
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		die("pivot_root");
	if (umount2(".", MNT_DETACH) < 0)
		die("umount old root");
	if (chdir("/") < 0)
		die("chdir /");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount /proc");
	execv(a->argv[0], a->argv);
	die(a->argv[0]);
	return 127;
}

static void usage(void)
{
	fprintf(stderr, "usage: floor [--cgroups PATH] [--memory-limit BYTES] ROOTFS [CMD [ARG...]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *cg = NULL, *memlimit = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--cgroups") && i + 1 < argc)
			cg = argv[++i];
		else if (!strcmp(argv[i], "--memory-limit") && i + 1 < argc)
			memlimit = argv[++i];
		else
			usage();
	}
	if (i >= argc)
		usage();
	if (memlimit && !cg)
		usage();

	static char *def_argv[] = { "/bin/true", NULL };
	struct child_args a = {
		.rootfs = argv[i],
		.argv = i + 1 < argc ? &argv[i + 1] : def_argv,
		.join = cg != NULL,
	};
	struct floor_clone_args ca = {
		.flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET,
		.exit_signal = SIGCHLD,
	};
	int cgfd = -1;
	if (cg) {
		cgroups_create(cg);
		if (memlimit)
			cgroups_memory_limit(memlimit);
		cgfd = v2_leaf_fd();
		if (cgfd >= 0) {
			ca.flags |= FLOOR_CLONE_INTO_CGROUP;
			ca.cgroup = (unsigned long long)cgfd;
		}
	}

	pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0)
		die("clone3");
	if (pid == 0)
		_exit(child_main(&a));
	if (cgfd >= 0)
		close(cgfd);

	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (cg)
		cgroups_remove();
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}
