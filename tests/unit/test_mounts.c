/* Unit tests for src/linux/mounts: which mounts the runtime makes ahead of
 * the init (mount_prepared_ahead), and for which the init opens the
 * filesystem (mount_fs_namespace). Both processes decide from the config
 * alone and must agree, mount by mount, or the init takes a prepared fd
 * meant for another mount. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/mounts.h"
#include "test.h"

#define OPTS(...) ((char *[]){ __VA_ARGS__, NULL })

static struct oci_mount mnt(const char *dst, const char *type, char **options)
{
	struct oci_mount m = {.destination = (char *)dst, .type = (char *)type, .source = (char *)type,
			      .options = options};

	return m;
}

/* runc's default spec: proc, /dev, devpts, shm, mqueue, sysfs, cgroup, all
 * of them. */
TEST(runc_default_spec)
{
	struct oci_mount ms[] = {
		mnt("/proc", "proc", NULL),
		mnt("/dev", "tmpfs", OPTS("nosuid", "strictatime", "mode=755", "size=65536k")),
		mnt("/dev/pts", "devpts",
		    OPTS("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
		mnt("/dev/shm", "tmpfs", OPTS("nosuid", "noexec", "nodev", "mode=1777", "size=65536k")),
		mnt("/dev/mqueue", "mqueue", OPTS("nosuid", "noexec", "nodev")),
		mnt("/sys", "sysfs", OPTS("nosuid", "noexec", "nodev", "ro")),
		mnt("/sys/fs/cgroup", "cgroup", OPTS("nosuid", "noexec", "nodev", "relatime", "ro")),
	};
	struct oci_config cfg = {.mounts = ms, .n_mounts = sizeof(ms) / sizeof(ms[0])};
	for (size_t i = 0; i < cfg.n_mounts; i++)
		CHECK(mount_prepared_ahead(&cfg, i));
}

/* Only a prefix: after a mount the init makes (a bind here), none is made
 * ahead, or mountinfo would list it before the bind. */
TEST(only_a_prefix)
{
	struct oci_mount ms[] = {
		mnt("/proc", "proc", NULL),
		mnt("/dev", "tmpfs", NULL),
		mnt("/etc/hosts", "bind", OPTS("rbind")),
		mnt("/run", "tmpfs", NULL),
		mnt("/sys/fs/cgroup", "cgroup", NULL),
	};
	struct oci_config cfg = {.mounts = ms, .n_mounts = sizeof(ms) / sizeof(ms[0])};
	const bool want[] = {true, true, false, false, false};

	for (size_t i = 0; i < cfg.n_mounts; i++)
		CHECK(mount_prepared_ahead(&cfg, i) == want[i]);
}

/* What a detached mount cannot carry stays with the init: binds, tmpcopyup,
 * superblock flags other than ro, quoted data, idmaps, other types. */
TEST(left_to_the_init)
{
	struct oci_idmap id = {0, 1000, 1};
	struct oci_mount ms[] = {
		mnt("/a", "bind", OPTS("rbind")),
		mnt("/b", "tmpfs", OPTS("bind")),
		mnt("/c", "tmpfs", OPTS("tmpcopyup")),
		mnt("/d", "tmpfs", OPTS("sync")),
		mnt("/e", "tmpfs", OPTS("context=\"system_u:object_r:container_file_t:s0:c1,c2\"")),
		mnt("/g", "overlay", OPTS("lowerdir=/x")),
		mnt("/k", "cgroup", OPTS("rbind")),
		mnt("/h", NULL, NULL),
		mnt("/i", "tmpfs", OPTS("")),
		mnt("/j", "tmpfs", NULL),
	};
	struct oci_config cfg = {.mounts = ms, .n_mounts = sizeof(ms) / sizeof(ms[0])};

	ms[9].uid_mappings = &id;
	ms[9].n_uid_mappings = 1;
	for (size_t i = 0; i < cfg.n_mounts; i++) {
		struct oci_config one = {.mounts = &ms[i], .n_mounts = 1};
		CHECK(!mount_prepared_ahead(&one, 0));
	}
	(void)cfg;
}

/* Flags a mount fd carries are fine, "ro" included, and propagation (the
 * init sets it once attached); only the first "cgroup" mount gets the
 * prepared tree. */
TEST(carried_flags_and_first_cgroup)
{
	struct oci_mount ms[] = {
		mnt("/a", "tmpfs", OPTS("ro", "nosuid", "nodev", "noexec", "noatime", "nodiratime", "size=1m")),
		mnt("/b", "devpts", OPTS("rw", "relatime")),
		mnt("/c", "cgroup", OPTS("ro")),
		mnt("/d", "cgroup", OPTS("ro")),
		mnt("/e", "cgroup2", NULL),
		mnt("/f", "proc", OPTS("hidepid=2")),
		mnt("/g", "tmpfs", OPTS("rshared")),
	};
	const bool want[] = {true, true, true, false, false, true, true};

	/* Each on its own, but the second "cgroup", which needs the first. */
	for (size_t i = 0; i < sizeof(ms) / sizeof(ms[0]); i++) {
		struct oci_config one = {.mounts = &ms[i], .n_mounts = 1};
		struct oci_config upto = {.mounts = ms, .n_mounts = i + 1};
		if (i == 3)
			CHECK(!mount_prepared_ahead(&upto, i));
		else
			CHECK(mount_prepared_ahead(&one, 0) == want[i]);
	}
}

/* The filesystems the init opens for the runtime, one per namespace they
 * show; every other type is opened by the runtime. */
TEST(filesystems_that_capture_a_namespace)
{
	struct oci_mount proc = mnt("/proc", "proc", NULL), mq = mnt("/dev/mqueue", "mqueue", NULL),
			 sys = mnt("/sys", "sysfs", NULL), tmp = mnt("/dev", "tmpfs", NULL),
			 pts = mnt("/dev/pts", "devpts", NULL), cg = mnt("/sys/fs/cgroup", "cgroup", NULL),
			 none = mnt("/x", NULL, NULL);

	CHECK(mount_fs_namespace(&proc) == CLONE_NEWPID);
	CHECK(mount_fs_namespace(&mq) == CLONE_NEWIPC);
	CHECK(mount_fs_namespace(&sys) == CLONE_NEWNET);
	CHECK(mount_fs_namespace(&tmp) == 0);
	CHECK(mount_fs_namespace(&pts) == 0);
	CHECK(mount_fs_namespace(&cg) == 0);
	CHECK(mount_fs_namespace(&none) == 0);
}

/* A prefix of at most MOUNTS_PREPARED_MAX, however long the list: each
 * side sends a message per mount before reading the other's. */
TEST(prefix_is_bounded)
{
	struct oci_mount ms[MOUNTS_PREPARED_MAX + 8];
	struct oci_config cfg = {.mounts = ms, .n_mounts = sizeof(ms) / sizeof(ms[0])};

	for (size_t i = 0; i < cfg.n_mounts; i++)
		ms[i] = mnt("/t", "tmpfs", NULL);
	for (size_t i = 0; i < cfg.n_mounts; i++)
		CHECK(mount_prepared_ahead(&cfg, i) == (i < MOUNTS_PREPARED_MAX));
}

int main(void)
{
	RUN(runc_default_spec);
	RUN(only_a_prefix);
	RUN(left_to_the_init);
	RUN(carried_flags_and_first_cgroup);
	RUN(filesystems_that_capture_a_namespace);
	RUN(prefix_is_bounded);
	TEST_EXIT();
}
