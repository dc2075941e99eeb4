/* Unit tests for src/linux/seccomp.c: profile validation errors, compiling,
 * the on-disk program cache, and filters loaded in forked children (errno,
 * argument comparisons, kill, notify listener hand-over); the bench's
 * Docker-like profile is test_seccomp_profile.c's. */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/seccomp.h"
#include "test.h"
#include "test_seccomp.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* ---- building profiles -------------------------------------------------- */

static char *names_getcwd[] = { "getcwd", NULL };
static char *names_mkdir[] = { "mkdirat", "mkdir", NULL };

/* A profile with one rule; tests poke at the fields they need. */
struct prof {
	struct oci_seccomp s;
	struct oci_seccomp_rule r[3];
	struct oci_seccomp_arg a[4];
};

static void prof_init(struct prof *p, const char *def, const char *act, char **names)
{
	memset(p, 0, sizeof(*p));
	p->s.default_action = (char *)def;
	p->s.syscalls = p->r;
	p->s.n_syscalls = 1;
	p->r[0].action = (char *)act;
	p->r[0].names = names;
	for (p->r[0].n_names = 0; names && names[p->r[0].n_names]; p->r[0].n_names++)
		;
}

static void set_errno_ret(struct prof *p, uint32_t e)
{
	p->r[0].has_errno_ret = true;
	p->r[0].errno_ret = e;
}

#define CHECK_INVALID(s, want)                              \
	do {                                                \
		_cleanup_free_ char *m_ = validate_msg(s);  \
		CHECK(m_ != NULL);                          \
		CHECK_CONTAINS(m_, want);                   \
	} while (0)

/* ---- validation --------------------------------------------------------- */

TEST(test_validate_ok)
{
	struct prof p;
	char *archs[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL };
	char *names[] = { "getcwd", "no_such_syscall_in_any_kernel", NULL };

	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", names);
	p.s.architectures = archs;
	p.s.n_architectures = 3;
	set_errno_ret(&p, ENOSYS);
	CHECK_VALID(&p.s);

	/* No rules at all is valid (if rarely useful). */
	p.s.n_syscalls = 0;
	CHECK_VALID(&p.s);
	CHECK(seccomp_profile_validate(NULL, NULL) == 0);
}

TEST(test_validate_every_known_name)
{
	struct prof p;
	const char *const *l;

	prof_init(&p, "SCMP_ACT_ALLOW", NULL, names_getcwd);
	for (l = seccomp_known_actions(); *l; l++) {
		bool notify = strcmp(*l, "SCMP_ACT_NOTIFY") == 0;
		p.r[0].action = (char *)*l;
		p.s.listener_path = notify ? "/run/agent.sock" : NULL;
		CHECK_VALID(&p.s);
	}
	CHECK(seccomp_known_actions()[8] != NULL && seccomp_known_actions()[9] == NULL);

	p.r[0].action = "SCMP_ACT_ERRNO";
	p.s.listener_path = NULL;
	p.r[0].args = p.a;
	p.r[0].n_args = 1;
	p.a[0].index = 5;
	for (l = seccomp_known_operators(); *l; l++) {
		p.a[0].op = (char *)*l;
		CHECK_VALID(&p.s);
	}
	CHECK(seccomp_known_operators()[6] != NULL && seccomp_known_operators()[7] == NULL);

	p.r[0].n_args = 0;
	for (l = seccomp_known_archs(); *l; l++) {
		char *a[] = { (char *)*l, NULL };
		p.s.architectures = a;
		p.s.n_architectures = 1;
		CHECK_VALID(&p.s);
	}
	p.s.n_architectures = 0;

	for (l = seccomp_known_flags(); *l; l++) {
		char *f[] = { (char *)*l, NULL };
		bool wk = strcmp(*l, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0;
		p.s.flags = f;
		p.s.n_flags = 1;
		p.r[0].action = wk ? "SCMP_ACT_NOTIFY" : "SCMP_ACT_ERRNO";
		p.s.listener_path = wk ? "/run/agent.sock" : NULL;
		CHECK_VALID(&p.s);
	}
}

TEST(test_validate_errors)
{
	struct prof p;
	char *bad_arch[] = { "SCMP_ARCH_X86_64", "SCMP_ARCH_VAX", NULL };
	char *bad_flag[] = { "SECCOMP_FILTER_FLAG_NOPE", NULL };
	char *wk_flag[] = { "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", NULL };
	char *empty_name[] = { "getcwd", "", NULL };

	prof_init(&p, "SCMP_ACT_FOO", "SCMP_ACT_ERRNO", names_getcwd);
	CHECK_INVALID(&p.s, "linux.seccomp.defaultAction: unknown action \"SCMP_ACT_FOO\"");
	p.s.default_action = NULL;
	CHECK_INVALID(&p.s, "linux.seccomp.defaultAction: missing");
	p.s.default_action = "SCMP_ACT_NOTIFY";
	p.s.listener_path = "/run/agent.sock";
	CHECK_INVALID(&p.s, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default");
	p.s.listener_path = NULL;
	p.s.default_action = "SCMP_ACT_KILL";
	p.s.has_default_errno_ret = true;
	CHECK_INVALID(&p.s, "linux.seccomp.defaultErrnoRet: not allowed with action SCMP_ACT_KILL");
	p.s.has_default_errno_ret = false;
	CHECK_VALID(&p.s);

	/* The third rule is the bad one: the index must be right. */
	p.s.n_syscalls = 3;
	p.r[1] = p.r[0];
	p.r[2] = p.r[0];
	p.r[2].action = "SCMP_ACT_FOO";
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[2].action: unknown action \"SCMP_ACT_FOO\"");
	p.r[2].action = NULL;
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[2].action: missing");
	p.r[2].action = "SCMP_ACT_ALLOW";
	p.r[2].has_errno_ret = true;
	p.r[2].errno_ret = 1;
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[2].errnoRet: not allowed with action SCMP_ACT_ALLOW");
	p.r[2].action = "SCMP_ACT_ERRNO";
	p.r[2].errno_ret = 70000;
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[2].errnoRet: 70000 is out of range");
	p.r[2].errno_ret = 1;
	CHECK_VALID(&p.s);
	p.s.n_syscalls = 1;

	p.r[0].n_names = 0;
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[0].names: must contain at least one entry");
	p.r[0].names = empty_name;
	p.r[0].n_names = 2;
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[0].names[1]: empty syscall name");
	p.r[0].names = names_getcwd;
	p.r[0].n_names = 1;

	p.r[0].args = p.a;
	p.r[0].n_args = 2;
	p.a[0] = (struct oci_seccomp_arg){ .index = 0, .op = "SCMP_CMP_EQ" };
	p.a[1] = (struct oci_seccomp_arg){ .index = 1, .op = "X" };
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[0].args[1].op: unknown operator \"X\"");
	p.a[1].op = NULL;
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[0].args[1].op: unknown operator");
	p.a[1].op = "SCMP_CMP_GT";
	p.a[1].index = 6;
	CHECK_INVALID(&p.s, "linux.seccomp.syscalls[0].args[1].index: 6 is out of range");
	p.a[1].index = 5;
	CHECK_VALID(&p.s);
	p.r[0].n_args = 0;

	p.s.architectures = bad_arch;
	p.s.n_architectures = 2;
	CHECK_INVALID(&p.s, "linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"");
	p.s.n_architectures = 1;
	CHECK_VALID(&p.s);

	p.s.flags = bad_flag;
	p.s.n_flags = 1;
	CHECK_INVALID(&p.s, "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_NOPE\"");
	p.s.flags = wk_flag;
	CHECK_INVALID(&p.s, "needs an SCMP_ACT_NOTIFY rule");
	p.s.n_flags = 0;

	p.r[0].action = "SCMP_ACT_NOTIFY";
	CHECK_INVALID(&p.s, "linux.seccomp.listenerPath: required when SCMP_ACT_NOTIFY is used");
	p.s.listener_path = "/run/agent.sock";
	CHECK_VALID(&p.s);
	p.r[0].action = "SCMP_ACT_ERRNO";
	p.s.listener_path = NULL;
	p.s.listener_metadata = "meta";
	CHECK_INVALID(&p.s, "linux.seccomp.listenerMetadata: must not be set without listenerPath");
}

/* ---- compiling and caching ---------------------------------------------- */

TEST(test_build)
{
	struct prof p;
	struct seccomp_program prog;
	berth_err *e = NULL;
	char *flags[] = { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", NULL };
	char *archs[] = { "SCMP_ARCH_X86", "SCMP_ARCH_X32", NULL };

	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", names_getcwd);
	p.s.flags = flags;
	p.s.n_flags = 2;
	CHECK(seccomp_program_build(&p.s, NULL, &prog, &e) == 0);
	CHECK(e == NULL);
	CHECK(prog.bpf != NULL && prog.len > 0 && prog.len % 8 == 0);
	CHECK(prog.flags == (SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW));
	CHECK(prog.needs_listener == 0);
	size_t native_len = prog.len;
	seccomp_program_release(&prog);
	CHECK(prog.bpf == NULL && prog.len == 0);

	/* More architectures, more code. */
	p.s.architectures = archs;
	p.s.n_architectures = 2;
	CHECK(seccomp_program_build(&p.s, NULL, &prog, &e) == 0);
	CHECK(prog.len > native_len && prog.len % 8 == 0);
	seccomp_program_release(&prog);

	p.r[0].action = "SCMP_ACT_NOTIFY";
	p.s.listener_path = "/run/agent.sock";
	CHECK(seccomp_program_build(&p.s, NULL, &prog, &e) == 0);
	CHECK(prog.needs_listener == 1);
	seccomp_program_release(&prog);

	/* A rule that repeats the default action is a no-op, not an error
	 * (libseccomp itself refuses such rules). */
	p.s.listener_path = NULL;
	p.r[0].action = "SCMP_ACT_ALLOW";
	CHECK(seccomp_program_build(&p.s, NULL, &prog, &e) == 0);
	seccomp_program_release(&prog);
	p.s.default_action = "SCMP_ACT_ERRNO";
	p.r[0].action = "SCMP_ACT_ERRNO";
	set_errno_ret(&p, EPERM);
	CHECK(seccomp_program_build(&p.s, NULL, &prog, &e) == 0);
	seccomp_program_release(&prog);
	berth_err_clear(&e);

	/* Invalid profiles are refused by build too. */
	p.r[0].action = "SCMP_ACT_FOO";
	CHECK(seccomp_program_build(&p.s, NULL, &prog, &e) < 0);
	CHECK(e != NULL && strstr(e->msg, "unknown action") != NULL);
	CHECK(prog.bpf == NULL);
	berth_err_clear(&e);
}

TEST(test_build_byte_order_mix)
{
	struct prof p;
	struct seccomp_program prog;
	berth_err *e = NULL;
	char *archs[] = { "SCMP_ARCH_S390X", NULL };

	/* One filter cannot hold a big-endian and a little-endian arch. */
	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", names_getcwd);
	p.s.architectures = archs;
	p.s.n_architectures = 1;
	CHECK(seccomp_program_build(&p.s, NULL, &prog, &e) < 0);
	CHECK_CONTAINS(e ? e->msg : NULL, "linux.seccomp.architectures[0]: SCMP_ARCH_S390X cannot share");
	berth_err_clear(&e);
}

static int count_files(const char *dir)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	return n;
}

/* The one *.bpf file of dir, as a path. */
static char *only_file(const char *dir)
{
	_cleanup_closedir_ DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.')
			return path_join(dir, de->d_name);
	return NULL;
}

TEST(test_cache)
{
	char tmpl[] = "/tmp/berth-seccomp-test-XXXXXX";
	_cleanup_free_ char *dir = NULL, *file = NULL, *file_b = NULL;
	struct prof p;
	struct seccomp_program fresh, a, b, c;
	berth_err *e = NULL;
	struct stat st;

	CHECK(mkdtemp(tmpl) != NULL);
	dir = path_join(tmpl, "cache/seccomp");
	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", names_mkdir);
	set_errno_ret(&p, EPERM);

	CHECK(seccomp_program_build(&p.s, NULL, &fresh, &e) == 0);
	CHECK(seccomp_program_build(&p.s, dir, &a, &e) == 0);
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700);
	CHECK(count_files(dir) == 1);
	file = only_file(dir);
	CHECK(file != NULL && strlen(strrchr(file, '/') + 1) == 64 + 4);
	CHECK(file != NULL && strcmp(file + strlen(file) - 4, ".bpf") == 0);
	CHECK(stat(file, &st) == 0 && (st.st_mode & 0777) == 0600 && (size_t)st.st_size == a.len);
	CHECK(a.len == fresh.len && memcmp(a.bpf, fresh.bpf, a.len) == 0);

	/* A hit gives the same bytes, and the flags still come from the profile. */
	CHECK(seccomp_program_build(&p.s, dir, &b, &e) == 0);
	CHECK(b.len == a.len && memcmp(a.bpf, b.bpf, a.len) == 0);
	seccomp_program_release(&b);

	/* Proof that the hit is read from disk: a planted program is served. */
	{
		uint8_t planted[16] = { 6, 0, 0, 0, 0, 0, 0xff, 0x7f, 6, 0, 0, 0, 0, 0, 0xff, 0x7f };
		CHECK(write_file_at(AT_FDCWD, file, planted, sizeof(planted), O_TRUNC, 0600, &e) == 0);
		CHECK(seccomp_program_build(&p.s, dir, &b, &e) == 0);
		CHECK(b.len == 16 && memcmp(b.bpf, planted, 16) == 0);
		seccomp_program_release(&b);
	}

	/* A damaged entry is recompiled and rewritten. */
	CHECK(write_file_at(AT_FDCWD, file, "12345", 5, O_TRUNC, 0600, &e) == 0);
	CHECK(seccomp_program_build(&p.s, dir, &b, &e) == 0);
	CHECK(b.len == fresh.len && memcmp(b.bpf, fresh.bpf, b.len) == 0);
	CHECK(stat(file, &st) == 0 && (size_t)st.st_size == fresh.len);
	seccomp_program_release(&b);

	/* A different profile (only the errno differs) gets its own entry. */
	set_errno_ret(&p, ENOSYS);
	CHECK(seccomp_program_build(&p.s, dir, &c, &e) == 0);
	CHECK(count_files(dir) == 2);
	CHECK(c.len != a.len || memcmp(a.bpf, c.bpf, a.len) != 0);
	seccomp_program_release(&c);
	/* ... and so does one that differs only in an argument value. */
	p.r[0].args = p.a;
	p.r[0].n_args = 1;
	p.a[0] = (struct oci_seccomp_arg){ .index = 1, .value = 0700, .op = "SCMP_CMP_EQ" };
	CHECK(seccomp_program_build(&p.s, dir, &c, &e) == 0);
	seccomp_program_release(&c);
	p.a[0].value = 0755;
	CHECK(seccomp_program_build(&p.s, dir, &c, &e) == 0);
	seccomp_program_release(&c);
	CHECK(count_files(dir) == 4);
	/* The profile's flags are not part of the program but are of the key. */
	{
		char *flags[] = { "SECCOMP_FILTER_FLAG_LOG", NULL };
		p.s.flags = flags;
		p.s.n_flags = 1;
		CHECK(seccomp_program_build(&p.s, dir, &c, &e) == 0);
		CHECK(c.flags == SECCOMP_FILTER_FLAG_LOG);
		seccomp_program_release(&c);
		CHECK(count_files(dir) == 5);
		p.s.n_flags = 0;
	}
	CHECK(e == NULL);

	/* A directory others may write to is not trusted. */
	file_b = path_join(tmpl, "open");
	CHECK(mkdir(file_b, 0777) == 0 && chmod(file_b, 0777) == 0);
	CHECK(seccomp_program_build(&p.s, file_b, &c, &e) == 0);
	CHECK(count_files(file_b) == 0);
	seccomp_program_release(&c);
	rm_rf_flat(file_b);

	seccomp_program_release(&a);
	seccomp_program_release(&fresh);
	rm_rf_flat(dir);
	{
		_cleanup_free_ char *cache = path_join(tmpl, "cache");
		rmdir(cache);
	}
	rmdir(tmpl);
	berth_err_clear(&e);
}

/* ---- loading ------------------------------------------------------------ */

static int child_getcwd_enosys(void *arg)
{
	char buf[256];
	long r;

	if (child_load(arg, NULL))
		return 80;
	r = syscall(SYS_getcwd, buf, sizeof(buf));
	if (r != -1)
		return 1;
	return errno == ENOSYS ? 0 : 2;
}

TEST(test_load_errno)
{
	struct prof p;

	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", names_getcwd);
	set_errno_ret(&p, ENOSYS);
	CHECK(exited(in_child(child_getcwd_enosys, &p.s, true), 0));
}

static int child_mkdir_eperm(void *arg)
{
	if (child_load(arg, NULL))
		return 80;
	if (mkdir("/tmp/berth-seccomp-must-not-exist", 0700) == 0)
		return 1;
	if (errno != EPERM)
		return 2;
	if (syscall(SYS_mkdir, "/tmp/berth-seccomp-must-not-exist", 0700) == 0 || errno != EPERM)
		return 3;
	return 0;
}

TEST(test_load_errno_default_eperm)
{
	struct prof p;

	/* No errnoRet: EPERM. */
	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", names_mkdir);
	CHECK(exited(in_child(child_mkdir_eperm, &p.s, true), 0));
	rmdir("/tmp/berth-seccomp-must-not-exist");
}

static int child_args(void *arg)
{
	int fd;

	if (child_load(arg, NULL))
		return 80;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 81;
	/* dup3 is denied only when newfd == 100 AND flags == O_CLOEXEC. */
	if (dup3(fd, 100, O_CLOEXEC) != -1 || errno != EXDEV)
		return 1;
	if (dup3(fd, 100, 0) != 100)
		return 2;
	if (dup3(fd, 101, O_CLOEXEC) != 101)
		return 3;
	/* personality is denied for 0x1234 OR 0x5678 (one index twice). */
	if (personality(0xffffffff) == -1)
		return 4;
	if (syscall(SYS_personality, 0x1234UL) != -1 || errno != EXDEV)
		return 5;
	if (syscall(SYS_personality, 0x5678UL) != -1 || errno != EXDEV)
		return 6;
	/* fcntl with F_SETFD and a masked flag: denied when (arg2 & 1) == 1. */
	if (fcntl(fd, F_SETFD, FD_CLOEXEC) != -1 || errno != EXDEV)
		return 7;
	if (fcntl(fd, F_SETFD, 0) != 0)
		return 8;
	return 0;
}

TEST(test_load_args)
{
	struct oci_seccomp s = { .default_action = "SCMP_ACT_ALLOW" };
	char *dup3_names[] = { "dup3", NULL }, *pers[] = { "personality", NULL },
	     *fcntl_names[] = { "fcntl", NULL };
	struct oci_seccomp_arg dup3_args[] = {
		{ .index = 1, .value = 100, .op = "SCMP_CMP_EQ" },
		{ .index = 2, .value = O_CLOEXEC, .op = "SCMP_CMP_EQ" },
	};
	/* More comparisons than a rule has arguments (eight of one index):
	 * each becomes a rule of its own; the compiler once wrote them into a
	 * six-entry array on the stack. */
	struct oci_seccomp_arg pers_args[] = {
		{ .index = 0, .value = 0x1234, .op = "SCMP_CMP_EQ" }, { .index = 0, .value = 0x5678, .op = "SCMP_CMP_EQ" },
		{ .index = 0, .value = 0x1001, .op = "SCMP_CMP_EQ" }, { .index = 0, .value = 0x1002, .op = "SCMP_CMP_EQ" },
		{ .index = 0, .value = 0x1003, .op = "SCMP_CMP_EQ" }, { .index = 0, .value = 0x1004, .op = "SCMP_CMP_EQ" },
		{ .index = 0, .value = 0x1005, .op = "SCMP_CMP_EQ" }, { .index = 0, .value = 0x1006, .op = "SCMP_CMP_EQ" },
	};
	struct oci_seccomp_arg fcntl_args[] = {
		{ .index = 1, .value = F_SETFD, .op = "SCMP_CMP_EQ" },
		{ .index = 2, .value = 1, .value_two = 1, .op = "SCMP_CMP_MASKED_EQ" },
	};
	struct oci_seccomp_rule rules[] = {
		{ .names = dup3_names, .n_names = 1, .action = "SCMP_ACT_ERRNO", .has_errno_ret = true,
		  .errno_ret = EXDEV, .args = dup3_args, .n_args = 2 },
		{ .names = pers, .n_names = 1, .action = "SCMP_ACT_ERRNO", .has_errno_ret = true,
		  .errno_ret = EXDEV, .args = pers_args, .n_args = ARRAY_SIZE(pers_args) },
		{ .names = fcntl_names, .n_names = 1, .action = "SCMP_ACT_ERRNO", .has_errno_ret = true,
		  .errno_ret = EXDEV, .args = fcntl_args, .n_args = 2 },
	};

	s.syscalls = rules;
	s.n_syscalls = ARRAY_SIZE(rules);
	CHECK(exited(in_child(child_args, &s, true), 0));
}

static int child_call_getcwd(void *arg)
{
	char buf[256];

	if (child_load(arg, NULL))
		return 80;
	syscall(SYS_getcwd, buf, sizeof(buf));
	return 0;
}

TEST(test_load_kill)
{
	struct prof p;
	int st;

	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_KILL", names_getcwd);
	st = in_child(child_call_getcwd, &p.s, true);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);

	p.r[0].action = "SCMP_ACT_KILL_PROCESS";
	st = in_child(child_call_getcwd, &p.s, true);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS);

	/* Same profile but no match: the child lives. */
	p.r[0].names = names_mkdir;
	p.r[0].n_names = 2;
	CHECK(exited(in_child(child_call_getcwd, &p.s, true), 0));
}

static int child_flags(void *arg)
{
	return child_load(arg, NULL) ? 1 : 0;
}

TEST(test_load_flags)
{
	struct prof p;
	char *flags[] = { "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
			  "SECCOMP_FILTER_FLAG_TSYNC", NULL };

	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", names_getcwd);
	p.s.flags = flags;
	p.s.n_flags = 3;
	CHECK(exited(in_child(child_flags, &p.s, true), 0));
}

static int child_no_privs(void *arg)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct d[2] = { { 0 } };
	struct seccomp_program p;
	berth_err *e = NULL;
	int fd;

	if (syscall(SYS_capset, &h, d) < 0)
		return 80;
	if (seccomp_program_build(arg, NULL, &p, &e) < 0)
		return 81;
	if (seccomp_program_load(&p, &fd, &e) == 0)
		return 1;
	return e && e->errno_ == EACCES && strstr(e->msg, "no_new_privs") ? 0 : 2;
}

TEST(test_load_needs_nnp)
{
	struct prof p;

	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", names_getcwd);
	CHECK(exited(in_child(child_no_privs, &p.s, false), 0));
}

/* Notify: the child loads a filter that notifies on mkdir, hands the
 * listener to the "agent" (this process) with seccomp_notify_send, then calls
 * mkdir; the agent answers EXDEV through the received fd. */
struct notify_arg {
	struct oci_seccomp *s;
	const char *path;
};

static int child_notify(void *arg)
{
	struct notify_arg *na = arg;
	berth_err *e = NULL;
	int fd = -1;

	if (child_load(na->s, &fd))
		return 80;
	if (fd < 0)
		return 1;
	if (!(fcntl(fd, F_GETFD) & FD_CLOEXEC))
		return 2;
	if (seccomp_notify_send(na->path, fd, "{\"ociVersion\":\"1.0.2\",\"fds\":[\"seccompFd\"]}",
				&e) < 0) {
		fprintf(stderr, "  notify_send: %s\n", e->msg);
		return 3;
	}
	close(fd);
	if (mkdir("/tmp/berth-seccomp-notified", 0700) == 0)
		return 4;
	return errno == EXDEV ? 0 : 5;
}

static int recv_fd(int sock, char *buf, size_t size)
{
	union {
		char b[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
			      .msg_controllen = sizeof(ctl.b) };
	struct cmsghdr *cm;
	ssize_t n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	int fd = -1;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	cm = CMSG_FIRSTHDR(&msg);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

TEST(test_load_notify)
{
	char tmpl[] = "/tmp/berth-seccomp-notify-XXXXXX";
	_cleanup_free_ char *path = NULL;
	_cleanup_close_ int lsock = -1, conn = -1, nfd = -1;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct prof p;
	struct notify_arg na;
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	char buf[512];
	int status;
	pid_t pid;
	berth_err *e = NULL;

	CHECK(mkdtemp(tmpl) != NULL);
	path = path_join(tmpl, "agent.sock");

	/* No agent yet: a clear error naming the socket. */
	CHECK(seccomp_notify_send(path, 0, "{}", &e) < 0);
	CHECK(e && e->errno_ == ENOENT && strstr(e->msg, path));
	berth_err_clear(&e);

	lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(addr.sun_path, path);
	CHECK(bind(lsock, (struct sockaddr *)&addr, sizeof(addr)) == 0);
	CHECK(listen(lsock, 1) == 0);

	prof_init(&p, "SCMP_ACT_ALLOW", "SCMP_ACT_NOTIFY", names_mkdir);
	p.s.listener_path = path;
	na = (struct notify_arg){ &p.s, path };

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(lsock);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		alarm(20);
		_exit(child_notify(&na));
	}
	alarm(30);
	conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
	CHECK(conn >= 0);
	nfd = recv_fd(conn, buf, sizeof(buf));
	CHECK(nfd >= 0);
	CHECK_CONTAINS(buf, "\"seccompFd\"");
	if (nfd >= 0) {
		memset(&req, 0, sizeof(req));
		CHECK(ioctl(nfd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0);
		CHECK(req.pid == (uint32_t)pid);
		CHECK(req.data.nr == SYS_mkdir || req.data.nr == SYS_mkdirat);
		resp = (struct seccomp_notif_resp){ .id = req.id, .error = -EXDEV };
		CHECK(ioctl(nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0);
	} else {
		kill(pid, SIGKILL);
	}
	waitpid(pid, &status, 0);
	alarm(0);
	CHECK(exited(status, 0));
	unlink(path);
	rmdir(tmpl);
}

int main(void)
{
	RUN(test_validate_ok);
	RUN(test_validate_every_known_name);
	RUN(test_validate_errors);
	RUN(test_build);
	RUN(test_build_byte_order_mix);
	RUN(test_cache);
	RUN(test_load_errno);
	RUN(test_load_errno_default_eperm);
	RUN(test_load_args);
	RUN(test_load_kill);
	RUN(test_load_flags);
	RUN(test_load_needs_nnp);
	RUN(test_load_notify);
	TEST_EXIT();
}
