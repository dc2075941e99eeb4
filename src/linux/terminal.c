/* Pseudo-terminals for containers with process.terminal: creation inside the
 * container, hand-over to the engine through the console socket, and the
 * foreground proxy `run` uses when no console socket is given. */
#include "linux/terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int terminal_open_pty(int *master, int *slave, berth_err **err)
{
	int m = openat(AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	int unlock = 0, s;

	if (m < 0)
		return berth_err_set(err, errno, "open /dev/ptmx");
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0) {
		close(m);
		return berth_err_set(err, errno, "unlock pty");
	}
	s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0) {
		close(m);
		return berth_err_set(err, errno, "open pty slave");
	}
	*master = m;
	*slave = s;
	return 0;
}

int terminal_set_size(int fd, uint32_t height, uint32_t width, berth_err **err)
{
	struct winsize ws = {.ws_row = (unsigned short)height, .ws_col = (unsigned short)width};

	if (ioctl(fd, TIOCSWINSZ, &ws) < 0)
		return berth_err_set(err, errno, "process.consoleSize: set window size");
	return 0;
}

int terminal_connect_socket(const char *path, berth_err **err)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return berth_err_set(err, ENAMETOOLONG, "console socket %s", path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return berth_err_set(err, errno, "console socket %s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		close(fd);
		return berth_err_set(err, e, "connect to console socket %s", path);
	}
	return fd;
}

int terminal_send_fd(int sock, int fd, const char *name, berth_err **err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = (void *)name, .iov_len = strlen(name)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;

	memset(&u, 0, sizeof(u));
	c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		return berth_err_set(err, errno, "send pty master over console socket");
	return 0;
}

int terminal_recv_fd(int sock, berth_err **err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	char name[4096];
	struct iovec iov = {.iov_base = name, .iov_len = sizeof(name)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
			    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c;
	int fd = -1;
	ssize_t r;

	do
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return berth_err_set(err, errno, "receive pty master");
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
			memcpy(&fd, CMSG_DATA(c), sizeof(int));
	if (fd < 0)
		return berth_err_set(err, EPROTO, "receive pty master: no fd");
	return fd;
}

int terminal_make_controlling(int slave, berth_err **err)
{
	if (setsid() < 0)
		return berth_err_set(err, errno, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return berth_err_set(err, errno, "set controlling terminal");
	for (int i = 0; i < 3; i++)
		if (dup2(slave, i) < 0)
			return berth_err_set(err, errno, "dup2 pty to %d", i);
	return 0;
}

/* What the process wrote before it exited may still be in the pty: copy it
 * out until the slave side is gone (EIO) or, when some other process keeps
 * it open, until it has been quiet for a moment. */
static void drain(int master, int out_fd)
{
	char buf[8192];

	for (;;) {
		struct pollfd p = {.fd = master, .events = POLLIN};
		ssize_t n;
		int r = poll(&p, 1, 50);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return;
		n = read(master, buf, sizeof(buf));
		if (n <= 0 || write_all(out_fd, buf, (size_t)n) < 0)
			return;
	}
}

int terminal_proxy(int master, int in_fd, int out_fd, int stop_fd, bool (*on_stop)(void *), void *data,
		   berth_err **err)
{
	struct termios saved, raw;
	bool restore = false, in_open = in_fd >= 0;
	char buf[8192];
	int r = 0;

	if (in_fd >= 0 && isatty(in_fd) && tcgetattr(in_fd, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		if (tcsetattr(in_fd, TCSANOW, &raw) == 0)
			restore = true;
	}
	for (;;) {
		struct pollfd p[3] = {{.fd = master, .events = POLLIN},
				      {.fd = in_open ? in_fd : -1, .events = POLLIN},
				      {.fd = stop_fd, .events = POLLIN}};
		ssize_t n;

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			r = berth_err_set(err, errno, "poll terminal");
			break;
		}
		if (p[2].revents & POLLIN) {
			if (on_stop && on_stop(data)) {
				drain(master, out_fd);
				break;
			}
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(master, buf, sizeof(buf));
			if (n <= 0)
				break; /* EIO: every slave fd is closed */
			if (write_all(out_fd, buf, (size_t)n) < 0)
				break;
		}
		if (in_open && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
			n = read(in_fd, buf, sizeof(buf));
			if (n <= 0) {
				in_open = false;
				/* Pass end-of-file on as the terminal's EOF character. */
				if (write(master, "\x04", 1) < 0)
					break;
			} else if (write_all(master, buf, (size_t)n) < 0) {
				break;
			}
		}
	}
	if (restore)
		tcsetattr(in_fd, TCSANOW, &saved);
	return r;
}
