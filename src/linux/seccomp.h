/* Seccomp: an OCI linux.seccomp profile compiled with libseccomp into a BPF
 * program once (in the runtime, cacheable by a hash of the profile) and
 * loaded in the container process with seccomp(2). */
#ifndef BERTH_LINUX_SECCOMP_H
#define BERTH_LINUX_SECCOMP_H

#include <stddef.h>
#include <stdint.h>

#include "oci/config.h"
#include "util/error.h"

struct seccomp_program {
	void *bpf;      /* struct sock_filter[] */
	size_t len;     /* bytes */
	unsigned flags; /* SECCOMP_FILTER_FLAG_* from the profile */
	int needs_listener; /* the profile uses SCMP_ACT_NOTIFY */
};

/* Checks every action, operator, architecture and flag of the profile and
 * the spec's constraints (errnoRet only with ERRNO/TRACE, arg index 0-5,
 * NOTIFY needs listenerPath and is never the default, ...); errors name the
 * entry, e.g. "linux.seccomp.syscalls[2].action: unknown action \"X\"".
 * Syscall names libseccomp does not know are accepted (and skipped when
 * compiling) so that profiles written for newer kernels work; an empty name
 * or an empty names list is an error. NULL is valid. Loads nothing. */
int seccomp_profile_validate(const struct oci_seccomp *s, berth_err **err);

/* Validates, then compiles the profile for the running architecture (plus
 * its architectures) and fills *out (release with seccomp_program_release).
 * When cache_dir is not NULL the program is looked up in / stored to
 * "<cache_dir>/<sha256>.bpf", keyed by the profile's content, libseccomp's
 * version, the native arch and the kernel API level, so the same profile is
 * compiled once. The directory is created 0700; one that others can write to
 * is not used. Cache failures only log a warning. */
int seccomp_program_build(const struct oci_seccomp *s, const char *cache_dir,
			  struct seccomp_program *out, berth_err **err);

void seccomp_program_release(struct seccomp_program *p);

/* Loads the program into the calling thread (seccomp(2)); the caller has set
 * no_new_privs or holds CAP_SYS_ADMIN. When the profile has notify rules
 * *listener_fd receives the new listener fd (O_CLOEXEC), else -1; TSYNC is
 * then sent with TSYNC_ESRCH, which the kernel requires. Errors say which
 * flag the kernel does not support. */
int seccomp_program_load(const struct seccomp_program *p, int *listener_fd, berth_err **err);

/* Hands the notify listener fd to the seccomp agent: connects to the
 * AF_UNIX SOCK_STREAM socket listener_path, sends state_json (the spec's
 * container process state, built by the caller, whose "fds" names the fd
 * "seccompFd") with listener_fd attached to the first bytes in one
 * SCM_RIGHTS message, then closes the connection. Fails with the socket's
 * path when it does not exist or refuses the connection. */
int seccomp_notify_send(const char *listener_path, int listener_fd, const char *state_json,
			berth_err **err);

/* NULL-terminated lists for `features`: supported actions, operators,
 * architectures and flags. */
const char *const *seccomp_known_actions(void);
const char *const *seccomp_known_operators(void);
const char *const *seccomp_known_archs(void);
const char *const *seccomp_known_flags(void);

#endif
