/* File descriptors of the container process: nothing of the runtime may
 * survive exec except stdio, the preserved fds and the terminal. */
#ifndef BERTH_LINUX_FDS_H
#define BERTH_LINUX_FDS_H

#include <stddef.h>

#include "util/error.h"

/* Makes [3, 3+n) the caller's alone before the runtime opens anything: the
 * log file (opened earlier) moves above the range, and a hole in it gets
 * /dev/null, so that none of our own fds can land where the container is
 * promised the caller's. */
void fds_reserve_preserved(int n);

/* Closes every fd >= lowest except those in keep[0..n). */
int fds_close_except(int lowest, const int *keep, size_t n, berth_err **err);

/* Marks fds >= lowest close-on-exec, and clears it on [3, lowest): those are
 * the preserved fds the process must receive. */
int fds_prepare_exec(int lowest, berth_err **err);

/* Replaces each stdio fd (0-2) that is the null device with the
 * container's own /dev/null, opened read-write, as runc does: the process
 * then holds nothing of the host's /dev, and can write to a stdin given as
 * /dev/null. Call with the container's root as /. Best effort: an fd stays
 * as it was when the container's /dev/null is missing or not the device. */
void fds_reopen_dev_null(void);

#endif
