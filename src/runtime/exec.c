/* exec: a new process in a running container. The runtime joins the
 * container's pid (and time) namespace for its children, forks, and the
 * child joins every other namespace through a pidfd of the container's init
 * (setns orders user namespace first), then gets the same process setup as
 * the init: cgroup, capabilities, seccomp filter, rlimits, terminal. */
#include "runtime/runtime_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/creds.h"
#include "linux/fds.h"
#include "linux/lsm.h"
#include "linux/namespaces.h"
#include "linux/seccomp.h"
#include "linux/terminal.h"
#include "runtime/init.h"
#include "runtime/sync.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

struct oci_process *container_exec_default_process(const struct runtime_ctx *ctx, const char *id, char **args,
						   berth_err **err)
{
	struct loaded l;
	struct oci_process *p;
	size_t n = 0;

	if (loaded_open(ctx, id, false, true, &l, err) < 0)
		return NULL;
	p = TAKE_PTR(l.cfg->process);
	loaded_close(&l);
	if (p == NULL) {
		berth_err_set(err, 0, "container %s has no process", id);
		return NULL;
	}
	if (args && args[0]) {
		for (char **a = p->args; a && *a; a++)
			free(*a);
		free(p->args);
		while (args[n])
			n++;
		p->args = calloc(n + 1, sizeof(char *));
		for (size_t i = 0; p->args && i < n; i++)
			p->args[i] = strdup(args[i]);
	}
	p->terminal = false;
	return p;
}

/* The namespace types of the container that the exec'd process must join:
 * those that differ from ours. */
static unsigned long namespaces_to_join(pid_t pid)
{
	static const struct {
		int type;
		const char *name;
	} all[] = {
		{CLONE_NEWUSER, "user"}, {CLONE_NEWNS, "mnt"},       {CLONE_NEWNET, "net"},
		{CLONE_NEWIPC, "ipc"},   {CLONE_NEWUTS, "uts"},      {CLONE_NEWCGROUP, "cgroup"},
		{CLONE_NEWPID, "pid"},   {CLONE_NEWTIME, "time"},
	};
	unsigned long flags = 0;

	for (size_t i = 0; i < ARRAY_SIZE(all); i++) {
		char a[64], b[64];
		struct stat sa, sb;
		snprintf(a, sizeof(a), "/proc/%d/ns/%s", (int)pid, all[i].name);
		snprintf(b, sizeof(b), "/proc/self/ns/%s", all[i].name);
		if (stat(a, &sa) < 0)
			continue;
		if (stat(b, &sb) == 0 && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev)
			continue;
		flags |= (unsigned long)all[i].type;
	}
	return flags;
}

__attribute__((noreturn)) static void exec_child(struct init_ctx *ic, int pidfd, unsigned long flags)
{
	berth_err *err = NULL;
	struct sync_msg m;
	const char *path;
	sigset_t none;

	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	/* Before joining anything: still host root in the host's mounts. */
	if (ic->cgroup_self && cgroup_manager_enter_self(ic->cg, ic->cgroup_unified_done, &err) < 0)
		sync_die(ic->sync_fd, err);
	if (sync_expect(ic->sync_fd, SYNC_GO, &m, NULL, &err) < 0)
		_exit(1);
	flags &= ~(unsigned long)(CLONE_NEWPID | CLONE_NEWTIME);
	if (flags && setns(pidfd, (int)flags) < 0) {
		berth_err_set(&err, errno, "join the container's namespaces");
		sync_die(ic->sync_fd, err);
	}
	close(pidfd);
	if (ic->exec_chroot && (fchdir(ic->exec_root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0)) {
		berth_err_set(&err, errno, "enter the container's root");
		sync_die(ic->sync_fd, err);
	}
	if ((flags & CLONE_NEWUSER) && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
		berth_err_set(&err, errno, "become root in the container's user namespace");
		sync_die(ic->sync_fd, err);
	}
	if (init_prepare_process(ic, &path, &err) < 0)
		sync_die(ic->sync_fd, err);
	init_exec(ic, path);
}

int container_exec(const struct runtime_ctx *ctx, const char *id, const struct exec_opts *o, int *exit_status,
		   berth_err **err)
{
	struct loaded l;
	struct init_ctx ic = {0};
	struct seccomp_program prog = {0};
	bool has_prog = false;
	_cleanup_close_ int pidfd = -1, tty_peer = -1, console = -1, own_ns = -1, root_fd = -1;
	_cleanup_free_ char *cache = NULL;
	struct cgroup_manager *cg = NULL;
	int sync[2] = {-1, -1};
	unsigned long flags;
	sigset_t old;
	bool blocked = false;
	pid_t pid = -1;
	int master = -1, r = -1, sealed;
	const struct oci_process *p = o->process;
	struct oci_process pcopy;
	struct oci_caps ccopy;

	*exit_status = 0;
	/* Before anything is opened: none of ours may take a preserved fd's
	 * place (and be handed to the process, or keep the sync socket open). */
	fds_reserve_preserved(o->preserve_fds);
	if (loaded_open(ctx, id, false, true, &l, err) < 0)
		return -1;
	if (strcmp(l.status, "stopped") == 0) {
		berth_err_set(err, 0, "cannot exec in a stopped container");
		goto out;
	}
	if (strcmp(l.status, "paused") == 0 && !o->ignore_paused) {
		berth_err_set(err, 0, "cannot exec in a paused container (use --ignore-paused to override)");
		goto out;
	}
	if (p == NULL || p->args == NULL || p->args[0] == NULL) {
		berth_err_set(err, 0, "process.args: required");
		goto out;
	}
	if (lsm_check(p->apparmor_profile, p->selinux_label, NULL, err) < 0)
		goto out;
	{
		/* The caller's process stays as it was given. What a process file
		 * leaves out comes from the container's process, as with runc:
		 * a file without capabilities must not mean "all of ours". */
		const struct oci_process *cp = l.cfg->process;
		pcopy = *p;
		if (cp && pcopy.caps == NULL)
			pcopy.caps = cp->caps;
		if (cp && pcopy.n_rlimits == 0) {
			pcopy.rlimits = cp->rlimits;
			pcopy.n_rlimits = cp->n_rlimits;
		}
		if (cp && pcopy.apparmor_profile == NULL)
			pcopy.apparmor_profile = cp->apparmor_profile;
		if (cp && cp->no_new_privileges)
			pcopy.no_new_privileges = true;
		if (pcopy.caps) {
			ccopy = *pcopy.caps;
			pcopy.caps = &ccopy;
			caps_leave_out_ungrantable(l.cfg, &ccopy);
		}
		p = &pcopy;
	}
	/* With the capabilities the process really gets (a process file's
	 * missing ones are the container's). */
	sealed = seal_runtime_if_needed(l.cfg, p, err);
	if (sealed < 0)
		goto out;
	ic.runtime_sealed = sealed > 0;
	if (p->terminal && o->detach && o->console_socket == NULL) {
		berth_err_set(err, 0, "cannot allocate tty if berth will detach without setting console socket");
		goto out;
	}
	pidfd = (int)syscall(SYS_pidfd_open, l.st.pid, 0);
	if (pidfd < 0 || !state_pid_alive(&l.st)) {
		berth_err_set(err, ESRCH, "container not running");
		goto out;
	}
	cg = loaded_cgroup(&l, err);
	if (cg == NULL)
		goto out;
	if (l.cfg->linux && l.cfg->linux->seccomp) {
		cache = path_join(ctx->root, STATE_CACHE_DIR "/seccomp");
		if (seccomp_program_build(l.cfg->linux->seccomp, cache, &prog, err) < 0)
			goto out;
		has_prog = true;
	}
	if (o->console_socket) {
		console = terminal_connect_socket(o->console_socket, err);
		if (console < 0)
			goto out;
	} else if (p->terminal) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
			berth_err_set(err, errno, "socketpair");
			goto out;
		}
		tty_peer = sv[0];
		console = sv[1];
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sync) < 0) {
		berth_err_set(err, errno, "socketpair");
		goto out;
	}
	flags = namespaces_to_join(l.st.pid);
	if (!(flags & CLONE_NEWNS)) {
		/* Same mount namespace as ours (a container without one of its
		 * own): the root is all that sets it apart. */
		char rp[64];

		snprintf(rp, sizeof(rp), "/proc/%d/root", (int)l.st.pid);
		root_fd = openat(AT_FDCWD, rp, O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root_fd < 0 || !state_pid_alive(&l.st)) {
			berth_err_set(err, ESRCH, "container not running");
			goto out;
		}
		ic.exec_chroot = true;
		ic.exec_root_fd = root_fd;
	}
	/* pid and time namespaces apply to children: join them here, and go
	 * back right after the fork so nothing else we start lands there. */
	if (flags & (CLONE_NEWPID | CLONE_NEWTIME)) {
		own_ns = (int)syscall(SYS_pidfd_open, getpid(), 0);
		if (setns(pidfd, (int)(flags & (CLONE_NEWPID | CLONE_NEWTIME))) < 0) {
			berth_err_set(err, errno, "join the container's pid namespace");
			goto out;
		}
	}
	ic.cfg = l.cfg;
	ic.proc = p;
	ic.id = id;
	ic.sync_fd = sync[1];
	ic.console_fd = console;
	ic.pty_master = ic.pty_slave = -1;
	ic.trampoline_fd = -1;
	ic.fifo_fd = -1;
	ic.preserve_fds = o->preserve_fds;
	ic.seccomp = has_prog ? &prog : NULL;
	ic.last_cap = caps_last_cap();
	if (!o->detach) {
		foreground_block_signals(&old);
		blocked = true;
	}
	/* Like the init, the process is born in the container's cgroup2 cgroup
	 * and moves itself into the v1 ones, which never waits for an RCU grace
	 * period; a sub-cgroup (--cgroup) is joined by the runtime as before. */
	ic.cg = cg;
	ic.cgroup_self = o->cgroup == NULL || *o->cgroup == '\0';
	/* Not into a frozen cgroup (exec --ignore-paused; on cgroup v2 the
	 * freezer is that very cgroup): a child born frozen could not close
	 * its copy of the locked state dir, and delete would wait forever.
	 * It joins by itself once it has closed it, and freezes then. */
	if (ic.cgroup_self && strcmp(l.status, "paused") != 0) {
		_cleanup_close_ int cgfd = cgroup_manager_open_unified(cg);
		if (cgfd >= 0) {
			ic.cgroup_unified_done = true;
			pid = ns_clone_into(0, cgfd);
		}
	}
	if (pid < 0) {
		ic.cgroup_unified_done = false;
		pid = ns_clone(0);
	}
	if (pid < 0) {
		berth_err_set(err, errno, "fork");
		goto out;
	}
	if (pid == 0) {
		/* Our copy of the locked state dir must not outlive the runtime:
		 * a child frozen by a pause would hold the lock forever. */
		close(l.dirfd);
		close(l.rootfd);
		close(sync[0]);
		if (tty_peer >= 0)
			close(tty_peer);
		exec_child(&ic, pidfd, flags);
	}
	if (own_ns >= 0 && setns(own_ns, (int)(flags & (CLONE_NEWPID | CLONE_NEWTIME))) < 0)
		log_debug("restore pid namespace: %s", strerror(errno));
	close(sync[1]);
	sync[1] = -1;
	if (console >= 0) {
		close(console);
		console = -1;
	}
	if (!ic.cgroup_self && cgroup_manager_add_pid(cg, pid, o->cgroup, err) < 0)
		goto kill;
	/* The process's own oomScoreAdj, else the container's: not ours, which
	 * a shim may have set far below (runc does the same). */
	{
		const struct oci_process *cp = l.cfg->process;
		const struct oci_process *src = p->has_oom_score_adj ? p : cp && cp->has_oom_score_adj ? cp : NULL;
		if (src && creds_set_oom_score_adj(pid, src->oom_score_adj, err) < 0)
			goto kill;
	}
	sync_send(sync[0], SYNC_GO, 0, NULL, -1);
	for (;;) {
		struct sync_msg m;
		int fd = -1;
		if (sync_recv(sync[0], &m, &fd) < 0) {
			if (errno == 0)
				break; /* the socket closed on exec: success */
			berth_err_set(err, errno, "exec");
			goto kill;
		}
		if (m.type == SYNC_ERROR) {
			berth_err_set(err, m.value, "%s", m.text);
			goto kill;
		}
		if (m.type == SYNC_SECCOMP_FD) {
			_cleanup_free_ char *st = loaded_state_json(&l, "running");
			int sr = seccomp_notify_send(l.cfg->linux->seccomp->listener_path, fd, st, err);
			close(fd);
			if (sr < 0)
				goto kill;
			sync_send(sync[0], SYNC_SECCOMP_DONE, 0, NULL, -1);
		} else if (fd >= 0) {
			close(fd);
		}
	}
	if (o->pid_file) {
		char buf[32];
		int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
		if (write_file_atomic_at(AT_FDCWD, o->pid_file, buf, (size_t)n, 0644, err) < 0)
			goto kill;
	}
	if (tty_peer >= 0) {
		master = terminal_recv_fd(tty_peer, err);
		if (master < 0)
			goto kill;
	}
	loaded_close(&l);
	if (has_prog)
		seccomp_program_release(&prog);
	cgroup_manager_free(cg);
	close(sync[0]);
	if (o->detach)
		return 0;
	*exit_status = foreground_wait(pid, master, &old, err);
	if (master >= 0)
		close(master);
	return 0;
kill:
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
out:
	if (blocked)
		sigprocmask(SIG_SETMASK, &old, NULL);
	if (sync[0] >= 0)
		close(sync[0]);
	if (sync[1] >= 0)
		close(sync[1]);
	if (has_prog)
		seccomp_program_release(&prog);
	cgroup_manager_free(cg);
	loaded_close(&l);
	return r;
}
