/* Sealed, in-memory executables against CVE-2019-5736: a copy of the
 * runtime itself, for containers whose processes may ptrace (they could
 * open the init's /proc/PID/exe), and the small trampoline every container's
 * last exec goes through, so that /proc/self/exe never leads a container to
 * the host's runtime binary. */
#ifndef BERTH_LINUX_SEALED_EXE_H
#define BERTH_LINUX_SEALED_EXE_H

#include <stdbool.h>

#include "util/error.h"

/* Whether this process already runs from a sealed copy. */
bool sealed_exe_active(void);

/* Unless already sealed: copies /proc/self/exe into a memfd, seals it
 * against any write, grow or shrink, and re-executes this process from it
 * with the same arguments (from /proc/self/cmdline) and environment. Does
 * not return on success; the new process arrives at the same call and gets
 * 0. Fails (< 0, err set) when the kernel refuses a step. */
int sealed_exe_ensure(berth_err **err);

/* A sealed, close-on-exec memfd holding the trampoline (a few KiB, see
 * src/trampoline); -1 with err when the kernel refuses a step. */
int sealed_trampoline_open(berth_err **err);

/* Executes path with argv and envp through the trampoline in fd (execveat,
 * or its /proc/self/fd path when a seccomp profile refuses execveat).
 * Returns only on failure, with errno set. */
void sealed_trampoline_exec(int fd, const char *path, char *const argv[], char *const envp[]);

#endif
