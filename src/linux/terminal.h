/* Terminals: a pty opened from the container's own devpts, its master sent
 * over a console socket with SCM_RIGHTS (as runc does), and the slave made
 * the process's controlling terminal and stdio. */
#ifndef BERTH_LINUX_TERMINAL_H
#define BERTH_LINUX_TERMINAL_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

/* Opens /dev/ptmx (of the current root), unlocks it and opens the peer
 * slave without a path lookup (TIOCGPTPEER). */
int terminal_open_pty(int *master, int *slave, berth_err **err);

int terminal_set_size(int fd, uint32_t height, uint32_t width, berth_err **err);

/* Connects to the unix socket at path (the --console-socket). */
int terminal_connect_socket(const char *path, berth_err **err);

/* Sends fd with name as payload over the connected unix socket sock. */
int terminal_send_fd(int sock, int fd, const char *name, berth_err **err);

/* Receives one fd over sock. */
int terminal_recv_fd(int sock, berth_err **err);

/* setsid, TIOCSCTTY on slave, and slave as fds 0, 1 and 2. */
int terminal_make_controlling(int slave, berth_err **err);

/* Copies between (in_fd → master) and (master → out_fd) until the master
 * hangs up; in_fd is put in raw mode when it is a tty and restored after.
 * stop_fd (>= 0) ends the loop when it becomes readable (e.g. a signalfd
 * handled by the caller through on_stop, which returns true to stop). */
int terminal_proxy(int master, int in_fd, int out_fd, int stop_fd, bool (*on_stop)(void *), void *data,
		   berth_err **err);

#endif
