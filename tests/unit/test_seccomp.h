/* Shared by the seccomp unit tests (test_seccomp.c, test_seccomp_profile.c):
 * validation messages, forked children that load a filter, and a flat
 * temporary directory's removal. Static inline: each test uses a part. */
#ifndef BERTH_TEST_SECCOMP_H
#define BERTH_TEST_SECCOMP_H

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/seccomp.h"
#include "test.h"
#include "util/cleanup.h"

static inline char *validate_msg(const struct oci_seccomp *s)
{
	berth_err *e = NULL;
	char *m;

	if (seccomp_profile_validate(s, &e) == 0)
		return NULL;
	m = strdup(e ? e->msg : "(no message)");
	berth_err_free(e);
	return m;
}

#define CHECK_VALID(s)                                                         \
	do {                                                                   \
		_cleanup_free_ char *m_ = validate_msg(s);                     \
		if (m_)                                                        \
			fprintf(stderr, "  unexpected error: %s\n", m_);       \
		CHECK(m_ == NULL);                                             \
	} while (0)

/* Runs fn in a forked child that sets no_new_privs (as the runtime would)
 * and cannot dump core (SIGSYS would otherwise leave one); returns the wait
 * status. */
static inline int in_child(int (*fn)(void *), void *arg, bool nnp)
{
	int status = -1;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		setrlimit(RLIMIT_CORE, &no_core);
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
		if (nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_exit(90);
		alarm(20);
		_exit(fn(arg));
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static inline bool exited(int status, int code)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) != code) {
		fprintf(stderr, "  child status 0x%x (exit %d, signal %d), want exit %d\n", status,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			WIFSIGNALED(status) ? WTERMSIG(status) : 0, code);
		return false;
	}
	return true;
}

/* Builds and loads s; child exit codes 80.. mean setup failed. */
static inline int child_load(const struct oci_seccomp *s, int *listener)
{
	struct seccomp_program p;
	berth_err *e = NULL;
	int fd = -1;

	if (seccomp_program_build(s, NULL, &p, &e) < 0) {
		fprintf(stderr, "  build: %s\n", e->msg);
		return 80;
	}
	if (seccomp_program_load(&p, &fd, &e) < 0) {
		fprintf(stderr, "  load: %s\n", e->msg);
		return 81;
	}
	seccomp_program_release(&p);
	if (listener)
		*listener = fd;
	else if (fd >= 0)
		return 82;
	return 0;
}

static inline void rm_rf_flat(const char *dir)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			unlinkat(dirfd(d), de->d_name, 0);
	rmdir(dir);
}

#endif
