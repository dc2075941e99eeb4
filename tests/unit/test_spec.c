/* Unit tests for src/oci/spec.c: the default config (root and rootless)
 * decodes cleanly with berth's own decoder and has runc's content. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include <linux/capability.h>

#include "linux/mount_opts.h"
#include "oci/config.h"
#include "oci/spec.h"
#include "test.h"
#include "util/cleanup.h"

#define BIT(c) (UINT64_C(1) << (c))

static const struct oci_mount *find_mount(const struct oci_config *c, const char *dest)
{
	for (size_t i = 0; i < c->n_mounts; i++)
		if (strcmp(c->mounts[i].destination, dest) == 0)
			return &c->mounts[i];
	return NULL;
}

static bool has_option(const struct oci_mount *m, const char *opt)
{
	for (size_t i = 0; m && i < m->n_options; i++)
		if (strcmp(m->options[i], opt) == 0)
			return true;
	return false;
}

TEST(default_spec_decodes)
{
	_cleanup_free_ char *text = oci_spec_default(false);
	_cleanup_err_ berth_err *err = NULL;
	struct oci_config *c;
	const uint64_t caps = BIT(CAP_AUDIT_WRITE) | BIT(CAP_KILL) | BIT(CAP_NET_BIND_SERVICE);

	CHECK(text != NULL);
	c = oci_config_parse(text, strlen(text), &err);
	CHECK(c != NULL);
	if (c == NULL) {
		fprintf(stderr, "  %s\n", err->msg);
		return;
	}
	CHECK_STR(c->oci_version, "1.2.0");
	CHECK_STR(c->root_path, "rootfs");
	CHECK(c->root_readonly);
	CHECK_STR(c->hostname, "berth");
	CHECK(c->process && c->process->terminal && c->process->user.uid == 0 && c->process->user.gid == 0);
	CHECK_STR(c->process->args[0], "sh");
	CHECK(c->process->args[1] == NULL);
	CHECK_STR(c->process->cwd, "/");
	CHECK_STR(c->process->env[1], "TERM=xterm");
	CHECK(c->process->caps && c->process->caps->bounding == caps && c->process->caps->effective == caps &&
	      c->process->caps->permitted == caps && c->process->caps->ambient == caps &&
	      c->process->caps->inheritable == 0);
	CHECK(c->process->n_rlimits == 1 && c->process->rlimits[0].soft == 1024 && c->process->rlimits[0].hard == 1024);
	CHECK(c->process->no_new_privileges);
	CHECK(c->n_mounts == 7);
	CHECK(has_option(find_mount(c, "/dev/pts"), "gid=5"));
	CHECK_STR(find_mount(c, "/sys")->type, "sysfs");
	CHECK(has_option(find_mount(c, "/sys/fs/cgroup"), "ro"));
	CHECK(c->linux && c->linux->n_namespaces == 5);
	CHECK(oci_config_namespace(c, CLONE_NEWNET) != NULL);
	CHECK(oci_config_namespace(c, CLONE_NEWUSER) == NULL);
	CHECK(c->linux->resources && c->linux->resources->n_devices == 1 && !c->linux->resources->devices[0].allow);
	CHECK_STR(c->linux->resources->devices[0].access, "rwm");
	CHECK(c->linux->n_masked_paths == 10 && c->linux->n_readonly_paths == 5);
	CHECK_STR(c->linux->masked_paths[0], "/proc/acpi");
	CHECK_STR(c->linux->readonly_paths[4], "/proc/sysrq-trigger");
	CHECK(c->linux->n_uid_mappings == 0);
	/* Every mount's options decode. */
	for (size_t i = 0; i < c->n_mounts; i++) {
		struct mount_opts o;
		CHECK(mount_opts_parse(c->mounts[i].options, &o, NULL) == 0);
		mount_opts_clear(&o);
	}
	oci_config_free(c);
}

TEST(rootless_spec_decodes)
{
	_cleanup_free_ char *text = oci_spec_default(true);
	_cleanup_err_ berth_err *err = NULL;
	struct oci_config *c;
	const struct oci_mount *sys;

	c = oci_config_parse(text, strlen(text), &err);
	CHECK(c != NULL);
	if (c == NULL) {
		fprintf(stderr, "  %s\n", err->msg);
		return;
	}
	CHECK(oci_config_namespace(c, CLONE_NEWUSER) != NULL);
	CHECK(oci_config_namespace(c, CLONE_NEWNET) == NULL);
	CHECK(c->linux->n_uid_mappings == 1 && c->linux->uid_mappings[0].host_id == geteuid() &&
	      c->linux->uid_mappings[0].container_id == 0 && c->linux->uid_mappings[0].size == 1);
	CHECK(c->linux->n_gid_mappings == 1 && c->linux->gid_mappings[0].host_id == getegid());
	CHECK(c->linux->resources == NULL);
	CHECK(!has_option(find_mount(c, "/dev/pts"), "gid=5"));
	CHECK(has_option(find_mount(c, "/dev/pts"), "mode=0620"));
	sys = find_mount(c, "/sys");
	CHECK(sys && has_option(sys, "rbind") && strcmp(sys->source, "/sys") == 0);
	oci_config_free(c);
}

/* The text is what a person reads and edits: tab-indented and unescaped. */
TEST(spec_text_layout)
{
	_cleanup_free_ char *text = oci_spec_default(false);

	CHECK(strncmp(text, "{\n\t\"ociVersion\": \"1.2.0\",\n\t\"process\": {\n", 39) == 0);
	CHECK_CONTAINS(text, "\"destination\": \"/sys/fs/cgroup\"");
	CHECK(strstr(text, "\\/") == NULL);
}

int main(void)
{
	RUN(default_spec_decodes);
	RUN(rootless_spec_decodes);
	RUN(spec_text_layout);
	TEST_EXIT();
}
