/* Seccomp: validates an OCI linux.seccomp profile, compiles it with libseccomp
 * into a classic BPF program (exported, never loaded by libseccomp), caches the
 * program on disk keyed by a SHA-256 of the profile, loads it with seccomp(2)
 * and hands a notify listener fd to the agent named by listenerPath. */
#include "linux/seccomp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/sha256.h"

#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

/* Bump when the way a profile is compiled changes, so that programs cached by
 * an older build are never served for the same profile. */
#define CACHE_FORMAT "berth-seccomp-cache-v1"

#define SC "linux.seccomp"

/* ---- name tables ------------------------------------------------------ */

enum sc_action {
	ACT_KILL,
	ACT_KILL_PROCESS,
	ACT_KILL_THREAD,
	ACT_TRAP,
	ACT_ERRNO,
	ACT_TRACE,
	ACT_ALLOW,
	ACT_LOG,
	ACT_NOTIFY,
};

static const char *const action_names[] = {
	[ACT_KILL] = "SCMP_ACT_KILL",
	[ACT_KILL_PROCESS] = "SCMP_ACT_KILL_PROCESS",
	[ACT_KILL_THREAD] = "SCMP_ACT_KILL_THREAD",
	[ACT_TRAP] = "SCMP_ACT_TRAP",
	[ACT_ERRNO] = "SCMP_ACT_ERRNO",
	[ACT_TRACE] = "SCMP_ACT_TRACE",
	[ACT_ALLOW] = "SCMP_ACT_ALLOW",
	[ACT_LOG] = "SCMP_ACT_LOG",
	[ACT_NOTIFY] = "SCMP_ACT_NOTIFY",
	NULL,
};

/* Indexed by enum scmp_compare - 1. */
static const char *const operator_names[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",	    "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};

/* Only the architectures the linked libseccomp knows: newer ones appear when
 * the header defines their token. */
static const char *const arch_names[] = {
	"SCMP_ARCH_X86",	 "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",	      "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64",	 "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",    "SCMP_ARCH_MIPS64N32",
	"SCMP_ARCH_MIPSEL",	 "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64",	 "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",      "SCMP_ARCH_S390X",
	"SCMP_ARCH_PARISC",	 "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
#ifdef SCMP_ARCH_LOONGARCH64
	"SCMP_ARCH_LOONGARCH64",
#endif
#ifdef SCMP_ARCH_M68K
	"SCMP_ARCH_M68K",
#endif
#ifdef SCMP_ARCH_SH
	"SCMP_ARCH_SH",		 "SCMP_ARCH_SHEB",
#endif
	NULL,
};

static const uint32_t arch_tokens[] = {
	SCMP_ARCH_X86,	      SCMP_ARCH_X86_64,	  SCMP_ARCH_X32,	 SCMP_ARCH_ARM,
	SCMP_ARCH_AARCH64,    SCMP_ARCH_MIPS,	  SCMP_ARCH_MIPS64,	 SCMP_ARCH_MIPS64N32,
	SCMP_ARCH_MIPSEL,     SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC,
	SCMP_ARCH_PPC64,      SCMP_ARCH_PPC64LE,  SCMP_ARCH_S390,	 SCMP_ARCH_S390X,
	SCMP_ARCH_PARISC,     SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,
#ifdef SCMP_ARCH_LOONGARCH64
	SCMP_ARCH_LOONGARCH64,
#endif
#ifdef SCMP_ARCH_M68K
	SCMP_ARCH_M68K,
#endif
#ifdef SCMP_ARCH_SH
	SCMP_ARCH_SH,	      SCMP_ARCH_SHEB,
#endif
};

_Static_assert(ARRAY_SIZE(arch_names) == ARRAY_SIZE(arch_tokens) + 1,
	       "arch_names and arch_tokens must match");

static const char *const flag_names[] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
	NULL,
};

static const unsigned flag_values[] = {
	SECCOMP_FILTER_FLAG_TSYNC,
	SECCOMP_FILTER_FLAG_LOG,
	SECCOMP_FILTER_FLAG_SPEC_ALLOW,
	SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV,
};

/* Flags the kernel may know that a profile cannot ask for, named only so that
 * load errors can say which bit the kernel refused. */
static const struct {
	unsigned value;
	const char *name;
} all_flags[] = {
	{ SECCOMP_FILTER_FLAG_TSYNC, "SECCOMP_FILTER_FLAG_TSYNC" },
	{ SECCOMP_FILTER_FLAG_LOG, "SECCOMP_FILTER_FLAG_LOG" },
	{ SECCOMP_FILTER_FLAG_SPEC_ALLOW, "SECCOMP_FILTER_FLAG_SPEC_ALLOW" },
	{ SECCOMP_FILTER_FLAG_NEW_LISTENER, "SECCOMP_FILTER_FLAG_NEW_LISTENER" },
	{ SECCOMP_FILTER_FLAG_TSYNC_ESRCH, "SECCOMP_FILTER_FLAG_TSYNC_ESRCH" },
	{ SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" },
};

const char *const *seccomp_known_actions(void)
{
	return action_names;
}

const char *const *seccomp_known_operators(void)
{
	return operator_names;
}

const char *const *seccomp_known_archs(void)
{
	return arch_names;
}

const char *const *seccomp_known_flags(void)
{
	return flag_names;
}

static int lookup(const char *const *names, const char *s)
{
	if (s == NULL)
		return -1;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* The libseccomp action for an action name; errno_ret only matters for
 * ERRNO and TRACE, where it becomes the 16-bit data of the return value. */
static uint32_t action_value(enum sc_action a, uint32_t errno_ret)
{
	switch (a) {
	case ACT_KILL:
		return SCMP_ACT_KILL;
	case ACT_KILL_PROCESS:
		return SCMP_ACT_KILL_PROCESS;
	case ACT_KILL_THREAD:
		return SCMP_ACT_KILL_THREAD;
	case ACT_TRAP:
		return SCMP_ACT_TRAP;
	case ACT_ERRNO:
		return SCMP_ACT_ERRNO(errno_ret);
	case ACT_TRACE:
		return SCMP_ACT_TRACE(errno_ret);
	case ACT_ALLOW:
		return SCMP_ACT_ALLOW;
	case ACT_LOG:
		return SCMP_ACT_LOG;
	case ACT_NOTIFY:
		return SCMP_ACT_NOTIFY;
	}
	return SCMP_ACT_KILL_PROCESS;
}

static bool action_takes_errno(enum sc_action a)
{
	return a == ACT_ERRNO || a == ACT_TRACE;
}

/* ---- validation ------------------------------------------------------- */

/* Checks an action and its errnoRet; field is e.g. "syscalls[2]" or "" for
 * the default action. */
static int check_action(const char *action, bool has_errno, uint32_t errno_ret,
			const char *act_field, const char *errno_field, berth_err **err)
{
	int a;

	if (action == NULL)
		return berth_err_set(err, 0, SC ".%s: missing", act_field);
	a = lookup(action_names, action);
	if (a < 0)
		return berth_err_set(err, 0, SC ".%s: unknown action \"%s\"", act_field, action);
	if (has_errno && !action_takes_errno(a))
		return berth_err_set(err, 0, SC ".%s: not allowed with action %s", errno_field,
				     action);
	/* The kernel keeps 16 bits of return data. */
	if (has_errno && errno_ret > 0xffff)
		return berth_err_set(err, 0, SC ".%s: %u is out of range (0-65535)", errno_field,
				     errno_ret);
	return a;
}

static bool rule_repeats_index(const struct oci_seccomp_rule *r)
{
	unsigned seen = 0;

	for (size_t i = 0; i < r->n_args; i++) {
		unsigned bit = 1u << r->args[i].index;
		if (seen & bit)
			return true;
		seen |= bit;
	}
	return false;
}

int seccomp_profile_validate(const struct oci_seccomp *s, berth_err **err)
{
	bool notify = false, has_listener_flag = false;
	int a;

	if (s == NULL)
		return 0;
	a = check_action(s->default_action, s->has_default_errno_ret, s->default_errno_ret,
			 "defaultAction", "defaultErrnoRet", err);
	if (a < 0)
		return -1;
	if (a == ACT_NOTIFY)
		return berth_err_set(err, 0,
				     SC ".defaultAction: SCMP_ACT_NOTIFY cannot be the default action");

	for (size_t i = 0; i < s->n_architectures; i++) {
		const char *n = s->architectures ? s->architectures[i] : NULL;
		if (lookup(arch_names, n) < 0)
			return berth_err_set(err, 0, SC ".architectures[%zu]: unknown architecture \"%s\"",
					     i, n ? n : "");
	}
	for (size_t i = 0; i < s->n_flags; i++) {
		const char *n = s->flags ? s->flags[i] : NULL;
		int f = lookup(flag_names, n);
		if (f < 0)
			return berth_err_set(err, 0, SC ".flags[%zu]: unknown flag \"%s\"", i,
					     n ? n : "");
		if (flag_values[f] == SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV)
			has_listener_flag = true;
	}

	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct oci_seccomp_rule *r = &s->syscalls[i];
		char af[64], ef[64];

		snprintf(af, sizeof(af), "syscalls[%zu].action", i);
		snprintf(ef, sizeof(ef), "syscalls[%zu].errnoRet", i);
		a = check_action(r->action, r->has_errno_ret, r->errno_ret, af, ef, err);
		if (a < 0)
			return -1;
		if (a == ACT_NOTIFY)
			notify = true;
		if (r->n_names == 0 || r->names == NULL)
			return berth_err_set(err, 0,
					     SC ".syscalls[%zu].names: must contain at least one entry", i);
		for (size_t j = 0; j < r->n_names; j++) {
			const char *n = r->names[j];
			if (n == NULL || *n == '\0')
				return berth_err_set(err, 0, SC ".syscalls[%zu].names[%zu]: empty syscall name",
						     i, j);
			/* Names this libseccomp does not know are skipped when
			 * compiling: profiles written for newer kernels must
			 * still work here. */
		}
		for (size_t j = 0; j < r->n_args; j++) {
			const struct oci_seccomp_arg *arg = &r->args[j];
			if (arg->index > 5)
				return berth_err_set(err, 0,
						     SC ".syscalls[%zu].args[%zu].index: %u is out of range (0-5)",
						     i, j, arg->index);
			if (lookup(operator_names, arg->op) < 0)
				return berth_err_set(err, 0,
						     SC ".syscalls[%zu].args[%zu].op: unknown operator \"%s\"",
						     i, j, arg->op ? arg->op : "");
		}
	}

	if (notify && (s->listener_path == NULL || *s->listener_path == '\0'))
		return berth_err_set(err, 0, SC ".listenerPath: required when SCMP_ACT_NOTIFY is used");
	if (s->listener_metadata && *s->listener_metadata &&
	    (s->listener_path == NULL || *s->listener_path == '\0'))
		return berth_err_set(err, 0, SC ".listenerMetadata: must not be set without listenerPath");
	if (has_listener_flag && !notify)
		return berth_err_set(err, 0,
				     SC ".flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs an SCMP_ACT_NOTIFY rule");
	return 0;
}

/* ---- canonical serialisation of a profile -------------------------------- */

/* Every value is written with a fixed width and every string and array with
 * its length, so two different profiles can never serialise alike. */
static void ser_u64(struct sha256 *c, uint64_t v)
{
	uint8_t b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
	sha256_update(c, b, sizeof(b));
}

static void ser_str(struct sha256 *c, const char *s)
{
	if (s == NULL) {
		ser_u64(c, 0);
		return;
	}
	size_t n = strlen(s);
	ser_u64(c, n + 1); /* 0 is NULL, 1 is "" */
	sha256_update(c, s, n);
}

static void ser_strv(struct sha256 *c, char *const *v, size_t n)
{
	ser_u64(c, v ? n : 0);
	for (size_t i = 0; v && i < n; i++)
		ser_str(c, v[i]);
}

static void profile_key(const struct oci_seccomp *s, char hex[65])
{
	const struct scmp_version *ver = seccomp_version();
	struct sha256 c;
	uint8_t d[32];

	sha256_init(&c);
	ser_str(&c, CACHE_FORMAT);
#ifdef BERTH_VERSION
	ser_str(&c, BERTH_VERSION);
#endif
	/* The version string stays the same from commit to commit; a change in
	 * how profiles compile must not meet an old entry. */
#ifdef BERTH_COMMIT
	ser_str(&c, BERTH_COMMIT);
#endif
	/* The same profile compiles differently for another native arch, a
	 * libseccomp with another syscall table or another kernel API level. */
	ser_u64(&c, ver->major);
	ser_u64(&c, ver->minor);
	ser_u64(&c, ver->micro);
	ser_u64(&c, seccomp_arch_native());
	ser_u64(&c, seccomp_api_get());

	ser_str(&c, s->default_action);
	ser_u64(&c, s->has_default_errno_ret);
	ser_u64(&c, s->default_errno_ret);
	ser_strv(&c, s->architectures, s->n_architectures);
	ser_strv(&c, s->flags, s->n_flags);
	ser_str(&c, s->listener_path);
	ser_str(&c, s->listener_metadata);
	ser_u64(&c, s->n_syscalls);
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct oci_seccomp_rule *r = &s->syscalls[i];
		ser_strv(&c, r->names, r->n_names);
		ser_str(&c, r->action);
		ser_u64(&c, r->has_errno_ret);
		ser_u64(&c, r->errno_ret);
		ser_u64(&c, r->n_args);
		for (size_t j = 0; j < r->n_args; j++) {
			ser_u64(&c, r->args[j].index);
			ser_u64(&c, r->args[j].value);
			ser_u64(&c, r->args[j].value_two);
			ser_str(&c, r->args[j].op);
		}
	}
	sha256_final(&c, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* ---- compiling ---------------------------------------------------------- */

static void cleanup_scmp(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

static int rule_errno(const struct oci_seccomp_rule *r)
{
	return r->has_errno_ret ? (int)r->errno_ret : EPERM;
}

static int add_rule(scmp_filter_ctx ctx, size_t i, const struct oci_seccomp_rule *r,
		    uint32_t act, berth_err **err)
{
	/* As many comparisons as the rule has: more than six (the number of
	 * arguments) means one index repeats, and the rule is split below. */
	_cleanup_free_ struct scmp_arg_cmp *cmp = r->n_args ? calloc(r->n_args, sizeof(*cmp)) : NULL;
	bool split = rule_repeats_index(r);

	if (r->n_args && cmp == NULL)
		return berth_err_set(err, ENOMEM, SC ".syscalls[%zu]", i);
	for (size_t j = 0; j < r->n_args; j++) {
		cmp[j] = (struct scmp_arg_cmp){
			.arg = r->args[j].index,
			.op = (enum scmp_compare)(lookup(operator_names, r->args[j].op) + 1),
			.datum_a = r->args[j].value,
			.datum_b = r->args[j].value_two,
		};
	}
	for (size_t k = 0; k < r->n_names; k++) {
		const char *name = r->names[k];
		int nr = seccomp_syscall_resolve_name(name), rc = 0;

		if (nr == __NR_SCMP_ERROR) {
			log_debug("seccomp: skipping syscall %s unknown to libseccomp", name);
			continue;
		}
		if (!split) {
			rc = seccomp_rule_add_array(ctx, act, nr, (unsigned)r->n_args,
						    r->n_args ? cmp : NULL);
		} else {
			/* Two comparisons of one argument can never both hold
			 * in one rule (libseccomp refuses it anyway), so such
			 * a rule means "any of these", one rule each. */
			for (size_t j = 0; j < r->n_args && rc == 0; j++)
				rc = seccomp_rule_add_array(ctx, act, nr, 1, &cmp[j]);
		}
		if (rc < 0)
			return berth_err_set(err, -rc, SC ".syscalls[%zu]: add rule for %s", i, name);
	}
	return 0;
}

static int compile(const struct oci_seccomp *s, struct seccomp_program *out, berth_err **err)
{
	_cleanup_(cleanup_scmp) scmp_filter_ctx ctx = NULL;
	_cleanup_close_ int fd = -1;
	enum sc_action da = lookup(action_names, s->default_action);
	uint32_t def = action_value(da, s->has_default_errno_ret ? s->default_errno_ret : EPERM);
	size_t len = 0;
	char *bpf;
	int rc;

	ctx = seccomp_init(def);
	if (ctx == NULL)
		return berth_err_set(err, 0, SC ".defaultAction: libseccomp refused %s",
				     s->default_action);
	/* The filter is exported and loaded by us; these only keep libseccomp
	 * from touching the process if a load ever happened by mistake. */
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 0);
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	seccomp_attr_set(ctx, SCMP_FLTATR_API_SYSRAWRC, 1);

	for (size_t i = 0; i < s->n_architectures; i++) {
		int ai = lookup(arch_names, s->architectures[i]);
		rc = seccomp_arch_add(ctx, arch_tokens[ai]);
		/* The native arch is already there; a repeated one is fine. */
		if (rc == -EDOM)
			return berth_err_set(err, 0,
					     SC ".architectures[%zu]: %s cannot share a filter with the native architecture (byte order differs)",
					     i, s->architectures[i]);
		if (rc < 0 && rc != -EEXIST)
			return berth_err_set(err, -rc, SC ".architectures[%zu]: add %s", i,
					     s->architectures[i]);
	}
	for (size_t i = 0; i < s->n_syscalls; i++) {
		const struct oci_seccomp_rule *r = &s->syscalls[i];
		uint32_t act = action_value(lookup(action_names, r->action), (uint32_t)rule_errno(r));
		/* libseccomp refuses rules that repeat the default action;
		 * they change nothing anyway. */
		if (act == def)
			continue;
		if (add_rule(ctx, i, r, act, err) < 0)
			return -1;
	}

	fd = memfd_create("berth-seccomp-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return berth_err_set(err, errno, "seccomp: memfd_create");
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		return berth_err_set(err, -rc, "seccomp: export bpf");
	if (lseek(fd, 0, SEEK_SET) < 0)
		return berth_err_set(err, errno, "seccomp: lseek memfd");
	bpf = read_fd_all(fd, &len, err);
	if (bpf == NULL)
		return berth_err_wrap(err, "seccomp: read exported bpf");
	if (len == 0 || len % sizeof(struct sock_filter) != 0) {
		free(bpf);
		return berth_err_set(err, 0, "seccomp: libseccomp exported %zu bytes, not whole instructions",
				     len);
	}
	out->bpf = bpf;
	out->len = len;
	return 0;
}

/* ---- the cache ---------------------------------------------------------- */

static bool program_len_ok(size_t len)
{
	return len > 0 && len % sizeof(struct sock_filter) == 0 &&
	       len / sizeof(struct sock_filter) <= USHRT_MAX;
}

/* Opens the cache directory, creating it 0700. Returns -1 (with a warning)
 * when it cannot be used safely: a directory others can write to could hand
 * us any program. */
static int cache_open(const char *dir)
{
	_cleanup_err_ berth_err *e = NULL;
	_cleanup_close_ int fd = -1;
	struct stat st;

	if (mkdir_p(dir, 0700, &e) < 0) {
		_cleanup_free_ char *t = berth_err_text(e);
		log_warn("seccomp cache: %s", t);
		return -1;
	}
	fd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		log_warn("seccomp cache: open %s: %s", dir, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() || (st.st_mode & 0022)) {
		log_warn("seccomp cache: %s is not a private directory of this user, not using it",
			 dir);
		return -1;
	}
	return TAKE_FD(fd);
}

static int cache_read(int dirfd, const char *name, struct seccomp_program *out)
{
	_cleanup_err_ berth_err *e = NULL;
	_cleanup_close_ int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	size_t len = 0;
	char *bpf;

	if (fd < 0) {
		if (errno != ENOENT)
			log_warn("seccomp cache: open %s: %s", name, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return -1;
	bpf = read_fd_all(fd, &len, &e);
	if (bpf == NULL)
		return -1;
	if (!program_len_ok(len)) {
		log_warn("seccomp cache: %s has a bad size (%zu bytes), recompiling", name, len);
		free(bpf);
		return -1;
	}
	out->bpf = bpf;
	out->len = len;
	return 0;
}

int seccomp_program_build(const struct oci_seccomp *s, const char *cache_dir,
			  struct seccomp_program *out, berth_err **err)
{
	_cleanup_close_ int dirfd = -1;
	char name[80];

	*out = (struct seccomp_program){ 0 };
	if (s == NULL)
		return berth_err_set(err, EINVAL, SC ": no profile");
	if (seccomp_profile_validate(s, err) < 0)
		return -1;

	for (size_t i = 0; i < s->n_flags; i++)
		out->flags |= flag_values[lookup(flag_names, s->flags[i])];
	for (size_t i = 0; i < s->n_syscalls; i++)
		if (lookup(action_names, s->syscalls[i].action) == ACT_NOTIFY)
			out->needs_listener = 1;

	if (cache_dir) {
		char hex[65];
		profile_key(s, hex);
		snprintf(name, sizeof(name), "%s.bpf", hex);
		dirfd = cache_open(cache_dir);
		if (dirfd >= 0 && cache_read(dirfd, name, out) == 0)
			return 0;
	}

	if (compile(s, out, err) < 0)
		return -1;

	if (dirfd >= 0) {
		_cleanup_err_ berth_err *e = NULL;
		/* A cache that cannot be written only costs time later. */
		if (write_file_atomic_at(dirfd, name, out->bpf, out->len, 0600, &e) < 0) {
			_cleanup_free_ char *t = berth_err_text(e);
			log_warn("seccomp cache: %s", t);
		}
	}
	return 0;
}

void seccomp_program_release(struct seccomp_program *p)
{
	if (p == NULL)
		return;
	free(p->bpf);
	*p = (struct seccomp_program){ 0 };
}

/* ---- loading ------------------------------------------------------------ */

static long sys_seccomp(unsigned op, unsigned flags, void *args)
{
	return syscall(SYS_seccomp, op, flags, args);
}

/* After EINVAL: finds a flag this kernel does not know. An unknown flag fails
 * with EINVAL before the NULL program is read, a known one reaches the read
 * and fails with EFAULT. */
static const char *unsupported_flag(unsigned flags)
{
	for (size_t i = 0; i < ARRAY_SIZE(all_flags); i++) {
		if (!(flags & all_flags[i].value))
			continue;
		if (sys_seccomp(SECCOMP_SET_MODE_FILTER, all_flags[i].value, NULL) < 0 &&
		    errno == EINVAL)
			return all_flags[i].name;
	}
	return NULL;
}

int seccomp_program_load(const struct seccomp_program *p, int *listener_fd, berth_err **err)
{
	struct sock_fprog prog;
	unsigned flags;
	long r;

	if (listener_fd)
		*listener_fd = -1;
	if (p == NULL || p->bpf == NULL || !program_len_ok(p->len))
		return berth_err_set(err, EINVAL, "seccomp: no valid program to load");
	if (p->needs_listener && listener_fd == NULL)
		return berth_err_set(err, EINVAL, "seccomp: the profile needs a listener fd");

	prog.len = (unsigned short)(p->len / sizeof(struct sock_filter));
	prog.filter = p->bpf;
	flags = p->flags;
	if (p->needs_listener) {
		flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
		/* TSYNC reports a failed thread by returning its id, which
		 * would be ambiguous with the listener fd: the kernel only
		 * takes both together with TSYNC_ESRCH. */
		if (flags & SECCOMP_FILTER_FLAG_TSYNC)
			flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
	}

	r = sys_seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog);
	if (r < 0) {
		int e = errno;
		const char *bad;

		switch (e) {
		case EACCES:
			return berth_err_set(err, e,
					     "seccomp: load filter: no_new_privs is not set and CAP_SYS_ADMIN is missing");
		case EINVAL:
			bad = unsupported_flag(flags);
			if (bad)
				return berth_err_set(err, e, "seccomp: load filter: the kernel does not support %s",
						     bad);
			return berth_err_set(err, e, "seccomp: load filter (%u instructions, flags 0x%x)",
					     prog.len, flags);
		case ESRCH:
			return berth_err_set(err, e, "seccomp: load filter: another thread could not be synchronized");
		default:
			return berth_err_set(err, e, "seccomp: load filter");
		}
	}
	if (p->needs_listener) {
		int fd = (int)r;
		/* The kernel already makes it close-on-exec; a profile that
		 * denies fcntl must not turn this into a failure. */
		(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
		*listener_fd = fd;
	} else if (r > 0) {
		/* TSYNC without a listener: r is the thread that could not
		 * follow; the filter is not installed. */
		return berth_err_set(err, 0, "seccomp: load filter: thread %ld could not be synchronized",
				     r);
	}
	return 0;
}

/* ---- notify listener hand-over --------------------------------------------- */

int seccomp_notify_send(const char *listener_path, int listener_fd, const char *state_json,
			berth_err **err)
{
	_cleanup_close_ int sock = -1;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov;
	struct msghdr msg = { 0 };
	struct cmsghdr *cm;
	size_t len, off = 0;

	if (listener_path == NULL || *listener_path == '\0')
		return berth_err_set(err, EINVAL, SC ".listenerPath: not set");
	if (state_json == NULL || *state_json == '\0')
		return berth_err_set(err, EINVAL, "seccomp listener %s: empty state", listener_path);
	if (listener_fd < 0)
		return berth_err_set(err, EBADF, "seccomp listener %s: no listener fd", listener_path);
	if (strlen(listener_path) >= sizeof(addr.sun_path))
		return berth_err_set(err, ENAMETOOLONG, "seccomp listener %s", listener_path);
	strcpy(addr.sun_path, listener_path);

	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return berth_err_set(err, errno, "seccomp listener %s: socket", listener_path);
	if (connect(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return berth_err_set(err, errno, "seccomp listener %s: connect", listener_path);

	len = strlen(state_json);
	memset(&ctl, 0, sizeof(ctl));
	/* The fd travels with the first bytes only, as the spec requires. */
	while (off < len) {
		ssize_t n;

		iov = (struct iovec){ .iov_base = (char *)state_json + off, .iov_len = len - off };
		msg = (struct msghdr){ .msg_iov = &iov, .msg_iovlen = 1 };
		if (off == 0) {
			msg.msg_control = ctl.buf;
			msg.msg_controllen = sizeof(ctl.buf);
			cm = CMSG_FIRSTHDR(&msg);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &listener_fd, sizeof(int));
		}
		n = sendmsg(sock, &msg, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return berth_err_set(err, errno, "seccomp listener %s: send state", listener_path);
		}
		off += (size_t)n;
	}
	return 0;
}
