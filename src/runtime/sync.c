/* Typed messages over a SOCK_SEQPACKET pair between the runtime and the
 * process it is preparing; one datagram per message, fds via SCM_RIGHTS. */
#include "runtime/sync.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int sync_send(int sock, enum sync_type type, int32_t value, const char *text, int fd)
{
	struct sync_msg m = {.type = type, .value = value};
	size_t len = offsetof(struct sync_msg, text);
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov;
	struct msghdr mh = {0};
	ssize_t r;

	if (text) {
		snprintf(m.text, sizeof(m.text), "%s", text);
		len += strlen(m.text) + 1;
	}
	iov.iov_base = &m;
	iov.iov_len = len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (fd >= 0) {
		struct cmsghdr *c;
		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = sizeof(u.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &fd, sizeof(int));
	}
	do
		r = sendmsg(sock, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -1 : 0;
}

int sync_recv(int sock, struct sync_msg *m, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m)};
	struct msghdr mh = {0};
	struct cmsghdr *c;
	ssize_t r;
	bool reset = false;

	if (fd)
		*fd = -1;
	memset(m, 0, sizeof(*m));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	/* A peer that exits with our messages unread leaves ECONNRESET,
	 * reported (once) before what it sent last, typically its error
	 * report: read on after it. */
	for (;;) {
		r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
		if (r >= 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno == ECONNRESET && !reset) {
			reset = true;
			continue;
		}
		return -1;
	}
	if (r == 0) {
		errno = 0;
		return -1;
	}
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			int got;
			memcpy(&got, CMSG_DATA(c), sizeof(int));
			if (fd && *fd < 0)
				*fd = got;
			else
				close(got);
		}
	}
	m->text[SYNC_TEXT_MAX - 1] = '\0';
	return 0;
}

int sync_expect(int sock, enum sync_type type, struct sync_msg *m, int *fd, berth_err **err)
{
	if (sync_recv(sock, m, fd) < 0) {
		if (errno == 0)
			return berth_err_set(err, 0, "container init exited during setup");
		return berth_err_set(err, errno, "read from container init");
	}
	if (m->type == SYNC_ERROR)
		return berth_err_set(err, m->value, "%s", m->text);
	if (m->type != (uint32_t)type)
		return berth_err_set(err, EPROTO, "unexpected message %u from container init (wanted %u)",
				     m->type, (unsigned)type);
	return 0;
}

void sync_die(int sock, berth_err *err)
{
	sync_send(sock, SYNC_ERROR, err ? err->errno_ : 0, err ? err->msg : "unknown error", -1);
	_exit(1);
}
