/* Unit tests for the config.json decoders (src/oci/config.c, decode.c,
 * names.c): every field lands in the right place, type/range/syntax errors
 * name the JSON path, and the spec's validation rules are enforced. */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <linux/capability.h>

#include "oci/config.h"
#include "test.h"
#include "util/cleanup.h"
#include "util/fs.h"

#define SPEC_TESTS "/work/shared/reference/oci-runtime-spec/schema/test/config"

static struct oci_config *parse(const char *json, berth_err **err)
{
	return oci_config_parse(json, strlen(json), err);
}

/* Expects json to be rejected with a message containing want. */
static int rejects(const char *json, const char *want)
{
	_cleanup_err_ berth_err *err = NULL;
	struct oci_config *c = parse(json, &err);

	if (c != NULL) {
		fprintf(stderr, "  accepted: %s\n", json);
		oci_config_free(c);
		return 0;
	}
	if (err == NULL || strstr(err->msg, want) == NULL) {
		fprintf(stderr, "  error \"%s\" lacks \"%s\"\n", err ? err->msg : "(none)", want);
		return 0;
	}
	return 1;
}

#define MIN_HEAD "\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"rootfs\"}"
#define PROC(extra) "\"process\":{\"cwd\":\"/\",\"args\":[\"sh\"]" extra "}"
#define DOC(...) "{" MIN_HEAD "," __VA_ARGS__ "}"

static const char full_config[] =
	"{\n"
	"  \"ociVersion\": \"1.2.0\",\n"
	"  \"root\": {\"path\": \"/b/rootfs\", \"readonly\": true},\n"
	"  \"hostname\": \"h\", \"domainname\": \"d.test\",\n"
	"  \"unknownTopLevel\": {\"whatever\": [1, 2, {}]},\n"
	"  \"process\": {\n"
	"    \"terminal\": true, \"consoleSize\": {\"height\": 24, \"width\": 80},\n"
	"    \"cwd\": \"/work\", \"env\": [\"A=1\", \"B=2\"], \"args\": [\"sh\", \"-c\", \"true\"],\n"
	"    \"user\": {\"uid\": 1000, \"gid\": 100, \"umask\": 18, \"additionalGids\": [5, 2147483647],\n"
	"             \"username\": \"me\"},\n"
	"    \"capabilities\": {\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\", \"CAP_CHECKPOINT_RESTORE\"],\n"
	"                     \"effective\": [\"CAP_KILL\"], \"inheritable\": [],\n"
	"                     \"permitted\": [\"CAP_SYS_ADMIN\"], \"ambient\": [\"CAP_NET_RAW\"]},\n"
	"    \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1024, \"hard\": 4096},\n"
	"                {\"type\": \"RLIMIT_CORE\", \"soft\": 18446744073709551615, \"hard\": 18446744073709551615}],\n"
	"    \"noNewPrivileges\": true, \"apparmorProfile\": \"prof\", \"oomScoreAdj\": -500,\n"
	"    \"selinuxLabel\": \"lbl\", \"ioPriority\": {\"class\": \"IOPRIO_CLASS_IDLE\", \"priority\": 7}\n"
	"  },\n"
	"  \"mounts\": [\n"
	"    {\"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\"},\n"
	"    {\"destination\": \"rel/dir\", \"type\": \"bind\", \"source\": \"/src\", \"options\": [\"rbind\", \"ro\"],\n"
	"     \"uidMappings\": [{\"containerID\": 0, \"hostID\": 1000, \"size\": 10}],\n"
	"     \"gidMappings\": [{\"containerID\": 1, \"hostID\": 2000, \"size\": 20}]}\n"
	"  ],\n"
	"  \"hooks\": {\n"
	"    \"prestart\": [{\"path\": \"/bin/pre\"}],\n"
	"    \"createRuntime\": [{\"path\": \"/bin/cr\", \"args\": [\"cr\", \"x\"], \"env\": [\"K=V\"], \"timeout\": 5}],\n"
	"    \"createContainer\": [{\"path\": \"/bin/cc\"}, {\"path\": \"/bin/cc2\"}],\n"
	"    \"startContainer\": [{\"path\": \"/bin/sc\"}],\n"
	"    \"poststart\": [{\"path\": \"/bin/ps\"}],\n"
	"    \"poststop\": [{\"path\": \"/bin/pst\", \"timeout\": 1}]\n"
	"  },\n"
	"  \"annotations\": {\"a.b\": \"c\", \"d\": \"\"},\n"
	"  \"linux\": {\n"
	"    \"namespaces\": [{\"type\": \"pid\"}, {\"type\": \"network\", \"path\": \"/var/run/netns/x\"},\n"
	"                   {\"type\": \"mount\"}, {\"type\": \"ipc\"}, {\"type\": \"uts\"}, {\"type\": \"user\"},\n"
	"                   {\"type\": \"cgroup\"}, {\"type\": \"time\", \"path\": \"\"}],\n"
	"    \"uidMappings\": [{\"containerID\": 0, \"hostID\": 100000, \"size\": 65536}],\n"
	"    \"gidMappings\": [{\"containerID\": 0, \"hostID\": 200000, \"size\": 65536}],\n"
	"    \"devices\": [{\"type\": \"c\", \"path\": \"/dev/fuse\", \"major\": 10, \"minor\": 229, \"fileMode\": 438,\n"
	"                 \"uid\": 0, \"gid\": 5}, {\"type\": \"p\", \"path\": \"/dev/fifo\"}],\n"
	"    \"cgroupsPath\": \"system.slice:berth:abc\",\n"
	"    \"resources\": {\n"
	"      \"devices\": [{\"allow\": false, \"access\": \"rwm\"},\n"
	"                  {\"allow\": true, \"type\": \"c\", \"major\": 1, \"minor\": 3, \"access\": \"rw\"}],\n"
	"      \"memory\": {\"limit\": 536870912, \"reservation\": 1024, \"swap\": -1, \"kernel\": -1,\n"
	"                 \"kernelTCP\": 7, \"swappiness\": 60, \"disableOOMKiller\": true,\n"
	"                 \"useHierarchy\": false, \"checkBeforeUpdate\": true},\n"
	"      \"cpu\": {\"shares\": 1024, \"quota\": -1, \"burst\": 5, \"period\": 100000,\n"
	"              \"realtimeRuntime\": 950000, \"realtimePeriod\": 1000000, \"cpus\": \"0-1\",\n"
	"              \"mems\": \"0\", \"idle\": 1},\n"
	"      \"pids\": {\"limit\": 100},\n"
	"      \"blockIO\": {\"weight\": 10, \"leafWeight\": 20,\n"
	"                  \"weightDevice\": [{\"major\": 8, \"minor\": 0, \"weight\": 500, \"leafWeight\": 300},\n"
	"                                   {\"major\": 8, \"minor\": 16, \"weight\": 65535}],\n"
	"                  \"throttleReadBpsDevice\": [{\"major\": 8, \"minor\": 0, \"rate\": 600}],\n"
	"                  \"throttleWriteBpsDevice\": [{\"major\": 8, \"minor\": 1, \"rate\": 601}],\n"
	"                  \"throttleReadIOPSDevice\": [{\"major\": 8, \"minor\": 2, \"rate\": 602}],\n"
	"                  \"throttleWriteIOPSDevice\": [{\"major\": 8, \"minor\": 3, \"rate\": 603}]},\n"
	"      \"hugepageLimits\": [{\"pageSize\": \"2MB\", \"limit\": 9223372036854772000}],\n"
	"      \"network\": {\"classID\": 1048577, \"priorities\": [{\"name\": \"eth0\", \"priority\": 500}]},\n"
	"      \"rdma\": {\"mlx5_1\": {\"hcaHandles\": 3, \"hcaObjects\": 10000}, \"rxe3\": {\"hcaObjects\": 7}},\n"
	"      \"unified\": {\"memory.high\": \"1G\", \"io.weight\": \"default 100\"}\n"
	"    },\n"
	"    \"rootfsPropagation\": \"rslave\",\n"
	"    \"maskedPaths\": [\"/proc/kcore\", \"/proc/keys\"],\n"
	"    \"readonlyPaths\": [\"/proc/sys\"],\n"
	"    \"sysctl\": {\"net.ipv4.ip_forward\": \"1\"},\n"
	"    \"seccomp\": {\"defaultAction\": \"SCMP_ACT_ERRNO\", \"defaultErrnoRet\": 38,\n"
	"                \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\"],\n"
	"                \"flags\": [\"SECCOMP_FILTER_FLAG_LOG\"], \"listenerPath\": \"/run/l.sock\",\n"
	"                \"listenerMetadata\": \"meta\",\n"
	"                \"syscalls\": [{\"names\": [\"read\", \"write\"], \"action\": \"SCMP_ACT_ALLOW\"},\n"
	"                             {\"names\": [\"personality\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": 1,\n"
	"                              \"args\": [{\"index\": 0, \"value\": 8, \"op\": \"SCMP_CMP_EQ\"},\n"
	"                                       {\"index\": 1, \"value\": 18446744073709551615,\n"
	"                                        \"valueTwo\": 4, \"op\": \"SCMP_CMP_MASKED_EQ\"}]}]},\n"
	"    \"mountLabel\": \"ml\",\n"
	"    \"timeOffsets\": {\"monotonic\": {\"secs\": -172800, \"nanosecs\": 5}, \"boottime\": {\"secs\": 1}},\n"
	"    \"personality\": {\"domain\": \"LINUX32\", \"flags\": []}\n"
	"  }\n"
	"}\n";

#define BIT(c) (UINT64_C(1) << (c))

TEST(full_config_decodes_every_field)
{
	_cleanup_err_ berth_err *err = NULL;
	struct oci_config *c = parse(full_config, &err);
	struct oci_process *p;
	struct oci_linux *l;
	struct oci_resources *r;
	struct oci_seccomp *s;

	CHECK(c != NULL);
	if (c == NULL) {
		fprintf(stderr, "  %s\n", err->msg);
		return;
	}
	CHECK_STR(c->oci_version, "1.2.0");
	CHECK_STR(c->root_path, "/b/rootfs");
	CHECK(c->root_readonly);
	CHECK_STR(c->hostname, "h");
	CHECK_STR(c->domainname, "d.test");

	p = c->process;
	CHECK(p && p->terminal && p->has_console_size && p->console_height == 24 && p->console_width == 80);
	CHECK_STR(p->cwd, "/work");
	CHECK_STR(p->env[0], "A=1");
	CHECK_STR(p->env[1], "B=2");
	CHECK(p->env[2] == NULL);
	CHECK_STR(p->args[2], "true");
	CHECK(p->args[3] == NULL);
	CHECK(p->user.uid == 1000 && p->user.gid == 100 && p->user.has_umask && p->user.umask == 18);
	CHECK(p->user.n_additional_gids == 2 && p->user.additional_gids[0] == 5 &&
	      p->user.additional_gids[1] == INT32_MAX);
	CHECK_STR(p->user.username, "me");
	CHECK(p->caps != NULL);
	CHECK(p->caps->bounding == (BIT(CAP_CHOWN) | BIT(CAP_KILL) | BIT(40)));
	CHECK(p->caps->effective == BIT(CAP_KILL));
	CHECK(p->caps->inheritable == 0);
	CHECK(p->caps->permitted == BIT(CAP_SYS_ADMIN));
	CHECK(p->caps->ambient == BIT(CAP_NET_RAW));
	CHECK(p->n_rlimits == 2);
	CHECK(p->rlimits[0].resource == RLIMIT_NOFILE && p->rlimits[0].soft == 1024 && p->rlimits[0].hard == 4096);
	CHECK_STR(p->rlimits[0].type, "RLIMIT_NOFILE");
	CHECK(p->rlimits[1].resource == RLIMIT_CORE && p->rlimits[1].soft == UINT64_MAX);
	CHECK(p->no_new_privileges);
	CHECK_STR(p->apparmor_profile, "prof");
	CHECK(p->has_oom_score_adj && p->oom_score_adj == -500);
	CHECK_STR(p->selinux_label, "lbl");
	CHECK(p->has_io_priority && p->io_priority_class == 3 && p->io_priority == 7);

	CHECK(c->n_mounts == 2);
	CHECK_STR(c->mounts[0].destination, "/proc");
	CHECK(c->mounts[0].options == NULL && c->mounts[0].n_options == 0);
	CHECK_STR(c->mounts[1].destination, "rel/dir");
	CHECK_STR(c->mounts[1].type, "bind");
	CHECK(c->mounts[1].n_options == 2);
	CHECK_STR(c->mounts[1].options[1], "ro");
	CHECK(c->mounts[1].options[2] == NULL);
	CHECK(c->mounts[1].n_uid_mappings == 1 && c->mounts[1].uid_mappings[0].host_id == 1000 &&
	      c->mounts[1].uid_mappings[0].size == 10);
	CHECK(c->mounts[1].n_gid_mappings == 1 && c->mounts[1].gid_mappings[0].container_id == 1);

	CHECK(c->hooks.prestart.n == 1);
	CHECK_STR(c->hooks.prestart.hooks[0].path, "/bin/pre");
	CHECK(!c->hooks.prestart.hooks[0].has_timeout);
	CHECK(c->hooks.create_runtime.n == 1 && c->hooks.create_runtime.hooks[0].has_timeout &&
	      c->hooks.create_runtime.hooks[0].timeout == 5);
	CHECK_STR(c->hooks.create_runtime.hooks[0].args[1], "x");
	CHECK_STR(c->hooks.create_runtime.hooks[0].env[0], "K=V");
	CHECK(c->hooks.create_container.n == 2);
	CHECK_STR(c->hooks.create_container.hooks[1].path, "/bin/cc2");
	CHECK(c->hooks.start_container.n == 1 && c->hooks.poststart.n == 1);
	CHECK(c->hooks.poststop.n == 1 && c->hooks.poststop.hooks[0].timeout == 1);

	CHECK(c->n_annotations == 2);
	CHECK_STR(c->annotations[0].key, "a.b");
	CHECK_STR(c->annotations[0].value, "c");
	CHECK_STR(c->annotations[1].value, "");

	l = c->linux;
	CHECK(l != NULL);
	CHECK(l->n_namespaces == 8);
	CHECK(l->namespaces[0].type == CLONE_NEWPID && l->namespaces[0].path == NULL);
	CHECK(l->namespaces[1].type == CLONE_NEWNET);
	CHECK_STR(l->namespaces[1].path, "/var/run/netns/x");
	CHECK(l->namespaces[7].type == CLONE_NEWTIME && l->namespaces[7].path == NULL);
	CHECK(oci_config_namespace(c, CLONE_NEWNET) == &l->namespaces[1]);
	CHECK(oci_config_namespace(c, CLONE_NEWUSER) == &l->namespaces[5]);
	CHECK(l->n_uid_mappings == 1 && l->uid_mappings[0].host_id == 100000 && l->uid_mappings[0].size == 65536);
	CHECK(l->n_gid_mappings == 1 && l->gid_mappings[0].host_id == 200000);
	CHECK(l->n_devices == 2);
	CHECK(l->devices[0].type == 'c' && l->devices[0].major == 10 && l->devices[0].minor == 229);
	CHECK(l->devices[0].has_file_mode && l->devices[0].file_mode == 438);
	CHECK(l->devices[0].has_uid && l->devices[0].uid == 0 && l->devices[0].has_gid && l->devices[0].gid == 5);
	CHECK(l->devices[1].type == 'p' && !l->devices[1].has_file_mode);
	CHECK_STR(l->cgroups_path, "system.slice:berth:abc");
	CHECK_STR(l->rootfs_propagation, "rslave");
	CHECK(l->n_masked_paths == 2 && l->masked_paths[2] == NULL);
	CHECK_STR(l->masked_paths[1], "/proc/keys");
	CHECK(l->n_readonly_paths == 1);
	CHECK(l->n_sysctl == 1);
	CHECK_STR(l->sysctl[0].key, "net.ipv4.ip_forward");
	CHECK_STR(l->sysctl[0].value, "1");
	CHECK_STR(l->mount_label, "ml");
	CHECK(l->time_monotonic.set && l->time_monotonic.secs == -172800 && l->time_monotonic.nanosecs == 5);
	CHECK(l->time_boottime.set && l->time_boottime.secs == 1 && l->time_boottime.nanosecs == 0);
	CHECK(l->has_personality);
	CHECK_STR(l->personality_domain, "LINUX32");

	r = l->resources;
	CHECK(r != NULL);
	CHECK(r->n_devices == 2);
	CHECK(!r->devices[0].allow && r->devices[0].type == 'a' && r->devices[0].major == -1 &&
	      r->devices[0].minor == -1);
	CHECK_STR(r->devices[0].access, "rwm");
	CHECK(r->devices[1].allow && r->devices[1].type == 'c' && r->devices[1].major == 1 && r->devices[1].minor == 3);
	CHECK(r->has_memory && r->memory.has_limit && r->memory.limit == 536870912);
	CHECK(r->memory.has_reservation && r->memory.reservation == 1024);
	CHECK(r->memory.has_swap && r->memory.swap == -1 && r->memory.has_kernel && r->memory.kernel == -1);
	CHECK(r->memory.has_kernel_tcp && r->memory.kernel_tcp == 7);
	CHECK(r->memory.has_swappiness && r->memory.swappiness == 60);
	CHECK(r->memory.has_disable_oom_killer && r->memory.disable_oom_killer);
	CHECK(r->memory.has_use_hierarchy && !r->memory.use_hierarchy && r->memory.check_before_update);
	CHECK(r->has_cpu && r->cpu.has_shares && r->cpu.shares == 1024 && r->cpu.has_quota && r->cpu.quota == -1);
	CHECK(r->cpu.has_burst && r->cpu.burst == 5 && r->cpu.has_period && r->cpu.period == 100000);
	CHECK(r->cpu.has_realtime_runtime && r->cpu.realtime_runtime == 950000);
	CHECK(r->cpu.has_realtime_period && r->cpu.realtime_period == 1000000);
	CHECK_STR(r->cpu.cpus, "0-1");
	CHECK_STR(r->cpu.mems, "0");
	CHECK(r->cpu.has_idle && r->cpu.idle == 1);
	CHECK(r->has_pids && r->pids_limit == 100);
	CHECK(r->has_blkio && r->blkio.has_weight && r->blkio.weight == 10 && r->blkio.leaf_weight == 20);
	CHECK(r->blkio.n_weight_device == 2 && r->blkio.weight_device[0].leaf_weight == 300 &&
	      r->blkio.weight_device[0].has_leaf_weight && !r->blkio.weight_device[1].has_leaf_weight &&
	      r->blkio.weight_device[1].weight == 65535 && r->blkio.weight_device[1].minor == 16);
	CHECK(r->blkio.throttle_read_bps.n == 1 && r->blkio.throttle_read_bps.devs[0].rate == 600);
	CHECK(r->blkio.throttle_write_bps.n == 1 && r->blkio.throttle_write_bps.devs[0].rate == 601 &&
	      r->blkio.throttle_write_bps.devs[0].minor == 1);
	CHECK(r->blkio.throttle_read_iops.n == 1 && r->blkio.throttle_read_iops.devs[0].rate == 602);
	CHECK(r->blkio.throttle_write_iops.n == 1 && r->blkio.throttle_write_iops.devs[0].rate == 603);
	CHECK(r->n_hugepage_limits == 1 && r->hugepage_limits[0].limit == 9223372036854772000ULL);
	CHECK_STR(r->hugepage_limits[0].page_size, "2MB");
	CHECK(r->has_net_class_id && r->net_class_id == 1048577);
	CHECK(r->n_net_priorities == 1 && r->net_priorities[0].priority == 500);
	CHECK_STR(r->net_priorities[0].name, "eth0");
	CHECK(r->n_rdma == 2);
	CHECK_STR(r->rdma[0].device, "mlx5_1");
	CHECK(r->rdma[0].has_hca_handles && r->rdma[0].hca_handles == 3 && r->rdma[0].hca_objects == 10000);
	CHECK_STR(r->rdma[1].device, "rxe3");
	CHECK(!r->rdma[1].has_hca_handles && r->rdma[1].has_hca_objects && r->rdma[1].hca_objects == 7);
	CHECK(r->n_unified == 2);
	CHECK_STR(r->unified[1].key, "io.weight");
	CHECK_STR(r->unified[1].value, "default 100");

	s = l->seccomp;
	CHECK(s != NULL);
	CHECK_STR(s->default_action, "SCMP_ACT_ERRNO");
	CHECK(s->has_default_errno_ret && s->default_errno_ret == 38);
	CHECK(s->n_architectures == 2);
	CHECK_STR(s->architectures[1], "SCMP_ARCH_X86");
	CHECK(s->n_flags == 1);
	CHECK_STR(s->flags[0], "SECCOMP_FILTER_FLAG_LOG");
	CHECK_STR(s->listener_path, "/run/l.sock");
	CHECK_STR(s->listener_metadata, "meta");
	CHECK(s->n_syscalls == 2);
	CHECK(s->syscalls[0].n_names == 2 && !s->syscalls[0].has_errno_ret && s->syscalls[0].n_args == 0);
	CHECK_STR(s->syscalls[0].names[1], "write");
	CHECK(s->syscalls[0].names[2] == NULL);
	CHECK_STR(s->syscalls[1].action, "SCMP_ACT_ERRNO");
	CHECK(s->syscalls[1].has_errno_ret && s->syscalls[1].errno_ret == 1);
	CHECK(s->syscalls[1].n_args == 2);
	CHECK(s->syscalls[1].args[0].index == 0 && s->syscalls[1].args[0].value == 8 &&
	      s->syscalls[1].args[0].value_two == 0);
	CHECK(s->syscalls[1].args[1].index == 1 && s->syscalls[1].args[1].value == UINT64_MAX &&
	      s->syscalls[1].args[1].value_two == 4);
	CHECK_STR(s->syscalls[1].args[1].op, "SCMP_CMP_MASKED_EQ");
	oci_config_free(c);
}

TEST(minimal_config_defaults)
{
	_cleanup_err_ berth_err *err = NULL;
	struct oci_config *c = parse("{" MIN_HEAD "}", &err);

	CHECK(c != NULL);
	if (c == NULL)
		return;
	CHECK(c->process == NULL && c->linux == NULL && c->n_mounts == 0 && !c->root_readonly);
	CHECK(c->hostname == NULL && c->hooks.prestart.n == 0 && c->annotations == NULL);
	CHECK(oci_config_namespace(c, CLONE_NEWPID) == NULL);
	oci_config_free(c);

	/* Absent resource groups stay unset; pids without a limit is not a limit. */
	c = parse(DOC("\"linux\":{\"resources\":{\"pids\":{}}}"), &err);
	CHECK(c && c->linux && c->linux->resources && !c->linux->resources->has_pids &&
	      !c->linux->resources->has_memory && !c->linux->resources->has_cpu);
	oci_config_free(c);
	/* JSON null is absent. */
	c = parse(DOC("\"hostname\":null,\"linux\":{\"seccomp\":null}"), &err);
	CHECK(c && c->hostname == NULL && c->linux && c->linux->seccomp == NULL);
	oci_config_free(c);
}

TEST(unknown_fields_ignored)
{
	_cleanup_err_ berth_err *err = NULL;
	struct oci_config *c = parse(DOC("\"x-vendor\":5,\"solaris\":{\"a\":1},"
					 PROC(",\"scheduler\":{\"policy\":\"SCHED_OTHER\"},\"newField\":[1]")
					 ",\"linux\":{\"intelRdtFuture\":{\"closID\":\"x\"},"
					 "\"resources\":{\"whatever\":true,\"memory\":{\"future\":1}}}"),
				     &err);
	CHECK(c != NULL);
	if (c == NULL)
		fprintf(stderr, "  %s\n", err->msg);
	oci_config_free(c);
}

TEST(type_errors_name_path)
{
	CHECK(rejects(DOC(PROC(",\"user\":{\"uid\":\"0\",\"gid\":0}")),
		      "process.user.uid: expected integer, got string"));
	CHECK(rejects(DOC(PROC(",\"terminal\":\"yes\"")), "process.terminal: expected boolean, got string"));
	CHECK(rejects(DOC("\"hostname\":5"), "hostname: expected string, got number"));
	CHECK(rejects(DOC("\"mounts\":{}"), "mounts: expected array of objects, got object"));
	CHECK(rejects(DOC("\"mounts\":[{\"destination\":\"/a\"},{\"destination\":\"/b\",\"options\":[\"ro\",1]}]"),
		      "mounts[1].options[1]: expected string, got number"));
	CHECK(rejects(DOC(PROC(",\"env\":\"A=1\"")), "process.env: expected array of strings, got string"));
	CHECK(rejects(DOC("\"annotations\":{\"a\":1}"), "annotations.a: expected string, got number"));
	CHECK(rejects(DOC("\"linux\":{\"resources\":{\"memory\":{\"limit\":true}}}"),
		      "linux.resources.memory.limit: expected integer, got boolean"));
	CHECK(rejects(DOC("\"linux\":{\"seccomp\":{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":"
			  "[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
			  "\"value\":\"1\",\"op\":\"SCMP_CMP_EQ\"}]}]}}"),
		      "linux.seccomp.syscalls[0].args[0].value: expected integer, got string"));
	CHECK(rejects(DOC("\"process\":[]"), "process: expected object, got array"));
	CHECK(rejects("[1]", "expected a JSON object, got array"));
}

TEST(range_errors)
{
	CHECK(rejects(DOC(PROC(",\"user\":{\"uid\":-1,\"gid\":0}")), "process.user.uid: value -1 out of range"));
	CHECK(rejects(DOC(PROC(",\"user\":{\"uid\":1099511627776,\"gid\":0}")), "process.user.uid: value 1099511627776 out of range"));
	CHECK(rejects(DOC(PROC(",\"user\":{\"uid\":1.5,\"gid\":0}")), "process.user.uid: expected integer, got 1.5"));
	CHECK(rejects(DOC(PROC(",\"oomScoreAdj\":2147483648")), "process.oomScoreAdj: value 2147483648 out of range"));
	CHECK(rejects(DOC("\"linux\":{\"resources\":{\"blockIO\":{\"weight\":65536}}}"),
		      "linux.resources.blockIO.weight: value 65536 out of range"));
	CHECK(rejects(DOC(PROC(",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":-1,\"hard\":1}]")),
		      "process.rlimits[0].soft: value -1 out of range"));
	CHECK(rejects(DOC("\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775808}}}"),
		      "linux.resources.memory.limit: value 9223372036854775808 out of range"));
	CHECK(rejects(DOC("\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":4294967296,\"size\":1}]}"),
		      "linux.uidMappings[0].hostID: value 4294967296 out of range"));

	/* ids stop at 2147483647, as runc's: (uid_t)-1 would keep root. */
	CHECK(rejects(DOC(PROC(",\"user\":{\"uid\":4294967295,\"gid\":0}")), "process.user.uid: value 4294967295 out of range"));
	CHECK(rejects(DOC(PROC(",\"user\":{\"uid\":0,\"gid\":2147483648}")), "process.user.gid: value 2147483648 out of range"));
	CHECK(rejects(DOC(PROC(",\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[1,4294967295]}")),
		      "process.user.additionalGids[1]: value 4294967295 out of range"));
	CHECK(rejects(DOC("\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,\"minor\":3,\"uid\":4294967295}]}"),
		      "linux.devices[0].uid"));
	/* Device numbers mknod can carry, modes that are modes. */
	CHECK(rejects(DOC("\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":4294967297,\"minor\":1}]}"),
		      "linux.devices[0].major: value 4294967297 out of range"));
	CHECK(rejects(DOC("\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,\"minor\":1048576}]}"),
		      "linux.devices[0].minor"));
	CHECK(rejects(DOC("\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"c\",\"major\":1,\"minor\":3,\"fileMode\":4294967295}]}"),
		      "linux.devices[0].fileMode"));
	CHECK(rejects(DOC(PROC(",\"consoleSize\":{\"height\":65536,\"width\":80}")), "process.consoleSize"));
	/* Integers past 64 bits are not clamped to the limit (json-c would). */
	CHECK(rejects(DOC(PROC(",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":99999999999999999999999,\"hard\":1}]")),
		      "an integer out of the 64-bit range"));
	CHECK(rejects(DOC("\"linux\":{\"resources\":{\"memory\":{\"limit\":-9223372036854775809}}}"),
		      "an integer out of the 64-bit range"));

	/* Integral floats and the extremes of each type are fine. */
	{
		_cleanup_err_ berth_err *err = NULL;
		struct oci_config *c = parse(DOC(PROC(",\"user\":{\"uid\":2147483647,\"gid\":1e3},\"oomScoreAdj\":-2147483648")
						 ",\"linux\":{\"resources\":{\"memory\":{\"limit\":-9223372036854775808}}}"),
					     &err);
		CHECK(c != NULL);
		if (c) {
			CHECK(c->process->user.uid == INT32_MAX && c->process->user.gid == 1000);
			CHECK(c->process->oom_score_adj == INT32_MIN);
			CHECK(c->linux->resources->memory.limit == INT64_MIN);
		} else {
			fprintf(stderr, "  %s\n", err->msg);
		}
		oci_config_free(c);
	}
}

TEST(syntax_error_has_position)
{
	_cleanup_err_ berth_err *err = NULL;
	const char *bad = "{\n  \"ociVersion\": \"1.2.0\",\n  \"root\": {\"path\": \"r\"}\n  ]\n}";

	CHECK(parse(bad, &err) == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "invalid JSON at line 4 column 3");
	berth_err_clear(&err);
	CHECK(parse("{\"ociVersion\": \"1\",", &err) == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "invalid JSON at line 1 column");
	berth_err_clear(&err);
	CHECK(parse("{" MIN_HEAD "} {}", &err) == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "invalid JSON at line 1");
	berth_err_clear(&err);
	CHECK(parse("", &err) == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "invalid JSON");
	berth_err_clear(&err);
	/* Trailing whitespace is not an error. */
	{
		struct oci_config *c = parse("{" MIN_HEAD "}\n\n  ", &err);
		CHECK(c != NULL);
		oci_config_free(c);
	}
}

/* A NUL inside a string or key would end it early for berth while Go
 * tools and runc see the whole name: "mounts\u0000" is not "mounts",
 * "CAP_SYS_ADMIN\u0000x" not CAP_SYS_ADMIN. A raw NUL hides what follows. */
TEST(nul_bytes_refused)
{
	_cleanup_err_ berth_err *err = NULL;
	static const char with_nul[] = "{" MIN_HEAD "}\0garbage{{{";

	CHECK(rejects("{" MIN_HEAD ",\"mounts\":[],\"mounts\\u0000\":[{\"destination\":\"/h\",\"source\":\"/\",\"type\":\"bind\"}]}",
		      "\\u0000 in a string"));
	CHECK(rejects(DOC(PROC(",\"capabilities\":{\"bounding\":[\"CAP_SYS_ADMIN\\u0000x\"]}")), "\\u0000 in a string"));
	CHECK(oci_config_parse(with_nul, sizeof(with_nul) - 1, &err) == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "a NUL byte");
	/* An escaped backslash before u0000 is a literal text, fine. */
	{
		struct oci_config *c = parse("{" MIN_HEAD ",\"hostname\":\"a\\\\u0000\"}", NULL);
		CHECK(c != NULL);
		oci_config_free(c);
	}
}

/* Spec fields berth does not implement are errors, not silently lost. */
TEST(unsupported_fields)
{
	CHECK(rejects(DOC(PROC(",\"execCPUAffinity\":{\"final\":\"0\"}")), "process.execCPUAffinity: not supported"));
	CHECK(rejects(DOC("\"linux\":{\"intelRdt\":{\"closID\":\"x\"}}"), "linux.intelRdt: not supported"));
	CHECK(rejects(DOC("\"linux\":{\"memoryPolicy\":{\"mode\":\"MPOL_BIND\",\"nodes\":\"0\"}}"),
		      "linux.memoryPolicy: not supported"));
	/* Offsets without a time namespace of the container's own would be lost. */
	CHECK(rejects(DOC("\"linux\":{\"timeOffsets\":{\"monotonic\":{\"secs\":5}}}"), "linux.timeOffsets: needs a new time namespace"));
	CHECK(rejects(DOC("\"linux\":{\"namespaces\":[{\"type\":\"time\",\"path\":\"/proc/1/ns/time\"}],"
			  "\"timeOffsets\":{\"boottime\":{\"secs\":5}}}"),
		      "linux.timeOffsets: needs a new time namespace"));
	{
		struct oci_config *c = parse(DOC(PROC(",\"execCPUAffinity\":null")), NULL);
		CHECK(c != NULL);
		oci_config_free(c);
	}
}

/* process.scheduler: names to the kernel's numbers and flag bits. */
TEST(scheduler_decodes)
{
	struct oci_config *c = parse(DOC(PROC(",\"scheduler\":{\"policy\":\"SCHED_DEADLINE\",\"nice\":-3,\"priority\":0,"
					      "\"flags\":[\"SCHED_FLAG_RESET_ON_FORK\",\"SCHED_FLAG_DL_OVERRUN\"],"
					      "\"runtime\":1000000,\"deadline\":2000000,\"period\":3000000}")),
				     NULL);

	CHECK(c != NULL);
	if (c) {
		CHECK(c->process->has_scheduler && c->process->sched_policy == 6 && c->process->sched_nice == -3);
		CHECK(c->process->sched_flags == (0x01 | 0x04));
		CHECK(c->process->sched_runtime == 1000000 && c->process->sched_deadline == 2000000 &&
		      c->process->sched_period == 3000000);
	}
	oci_config_free(c);
	CHECK(rejects(DOC(PROC(",\"scheduler\":{\"policy\":\"SCHED_ISO\"}")), "SCHED_ISO"));
	CHECK(rejects(DOC(PROC(",\"scheduler\":{\"policy\":\"SCHED_FAST\"}")), "unknown scheduling policy"));
	CHECK(rejects(DOC(PROC(",\"scheduler\":{\"policy\":\"SCHED_RR\",\"flags\":[\"X\"]}")), "unknown scheduling flag"));
	CHECK(rejects(DOC(PROC(",\"scheduler\":{\"nice\":1}")), "policy"));
}

TEST(required_fields)
{
	CHECK(rejects("{\"root\":{\"path\":\"r\"}}", "missing required field \"ociVersion\""));
	CHECK(rejects("{\"ociVersion\":\"1.2.0\"}", "missing required field \"root\""));
	CHECK(rejects("{\"ociVersion\":\"1.2.0\",\"root\":{}}", "root: missing required field \"path\""));
	CHECK(rejects("{\"ociVersion\":\"1.2.0\",\"root\":{\"path\":\"\"}}", "root.path: must not be empty"));
	CHECK(rejects(DOC("\"process\":{\"args\":[\"sh\"]}"), "process: missing required field \"cwd\""));
	CHECK(rejects(DOC("\"process\":{\"cwd\":\"/\"}"), "process: missing required field \"args\""));
	CHECK(rejects(DOC(PROC(",\"user\":{\"uid\":0}")), "process.user: missing required field \"gid\""));
	CHECK(rejects(DOC("\"mounts\":[{\"type\":\"tmpfs\"}]"), "mounts[0]: missing required field \"destination\""));
	CHECK(rejects(DOC("\"hooks\":{\"poststop\":[{\"args\":[]}]}"),
		      "hooks.poststop[0]: missing required field \"path\""));
	CHECK(rejects(DOC("\"linux\":{\"namespaces\":[{\"path\":\"/x\"}]}"),
		      "linux.namespaces[0]: missing required field \"type\""));
	CHECK(rejects(DOC("\"linux\":{\"seccomp\":{\"syscalls\":[]}}"),
		      "linux.seccomp: missing required field \"defaultAction\""));
	CHECK(rejects(DOC(PROC(",\"ioPriority\":{\"priority\":1}")),
		      "process.ioPriority: missing required field \"class\""));
	CHECK(rejects(DOC("\"linux\":{\"resources\":{\"devices\":[{\"access\":\"r\"}]}}"),
		      "linux.resources.devices[0]: missing required field \"allow\""));
}

TEST(process_rules)
{
	CHECK(rejects(DOC("\"process\":{\"cwd\":\"work\",\"args\":[\"sh\"]}"),
		      "process.cwd: must be an absolute path"));
	CHECK(rejects(DOC("\"process\":{\"cwd\":\"/\",\"args\":[]}"), "process.args: must not be empty"));
	CHECK(rejects(DOC(PROC(",\"env\":[\"A=1\",\"FOO\"]")),
		      "process.env[1]: invalid environment variable \"FOO\": not KEY=value"));
	CHECK(rejects(DOC(PROC(",\"env\":[\"=x\"]")), "process.env[0]: invalid environment variable \"=x\""));
	CHECK(rejects(DOC(PROC(",\"capabilities\":{\"bounding\":[\"CAP_KILL\",7]}")),
		      "process.capabilities.bounding[1]: expected string, got number"));
	CHECK(rejects(DOC(PROC(",\"rlimits\":[{\"type\":\"RLIMIT_BOGUS\",\"soft\":1,\"hard\":1}]")),
		      "process.rlimits[0].type: unknown rlimit type \"RLIMIT_BOGUS\""));
	CHECK(rejects(DOC(PROC(",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":1},"
			       "{\"type\":\"RLIMIT_CORE\",\"soft\":1,\"hard\":1},"
			       "{\"type\":\"RLIMIT_NOFILE\",\"soft\":2,\"hard\":2}]")),
		      "process.rlimits[2].type: duplicate rlimit type \"RLIMIT_NOFILE\""));
	CHECK(rejects(DOC(PROC(",\"ioPriority\":{\"class\":\"IOPRIO_CLASS_NONE\",\"priority\":1}")),
		      "process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_NONE\""));
	CHECK(rejects(DOC(PROC(",\"ioPriority\":{\"class\":\"IOPRIO_CLASS_BE\",\"priority\":8}")),
		      "process.ioPriority.priority: must be between 0 and 7"));

	/* consoleSize without a terminal is accepted (and ignored by the runtime). */
	{
		_cleanup_err_ berth_err *err = NULL;
		struct oci_config *c = parse(DOC(PROC(",\"consoleSize\":{\"height\":1,\"width\":2},"
						      "\"ioPriority\":{\"class\":\"IOPRIO_CLASS_RT\",\"priority\":0},"
						      "\"capabilities\":{\"effective\":[\"cap_sys_admin\"]}")),
					     &err);
		CHECK(c && !c->process->terminal && c->process->has_console_size && c->process->console_width == 2);
		CHECK(c && c->process->io_priority_class == 1);
		CHECK(c && c->process->caps->effective == BIT(CAP_SYS_ADMIN) && c->process->caps->bounding == 0);
		oci_config_free(c);
	}
	/* Unknown capabilities are skipped with a warning, as runc does. */
	{
		_cleanup_err_ berth_err *err = NULL;
		struct oci_config *c = parse(DOC(PROC(",\"capabilities\":{\"permitted\":[\"CAP_KILL\",\"CAP_FOO\","
						      "\"CAP_CHOWN\"]}")),
					     &err);
		CHECK(c && c->process->caps->permitted == (BIT(CAP_KILL) | BIT(CAP_CHOWN)));
		oci_config_free(c);
	}
}

TEST(hooks_rules)
{
	CHECK(rejects(DOC("\"hooks\":{\"createRuntime\":[{\"path\":\"/ok\"},{\"path\":\"rel\"}]}"),
		      "hooks.createRuntime[1].path: must be an absolute path"));
	CHECK(rejects(DOC("\"hooks\":{\"poststart\":[{\"path\":\"/h\",\"timeout\":0}]}"),
		      "hooks.poststart[0].timeout: must be greater than zero"));
	CHECK(rejects(DOC("\"hooks\":{\"prestart\":[{\"path\":\"/h\",\"timeout\":-3}]}"),
		      "hooks.prestart[0].timeout: must be greater than zero"));
	CHECK(rejects(DOC("\"hooks\":{\"startContainer\":{}}"),
		      "hooks.startContainer: expected array of objects, got object"));
}

TEST(mount_rules)
{
	CHECK(rejects(DOC("\"mounts\":[{\"destination\":\"\"}]"), "mounts[0].destination: must not be empty"));
	CHECK(rejects(DOC("\"mounts\":[{\"destination\":\"/a\",\"options\":[\"ro\",\"\"]}]"),
		      "mounts[0].options"));
	CHECK(rejects(DOC("\"mounts\":[{\"destination\":\"/a\",\"options\":[\"shared\",\"private\"]}]"),
		      "mounts[0].options: conflicting propagation"));
}

TEST(namespace_rules)
{
	CHECK(rejects(DOC("\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"uts\"},{\"type\":\"foo\"}]}"),
		      "linux.namespaces[2].type: unknown namespace type \"foo\""));
	CHECK(rejects(DOC("\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\",\"path\":\"/proc/1/ns/pid\"}]}"),
		      "linux.namespaces[1].type: duplicated namespace \"pid\""));
	CHECK(rejects(DOC("\"linux\":{\"namespaces\":[{\"type\":\"network\",\"path\":\"netns/x\"}]}"),
		      "linux.namespaces[0].path: must be an absolute path"));
	CHECK(rejects(DOC("\"linux\":{\"namespaces\":[{\"type\":\"user\"}]}"),
		      "linux.uidMappings: user namespaces enabled, but no uid mappings found"));
	CHECK(rejects(DOC("\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
			  "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]}"),
		      "linux.gidMappings: user namespaces enabled, but no gid mappings found"));
	CHECK(rejects(DOC("\"linux\":{\"namespaces\":[{\"type\":5}]}"),
		      "linux.namespaces[0].type: expected string, got number"));

	{
		_cleanup_err_ berth_err *err = NULL;
		struct oci_config *c;

		/* Joining an existing user namespace needs no mappings; mappings
		 * without a user namespace are ignored, as runc does. */
		c = parse(DOC("\"linux\":{\"namespaces\":[{\"type\":\"user\",\"path\":\"/proc/1/ns/user\"}]}"), &err);
		CHECK(c != NULL);
		CHECK(c && oci_config_namespace(c, CLONE_NEWUSER) != NULL);
		oci_config_free(c);
		c = parse(DOC("\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":1}]}"), &err);
		CHECK(c != NULL);
		oci_config_free(c);
		c = parse(DOC("\"linux\":{\"namespaces\":[{\"type\":\"time\",\"path\":\"/proc/1/ns/time\"}]}"), &err);
		CHECK(c && c->linux->namespaces[0].type == CLONE_NEWTIME);
		oci_config_free(c);
	}
}

TEST(linux_rules)
{
	CHECK(rejects(DOC("\"linux\":{\"devices\":[{\"type\":\"x\",\"path\":\"/dev/x\",\"major\":1,\"minor\":1}]}"),
		      "linux.devices[0].type: unknown device type \"x\""));
	CHECK(rejects(DOC("\"linux\":{\"devices\":[{\"type\":\"c\",\"path\":\"dev/x\",\"major\":1,\"minor\":1}]}"),
		      "linux.devices[0].path: must be an absolute path"));
	CHECK(rejects(DOC("\"linux\":{\"devices\":[{\"type\":\"b\",\"path\":\"/dev/x\",\"minor\":1}]}"),
		      "linux.devices[0].major: required for device type \"b\""));
	CHECK(rejects(DOC("\"linux\":{\"devices\":[{\"type\":\"u\",\"path\":\"/dev/x\",\"major\":1}]}"),
		      "linux.devices[0].minor: required for device type \"u\""));
	CHECK(rejects(DOC("\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]}}"),
		      "linux.resources.devices[0].access: invalid access \"rwx\""));
	CHECK(rejects(DOC("\"linux\":{\"resources\":{\"devices\":[{\"allow\":true,\"type\":\"p\"}]}}"),
		      "linux.resources.devices[0].type: unknown device type \"p\""));
	CHECK(rejects(DOC("\"linux\":{\"maskedPaths\":[\"/ok\",\"proc/kcore\"]}"),
		      "linux.maskedPaths[1]: must be an absolute path"));
	CHECK(rejects(DOC("\"linux\":{\"readonlyPaths\":[\"sys\"]}"), "linux.readonlyPaths[0]: must be an absolute path"));
	CHECK(rejects(DOC("\"linux\":{\"sysctl\":{\"\":\"1\"}}"), "linux.sysctl: empty key"));
	CHECK(rejects(DOC("\"linux\":{\"rootfsPropagation\":\"sideways\"}"),
		      "linux.rootfsPropagation: unknown propagation \"sideways\""));
	CHECK(rejects(DOC("\"linux\":{\"personality\":{\"domain\":\"BSD\"}}"),
		      "linux.personality.domain: unknown domain \"BSD\""));
	CHECK(rejects(DOC("\"linux\":{\"timeOffsets\":{\"boottime\":{\"nanosecs\":1000000000}}}"),
		      "linux.timeOffsets.boottime.nanosecs: must be less than 1000000000"));
	CHECK(rejects(DOC("\"linux\":{\"resources\":{\"hugepageLimits\":[{\"pageSize\":\"2mb\",\"limit\":1}]}}"),
		      "linux.resources.hugepageLimits[0].pageSize: invalid page size \"2mb\""));

	{
		/* Rules default to any type and any device; "" access means all. */
		_cleanup_err_ berth_err *err = NULL;
		struct oci_config *c = parse(DOC("\"linux\":{\"cgroupsPath\":\"\",\"resources\":{\"devices\":"
						 "[{\"allow\":true,\"access\":\"\"},{\"allow\":false,\"type\":\"b\","
						 "\"major\":8,\"access\":\"m\"}]}}"),
					     &err);
		CHECK(c != NULL);
		if (c) {
			struct oci_device_rule *d = c->linux->resources->devices;
			CHECK(d[0].type == 'a' && d[0].access == NULL && d[0].major == -1);
			CHECK(d[1].type == 'b' && d[1].major == 8 && d[1].minor == -1);
			CHECK_STR(c->linux->cgroups_path, "");
		}
		oci_config_free(c);
	}
}

/* Every good example of the spec's schema tests decodes. */
TEST(spec_good_examples)
{
	static const char *const good[] = { "minimal.json", "minimal-for-start.json", "spec-example.json",
					    "linux-rdma.json", "linux-netdevice.json" };
	char path[256];

	if (access(SPEC_TESTS, F_OK) != 0) {
		TEST_SKIP(spec_good_examples, "no spec checkout");
		return;
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		_cleanup_err_ berth_err *err = NULL;
		struct oci_config *c;

		snprintf(path, sizeof(path), SPEC_TESTS "/good/%s", good[i]);
		c = oci_config_load(path, &err);
		if (c == NULL)
			fprintf(stderr, "  %s: %s\n", good[i], err ? err->msg : "?");
		CHECK(c != NULL);
		if (c && strcmp(good[i], "spec-example.json") == 0) {
			CHECK(c->linux->n_namespaces == 8);
			CHECK(c->linux->resources->n_hugepage_limits == 2);
			CHECK(c->process->caps->ambient == BIT(CAP_NET_BIND_SERVICE));
			CHECK(c->hooks.poststart.hooks[0].timeout == 5);
		}
		if (c && strcmp(good[i], "linux-rdma.json") == 0)
			CHECK(c->linux->resources->n_rdma == 3);
		oci_config_free(c);
	}
}

TEST(spec_bad_examples)
{
	static const struct {
		const char *file, *want;
	} bad[] = {
		{ "invalid-json.json", "invalid JSON at line 1 column 2" },
		{ "linux-hugepage.json", "linux.resources.hugepageLimits[0].pageSize: invalid page size \"64kB\"" },
		{ "linux-netdevice.json", "linux.netDevices.eth0.name: expected string, got number" },
		{ "linux-rdma.json", "linux.resources.rdma.mlx5_1.hcaHandles: expected integer, got string" },
	};
	char path[256];

	if (access(SPEC_TESTS, F_OK) != 0) {
		TEST_SKIP(spec_bad_examples, "no spec checkout");
		return;
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		_cleanup_err_ berth_err *err = NULL;
		struct oci_config *c;

		snprintf(path, sizeof(path), SPEC_TESTS "/bad/%s", bad[i].file);
		c = oci_config_load(path, &err);
		CHECK(c == NULL);
		oci_config_free(c);
		CHECK_CONTAINS(err ? err->msg : NULL, bad[i].want);
		/* load prefixes the path */
		CHECK(err && strncmp(err->msg, path, strlen(path)) == 0);
	}
}

TEST(load_missing_file)
{
	_cleanup_err_ berth_err *err = NULL;

	CHECK(oci_config_load("/nonexistent-berth/config.json", &err) == NULL);
	CHECK(err != NULL);
	if (err) {
		_cleanup_free_ char *t = berth_err_text(err);
		CHECK_STR(t, "open /nonexistent-berth/config.json: no such file or directory");
	}
}

TEST(process_parse)
{
	_cleanup_err_ berth_err *err = NULL;
	const char *ok = "{\"cwd\":\"/tmp\",\"args\":[\"ls\",\"-l\"],\"env\":[\"X=1\"],\"terminal\":true,"
			 "\"user\":{\"uid\":5,\"gid\":6,\"additionalGids\":[7]},"
			 "\"capabilities\":{\"bounding\":[\"CAP_KILL\"]},\"noNewPrivileges\":true}";
	struct oci_process *p = oci_process_parse(ok, strlen(ok), &err);

	CHECK(p != NULL);
	if (p) {
		CHECK_STR(p->cwd, "/tmp");
		CHECK_STR(p->args[1], "-l");
		CHECK(p->terminal && p->user.uid == 5 && p->user.gid == 6 && p->user.n_additional_gids == 1);
		CHECK(p->caps && p->caps->bounding == BIT(CAP_KILL) && p->no_new_privileges);
	}
	oci_process_free(p);

	p = oci_process_parse("{\"cwd\":\"tmp\",\"args\":[\"ls\"]}", strlen("{\"cwd\":\"tmp\",\"args\":[\"ls\"]}"), &err);
	CHECK(p == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "process.cwd: must be an absolute path");
	berth_err_clear(&err);
	p = oci_process_parse("{\"args\":[\"ls\"]}", strlen("{\"args\":[\"ls\"]}"), &err);
	CHECK(p == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "process: missing required field \"cwd\"");
	berth_err_clear(&err);
	p = oci_process_parse("{\"cwd\":\"/\",\"args\":[\"ls\"],\"user\":{\"uid\":-5,\"gid\":0}}", strlen("{\"cwd\":\"/\",\"args\":[\"ls\"],\"user\":{\"uid\":-5,\"gid\":0}}"), &err);
	CHECK(p == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "process.user.uid: value -5 out of range");
	berth_err_clear(&err);
	p = oci_process_parse("{\"cwd\":\"/\"", strlen("{\"cwd\":\"/\""), &err);
	CHECK(p == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "invalid JSON");
}

TEST(resources_parse)
{
	_cleanup_err_ berth_err *err = NULL;
	const char *ok = "{\"memory\":{\"limit\":1048576,\"swap\":2097152},\"cpu\":{\"quota\":50000},"
			 "\"pids\":{\"limit\":-1},\"blockIO\":{\"weight\":100},\"unified\":{\"pids.max\":\"10\"}}";
	struct oci_resources *r = oci_resources_parse(ok, strlen(ok), &err);

	CHECK(r != NULL);
	if (r) {
		CHECK(r->has_memory && r->memory.has_limit && r->memory.limit == 1048576 && r->memory.has_swap);
		CHECK(!r->memory.has_reservation && !r->memory.has_swappiness && !r->memory.has_kernel);
		CHECK(r->has_cpu && r->cpu.has_quota && r->cpu.quota == 50000 && !r->cpu.has_period &&
		      !r->cpu.has_shares && r->cpu.cpus == NULL);
		CHECK(r->has_pids && r->pids_limit == -1);
		CHECK(r->has_blkio && r->blkio.weight == 100);
		CHECK(!r->has_net_class_id && r->n_devices == 0 && r->n_unified == 1);
	}
	oci_resources_free(r);

	r = oci_resources_parse("{}", 2, &err);
	CHECK(r && !r->has_memory && !r->has_cpu && !r->has_pids && !r->has_blkio);
	oci_resources_free(r);

	r = oci_resources_parse("{\"memory\":{\"limit\":\"1G\"}}", 25, &err);
	CHECK(r == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "memory.limit: expected integer, got string");
	berth_err_clear(&err);
	r = oci_resources_parse("{\"devices\":[{\"allow\":true,\"access\":\"q\"}]}", 41, &err);
	CHECK(r == NULL);
	CHECK_CONTAINS(err ? err->msg : NULL, "devices[0].access: invalid access");
}

/* Errors deep inside arrays of objects leave partly built structs: freeing
 * them must be clean (run under ASan to see leaks). */
TEST(free_after_partial_decode)
{
	static const char *const docs[] = {
		DOC(PROC(",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":1},{\"type\":3}]")),
		DOC("\"mounts\":[{\"destination\":\"/a\",\"options\":[\"x\",\"y\",7]}]"),
		DOC("\"linux\":{\"resources\":{\"rdma\":{\"a\":{\"hcaHandles\":1},\"b\":{\"hcaObjects\":\"x\"}}}}"),
		DOC("\"linux\":{\"seccomp\":{\"defaultAction\":\"A\",\"syscalls\":[{\"names\":[\"a\"],\"action\":\"B\","
		    "\"args\":[{\"index\":0,\"value\":1,\"op\":\"C\"},{\"index\":-1}]}]}}"),
		DOC("\"annotations\":{\"a\":\"b\",\"c\":[]}"),
		DOC("\"hooks\":{\"prestart\":[{\"path\":\"/a\",\"args\":[\"a\"]}],\"poststop\":[{\"path\":\"r\"}]}"),
		DOC(PROC(",\"user\":{\"uid\":0,\"gid\":0,\"additionalGids\":[1,2,-3]}")),
		DOC("\"linux\":{\"sysctl\":{\"a\":\"1\"},\"namespaces\":[{\"type\":\"pid\",\"path\":\"/p\"},{\"type\":\"pid\"}]}"),
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		_cleanup_err_ berth_err *err = NULL;
		CHECK(parse(docs[i], &err) == NULL);
		CHECK(err != NULL);
	}
	oci_config_free(NULL);
	oci_process_free(NULL);
	oci_resources_free(NULL);
}

TEST(name_tables)
{
	CHECK(oci_cap_from_name("CAP_CHOWN") == 0);
	CHECK(oci_cap_from_name("CAP_SYS_ADMIN") == CAP_SYS_ADMIN);
	CHECK(oci_cap_from_name("CAP_CHECKPOINT_RESTORE") == 40);
	CHECK(oci_cap_from_name("CAP_NOPE") == -1);
	CHECK(oci_cap_from_name("cap_sys_admin") == CAP_SYS_ADMIN);
	CHECK(oci_cap_from_name("Cap_Kill") == CAP_KILL);
	CHECK(oci_cap_from_name("CAP_KIL") == -1);
	CHECK(oci_cap_from_name("") == -1);
	CHECK(oci_cap_from_name(NULL) == -1);
	CHECK_STR(oci_cap_name(CAP_NET_ADMIN), "CAP_NET_ADMIN");
	CHECK(oci_cap_name(-1) == NULL && oci_cap_name(64) == NULL);
	CHECK(oci_cap_last_known() == 40);
	for (int i = 0; i <= oci_cap_last_known(); i++)
		CHECK(oci_cap_name(i) != NULL && oci_cap_from_name(oci_cap_name(i)) == i);
	CHECK(oci_rlimit_from_name("RLIMIT_NOFILE") == RLIMIT_NOFILE);
	CHECK(oci_rlimit_from_name("RLIMIT_RTTIME") == RLIMIT_RTTIME);
	CHECK(oci_rlimit_from_name("RLIMIT_CPU") == RLIMIT_CPU);
	CHECK(oci_rlimit_from_name("NOFILE") == -1);
	CHECK(oci_namespace_from_name("network") == CLONE_NEWNET);
	CHECK(oci_namespace_from_name("mount") == CLONE_NEWNS);
	CHECK(oci_namespace_from_name("time") == CLONE_NEWTIME);
	CHECK(oci_namespace_from_name("net") == 0);
	CHECK_STR(oci_namespace_name(CLONE_NEWNET), "network");
	CHECK_STR(oci_namespace_name(CLONE_NEWCGROUP), "cgroup");
	CHECK_STR(oci_namespace_name(CLONE_NEWUSER), "user");
	CHECK(oci_namespace_name(0) == NULL);
}

int main(void)
{
	RUN(full_config_decodes_every_field);
	RUN(minimal_config_defaults);
	RUN(unknown_fields_ignored);
	RUN(type_errors_name_path);
	RUN(range_errors);
	RUN(syntax_error_has_position);
	RUN(nul_bytes_refused);
	RUN(unsupported_fields);
	RUN(scheduler_decodes);
	RUN(required_fields);
	RUN(process_rules);
	RUN(hooks_rules);
	RUN(mount_rules);
	RUN(namespace_rules);
	RUN(linux_rules);
	RUN(spec_good_examples);
	RUN(spec_bad_examples);
	RUN(load_missing_file);
	RUN(process_parse);
	RUN(resources_parse);
	RUN(free_after_partial_decode);
	RUN(name_tables);
	TEST_EXIT();
}
