/* A sealed, in-memory copy of the runtime's own executable, for containers
 * whose processes may ptrace: the runtime's process that becomes the init
 * (or an exec'd process) must not expose the host binary through
 * /proc/PID/exe to a container holding CAP_SYS_PTRACE (CVE-2019-5736). */
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

#endif
