/* Device access rules (linux.resources.devices): v1 writes them to
 * devices.allow/devices.deny; v2 has no such files, so the rules become a
 * BPF_PROG_TYPE_CGROUP_DEVICE program, assembled here instruction by
 * instruction from the kernel's bpf UAPI and attached to the cgroup. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/cgroup_internal.h"
#include "util/cleanup.h"
#include "util/log.h"
#include "util/sha256.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

/* Where every policy starts, whatever the configured rules say: nothing is
 * allowed (a new v1 cgroup would otherwise inherit its parent's list, most
 * often "a *:* rwm", and the v2 program would allow what no rule matches). */
static const struct oci_device_rule deny_all = {false, 'a', -1, -1, (char *)"rwm"};

/* What every container may use whatever its rules say (the devices berth
 * creates in /dev), appended after the configured rules as runc does. Not
 * 5:1, the host's console: /dev/console is the container's pty. */
static const struct oci_device_rule default_rules[] = {
	{true, 'c', -1, -1, (char *)"m"}, {true, 'b', -1, -1, (char *)"m"},
	{true, 'c', 1, 3, (char *)"rwm"}, /* null */
	{true, 'c', 1, 5, (char *)"rwm"}, /* zero */
	{true, 'c', 1, 7, (char *)"rwm"}, /* full */
	{true, 'c', 1, 8, (char *)"rwm"}, /* random */
	{true, 'c', 1, 9, (char *)"rwm"}, /* urandom */
	{true, 'c', 5, 0, (char *)"rwm"}, /* tty */
	{true, 'c', 5, 2, (char *)"rwm"}, /* ptmx */
	{true, 'c', 136, -1, (char *)"rwm"}, /* pts */
};

struct oci_device_rule *cg_devices_effective(const struct oci_device_rule *rules, size_t n, size_t *count)
{
	size_t total = 1 + n + ARRAY_SIZE(default_rules), k = 0;
	struct oci_device_rule *all = calloc(total, sizeof(*all));

	if (all == NULL)
		berth_abort();
	all[k++] = deny_all;
	for (size_t i = 0; i < n; i++)
		all[k++] = rules[i];
	for (size_t i = 0; i < ARRAY_SIZE(default_rules); i++)
		all[k++] = default_rules[i];
	*count = k;
	return all;
}

/* Access letters to BPF_DEVCG_ACC_* bits; -1 for a letter outside "rwm". */
static int access_mask(const char *a)
{
	int mask = 0;

	if (a == NULL)
		return BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;
	for (; *a; a++) {
		switch (*a) {
		case 'm': mask |= BPF_DEVCG_ACC_MKNOD; break;
		case 'r': mask |= BPF_DEVCG_ACC_READ; break;
		case 'w': mask |= BPF_DEVCG_ACC_WRITE; break;
		default: return -1;
		}
	}
	return mask;
}

static int check_rules(const struct oci_device_rule *rules, size_t n, berth_err **err)
{
	for (size_t i = 0; i < n; i++) {
		const struct oci_device_rule *r = &rules[i];
		if (r->type != 'a' && r->type != 'c' && r->type != 'b')
			return berth_err_set(err, 0, "linux.resources.devices[%zu].type: %c: must be a, c or b",
					     i, r->type);
		if (access_mask(r->access) < 0)
			return berth_err_set(err, 0,
					     "linux.resources.devices[%zu].access: %s: must be letters of rwm",
					     i, r->access);
		if (r->major < -1 || r->major > INT32_MAX || r->minor < -1 || r->minor > INT32_MAX)
			return berth_err_set(err, 0, "linux.resources.devices[%zu]: major/minor out of range",
					     i);
	}
	return 0;
}

/* Puts a number, or "*" for any (< 0), at p; returns the end. */
static char *put_dev_number(char *p, int64_t v)
{
	char rev[24];
	size_t k = 0;
	uint64_t u = (uint64_t)v;

	if (v < 0) {
		*p++ = '*';
		return p;
	}
	do {
		rev[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (k)
		*p++ = rev[--k];
	return p;
}

/* A v1 rule line, "c 1:3 rwm", or "a" (any type resets the whole list: the
 * kernel ignores numbers and access after it). Formatted by hand: snprintf
 * was a tenth of what the runtime ran before its clone. buf holds at least
 * 96 bytes; the access string is cut to fit. */
static void format_v1_rule(char *buf, size_t size, const struct oci_device_rule *r)
{
	char *p = buf, *end = buf + size - 1;
	const char *a = r->access ? r->access : "rwm";

	if (r->type == 'a') {
		strcpy(buf, "a");
		return;
	}
	*p++ = r->type;
	*p++ = ' ';
	p = put_dev_number(p, r->major);
	*p++ = ':';
	p = put_dev_number(p, r->minor);
	*p++ = ' ';
	while (*a && p < end)
		*p++ = *a++;
	*p = '\0';
}

int cg_devices_v1(struct cgroup_manager *m, const char *dir, const struct oci_device_rule *rules,
		  size_t n, berth_err **err)
{
	size_t total;
	_cleanup_free_ struct oci_device_rule *all = NULL;
	_cleanup_close_ int allow_fd = -1, deny_fd = -1;
	char buf[96];

	if (check_rules(rules, n, err) < 0)
		return -1;
	bool empty = false; /* the list is known empty: "a" denied, nothing since */

	all = cg_devices_effective(rules, n, &total);
	for (size_t i = 0; i < total; i++) {
		const struct oci_device_rule *r = &all[i];
		const char *file = r->allow ? "devices.allow" : "devices.deny";
		if (r->type != 'a' && r->access && *r->access == '\0')
			continue; /* no access granted or taken */
		if (!r->allow && r->type == 'a') {
			if (empty)
				continue; /* the config's own "deny all" after ours */
			empty = true;
		} else {
			empty = false;
		}
		format_v1_rule(buf, sizeof(buf), r);
		if (cg_write_keep(m, r->allow ? &allow_fd : &deny_fd, dir, file, buf, "linux.resources.devices",
				  err) < 0)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------- the program */

struct prog {
	struct bpf_insn *v;
	size_t n, cap;
};

static void emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = realloc(p->v, p->cap * sizeof(*p->v));
		if (p->v == NULL)
			berth_abort();
	}
	p->v[p->n++] = (struct bpf_insn){.code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm};
}

/* Registers the program keeps its inputs in. */
enum { R0, R1, R2_TYPE, R3_ACCESS, R4_MAJOR, R5_MINOR };

/* Number of instructions a rule's block takes, so jumps can skip it. */
static size_t block_len(const struct oci_device_rule *r)
{
	size_t len = 2; /* r0 = verdict; exit */
	int mask = access_mask(r->access);

	if (r->type != 'a')
		len += 1;
	if (mask != 7)
		len += 3;
	if (r->type != 'a' && r->major >= 0)
		len += 1;
	if (r->type != 'a' && r->minor >= 0)
		len += 1;
	return len;
}

/* The verdict is that of the last rule matching the access, as in v1 where
 * each write overrides what came before; so blocks run from the last rule
 * back and the first match returns. An allow rule matches when it grants
 * every requested access bit, a deny rule when it takes any of them. With
 * no match the access is allowed, v1's default for a new cgroup; rules
 * before a catch-all "a" rule never decide anything and are left out. */
int cg_devices_bpf_build(const struct oci_device_rule *rules, size_t n, void **insns, size_t *count,
			 berth_err **err)
{
	struct prog p = {0};
	bool terminal = false;

	if (check_rules(rules, n, err) < 0)
		return -1;
	/* ctx: struct bpf_cgroup_dev_ctx {access_type, major, minor}. */
	emit(&p, BPF_LDX | BPF_MEM | BPF_W, R2_TYPE, R1, 0, 0);
	emit(&p, BPF_ALU64 | BPF_MOV | BPF_X, R3_ACCESS, R2_TYPE, 0, 0);
	emit(&p, BPF_ALU64 | BPF_AND | BPF_K, R2_TYPE, 0, 0, 0xffff);
	emit(&p, BPF_ALU64 | BPF_RSH | BPF_K, R3_ACCESS, 0, 0, 16);
	emit(&p, BPF_LDX | BPF_MEM | BPF_W, R4_MAJOR, R1, 4, 0);
	emit(&p, BPF_LDX | BPF_MEM | BPF_W, R5_MINOR, R1, 8, 0);
	for (size_t i = n; i-- > 0;) {
		const struct oci_device_rule *r = &rules[i];
		int mask = access_mask(r->access);
		size_t end;
		if (mask == 0)
			continue; /* grants or takes nothing */
		end = p.n + block_len(r);
#define TO_END() ((int16_t)(end - (p.n + 1)))
		if (r->type != 'a')
			emit(&p, BPF_JMP | BPF_JNE | BPF_K, R2_TYPE, 0, TO_END(),
			     r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
		if (mask != 7) {
			emit(&p, BPF_ALU64 | BPF_MOV | BPF_X, R1, R3_ACCESS, 0, 0);
			if (r->allow) {
				emit(&p, BPF_ALU64 | BPF_AND | BPF_K, R1, 0, 0, ~mask & 7);
				emit(&p, BPF_JMP | BPF_JNE | BPF_K, R1, 0, TO_END(), 0);
			} else {
				emit(&p, BPF_ALU64 | BPF_AND | BPF_K, R1, 0, 0, mask);
				emit(&p, BPF_JMP | BPF_JEQ | BPF_K, R1, 0, TO_END(), 0);
			}
		}
		if (r->type != 'a' && r->major >= 0)
			emit(&p, BPF_JMP | BPF_JNE | BPF_K, R4_MAJOR, 0, TO_END(), (int32_t)r->major);
		if (r->type != 'a' && r->minor >= 0)
			emit(&p, BPF_JMP | BPF_JNE | BPF_K, R5_MINOR, 0, TO_END(), (int32_t)r->minor);
#undef TO_END
		emit(&p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, r->allow ? 1 : 0);
		emit(&p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		if (p.n != end)
			berth_abort();
		/* Matching everything, it ends the program: the verifier
		 * refuses code that no path reaches. */
		if (r->type == 'a' && mask == 7) {
			terminal = true;
			break;
		}
	}
	if (!terminal) {
		emit(&p, BPF_ALU64 | BPF_MOV | BPF_K, R0, 0, 0, 1);
		emit(&p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	}
	*insns = p.v;
	*count = p.n;
	return 0;
}

static int bpf_call(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int load_prog(const struct bpf_insn *insns, size_t n, berth_err **err)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = (uint32_t)n;
	a.license = (uintptr_t) "Apache";
	fd = bpf_call(BPF_PROG_LOAD, &a);
	if (fd >= 0)
		return fd;
	if (errno == EINVAL || errno == EACCES) {
		/* Once more with the verifier's log, to say why. */
		_cleanup_free_ char *log = calloc(1, 65536);
		int e = errno;
		if (log) {
			a.log_level = 1;
			a.log_buf = (uintptr_t)log;
			a.log_size = 65536;
			fd = bpf_call(BPF_PROG_LOAD, &a);
			if (fd >= 0)
				return fd;
			log_debug("bpf verifier: %s", log);
		}
		errno = e;
	}
	return berth_err_set(err, errno, "linux.resources.devices: load device cgroup program");
}

/* The pin cache: loading runs the verifier, 0.45-0.7 ms here, a tenth of a
 * `run` on a v2 host, for a program that depends only on the rules, which
 * most containers share (the defaults). The directory must be a real
 * directory on bpffs, root's and closed to everyone else: only root can then
 * have put a program there, and root already holds every power that
 * program has. Names are the SHA-256 of the instructions, so a name cannot
 * stand for another program; the type is checked all the same. */
static bool on_bpffs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && (unsigned long)sf.f_type == (unsigned long)BPF_FS_MAGIC;
}

static bool pin_dir_ok(const char *dir, bool create)
{
	struct stat st;

	if (create) {
		char parent[PATH_MAX];
		char *slash;
		snprintf(parent, sizeof(parent), "%s", dir);
		slash = strrchr(parent, '/');
		if (slash == NULL || slash == parent)
			return false;
		*slash = '\0';
		/* Made only on bpffs: nothing is left behind where there is none. */
		if (!on_bpffs(parent) || (mkdir(dir, 0700) < 0 && errno != EEXIST))
			return false;
	}
	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & 077) != 0)
		return false;
	return on_bpffs(dir);
}

/* BPF_OBJ_GET_INFO_BY_FD of a loaded program into *info. */
static int prog_info(int fd, struct bpf_prog_info *info)
{
	union bpf_attr a;

	memset(info, 0, sizeof(*info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(*info);
	a.info.info = (uintptr_t)info;
	return bpf_call(BPF_OBJ_GET_INFO_BY_FD, &a);
}

uint32_t cg_devices_prog_id(int fd)
{
	struct bpf_prog_info info;

	return prog_info(fd, &info) == 0 ? info.id : 0;
}

static int pinned_get(const char *path)
{
	struct bpf_prog_info info;
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	fd = bpf_call(BPF_OBJ_GET, &a);
	if (fd < 0)
		return -1;
	if (prog_info(fd, &info) < 0 || info.type != BPF_PROG_TYPE_CGROUP_DEVICE) {
		close(fd);
		return -1;
	}
	return fd;
}

int cg_devices_prog(const char *pin_dir, const void *insns, size_t count, bool *cached, berth_err **err)
{
	char hex[65], path[PATH_MAX];
	union bpf_attr a;
	int fd;

	*cached = false;
	sha256_hex(insns, count * sizeof(struct bpf_insn), hex);
	if (snprintf(path, sizeof(path), "%s/dev-%s", pin_dir, hex) >= (int)sizeof(path))
		return load_prog(insns, count, err);
	if (pin_dir_ok(pin_dir, false) && (fd = pinned_get(path)) >= 0) {
		*cached = true;
		return fd;
	}
	fd = load_prog(insns, count, err);
	if (fd < 0)
		return -1;
	if (pin_dir_ok(pin_dir, true)) {
		memset(&a, 0, sizeof(a));
		a.pathname = (uintptr_t)path;
		a.bpf_fd = (uint32_t)fd;
		if (bpf_call(BPF_OBJ_PIN, &a) < 0 && errno != EEXIST)
			log_debug("device program cache %s: %s", path, strerror(errno));
	}
	return fd;
}

int cg_devices_v2(struct cgroup_manager *m, const char *dir, const struct oci_device_rule *rules,
		  size_t n, berth_err **err)
{
	_cleanup_free_ struct oci_device_rule *all = NULL;
	_cleanup_free_ void *insns = NULL;
	_cleanup_close_ int prog = -1, dfd = -1;
	uint32_t old_ids[64];
	uint32_t n_old = 0, self_id = 0;
	bool cached, attached = false;
	size_t total, count;
	union bpf_attr a;

	if (check_rules(rules, n, err) < 0)
		return -1;
	all = cg_devices_effective(rules, n, &total);
	if (cg_devices_bpf_build(all, total, &insns, &count, err) < 0)
		return -1;
	if (m->fake)
		return 0; /* a plain directory cannot hold a program */
	prog = cg_devices_prog(CG_DEVICES_PIN_DIR, insns, count, &cached, err);
	if (prog < 0)
		return -1;
	log_debug("device program for %s: %s", dir, cached ? "pinned one reused" : "loaded");
	dfd = openat(AT_FDCWD, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return berth_err_set(err, errno, "open %s", dir);

	/* The programs attached now (an earlier create or update) go once
	 * the new one is in place, so that no access slips through between. */
	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)dfd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (uintptr_t)old_ids;
	a.query.prog_cnt = ARRAY_SIZE(old_ids);
	if (bpf_call(BPF_PROG_QUERY, &a) == 0)
		n_old = a.query.prog_cnt;

	/* A pinned program may be attached here already (containers that
	 * share a cgroup and their rules): the kernel refuses it twice, and
	 * it must stay while the others go. */
	if (n_old > 0)
		self_id = cg_devices_prog_id(prog);
	for (uint32_t i = 0; i < n_old && i < ARRAY_SIZE(old_ids); i++)
		attached |= self_id != 0 && old_ids[i] == self_id;
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dfd;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (!attached && bpf_call(BPF_PROG_ATTACH, &a) < 0)
		return berth_err_set(err, errno, "linux.resources.devices: attach device program to %s", dir);

	for (uint32_t i = 0; i < n_old && i < ARRAY_SIZE(old_ids); i++) {
		_cleanup_close_ int ofd = -1;
		if (old_ids[i] == self_id)
			continue;
		memset(&a, 0, sizeof(a));
		a.prog_id = old_ids[i];
		a.open_flags = 0;
		ofd = bpf_call(BPF_PROG_GET_FD_BY_ID, &a);
		if (ofd < 0) {
			log_warn("device program %u of %s: %s", old_ids[i], dir, strerror(errno));
			continue;
		}
		memset(&a, 0, sizeof(a));
		a.target_fd = (uint32_t)dfd;
		a.attach_bpf_fd = (uint32_t)ofd;
		a.attach_type = BPF_CGROUP_DEVICE;
		if (bpf_call(BPF_PROG_DETACH, &a) < 0)
			log_warn("detach device program %u of %s: %s", old_ids[i], dir, strerror(errno));
	}
	return 0;
}
