/* Unit tests for src/linux/devices: when the default device nodes may be
 * made ahead into the detached /dev tmpfs (devices_prefill_ok). A yes where
 * a later mount covers /dev or a default's path would leave the nodes under
 * it; a yes with /dev bound from the host would make nodes berth must not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "linux/devices.h"
#include "test.h"

#define OPTS(...) ((char *[]){ __VA_ARGS__, NULL })

static struct oci_mount mnt(const char *dst, const char *type, char **options)
{
	struct oci_mount m = {.destination = (char *)dst, .type = (char *)type, .source = (char *)type,
			      .options = options};

	for (size_t i = 0; options && options[i]; i++)
		m.n_options++;
	return m;
}

TEST(runc_default_spec)
{
	struct oci_mount ms[] = {
		mnt("/proc", "proc", NULL),
		mnt("/dev", "tmpfs", OPTS("nosuid", "strictatime", "mode=755", "size=65536k")),
		mnt("/dev/pts", "devpts", OPTS("nosuid", "noexec", "newinstance")),
		mnt("/dev/shm", "tmpfs", OPTS("nosuid", "noexec", "nodev")),
		mnt("/dev/mqueue", "mqueue", NULL),
		mnt("/sys", "sysfs", OPTS("ro")),
	};
	struct oci_linux l = {0};
	struct oci_config cfg = {.mounts = ms, .n_mounts = sizeof(ms) / sizeof(ms[0]), .linux = &l};

	CHECK(devices_prefill_ok(&cfg, 1));
	CHECK(!devices_prefill_ok(&cfg, 0)); /* not /dev */
	CHECK(!devices_prefill_ok(&cfg, 3)); /* /dev/shm is not /dev */
}

/* A later mount on /dev itself (however spelt) or on a default's path. */
TEST(later_mounts_cover_it)
{
	const char *later[] = {"/dev", "//dev/", "/dev/null", "/dev//tty", "/dev/fd", "/dev/ptmx", "/dev/stdout"};

	for (size_t k = 0; k < sizeof(later) / sizeof(later[0]); k++) {
		struct oci_mount ms[] = {
			mnt("/dev", "tmpfs", NULL),
			mnt(later[k], "tmpfs", NULL),
		};
		struct oci_config cfg = {.mounts = ms, .n_mounts = 2};

		CHECK(!devices_prefill_ok(&cfg, 0));
	}
	/* Below /dev but on no default's path: fine. */
	{
		struct oci_mount ms[] = {
			mnt("/dev", "tmpfs", NULL),
			mnt("/dev/nullish", "tmpfs", NULL),
			mnt("/dev/hugepages", "tmpfs", NULL),
		};
		struct oci_config cfg = {.mounts = ms, .n_mounts = 3};

		CHECK(devices_prefill_ok(&cfg, 0));
	}
}

/* The host's /dev bound anywhere in the list, a default in linux.devices
 * (its own mode and owner), or /dev not a tmpfs. */
TEST(left_to_the_init)
{
	struct oci_mount bound[] = {
		mnt("/dev", "tmpfs", NULL),
		mnt("/dev", "none", OPTS("rbind")),
	};
	struct oci_config c1 = {.mounts = bound, .n_mounts = 2};
	struct oci_device null = {.path = (char *)"/dev/null", .type = 'c', .major = 1, .minor = 3};
	struct oci_linux l = {.devices = &null, .n_devices = 1};
	struct oci_mount dev[] = {mnt("/dev", "tmpfs", NULL)};
	struct oci_config c2 = {.mounts = dev, .n_mounts = 1, .linux = &l};
	struct oci_mount notmp[] = {mnt("/dev", "devtmpfs", NULL)};
	struct oci_config c3 = {.mounts = notmp, .n_mounts = 1};

	CHECK(!devices_prefill_ok(&c1, 0));
	CHECK(!devices_prefill_ok(&c2, 0));
	CHECK(!devices_prefill_ok(&c3, 0));
}

int main(void)
{
	RUN(runc_default_spec);
	RUN(later_mounts_cover_it);
	RUN(left_to_the_init);
	TEST_EXIT();
}
