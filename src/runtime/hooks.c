/* Running hooks: fork + execve with the state on a pipe to stdin, output
 * captured for error messages, a pidfd to wait with a timeout. */
#include "runtime/hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/log.h"

static char *const empty_env[] = {NULL};

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int run_one(const struct oci_hook *h, const char *kind, size_t idx, const char *state_json,
		   berth_err **err)
{
	int in[2], out[2], status = 0;
	_cleanup_close_ int pidfd = -1, outr = -1, inw = -1;
	char captured[2048];
	size_t got = 0, off = 0, len = strlen(state_json);
	struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe;
	long deadline;
	pid_t pid;

	if (pipe2(in, O_CLOEXEC) < 0)
		return berth_err_set(err, errno, "hooks.%s[%zu]: pipe", kind, idx);
	if (pipe2(out, O_CLOEXEC) < 0) {
		close(in[0]);
		close(in[1]);
		return berth_err_set(err, errno, "hooks.%s[%zu]: pipe", kind, idx);
	}
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(in[0]), close(in[1]), close(out[0]), close(out[1]);
		return berth_err_set(err, e, "hooks.%s[%zu]: fork", kind, idx);
	}
	if (pid == 0) {
		char *def_args[] = {h->path, NULL};
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(out[1], 2);
		execve(h->path, h->args && h->args[0] ? h->args : def_args, h->env ? h->env : empty_env);
		dprintf(2, "exec %s: %s", h->path, strerror(errno));
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	outr = out[0];
	inw = in[1];
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	/* The timeout counts from the start: the state goes in as the hook
	 * reads it, within the same loop, so one that never reads a state
	 * larger than a pipe holds is still ended on time. */
	deadline = h->has_timeout ? now_ms() + h->timeout * 1000L : -1;
	fcntl(outr, F_SETFL, O_NONBLOCK);
	fcntl(inw, F_SETFL, O_NONBLOCK);
	/* A hook need not read its stdin: one that has exited already must
	 * give EPIPE here, not a SIGPIPE that kills the runtime. */
	sigaction(SIGPIPE, &ign, &old_pipe);
	for (;;) {
		struct pollfd p[3] = {{.fd = pidfd, .events = POLLIN},
				      {.fd = outr, .events = POLLIN},
				      {.fd = inw, .events = POLLOUT}};
		int wait = deadline < 0 ? -1 : (int)(deadline - now_ms());
		int r;

		if (deadline >= 0 && wait <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			sigaction(SIGPIPE, &old_pipe, NULL);
			return berth_err_set(err, ETIMEDOUT, "hooks.%s[%zu] %s: timed out after %d seconds", kind, idx,
					     h->path, h->timeout);
		}
		if (inw >= 0 && off == len) {
			close(inw); /* all written: the hook sees end of file */
			inw = -1;
			continue;
		}
		r = poll(p, 3, wait); /* an fd of -1 is left out by poll */
		if (r < 0 && errno != EINTR)
			break;
		if (inw >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t n = write(inw, state_json + off, len - off);
			if (n > 0) {
				off += (size_t)n;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				if (errno != EPIPE)
					log_debug("hook %s: write state: %s", h->path, strerror(errno));
				off = len;
			}
		}
		if (outr >= 0 && (p[1].revents & (POLLIN | POLLHUP))) {
			char tmp[512];
			ssize_t n = read(outr, tmp, sizeof(tmp));
			if (n > 0) {
				size_t k = (size_t)n < sizeof(captured) - 1 - got ? (size_t)n : sizeof(captured) - 1 - got;
				memcpy(captured + got, tmp, k);
				got += k;
			} else if (n == 0) {
				close(outr);
				outr = -1;
			}
		}
		if (p[0].revents & POLLIN)
			break;
	}
	sigaction(SIGPIPE, &old_pipe, NULL);
	if (waitpid(pid, &status, 0) < 0)
		return berth_err_set(err, errno, "hooks.%s[%zu]: wait", kind, idx);
	captured[got] = '\0';
	while (got > 0 && (captured[got - 1] == '\n' || captured[got - 1] == ' '))
		captured[--got] = '\0';
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		return berth_err_set(err, 0, "hooks.%s[%zu] %s: killed by signal %d%s%s", kind, idx, h->path,
				     WTERMSIG(status), got ? ": " : "", captured);
	return berth_err_set(err, 0, "hooks.%s[%zu] %s: exit status %d%s%s", kind, idx, h->path,
			     WEXITSTATUS(status), got ? ": " : "", captured);
}

int hooks_run(const struct oci_hook_list *list, const char *kind, const char *state_json, berth_err **err)
{
	for (size_t i = 0; i < list->n; i++)
		if (run_one(&list->hooks[i], kind, i, state_json, err) < 0)
			return -1;
	return 0;
}

void hooks_run_warn(const struct oci_hook_list *list, const char *kind, const char *state_json)
{
	for (size_t i = 0; i < list->n; i++) {
		_cleanup_err_ berth_err *e = NULL;
		if (run_one(&list->hooks[i], kind, i, state_json, &e) < 0) {
			_cleanup_free_ char *t = berth_err_text(e);
			log_warn("%s", t);
		}
	}
}
