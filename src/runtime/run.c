/* run (create + start + wait + delete) and the foreground waiting shared with
 * exec: signal forwarding through a signalfd, terminal proxying, and the
 * shell-style exit status. */
#include "runtime/runtime_internal.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/terminal.h"
#include "util/cleanup.h"
#include "util/log.h"

static const int forwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT, SIGCHLD,
				SIGPIPE, SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU};

void foreground_block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, old);
}

struct fg {
	pid_t pid;
	int sfd;
	int master;
	int status;
	bool done;
};

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

/* Drains the signalfd: returns true once the child has exited. */
static bool handle_signals(void *data)
{
	struct fg *f = data;
	struct signalfd_siginfo si;

	while (read(f->sfd, &si, sizeof(si)) == sizeof(si)) {
		int sig = (int)si.ssi_signo;
		if (sig == SIGCHLD) {
			int st;
			pid_t r;
			while ((r = waitpid(-1, &st, WNOHANG)) > 0) {
				if (r == f->pid) {
					f->status = status_code(st);
					f->done = true;
				}
			}
		} else if (sig == SIGWINCH && f->master >= 0) {
			struct winsize ws;
			if (ioctl(0, TIOCGWINSZ, &ws) == 0 && (ws.ws_row || ws.ws_col))
				ioctl(f->master, TIOCSWINSZ, &ws);
		} else if (sig != SIGPIPE) {
			kill(f->pid, sig);
		}
	}
	return f->done;
}

int foreground_wait(pid_t pid, int master, const sigset_t *old, berth_err **err)
{
	sigset_t set;
	struct fg f = {.pid = pid, .master = master, .status = 255};
	int st;

	sigemptyset(&set);
	for (size_t i = 0; i < ARRAY_SIZE(forwarded); i++)
		sigaddset(&set, forwarded[i]);
	f.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (f.sfd < 0)
		return berth_err_set(err, errno, "signalfd");
	if (master >= 0) {
		struct winsize ws;
		/* The caller's size wins over process.consoleSize, as a later
		 * resize would; a size of 0x0 is no size (a terminal nobody
		 * sized), and keeps the configured one. */
		if (isatty(0) && ioctl(0, TIOCGWINSZ, &ws) == 0 && (ws.ws_row || ws.ws_col))
			ioctl(master, TIOCSWINSZ, &ws);
		terminal_proxy(master, 0, 1, f.sfd, handle_signals, &f, NULL);
	}
	/* The exit may already be there; then keep forwarding until it is. */
	while (!f.done) {
		struct pollfd p = {.fd = f.sfd, .events = POLLIN};
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid) {
			f.status = status_code(st);
			break;
		}
		if (r < 0 && errno == ECHILD)
			break;
		if (poll(&p, 1, -1) < 0 && errno != EINTR)
			break;
		handle_signals(&f);
	}
	close(f.sfd);
	sigprocmask(SIG_SETMASK, old, NULL);
	return f.status;
}

int container_run(const struct runtime_ctx *ctx, const char *id, const struct create_opts *o, int *exit_status,
		  berth_err **err)
{
	struct created c = {
		.pid = -1, .console_master = -1, .start_fifo = -1, .loaded = {.rootfd = -1, .dirfd = -1}};
	int started;
	sigset_t old;

	*exit_status = 0;
	if (!o->detach)
		foreground_block_signals(&old);
	if (runtime_create(ctx, id, o, !o->detach, &c, err) < 0)
		goto fail_mask;
	/* Started straight from what create left (its lock still held, so no
	 * one gets between the two): the state is not read back. */
	started = c.start_fifo >= 0 ? start_begun(&c.loaded, TAKE_FD(c.start_fifo), err)
				    : start_loaded(&c.loaded, err);
	if (started < 0) {
		loaded_close(&c.loaded);
		container_delete(ctx, id, true, NULL);
		if (c.console_master >= 0)
			close(c.console_master);
		goto fail_mask;
	}
	if (o->detach) {
		loaded_close(&c.loaded);
		return 0;
	}
	/* kill, pause, state and the like must not wait for the container. */
	flock(c.loaded.dirfd, LOCK_UN);
	*exit_status = foreground_wait(c.pid, c.console_master, &old, err);
	if (c.console_master >= 0)
		close(c.console_master);
	if (!o->keep) {
		_cleanup_err_ berth_err *e = NULL;
		if (loaded_relock(&c.loaded, id, &e) < 0 || destroy_container(&c.loaded, id, &e) < 0) {
			_cleanup_free_ char *t = berth_err_text(e);
			log_warn("delete %s: %s", id, t);
		}
	}
	loaded_close(&c.loaded);
	return 0;
fail_mask:
	if (!o->detach)
		sigprocmask(SIG_SETMASK, &old, NULL);
	return -1;
}
