/* The parent/child synchronisation channel used while a container (or an
 * exec'd process) is set up: typed messages over a SOCK_SEQPACKET socket
 * pair, optionally carrying one fd. Errors in the child travel to the parent
 * as SYNC_ERROR messages so that only the CLI prints them. */
#ifndef BERTH_RUNTIME_SYNC_H
#define BERTH_RUNTIME_SYNC_H

#include <stdint.h>

#include "util/error.h"

enum sync_type {
	SYNC_GO = 1,         /* parent → child: namespaces/cgroup/maps are ready */
	SYNC_USERMAP,        /* child → parent: write uid/gid maps for pid `value` */
	SYNC_USERMAP_DONE,   /* parent → child */
	SYNC_PID,            /* child → parent: the container init's host pid */
	SYNC_RUNTIME_HOOKS,  /* child → parent: run prestart/createRuntime now */
	SYNC_HOOKS_DONE,     /* parent → child */
	SYNC_SECCOMP_FD,     /* child → parent: seccomp listener fd attached */
	SYNC_SECCOMP_DONE,   /* parent → child */
	SYNC_READY,          /* child → parent: waiting for start (or exec'ing) */
	SYNC_ERROR,          /* child → parent: value = errno, text = message */
	SYNC_CGROUP_DONE,    /* parent → child: it is in the container's cgroup */
	SYNC_PREPARED,       /* parent → child: an fd made for it, or none */
	SYNC_FSCTX,          /* child → parent: value = mount index, fd = its fsopen'd context or none */
};

#define SYNC_TEXT_MAX 4000

struct sync_msg {
	uint32_t type;
	int32_t value;
	char text[SYNC_TEXT_MAX];
};

/* Sends a message (text may be NULL) with fd attached when fd >= 0. */
int sync_send(int sock, enum sync_type type, int32_t value, const char *text, int fd);

/* Receives one message; *fd (if not NULL) gets an attached fd or -1.
 * Returns 0, or -1 with errno (0 for EOF: the peer is gone). */
int sync_recv(int sock, struct sync_msg *m, int *fd);

/* Receives a message and checks its type: a SYNC_ERROR from the peer or an
 * unexpected type becomes an error in *err. */
int sync_expect(int sock, enum sync_type type, struct sync_msg *m, int *fd, berth_err **err);

/* Child side: reports err to the parent as SYNC_ERROR and exits (_exit). */
__attribute__((noreturn)) void sync_die(int sock, berth_err *err);

#endif
