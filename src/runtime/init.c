/* The container's side of create and exec, from clone to execve. It reads
 * like the checklist it is: namespaces, mounts, devices, hooks, pivot_root,
 * final mounts, process attributes, wait for start, exec. Any failure is sent
 * to the runtime over the sync socket and the process exits. */
#include "runtime/init.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/cgroup.h"
#include "linux/creds.h"
#include "linux/devices.h"
#include "linux/fds.h"
#include "linux/lsm.h"
#include "linux/mounts.h"
#include "linux/namespaces.h"
#include "linux/rootfs.h"
#include "linux/sealed_exe.h"
#include "linux/sysctl.h"
#include "linux/terminal.h"
#include "runtime/container.h"
#include "runtime/hooks.h"
#include "runtime/sync.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static void reset_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
}

#define CHECK_STEP(c, expr, err)                          \
	do {                                              \
		if ((expr) < 0)                           \
			sync_die((c)->sync_fd, (err));    \
	} while (0)

/* Waits (once) until the runtime has moved this process into the
 * container's cgroup, or made the hierarchies this process then joins
 * itself (cgroup_rest_later), then makes the cgroup namespace rooted there.
 * Called before the first thing that depends on the cgroup: a cgroup mount,
 * the device nodes, the hooks, or the end of the rootfs setup. */
static int await_cgroup(struct init_ctx *c, berth_err **err)
{
	struct sync_msg m;

	if (!c->cgroup_async)
		return 0;
	c->cgroup_async = false;
	if (sync_expect(c->sync_fd, SYNC_CGROUP_DONE, &m, NULL, err) < 0)
		return -1;
	if (c->cgroup_rest_later && cgroup_manager_enter_self_part(c->cg, true, c->cgroup_later_part, err) < 0)
		return -1;
	if (c->late_cgroupns && unshare(CLONE_NEWCGROUP) < 0)
		return berth_err_set(err, errno, "unshare cgroup namespace");
	return 0;
}

/* For the runtime, which makes the prepared mounts (prepare_for_init in
 * create_init.c): a filesystem context (fsopen) for each of them whose
 * filesystem captures a namespace of the opener, opened here, in ours.
 * net: those of the network namespace (sysfs), else the others, and sysfs
 * too when the network namespace is already the container's. Sent as a
 * SYNC_FSCTX each, with none when fsopen fails: the runtime then leaves
 * that mount to us, and we report what fails. The runtime waits for each:
 * a send that fails is an error here. */
static int send_fs_contexts(struct init_ctx *c, bool net, berth_err **err)
{
	const struct oci_config *cfg = c->cfg;
	size_t n = mount_prepared_count(cfg);

	for (size_t i = 0; i < n; i++) {
		int ns = mount_fs_namespace(&cfg->mounts[i]), fd, r;

		if (ns == 0 || (net && ns != CLONE_NEWNET) || (!net && ns == CLONE_NEWNET && c->net_first))
			continue;
		fd = mount_fs_context(&cfg->mounts[i]);
		r = sync_send(c->sync_fd, SYNC_FSCTX, (int32_t)i, NULL, fd);
		if (fd >= 0)
			close(fd);
		if (r < 0)
			return berth_err_set(err, errno, "sync");
	}
	return 0;
}

static int enter_namespaces(struct init_ctx *c, berth_err **err)
{
	struct sync_msg m;

	/* First, as the runtime needs them next: all but those of a network
	 * namespace still to be made. */
	if (c->parent_prepares && send_fs_contexts(c, false, err) < 0)
		return -1;
	/* Charged, like clone's would be, to the runtime's memory cgroup: the
	 * container's is joined right after (create.c, net_in_child). */
	if (c->net_first) {
		if (unshare(CLONE_NEWNET) < 0)
			return berth_err_set(err, errno, "unshare network namespace");
		if (c->parent_prepares && send_fs_contexts(c, true, err) < 0)
			return -1;
		if (await_cgroup(c, err) < 0)
			return -1;
	}
	/* Joins come first, the user namespace among them first of all, so
	 * that namespaces created next are owned by the right user namespace. */
	for (size_t i = 0; i < c->n_joins; i++) {
		if (setns(c->joins[i].fd, c->joins[i].type) < 0)
			return berth_err_set(err, errno, "join %s namespace", oci_namespace_name(c->joins[i].type));
		close(c->joins[i].fd);
	}
	if (c->unshare_flags & CLONE_NEWUSER) {
		if (unshare(CLONE_NEWUSER) < 0)
			return berth_err_set(err, errno, "unshare user namespace");
		if (sync_send(c->sync_fd, SYNC_USERMAP, getpid(), NULL, -1) < 0)
			return berth_err_set(err, errno, "sync");
		if (sync_expect(c->sync_fd, SYNC_USERMAP_DONE, &m, NULL, err) < 0)
			return -1;
	}
	if ((c->unshare_flags & ~(unsigned long)CLONE_NEWUSER) &&
	    unshare((int)(c->unshare_flags & ~(unsigned long)CLONE_NEWUSER)) < 0)
		return berth_err_set(err, errno, "unshare namespaces");
	if (c->fork_after_unshare) {
		/* A new pid namespace takes effect for children only: the init
		 * is a sibling of this process, child of the runtime itself. */
		pid_t pid = ns_clone(CLONE_PARENT);
		if (pid < 0)
			return berth_err_set(err, errno, "fork into pid namespace");
		if (pid > 0) {
			sync_send(c->sync_fd, SYNC_PID, pid, NULL, -1);
			_exit(0);
		}
	}
	/* Made only once the runtime has moved us into the container's
	 * cgroup, so that cgroup is the namespace's root. */
	if (c->late_cgroupns && !c->cgroup_async && unshare(CLONE_NEWCGROUP) < 0)
		return berth_err_set(err, errno, "unshare cgroup namespace");
	if (c->new_userns) {
		/* Become root of the new user namespace whatever host id it maps. */
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			return berth_err_set(err, errno, "linux.uidMappings: become root in the user namespace "
							 "(is container id 0 mapped?)");
	}
	return 0;
}

/* Steps of the process's own setup that depend on nothing still to come
 * from the runtime, done while the init would otherwise wait for it (a
 * prepared mount the runtime is still making): the bounding set, one
 * prctl and a new set of credentials per capability dropped (38 with
 * runc's spec), and the session keyring. Not when hooks run before the
 * process is prepared (prestart, createRuntime, createContainer): those
 * started from the init get the bounding set and keyring it had, and
 * those of the runtime see that init, as they do otherwise
 * (startContainer hooks run after both, as in runc). A step that fails
 * here is done again at its own place, which reports it. */
static void init_idle_work(struct init_ctx *c)
{
	static const struct oci_caps none = {0, 0, 0, 0, 0};
	const struct oci_hooks *h = &c->cfg->hooks;
	struct pollfd p = {.fd = c->sync_fd, .events = POLLIN};
	berth_err *e = NULL;

	if (c->idle_tried || h->prestart.n || h->create_runtime.n || h->create_container.n)
		return;
	/* Without no_new_privileges the filter comes before the drop, which
	 * it may refuse: that order stays. */
	if (c->seccomp && !c->proc->no_new_privileges)
		return;
	/* Only once the runtime's message is not already there. */
	if (poll(&p, 1, 0) != 0)
		return;
	c->idle_tried = true;
	/* No capabilities object: none at all (init_prepare_process). */
	c->bounding_dropped = caps_drop_bounding(c->proc->caps ? c->proc->caps : &none, c->last_cap, &e) == 0;
	berth_err_free(e);
	if (!c->no_new_keyring && !c->keyring_joined) {
		creds_new_session_keyring();
		c->keyring_joined = true;
	}
}

/* What the runtime made meanwhile (init_ctx.parent_prepares) arrives in
 * the order it is used: the prepared mounts, then the trampoline. */
static int take_prepared(struct init_ctx *c, int32_t what, int *fd, char tag[16], berth_err **err)
{
	struct sync_msg m;

	*fd = -1;
	if (await_cgroup(c, err) < 0)
		return -1;
	/* Not for the trampoline, which the process's preparation may take:
	 * its steps are then in their own order. */
	if (what >= 0)
		init_idle_work(c);
	if (sync_expect(c->sync_fd, SYNC_PREPARED, &m, fd, err) < 0)
		return -1;
	if (m.value != what) {
		if (*fd >= 0)
			close(*fd);
		*fd = -1;
		return berth_err_set(err, EPROTO, "sync: prepared %d where %d was due", m.value, what);
	}
	if (tag)
		snprintf(tag, 16, "%.15s", m.text);
	return 0;
}

/* The trampoline, once, after the mounts: before anything that waits for
 * another message, and before the process is prepared. */
static int take_trampoline(struct init_ctx *c, berth_err **err)
{
	int fd;

	if (!c->parent_prepares || c->prepared_taken)
		return 0;
	c->prepared_taken = true;
	if (take_prepared(c, -1, &fd, NULL, err) < 0)
		return -1;
	if (fd >= 0 && (c->runtime_sealed || c->trampoline_fd >= 0))
		close(fd);
	else if (fd >= 0)
		c->trampoline_fd = fd;
	return 0;
}

static bool is_cgroup_mount(const struct oci_mount *m)
{
	return m->type && (strcmp(m->type, "cgroup") == 0 || strcmp(m->type, "cgroup2") == 0);
}

static char *state_json_for_hooks(struct init_ctx *c, pid_t host_pid, const char *status)
{
	const struct oci_config *cfg = c->cfg;
	struct container_info i = {
		.id = (char *)c->id,
		.pid = host_pid,
		.status = (char *)status,
		.bundle = (char *)c->bundle,
		.rootfs = (char *)c->rootfs,
		.annotations = cfg->annotations,
		.n_annotations = cfg->n_annotations,
	};
	return container_info_json(&i, true);
}

static int setup_rootfs(struct init_ctx *c, pid_t *host_pid, berth_err **err)
{
	const struct oci_config *cfg = c->cfg;
	const struct oci_hooks *h = &cfg->hooks;
	_cleanup_close_ int rootfd = -1;
	bool devices_prefilled = false, prepared_end = false;
	size_t n_prepared = c->parent_prepares ? mount_prepared_count(cfg) : 0;

	rootfd = rootfs_prepare(c->rootfs, cfg->linux ? cfg->linux->rootfs_propagation : NULL, c->has_mountns, err);
	if (rootfd < 0)
		return -1;
	c->menv.rootfd = rootfd;
	c->spare.fd = -1;
	c->spare.n_tmpfs = 0;
	c->menv.spare = cfg->linux && cfg->linux->n_masked_paths ? &c->spare : NULL;
	for (size_t i = 0; i < cfg->n_mounts; i++) {
		if (is_cgroup_mount(&cfg->mounts[i]) && await_cgroup(c, err) < 0)
			return -1;
		if (c->parent_prepares && !prepared_end && i < n_prepared) {
			char tag[16];

			if (take_prepared(c, (int32_t)i, &c->menv.prepared_fd, tag, err) < 0)
				return -1;
			/* None: the runtime could not make it, and sends no more
			 * mounts (prepare_for_init): the rest are ours. */
			prepared_end = c->menv.prepared_fd < 0;
			c->menv.prepared_bound = strcmp(tag, "bound") == 0;
			/* Only a tmpfs at /dev that no later mount covers is
			 * prefilled (devices_prefill_ok). */
			if (strcmp(tag, "devices") == 0)
				devices_prefilled = true;
		}
		if (mount_apply(&c->menv, &cfg->mounts[i], i, err) < 0)
			return -1;
		if (c->menv.prepared_fd >= 0) {
			close(c->menv.prepared_fd);
			c->menv.prepared_fd = -1;
		}
	}
	/* Device nodes are made under the container's device rules. */
	if (await_cgroup(c, err) < 0)
		return -1;
	if (devices_create(rootfd, cfg, c->new_userns, devices_prefilled, err) < 0)
		return -1;
	if (c->proc && c->proc->cwd) {
		int fd = mkdir_in_root(rootfd, c->proc->cwd, false, 0755, err);
		if (fd < 0)
			return berth_err_wrap(err, "process.cwd");
		close(fd);
	}
	if (cfg->linux && sysctl_apply(cfg->linux, err) < 0)
		return -1;
	if (cfg->hostname && *cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
		return berth_err_set(err, errno, "hostname: sethostname");
	if (cfg->domainname && *cfg->domainname && setdomainname(cfg->domainname, strlen(cfg->domainname)) < 0)
		return berth_err_set(err, errno, "domainname: setdomainname");
	if (await_cgroup(c, err) < 0)
		return -1;
	if (h->prestart.n || h->create_runtime.n || h->create_container.n || h->start_container.n) {
		struct sync_msg m;
		if (take_trampoline(c, err) < 0)
			return -1;
		if (sync_send(c->sync_fd, SYNC_RUNTIME_HOOKS, 0, NULL, -1) < 0)
			return berth_err_set(err, errno, "sync");
		if (sync_expect(c->sync_fd, SYNC_HOOKS_DONE, &m, NULL, err) < 0)
			return -1;
		*host_pid = m.value;
	}
	if (h->create_container.n) {
		_cleanup_free_ char *st = state_json_for_hooks(c, *host_pid, "created");
		if (hooks_run(&h->create_container, "createContainer", st, err) < 0)
			return -1;
	}
	if (rootfs_enter(c->rootfs, c->no_pivot, c->has_mountns, err) < 0)
		return -1;
	return 0;
}

static int find_executable(const char *name, char *const *env, char *out, size_t size, berth_err **err)
{
	const char *path = DEFAULT_PATH;
	struct stat st;

	if (strchr(name, '/')) {
		if (stat(name, &st) < 0)
			return berth_err_set(err, errno, "exec: \"%s\": stat", name);
		if (!S_ISREG(st.st_mode) || access(name, X_OK) < 0)
			return berth_err_set(err, EACCES, "exec: \"%s\"", name);
		snprintf(out, size, "%s", name);
		return 0;
	}
	for (char *const *e = env; e && *e; e++)
		if (strncmp(*e, "PATH=", 5) == 0)
			path = *e + 5;
	while (*path) {
		const char *end = strchrnul(path, ':');
		int n = (int)(end - path);

		snprintf(out, size, "%.*s/%s", n ? n : 1, n ? path : ".", name);
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
		path = *end ? end + 1 : end;
	}
	return berth_err_set(err, 0, "exec: \"%s\": executable file not found in $PATH", name);
}

/* The home directory of uid in the container's /etc/passwd, "/" if none. */
static void home_of(uid_t uid, char *out, size_t size)
{
	_cleanup_fclose_ FILE *f = fopen("/etc/passwd", "re");
	char line[1024];

	snprintf(out, size, "/");
	while (f && fgets(line, sizeof(line), f)) {
		char *fields[7] = {0}, *save = NULL, *tok = line;
		int n = 0;

		/* name:pw:uid:gid:gecos:home:shell, empty fields allowed */
		while (n < 7 && (fields[n] = strsep(&tok, ":\n")) != NULL)
			n++;
		(void)save;
		if (n >= 6 && fields[2] && strtoul(fields[2], NULL, 10) == uid && fields[5] && *fields[5]) {
			snprintf(out, size, "%s", fields[5]);
			return;
		}
	}
}

/* Whether env entries a and b set the same variable. */
static bool same_key(const char *a, const char *b)
{
	size_t k = strcspn(a, "=");

	return strncmp(a, b, k) == 0 && b[k] == '=';
}

/* process.env with a variable set twice kept once, at its last value (as
 * runc: getenv would return the first), plus HOME from the container's
 * passwd when it is not set or empty (what runc and shells expect). */
static char **build_env(const struct oci_process *p)
{
	size_t n = 0, k = 0;
	bool home = false;
	char **env;
	char dir[512];

	for (char **e = p->env; e && *e; e++)
		n++;
	env = calloc(n + 2, sizeof(char *));
	if (env == NULL)
		return p->env;
	for (size_t i = 0; i < n; i++) {
		bool later = false;

		for (size_t j = i + 1; j < n && !later; j++)
			later = same_key(p->env[i], p->env[j]);
		/* An empty HOME counts as none, as in runc: it gets the
		 * passwd entry's. */
		if (later || strcmp(p->env[i], "HOME=") == 0)
			continue;
		home = home || strncmp(p->env[i], "HOME=", 5) == 0;
		env[k++] = p->env[i];
	}
	if (!home) {
		home_of(p->user.uid, dir, sizeof(dir));
		if (asprintf(&env[k], "HOME=%s", dir) < 0)
			env[k] = NULL;
	}
	return env;
}

/* The init's terminal, right after pivot_root and before the masked paths
 * and a read-only root: a pty of the container's devpts, bound over its
 * /dev/console (made as an empty file if missing, as runc does). */
static int open_init_terminal(struct init_ctx *c, berth_err **err)
{
	const struct oci_process *p = c->proc;
	_cleanup_close_ int master = -1, slave = -1, root = -1, dst = -1;
	struct stat st;

	if (terminal_open_pty(&master, &slave, err) < 0)
		return -1;
	if (p->has_console_size && terminal_set_size(slave, p->console_height, p->console_width, err) < 0)
		return -1;
	root = openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return berth_err_set(err, errno, "open /");
	/* A link there is not followed: the console goes at /dev/console. */
	dst = open_in_root(root, "/dev/console", O_PATH | O_NOFOLLOW, 0, NULL);
	if (dst < 0 && errno == ENOENT)
		dst = mkdir_in_root(root, "/dev/console", true, 0666, err);
	if (dst < 0)
		return berth_err_wrap(err, "process.terminal: /dev/console");
	if (fstat(dst, &st) < 0 || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode)))
		return berth_err_set(err, 0, "process.terminal: /dev/console is neither a file nor a device");
	if (mount_bind_fd(slave, dst, 0, false, err) < 0)
		return berth_err_wrap(err, "process.terminal: bind /dev/console");
	c->pty_master = TAKE_FD(master);
	c->pty_slave = TAKE_FD(slave);
	return 0;
}

static int setup_terminal(struct init_ctx *c, berth_err **err)
{
	const struct oci_process *p = c->proc;
	_cleanup_close_ int master = TAKE_FD(c->pty_master), slave = TAKE_FD(c->pty_slave);

	/* exec: a pty of the container's, no console to bind. */
	if (master < 0) {
		if (terminal_open_pty(&master, &slave, err) < 0)
			return -1;
		if (p->has_console_size && terminal_set_size(slave, p->console_height, p->console_width, err) < 0)
			return -1;
	}
	if (c->console_fd >= 0) {
		if (terminal_send_fd(c->console_fd, master, "/dev/ptmx", err) < 0)
			return -1;
		close(c->console_fd);
		c->console_fd = -1;
	}
	if (terminal_make_controlling(slave, err) < 0)
		return -1;
	return 0;
}

int init_prepare_process(struct init_ctx *c, const char **path, berth_err **err)
{
	static char exe[4096];
	const struct oci_process *p = c->proc;
	/* No capabilities object: none at all, as runc has it (not all of the
	 * runtime's). */
	struct oci_caps none = {0, 0, 0, 0, 0};
	const struct oci_caps *caps = p->caps;
	char cwd[4096];
	int keep[5], nkeep = 0;
	struct sync_msg m;
	int listener = -1;

	if (p->terminal && setup_terminal(c, err) < 0)
		return -1;
	/* Without a terminal the process still leaves the caller's session,
	 * as runc's does: it must not keep the caller's controlling terminal,
	 * which /dev/tty would open (to read a password typed there, or push
	 * input into the caller's shell with TIOCSTI). */
	if (!p->terminal && setsid() < 0)
		return berth_err_set(err, errno, "setsid");
	/* While the runtime can still chown: the user's stdio (an engine's
	 * pipes, or the container's pty) becomes the user's own. */
	creds_stdio_give((uid_t)p->user.uid, p->terminal);
	fds_reopen_dev_null();
	if (take_trampoline(c, err) < 0)
		return -1;
	/* Nothing of the runtime except the sync socket and the exec fifo
	 * stays open from here, so no host directory can become the cwd. */
	if (c->sync_fd >= 0)
		keep[nkeep++] = c->sync_fd;
	if (c->fifo_fd >= 0)
		keep[nkeep++] = c->fifo_fd;
	if (c->console_fd >= 0)
		keep[nkeep++] = c->console_fd;
	if (c->trampoline_fd >= 0)
		keep[nkeep++] = c->trampoline_fd;
	if (fds_close_except(3 + c->preserve_fds, keep, (size_t)nkeep, err) < 0)
		return -1;
	if (creds_set_rlimits(p, err) < 0 || creds_set_io_priority(p, err) < 0 || creds_set_scheduler(p, err) < 0)
		return -1;
	if (p->cwd && chdir(p->cwd) < 0)
		return berth_err_set(err, errno, "process.cwd: chdir %s", p->cwd);
	if (getcwd(cwd, sizeof(cwd)) == NULL || cwd[0] != '/')
		return berth_err_set(err, EPERM, "process.cwd: %s is outside the container root", p->cwd);
	/* The executable and the fds before any seccomp filter: a profile
	 * need only allow what the process itself calls, not our stat,
	 * access and close_range (runc looks the path up first too). */
	c->exec_env = build_env(p);
	if (find_executable(p->args[0], p->env, exe, sizeof(exe), err) < 0)
		return -1;
	if (fds_prepare_exec(3 + c->preserve_fds, err) < 0)
		return -1;
	/* The last exec goes through the sealed trampoline unless this process
	 * already runs from a sealed copy of the runtime: what the container
	 * runs then can never resolve /proc/self/exe to the host's binary. */
	if (!c->runtime_sealed && c->trampoline_fd < 0) {
		c->trampoline_fd = sealed_trampoline_open(err);
		if (c->trampoline_fd < 0)
			return berth_err_wrap(err, "process");
	}
	/* Before the capabilities go: the transition is asked for by the
	 * runtime's side, and takes effect at the execve below. */
	if (lsm_apparmor_exec(p->apparmor_profile, err) < 0)
		return -1;
	if (c->seccomp && !p->no_new_privileges &&
	    seccomp_program_load(c->seccomp, &listener, err) < 0)
		return berth_err_wrap(err, "linux.seccomp");
	if (caps == NULL)
		caps = &none;
	if (!c->bounding_dropped && caps_drop_bounding(caps, c->last_cap, err) < 0)
		return -1;
	/* Without process.umask the caller's umask must not leak in: runc
	 * and crun both start the process with 0022, and images expect it. */
	umask(p->user.has_umask ? (mode_t)p->user.umask : 022);
	if (creds_set_user(&p->user, err) < 0)
		return -1;
	if (caps_apply(caps, c->last_cap, err) < 0)
		return -1;
	if (p->no_new_privileges && creds_set_no_new_privs(err) < 0)
		return -1;
	if (c->seccomp && p->no_new_privileges &&
	    seccomp_program_load(c->seccomp, &listener, err) < 0)
		return berth_err_wrap(err, "linux.seccomp");
	if (listener >= 0) {
		if (sync_send(c->sync_fd, SYNC_SECCOMP_FD, 0, NULL, listener) < 0)
			return berth_err_set(err, errno, "send seccomp listener");
		close(listener);
		if (sync_expect(c->sync_fd, SYNC_SECCOMP_DONE, &m, NULL, err) < 0)
			return -1;
	}
	*path = exe;
	return 0;
}

void init_exec(struct init_ctx *c, const char *path)
{
	static char *const empty[] = {NULL};
	const struct oci_process *p = c->proc;
	berth_err *err = NULL;
	char *const *env = c->exec_env ? c->exec_env : p->env ? p->env : empty;

	if (c->trampoline_fd >= 0)
		sealed_trampoline_exec(c->trampoline_fd, path, p->args, env);
	else
		execve(path, p->args, env);
	berth_err_set(&err, errno, "exec %s", p->args[0]);
	if (c->sync_fd >= 0)
		sync_die(c->sync_fd, err);
	{
		char *t = berth_err_text(err);
		dprintf(2, "berth: %s\n", t);
	}
	_exit(127);
}

void init_container(struct init_ctx *c)
{
	const struct oci_config *cfg = c->cfg;
	berth_err *err = NULL;
	struct sync_msg m;
	const char *path = NULL;
	pid_t host_pid = 0;
	char b;

	reset_signals();
	/* Until exec this process is the berth binary: non-dumpable, its
	 * /proc/PID/exe cannot be opened from inside (CVE-2019-5736). */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if (c->cgroup_self)
		CHECK_STEP(c, cgroup_manager_enter_self_part(c->cg, c->cgroup_unified_done, c->cgroup_first_part, &err),
			   err);
	if (c->wait_go)
		CHECK_STEP(c, sync_expect(c->sync_fd, SYNC_GO, &m, NULL, &err), err);
	CHECK_STEP(c, enter_namespaces(c, &err), err);
	CHECK_STEP(c, setup_rootfs(c, &host_pid, &err), err);
	if (c->proc->terminal)
		CHECK_STEP(c, open_init_terminal(c, &err), err);
	CHECK_STEP(c, rootfs_finalize(cfg, c->menv.spare ? c->spare.fd : -1, &err), err);
	if (c->menv.spare && c->spare.fd >= 0) {
		close(c->spare.fd);
		c->spare.fd = -1;
	}
	if (cfg->linux && cfg->linux->has_personality && cfg->linux->personality_domain &&
	    strcmp(cfg->linux->personality_domain, "LINUX32") == 0)
		personality(PER_LINUX32);
	if (!c->no_new_keyring && !c->keyring_joined) {
		creds_new_session_keyring();
		c->keyring_joined = true;
	}
	CHECK_STEP(c, init_prepare_process(c, &path, &err), err);
	CHECK_STEP(c, sync_send(c->sync_fd, SYNC_READY, 0, NULL, -1) < 0 ? berth_err_set(&err, errno, "sync") : 0,
		   err);
	close(c->sync_fd);
	c->sync_fd = -1;
	/* Created: block until `start` writes to the fifo. */
	while (read(c->fifo_fd, &b, 1) < 0 && errno == EINTR)
		;
	/* The fifo stays open (close-on-exec): `start` waits for it to close
	 * at exec, after the startContainer hooks, before poststart. */
	if (cfg->hooks.start_container.n) {
		char *st = state_json_for_hooks(c, host_pid, "created");
		if (hooks_run(&cfg->hooks.start_container, "startContainer", st, &err) < 0) {
			char *t = berth_err_text(err);
			dprintf(2, "berth: %s\n", t);
			_exit(127);
		}
		free(st);
	}
	init_exec(c, path);
}
