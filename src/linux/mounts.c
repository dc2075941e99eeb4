/* Mounting config.json entries safely: destinations are opened inside the
 * root as O_PATH fds; binds use open_tree + mount_setattr + move_mount (the
 * attributes land on the new mount atomically), other filesystems mount(2)
 * onto the pinned destination through its /proc/self/fd magic link. */
#include "linux/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "linux/mount_api.h"
#include "linux/mount_opts.h"
#include "util/cleanup.h"
#include "util/copy_tree.h"
#include "util/fs.h"

/* MOUNT_ATTR_* of MS_* flags, access time aside (see atime_attr). */
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
#ifdef MS_NOSYMFOLLOW
	if (flags & MS_NOSYMFOLLOW)
		a |= MOUNT_ATTR_NOSYMFOLLOW;
#endif
	return a;
}

/* A mount_attr for flags/clear/atime: the atime field is replaced whole
 * (mount_setattr refuses part of it in attr_clr). */
static struct mount_attr make_attr(unsigned long flags, unsigned long clear, enum mount_atime atime)
{
	struct mount_attr a = {.attr_set = attr_from_flags(flags), .attr_clr = attr_from_flags(clear)};

	a.attr_clr &= ~a.attr_set;
	if (atime != MOUNT_ATIME_KEEP) {
		a.attr_clr |= MOUNT_ATTR__ATIME;
		a.attr_set |= atime == MOUNT_ATIME_NOATIME  ? MOUNT_ATTR_NOATIME
			      : atime == MOUNT_ATIME_STRICT ? MOUNT_ATTR_STRICTATIME
							    : MOUNT_ATTR_RELATIME;
	}
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
		/* A recursive bind gets them on every mount it took along:
		 * read-only must not stop at the top. */
		if (mount_setattr(tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a, sizeof(a)) < 0)
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
	struct mount_attr a = make_attr(o->flags, o->clear_flags, o->atime);
	struct mount_attr ra = make_attr(o->rec_flags, o->rec_clear_flags, o->rec_atime);

	src = m->source[0] == '/' ? strdup(m->source) : path_join(env->bundle, m->source);
	if (src == NULL)
		return berth_err_set(err, ENOMEM, "bind");
	if (o->recursive)
		fl |= AT_RECURSIVE;
	tree = open_tree(AT_FDCWD, src, fl);
	if (tree < 0)
		return berth_err_set(err, errno, "bind source %s", src);
	/* The plain attributes on the top mount, then the recursive ones on
	 * the whole subtree: "rro" stays read-only everywhere whatever "rw"
	 * said for the top. */
	if ((a.attr_set || a.attr_clr) && mount_setattr(tree, "", AT_EMPTY_PATH, &a, sizeof(a)) < 0)
		return berth_err_set(err, errno, "set attributes of bind mount %s", src);
	if ((ra.attr_set || ra.attr_clr) &&
	    mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &ra, sizeof(ra)) < 0)
		return berth_err_set(err, errno, "set recursive attributes of bind mount %s", src);
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
/* The flags of a cgroup mount's tmpfs and binds, "ro" aside. */
static unsigned long cgroup_base_flags(const struct mount_opts *o)
{
	return (o->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME)) | MS_NOSUID | MS_NODEV | MS_NOEXEC;
}

/* Binds the container's directory of each hierarchy on its directory in
 * top, a fresh tmpfs (names in it are used directly). Hierarchies without
 * the container's directory are left out. */
static int bind_cgroup_dirs(const struct mount_env *env, int top, berth_err **err)
{
	for (size_t i = 0; i < env->n_cgroups; i++) {
		_cleanup_close_ int tree = -1;
		const char *name = env->cgroups[i].name;

		if (mkdirat(top, name, 0755) < 0 && errno != EEXIST)
			return berth_err_set(err, errno, "mkdir cgroup %s", name);
		tree = open_tree(AT_FDCWD, env->cgroups[i].host_dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (tree < 0)
			continue;
		if (move_mount(tree, "", top, name, MOVE_MOUNT_F_EMPTY_PATH) < 0)
			return berth_err_set(err, errno, "bind cgroup %s", name);
	}
	return 0;
}

/* Linux 6.15 attaches mounts to a detached tree; before, move_mount says
 * EINVAL, and the clone it leaves costs an RCU grace period to drop, so it
 * is not even tried there. */
static bool kernel_attaches_to_detached(void)
{
	struct utsname u;
	unsigned major = 0, minor = 0;

	if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major > 6 || (major == 6 && minor >= 15);
}

static int mount_cgroup_tree_prepare(const struct mount_env *env, const struct oci_mount *m, bool *bound)
{
	struct mount_opts o;
	unsigned long base;
	_cleanup_close_ int fs = -1;
	int top;

	*bound = false;
	if (env->cgroup_v2_only || env->n_cgroups == 0 || mount_opts_parse(m->options, &o, NULL) < 0)
		return -1;
	base = cgroup_base_flags(&o);
	mount_opts_clear(&o);
	if (o.bind)
		return -1; /* a bind, not the tree */
	fs = fsopen("tmpfs", FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "source", "tmpfs", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_SET_STRING, "mode", "755", 0) < 0 ||
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		return -1;
	top = fsmount(fs, FSMOUNT_CLOEXEC, attr_from_flags(base));
	if (top < 0)
		return -1;
	for (size_t i = 0; i < env->n_cgroups; i++)
		if (mkdirat(top, env->cgroups[i].name, 0755) < 0)
			return top; /* the init makes the rest */
	if (!kernel_attaches_to_detached())
		return top;
	/* Binds in a tree nobody uses yet cost the init nothing; a failure
	 * leaves the tree to the init as it is, except the clone, whose drop
	 * (rare: only on errors) waits for a grace period. */
	for (size_t i = 0; i < env->n_cgroups; i++) {
		_cleanup_close_ int tree = open_tree(AT_FDCWD, env->cgroups[i].host_dir,
						      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
		if (tree < 0)
			continue;
		if (move_mount(tree, "", top, env->cgroups[i].name, MOVE_MOUNT_F_EMPTY_PATH) < 0) {
			if (i == 0)
				return top;
			close(top);
			return -1;
		}
	}
	/* Cloned here, in the host's namespace, a bind of a shared mount is
	 * that mount's peer: what the container mounted on it would show on
	 * the host (and keep its cgroup busy). The init's own clones were of
	 * its slave copy: slaves, as these become. */
	{
		struct mount_attr a = {.propagation = MS_SLAVE};
		if (mount_setattr(top, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0) {
			close(top);
			return -1;
		}
	}
	*bound = true;
	return top;
}

/* MS_* flags a fresh mount may carry as a detached one: MOUNT_ATTR_* and
 * "ro", which also goes to the superblock as with mount(2). */
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#define FRESH_FLAGS                                                                                    \
	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NODIRATIME | MS_NOATIME | MS_RELATIME |     \
	 MS_STRICTATIME | MS_NOSYMFOLLOW)

/* Whether m is a tmpfs, devpts, proc, mqueue or sysfs that
 * mount_prepare_fresh can make; *flags
 * gets what mount(2) would have been given. o (zeroed by the caller, who
 * clears it) gets the options. */
static bool fresh_plan(const struct oci_mount *m, struct mount_opts *o, unsigned long *flags)
{
	bool ok;

	if (m->type == NULL ||
	    (strcmp(m->type, "tmpfs") != 0 && strcmp(m->type, "devpts") != 0 && strcmp(m->type, "proc") != 0 &&
	     strcmp(m->type, "mqueue") != 0 && strcmp(m->type, "sysfs") != 0) ||
	    m->n_uid_mappings || m->n_gid_mappings || mount_opts_parse(m->options, o, NULL) < 0)
		return false;
	*flags = ((o->flags | o->rec_flags) & ~o->rec_clear_flags) & ~MS_REMOUNT;
	ok = !o->bind && !o->tmpcopyup && !o->idmap && !(*flags & ~(unsigned long)FRESH_FLAGS) &&
	     (o->data == NULL || strpbrk(o->data, "\"'") == NULL);
	return ok;
}

static bool preparable(const struct oci_config *cfg, size_t i)
{
	struct mount_opts o = {0};
	unsigned long flags;
	bool ok;

	if (cfg->mounts[i].type && strcmp(cfg->mounts[i].type, "cgroup") == 0) {
		for (size_t k = 0; k < i; k++)
			if (cfg->mounts[k].type && strcmp(cfg->mounts[k].type, "cgroup") == 0)
				return false;
		/* A "cgroup" mount with "bind" is a bind: the init's. */
		ok = mount_opts_parse(cfg->mounts[i].options, &o, NULL) == 0 && !o.bind;
		mount_opts_clear(&o);
		return ok;
	}
	ok = fresh_plan(&cfg->mounts[i], &o, &flags);
	mount_opts_clear(&o);
	return ok;
}

size_t mount_prepared_count(const struct oci_config *cfg)
{
	/* Only a prefix of the list: a mount is listed in mountinfo in the
	 * order it was made, and the runtime makes its share first, so a
	 * prepared mount after one the init makes would show out of order
	 * (runtime-tools' "mounts found in order" checks). At most
	 * MOUNTS_PREPARED_MAX: the two sides send each other a message per
	 * mount before reading the other's, which the socket's buffer must
	 * hold. */
	size_t n = 0;

	while (n < cfg->n_mounts && n < MOUNTS_PREPARED_MAX && preparable(cfg, n))
		n++;
	return n;
}

bool mount_prepared_ahead(const struct oci_config *cfg, size_t i)
{
	return i < mount_prepared_count(cfg);
}

/* The atime mode mount(2) makes of flags: relatime unless noatime, and
 * strictatime over both. */
static unsigned long long fresh_attr(unsigned long flags)
{
	unsigned long long a = attr_from_flags(flags);

	if (flags & MS_STRICTATIME)
		return a | MOUNT_ATTR_STRICTATIME;
	if (flags & MS_NOATIME)
		return a | MOUNT_ATTR_NOATIME;
	return a | MOUNT_ATTR_RELATIME;
}

int mount_fs_namespace(const struct oci_mount *m)
{
	if (m->type == NULL)
		return 0;
	if (strcmp(m->type, "proc") == 0)
		return CLONE_NEWPID;
	if (strcmp(m->type, "mqueue") == 0)
		return CLONE_NEWIPC;
	if (strcmp(m->type, "sysfs") == 0)
		return CLONE_NEWNET;
	return 0;
}

int mount_fs_context(const struct oci_mount *m)
{
	return m->type ? fsopen(m->type, FSOPEN_CLOEXEC) : -1;
}

static int mount_prepare_fresh(const struct oci_mount *m, int fsctx)
{
	struct mount_opts o = {0};
	unsigned long flags;
	_cleanup_close_ int fs = fsctx;
	int r = -1;

	if (!fresh_plan(m, &o, &flags))
		goto out;
	if (fs < 0)
		fs = fsopen(m->type, FSOPEN_CLOEXEC);
	if (fs < 0 || fsconfig(fs, FSCONFIG_SET_STRING, "source", m->source ? m->source : m->type, 0) < 0)
		goto out;
	if ((flags & MS_RDONLY) && fsconfig(fs, FSCONFIG_SET_FLAG, "ro", NULL, 0) < 0)
		goto out;
	for (char *save = NULL, *w = o.data ? strtok_r(o.data, ",", &save) : NULL; w;
	     w = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(w, '=');
		int ok;

		if (eq) {
			*eq = '\0';
			ok = fsconfig(fs, FSCONFIG_SET_STRING, w, eq + 1, 0);
		} else {
			ok = fsconfig(fs, FSCONFIG_SET_FLAG, w, NULL, 0);
		}
		if (ok < 0)
			goto out;
	}
	if (fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
		goto out;
	r = fsmount(fs, FSMOUNT_CLOEXEC, fresh_attr(flags));
out:
	mount_opts_clear(&o);
	return r;
}

int mount_prepare(const struct mount_env *env, const struct oci_config *cfg, size_t i, int fsctx, bool *bound)
{
	const struct oci_mount *m = &cfg->mounts[i];

	*bound = false;
	if (i >= cfg->n_mounts || i >= MOUNTS_PREPARED_MAX || !preparable(cfg, i)) {
		if (fsctx >= 0)
			close(fsctx);
		return -1;
	}
	if (m->type && strcmp(m->type, "cgroup") == 0) {
		if (fsctx >= 0)
			close(fsctx);
		return mount_cgroup_tree_prepare(env, m, bound);
	}
	return mount_prepare_fresh(m, fsctx);
}

/* The id of the mount fd is on, 0 when the kernel does not say. */
static uint64_t mount_id_of(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &stx) < 0 || !(stx.stx_mask & STATX_MNT_ID))
		return 0;
	return stx.stx_mnt_id;
}

/* Whether dst, about to be mounted over, is an empty directory of a tmpfs
 * this container's mounts made (sp->tmpfs): nothing of the image's or the
 * host's. Once covered, the container's own mounts show it only to a
 * process that can unmount (or that holds another view of that tmpfs:
 * a bind of the host path of its /dev, open_by_handle_at), which could
 * only put its own files in its own masks. tmpfs counts 20 bytes of size
 * an entry, "." and ".." included: an empty directory is 40. */
static bool spare_candidate(const struct mount_spare *sp, int dst)
{
	struct statx stx;

	if (sp == NULL || sp->fd >= 0 || sp->n_tmpfs == 0)
		return false;
	if (statx(dst, "", AT_EMPTY_PATH, STATX_TYPE | STATX_NLINK | STATX_SIZE | STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID) || !S_ISDIR(stx.stx_mode) || stx.stx_nlink != 2 || stx.stx_size != 40)
		return false;
	for (size_t i = 0; i < sp->n_tmpfs; i++)
		if (sp->tmpfs[i] == stx.stx_mnt_id)
			return true;
	return false;
}

/* Whether mount m (options o) is a tmpfs the masks may take a directory
 * of: a fresh one whose every directory berth makes (no tmpcopyup) and
 * that can be cloned (not unbindable), while no spare is found yet. */
static bool spare_wants(const struct mount_env *env, const char *type, const struct mount_opts *o)
{
	const struct mount_spare *sp = env->spare;

	return sp && sp->fd < 0 && sp->n_tmpfs < sizeof(sp->tmpfs) / sizeof(sp->tmpfs[0]) &&
	       strcmp(type, "tmpfs") == 0 && !o->bind && !o->tmpcopyup && !(o->propagation & MS_UNBINDABLE);
}

/* After a mount was made on *dst: keeps *dst as the spare when it was a
 * candidate, else notes made_id (the mount's id, from the mount itself;
 * 0: none) among the container's tmpfs mounts. */
static void spare_update(const struct mount_env *env, bool candidate, int *dst, uint64_t made_id)
{
	struct mount_spare *sp = env->spare;

	if (candidate) {
		sp->fd = *dst;
		*dst = -1;
	} else if (made_id && sp->fd < 0 && sp->n_tmpfs < sizeof(sp->tmpfs) / sizeof(sp->tmpfs[0])) {
		sp->tmpfs[sp->n_tmpfs++] = made_id;
	}
}

static int mount_cgroup(const struct mount_env *env, const struct oci_mount *m, const struct mount_opts *o,
			int dst, berth_err **err)
{
	char p[64];
	unsigned long ro = o->flags & MS_RDONLY;
	unsigned long base = cgroup_base_flags(o);

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
	{
		_cleanup_close_ int top = -1;
		struct mount_attr a = {.attr_set = attr_from_flags(base | ro)};
		bool bound = false;

		if (env->prepared_fd >= 0) {
			/* Made meanwhile by the runtime: one attach. */
			if (move_mount(env->prepared_fd, "", dst, "",
				       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
				return berth_err_set(err, errno, "mount the cgroup tree");
			top = fcntl(env->prepared_fd, F_DUPFD_CLOEXEC, 0);
			if (top < 0)
				return berth_err_set(err, errno, "dup");
			bound = env->prepared_bound;
		} else {
			if (mount("tmpfs", fd_path(dst, p, sizeof(p)), "tmpfs", base, "mode=755") < 0)
				return berth_err_set(err, errno, "mount tmpfs for cgroup");
			/* Reopen the destination: it is now the tmpfs. */
			top = open_in_root(env->rootfd, m->destination, O_PATH | O_DIRECTORY, 0, err);
			if (top < 0)
				return -1;
		}
		/* The binds get their attributes in one recursive call at the
		 * end: 4 syscalls a hierarchy instead of 9. */
		if (!bound && bind_cgroup_dirs(env, top, err) < 0)
			return -1;
		if (mount_setattr(top, "", AT_EMPTY_PATH | AT_RECURSIVE, &a, sizeof(a)) < 0)
			return berth_err_set(err, errno, "set attributes of the cgroup mounts");
	}
	return 0;
}

/* Files under /proc that lxcfs and the like emulate with a bind: the only
 * places inside /proc a mount may go (runc's list, after CVE-2019-16884,
 * where a mount over /proc/self/attr turned an LSM transition off). */
static const char *const proc_mount_ok[] = {
	"cpuinfo", "diskstats", "meminfo", "stat", "swaps", "uptime", "loadavg", "slabinfo", "net/dev",
	"sys/kernel/ns_last_pid",
};

/* clean (path_clean's) relative to /proc: NULL when it is not under
 * /proc, "" for /proc itself. */
static const char *under_proc(const char *clean)
{
	if (strncmp(clean, "/proc", 5) != 0 || (clean[5] != '\0' && clean[5] != '/'))
		return NULL;
	return clean[5] ? clean + 6 : clean + 5;
}

/* A mount at or inside the container's /proc: /proc itself takes only a
 * procfs, and inside it only the emulated files above. dst is the
 * destination as resolved, to catch a path that reaches procfs through a
 * symlink. */
static int check_proc_destination(const struct oci_mount *m, const char *type, bool bind, int dst,
				  berth_err **err)
{
	_cleanup_free_ char *clean = path_clean(m->destination);
	const char *rel = under_proc(clean);
	struct statfs sf;

	if (rel && *rel == '\0') {
		if (strcmp(type, "proc") == 0)
			return 0;
		if (bind && m->source && statfs(m->source, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC)
			return 0;
		return berth_err_set(err, EPERM, "%s cannot be mounted there: it is not of type proc", m->destination);
	}
	if (rel == NULL && (fstatfs(dst, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC))
		return 0; /* neither named under /proc nor resolved onto procfs */
	for (size_t i = 0; rel && i < ARRAY_SIZE(proc_mount_ok); i++)
		if (strcmp(rel, proc_mount_ok[i]) == 0)
			return 0;
	return berth_err_set(err, EPERM, "%s cannot be mounted there: it is inside /proc", m->destination);
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
	_cleanup_close_ int dst = -1, covered = -1;
	const char *type = m->type ? m->type : "";
	bool as_file = false, candidate = false;
	uint64_t made_id = 0;
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
	/* features lists idmapped mounts as unsupported: a plain mount in
	 * their place would show the files with the wrong owners. */
	if (o.idmap || m->n_uid_mappings || m->n_gid_mappings) {
		berth_err_set(err, EOPNOTSUPP, "mounts[%zu]: idmapped mounts (idmap, uidMappings) are not supported",
			      index);
		goto out;
	}
	if (o.tmpcopyup && strcmp(type, "tmpfs") != 0) {
		berth_err_set(err, 0, "mounts[%zu].options: tmpcopyup is for tmpfs mounts only", index);
		goto out;
	}
	if (o.bind)
		as_file = !source_is_dir(env, m->source);
	dst = mkdir_in_root(env->rootfd, m->destination, as_file, as_file ? 0644 : 0755, err);
	if (dst < 0)
		goto wrap;
	if (check_proc_destination(m, type, o.bind, dst, err) < 0)
		goto wrap;
	candidate = spare_candidate(env->spare, dst);
	if (o.bind) {
		r = mount_bind(env, m, &o, dst, err);
		goto wrap;
	}
	if (strcmp(type, "cgroup") == 0) {
		r = mount_cgroup(env, m, &o, dst, err);
		goto wrap;
	}
	if (o.tmpcopyup) {
		/* The image's directory, before the tmpfs covers it. */
		covered = openat(dst, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (covered < 0) {
			berth_err_set(err, errno, "tmpcopyup: open the directory");
			goto wrap;
		}
	}
	/* Made meanwhile by the runtime (mount_prepare): one attach. */
	if (env->prepared_fd >= 0) {
		if (move_mount(env->prepared_fd, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
			berth_err_set(err, errno, "mount %s", type);
			goto wrap;
		}
		if (spare_wants(env, type, &o))
			made_id = mount_id_of(env->prepared_fd);
		r = apply_propagation(env->rootfd, m->destination, o.propagation, err);
		goto wrap;
	}
	/* A tmpfs the masks may use (mount_spare) is made detached, as the
	 * runtime makes it: its id then comes from the mount itself, not
	 * from a second lookup of the path, which a directory renamed
	 * meanwhile (in a volume another container shares) could send to
	 * another mount. */
	if (spare_wants(env, type, &o)) {
		_cleanup_close_ int fresh = mount_prepare_fresh(m, -1);

		if (fresh >= 0) {
			if (move_mount(fresh, "", dst, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0) {
				berth_err_set(err, errno, "mount %s", type);
				goto wrap;
			}
			made_id = mount_id_of(fresh);
			r = apply_propagation(env->rootfd, m->destination, o.propagation, err);
			goto wrap;
		}
	}
	/* A fresh filesystem has nothing below it: recursive attributes are
	 * plain ones here. */
	if (mount(m->source ? m->source : type, fd_path(dst, p, sizeof(p)), type,
		  ((o.flags | o.rec_flags) & ~o.rec_clear_flags) & ~MS_REMOUNT, o.data) < 0) {
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
	if (covered >= 0) {
		_cleanup_close_ int top = open_in_root(env->rootfd, m->destination, O_RDONLY | O_DIRECTORY, 0, err);
		if (top < 0 || copy_tree(covered, top, err) < 0) {
			berth_err_wrap(err, "tmpcopyup");
			goto wrap;
		}
	}
	r = apply_propagation(env->rootfd, m->destination, o.propagation, err);
wrap:
	if (r == 0 && env->spare)
		spare_update(env, candidate, &dst, made_id);
	if (r < 0)
		berth_err_wrap(err, "mounts[%zu] (%s)", index, m->destination);
out:
	mount_opts_clear(&o);
	return r;
}
