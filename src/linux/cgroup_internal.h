/* Shared between the cgroup manager's files (cgroup.c, cgroup_discover.c,
 * cgroup_v1.c, cgroup_v2.c, cgroup_devices.c, cgroup_stats.c, ...): the
 * manager's layout and the helpers that read and write one cgroup file
 * with field-named errors. */
#ifndef BERTH_LINUX_CGROUP_INTERNAL_H
#define BERTH_LINUX_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "linux/cgroup.h"

/* One mounted hierarchy and the container's directory in it. */
struct cg_hier {
	char *controllers; /* "cpu,cpuacct", "memory", "name=systemd"; "" for cgroup2 */
	char *mount;       /* "/sys/fs/cgroup/memory" */
	char *dir;         /* mount + container path */
};

struct cgroup_manager {
	char *root;
	char *path; /* absolute, cleaned: "/berth/id" */
	enum cgroup_mode mode;
	/* A test tree (not the real cgroupfs): files are plain files, and every
	 * write is appended as one line so that tests can see values and order. */
	bool fake;
	struct cg_hier *v1; /* v1 and hybrid: the v1 hierarchies */
	size_t n_v1;
	char *unified_dir; /* v2: the cgroup; hybrid: its dir under <root>/unified */
	char *unified_mount;
	/* Set by create: which hierarchies' container directory this manager
	 * made (bit i: v1[i]; bit CG_MADE_UNIFIED: the unified one), so that
	 * undoing a failed create never removes a cgroup someone else made. */
	bool made_known;
	uint64_t made;
	bool existed; /* the container's cgroup was there (empty) before create */
	/* create: write the device policy even when the config has no rules
	 * (a new cgroup would otherwise keep its parent's, usually "a"). */
	bool device_policy;
	/* cgroup_manager_update_resources: limits kept in separate files that
	 * mean one OCI value (v2's memory.max and memory.swap.max) keep it. */
	bool updating;
};

#define CG_MADE_UNIFIED 63

/* The parent of a container's cgroup when linux.cgroupsPath is empty. */
#define CG_DEFAULT_PARENT "/berth"

/* In a test tree's root, the layout it imitates ("v1", "v2", "hybrid"). */
#define CG_FAKE_MODE_FILE ".berth-fake-mode"

/* strdup that aborts when out of memory, as every allocation of berth does. */
char *cg_strdup(const char *s);

/* Fills m->v1 with the host's (or the test tree's) v1 hierarchies: from
 * /proc/self/cgroup where the standard layout holds, else from mountinfo,
 * else from the test tree's directories. -1 with err. */
int cg_discover_v1(struct cgroup_manager *m, berth_err **err);

/* The rdma.max line of one linux.resources.rdma entry in buf: 1 when there
 * is one, 0 when the entry limits nothing, -1 (err) for a device name that
 * is not one (empty, too long, or with a blank in it). */
int cg_rdma_line(char *buf, size_t size, const struct oci_rdma_limit *l, berth_err **err);

/* The v1 hierarchy holding controller ("memory"; "systemd" finds
 * "name=systemd"), NULL when it is not mounted. */
struct cg_hier *cg_v1_find(struct cgroup_manager *m, const char *controller);

/* Writes value to dir/file. On failure fills err as
 * "<field>: write <file>" with the errno, or, when field is NULL,
 * "write <dir>/<file>". The raw errno is also left in errno. */
int cg_write(struct cgroup_manager *m, const char *dir, const char *file, const char *value,
	     const char *field, berth_err **err);

/* cg_write through *fd, which it opens when < 0 and leaves open for the
 * next value to the same file (the caller closes it): devices.allow takes
 * a dozen rules, one per write. */
int cg_write_keep(struct cgroup_manager *m, int *fd, const char *dir, const char *file, const char *value,
		  const char *field, berth_err **err);

/* Reads dir/file with the trailing newline removed; NULL (errno set) on
 * failure. */
char *cg_read(const char *dir, const char *file);

/* Monotonic milliseconds, and a sleep that survives signals: the bounded
 * waits of freeze and destroy. */
long cg_now_ms(void);
void cg_sleep_ms(long ms);

/* Reads a single unsigned number (or "max", which gives UINT64_MAX). */
int cg_read_u64(const char *dir, const char *file, uint64_t *out);

/* Looks up "key N" in a flat keyed file text (memory.stat, cpu.stat). */
bool cg_keyed_u64(const char *text, const char *key, uint64_t *out);

/* memory: write linux.resources.memory; rest: every other field. */
int cg_v1_set_resources(struct cgroup_manager *m, const struct oci_resources *r, bool memory, bool rest,
			berth_err **err);
int cg_v2_set_resources(struct cgroup_manager *m, const struct oci_resources *r, berth_err **err);

/* v1: writes the device rules (followed by the defaults every container
 * needs) to devices.deny / devices.allow in dir. */
int cg_devices_v1(struct cgroup_manager *m, const char *dir, const struct oci_device_rule *rules,
		  size_t n, berth_err **err);

/* The rules actually applied: "deny all", the configured ones, then the
 * defaults. linux.devices add none: the rules alone say what the container
 * may open, as in runc. Caller frees the array (not the strings). */
struct oci_device_rule *cg_devices_effective(const struct oci_device_rule *rules, size_t n, size_t *count);

/* v2: builds a BPF_PROG_TYPE_CGROUP_DEVICE program from the rules (and the
 * defaults), attaches it to dir and detaches the programs it replaces. */
int cg_devices_v2(struct cgroup_manager *m, const char *dir, const struct oci_device_rule *rules,
		  size_t n, berth_err **err);

/* The program cg_devices_v2 loads, as raw struct bpf_insn words (8 bytes
 * each), exposed for tests. Caller frees *insns. */
int cg_devices_bpf_build(const struct oci_device_rule *rules, size_t n, void **insns, size_t *count,
			 berth_err **err);

/* A loaded device program for insns (raw struct bpf_insn words): opened
 * from the pin cache in bpffs (pin_dir, normally CG_DEVICES_PIN_DIR) when
 * an earlier create pinned the same instructions, else loaded (the
 * verifier) and pinned there for the next one. *cached says which. Any
 * trouble with the cache (no bpffs, a directory not root's alone) only
 * means the program is loaded. Exposed for tests. */
#define CG_DEVICES_PIN_DIR "/sys/fs/bpf/berth"
int cg_devices_prog(const char *pin_dir, const void *insns, size_t count, bool *cached, berth_err **err);

/* The kernel's id of a loaded program (BPF_OBJ_GET_INFO_BY_FD), 0 if it
 * cannot say. */
uint32_t cg_devices_prog_id(int fd);

/* v2 conversions, as runc does them. */
uint64_t cg_shares_to_weight(uint64_t shares);
uint64_t cg_blkio_to_io_weight(uint64_t w);

#endif
