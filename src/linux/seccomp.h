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

/* Checks every name, action, operator, architecture and flag of the profile;
 * errors name the entry, e.g. "linux.seccomp.syscalls[3].names: unknown
 * syscall \"foo\"". Does not load anything. */
int seccomp_profile_validate(const struct oci_seccomp *s, berth_err **err);

/* Compiles the profile for the running architecture. When cache_dir is not
 * NULL the program is looked up in / stored to cache_dir keyed by a hash of
 * the profile's content, so the same profile is compiled once. */
int seccomp_program_build(const struct oci_seccomp *s, const char *cache_dir,
			  struct seccomp_program *out, berth_err **err);

void seccomp_program_release(struct seccomp_program *p);

/* Loads the program into the calling thread (seccomp(2)). When the profile
 * has notify rules *listener_fd receives the new listener fd, else -1. */
int seccomp_program_load(const struct seccomp_program *p, int *listener_fd, berth_err **err);

/* NULL-terminated lists for `features`: supported actions, operators,
 * architectures and flags. */
const char *const *seccomp_known_actions(void);
const char *const *seccomp_known_operators(void);
const char *const *seccomp_known_archs(void);
const char *const *seccomp_known_flags(void);

#endif
