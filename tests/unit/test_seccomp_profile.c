/* Unit tests for the bench's Docker-like seccomp profile
 * (bench/seccomp-default.json, about 300 rules) through src/linux/seccomp.c:
 * it validates, its filter acts as Docker's does in a forked child, and the
 * compiled program is cached. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linux/seccomp.h"
#include "test.h"
#include "test_seccomp.h"

#define BENCH_PROFILE "bench/seccomp-default.json"

/* ---- loading a profile from JSON (the bench file) ------------------------- */

static char *jstr(json_object *o, const char *key)
{
	json_object *v;
	return json_object_object_get_ex(o, key, &v) ? strdup(json_object_get_string(v)) : NULL;
}

static char **jstrv(json_object *o, const char *key, size_t *n)
{
	json_object *v;
	char **r;

	*n = 0;
	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	*n = json_object_array_length(v);
	r = calloc(*n + 1, sizeof(*r));
	for (size_t i = 0; i < *n; i++)
		r[i] = strdup(json_object_get_string(json_object_array_get_idx(v, i)));
	return r;
}

static void strv_free(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static void profile_free(struct oci_seccomp *s)
{
	if (s == NULL)
		return;
	free(s->default_action);
	strv_free(s->architectures);
	strv_free(s->flags);
	free(s->listener_path);
	free(s->listener_metadata);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		strv_free(s->syscalls[i].names);
		free(s->syscalls[i].action);
		for (size_t j = 0; j < s->syscalls[i].n_args; j++)
			free(s->syscalls[i].args[j].op);
		free(s->syscalls[i].args);
	}
	free(s->syscalls);
	free(s);
}

/* Just enough of a decoder for tests: the real one lives in src/oci. */
static struct oci_seccomp *profile_load(const char *path)
{
	json_object *root = json_object_from_file(path), *v, *sys;
	struct oci_seccomp *s;

	if (root == NULL)
		return NULL;
	s = calloc(1, sizeof(*s));
	s->default_action = jstr(root, "defaultAction");
	if (json_object_object_get_ex(root, "defaultErrnoRet", &v)) {
		s->has_default_errno_ret = true;
		s->default_errno_ret = (uint32_t)json_object_get_int64(v);
	}
	s->architectures = jstrv(root, "architectures", &s->n_architectures);
	s->flags = jstrv(root, "flags", &s->n_flags);
	s->listener_path = jstr(root, "listenerPath");
	s->listener_metadata = jstr(root, "listenerMetadata");
	if (json_object_object_get_ex(root, "syscalls", &sys)) {
		s->n_syscalls = json_object_array_length(sys);
		s->syscalls = calloc(s->n_syscalls, sizeof(*s->syscalls));
		for (size_t i = 0; i < s->n_syscalls; i++) {
			json_object *r = json_object_array_get_idx(sys, i), *args;
			struct oci_seccomp_rule *rule = &s->syscalls[i];

			rule->names = jstrv(r, "names", &rule->n_names);
			rule->action = jstr(r, "action");
			if (json_object_object_get_ex(r, "errnoRet", &v)) {
				rule->has_errno_ret = true;
				rule->errno_ret = (uint32_t)json_object_get_int64(v);
			}
			if (!json_object_object_get_ex(r, "args", &args))
				continue;
			rule->n_args = json_object_array_length(args);
			rule->args = calloc(rule->n_args, sizeof(*rule->args));
			for (size_t j = 0; j < rule->n_args; j++) {
				json_object *a = json_object_array_get_idx(args, j);
				if (json_object_object_get_ex(a, "index", &v))
					rule->args[j].index = (uint32_t)json_object_get_int64(v);
				if (json_object_object_get_ex(a, "value", &v))
					rule->args[j].value = json_object_get_uint64(v);
				if (json_object_object_get_ex(a, "valueTwo", &v))
					rule->args[j].value_two = json_object_get_uint64(v);
				rule->args[j].op = jstr(a, "op");
			}
		}
	}
	json_object_put(root);
	return s;
}

/* ---- the bench profile -------------------------------------------------- */

static int child_default_profile(void *arg)
{
	int fd, st;
	pid_t pid;

	if (child_load(arg, NULL))
		return 80;
	/* What any program does keeps working... */
	fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || write(fd, "x", 1) != 1)
		return 1;
	if (personality(0xffffffff) == -1)
		return 2;
	pid = fork();
	if (pid == 0)
		_exit(7);
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 7)
		return 3;
	/* ... what is not on the list fails with EPERM (defaultErrnoRet 1) ... */
	if (syscall(SYS_unshare, CLONE_NEWUTS) != -1 || errno != EPERM)
		return 4;
	if (syscall(SYS_personality, 0x0040000UL) != -1 || errno != EPERM)
		return 5;
	/* ... clone with a namespace flag too, and clone3 says ENOSYS. */
	if (syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0) != -1 || errno != EPERM)
		return 6;
	if (syscall(SYS_clone3, NULL, 0) != -1 || errno != ENOSYS)
		return 7;
	if (socket(AF_VSOCK, SOCK_STREAM, 0) != -1 || errno != EPERM)
		return 8;
	return 0;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

TEST(test_default_profile)
{
	struct oci_seccomp *s = profile_load(BENCH_PROFILE);
	char tmpl[] = "/tmp/berth-seccomp-bench-XXXXXX";
	struct seccomp_program p;
	berth_err *e = NULL;
	double t0, uncached, cached;
	const int n = 20;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK(s->n_syscalls >= 5 && s->syscalls[0].n_names >= 300);
	CHECK_VALID(s);
	CHECK(exited(in_child(child_default_profile, s, true), 0));

	t0 = now_ms();
	for (int i = 0; i < n; i++) {
		CHECK(seccomp_program_build(s, NULL, &p, &e) == 0);
		seccomp_program_release(&p);
	}
	uncached = (now_ms() - t0) / n;

	CHECK(mkdtemp(tmpl) != NULL);
	CHECK(seccomp_program_build(s, tmpl, &p, &e) == 0);
	size_t len = p.len;
	seccomp_program_release(&p);
	t0 = now_ms();
	for (int i = 0; i < n; i++) {
		CHECK(seccomp_program_build(s, tmpl, &p, &e) == 0);
		CHECK(p.len == len);
		seccomp_program_release(&p);
	}
	cached = (now_ms() - t0) / n;
	fprintf(stderr, "  %s: %zu instructions; build uncached %.3f ms, cached %.3f ms\n",
		BENCH_PROFILE, len / 8, uncached, cached);
	CHECK(e == NULL);
	rm_rf_flat(tmpl);
	profile_free(s);
}

int main(void)
{
	RUN(test_default_profile);
	TEST_EXIT();
}
