/* create: the runtime's side of building a container. One linear function,
 * runtime_create, reads like the checklist of runtime.md's "create": load and
 * validate the bundle, claim the state entry, prepare cgroup and seccomp,
 * clone the init, then answer its requests (create_init.c) until it is
 * ready. Every failure undoes everything done so far. */
#include "runtime/create_job.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/fds.h"
#include "linux/lsm.h"
#include "linux/rootfs.h"
#include "linux/sealed_exe.h"
#include "linux/seccomp.h"
#include "linux/sysctl.h"
#include "linux/terminal.h"
#include "runtime/hooks.h"
#include "runtime/init.h"
#include "runtime/sync.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

static int load_bundle(struct create_job *j, berth_err **err)
{
	char real[PATH_MAX];
	const char *b = j->o->bundle && *j->o->bundle ? j->o->bundle : ".";
	_cleanup_free_ char *cfgpath = NULL, *rp = NULL;
	struct stat st;

	if (realpath(b, real) == NULL)
		return berth_err_set(err, errno, "bundle %s", b);
	j->bundle = strdup(real);
	cfgpath = path_join(real, "config.json");
	j->config_text = read_file_at(AT_FDCWD, cfgpath, &j->config_len, err);
	if (j->config_text == NULL)
		return -1;
	j->cfg = oci_config_parse(j->config_text, j->config_len, err);
	if (j->cfg == NULL)
		return berth_err_wrap(err, "%s", cfgpath);
	rp = j->cfg->root_path[0] == '/' ? strdup(j->cfg->root_path) : path_join(real, j->cfg->root_path);
	if (realpath(rp, real) == NULL)
		return berth_err_set(err, errno, "root.path %s", rp);
	if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode))
		return berth_err_set(err, ENOTDIR, "root.path %s", real);
	j->rootfs = strdup(real);
	return 0;
}

int seal_runtime_if_needed(const struct oci_config *cfg, const struct oci_process *p, berth_err **err)
{
	const uint64_t ptrace = 1ULL << CAP_SYS_PTRACE;

	/* CVE-2019-5736. Every container's last exec goes through the sealed
	 * trampoline (init_exec), so what it runs next never resolves
	 * /proc/self/exe to the host's runtime. Until then the init is this
	 * binary, non-dumpable: only a process that may ptrace it can open its
	 * /proc/PID/exe, and only from the host's user namespace (its memory
	 * belongs to that one). Such containers get the whole sealed copy. */
	if (oci_config_namespace(cfg, CLONE_NEWUSER) != NULL)
		return 0;
	if (p == NULL || p->caps == NULL ||
	    !((p->caps->bounding | p->caps->effective | p->caps->permitted | p->caps->inheritable |
	       p->caps->ambient) &
	      ptrace))
		return 0;
	if (sealed_exe_ensure(err) < 0)
		return berth_err_wrap(err, "seal the runtime for a container that may ptrace");
	return 1;
}

void caps_leave_out_ungrantable(const struct oci_config *cfg, struct oci_caps *caps)
{
	char names[1024];
	size_t len = 0;
	uint64_t lost;

	if (caps == NULL || oci_config_namespace(cfg, CLONE_NEWUSER) != NULL)
		return;
	lost = caps_restrict_to_own(caps);
	if (lost == 0)
		return;
	names[0] = '\0';
	for (int cap = 0; cap < 64; cap++) {
		const char *n = oci_cap_name(cap);
		int w;

		if (!(lost & (1ULL << cap)))
			continue;
		w = snprintf(names + len, sizeof(names) - len, "%s%s", len ? ", " : "", n ? n : "?");
		if (w < 0 || (size_t)w >= sizeof(names) - len)
			break;
		len += (size_t)w;
	}
	log_warn("process.capabilities: %s cannot be granted (the runtime does not hold them), left out", names);
}

/* Checks what only matters for creating (the decoder checked the rest). */
static int validate_for_create(struct create_job *j, berth_err **err)
{
	const struct oci_config *c = j->cfg;

	if (geteuid() != 0)
		return berth_err_set(err, EPERM, "rootless containers are not supported yet: run berth as root");
	if (c->process == NULL)
		return berth_err_set(err, 0, "process: required to create a container");
	/* Without a mount namespace the container's mounts are made in the
	 * host's: nothing may change how the host's tree propagates. */
	if (oci_config_namespace(c, CLONE_NEWNS) == NULL && c->linux && c->linux->rootfs_propagation &&
	    *c->linux->rootfs_propagation)
		return berth_err_set(err, 0, "linux.rootfsPropagation: needs a mount namespace of the container's own");
	if (c->hostname && *c->hostname && oci_config_namespace(c, CLONE_NEWUTS) == NULL)
		return berth_err_set(err, 0, "hostname: unable to set hostname without a private UTS namespace");
	if (c->domainname && *c->domainname && oci_config_namespace(c, CLONE_NEWUTS) == NULL)
		return berth_err_set(err, 0,
				     "domainname: unable to set domainname without a private UTS namespace");
	if (lsm_check(c->process->apparmor_profile, c->process->selinux_label, c->linux ? c->linux->mount_label : NULL,
		      err) < 0)
		return -1;
	if (sysctl_validate(c, err) < 0)
		return -1;
	if (c->process->terminal && j->o->console_socket == NULL && j->o->detach)
		return berth_err_set(err, 0, "cannot allocate tty if berth will detach without setting console socket");
	if (!c->process->terminal && j->o->console_socket)
		return berth_err_set(err, 0, "cannot use console socket if berth will not detach or allocate tty");
	if (c->linux && c->linux->seccomp && seccomp_profile_validate(c->linux->seccomp, err) < 0)
		return -1;
	return 0;
}

static int claim_state(struct create_job *j, berth_err **err)
{
	j->rootfd = state_root_open(j->ctx->root, true, err);
	if (j->rootfd < 0)
		return -1;
	j->dirfd = state_dir_create(j->rootfd, j->id, err);
	if (j->dirfd < 0)
		return -1;
	j->state_claimed = true;
	/* The engine may change the bundle later: keep the config we used. */
	return write_file_at(j->dirfd, STATE_CONFIG, j->config_text, j->config_len, O_CREAT | O_TRUNC, 0600, err);
}

/* A container without a mount namespace mounts in the host's: note where,
 * before the first mount, so that delete can take it all away. */
static int record_host_mounts(struct create_job *j, berth_err **err)
{
	uint64_t base;

	if (oci_config_namespace(j->cfg, CLONE_NEWNS) != NULL)
		return 0;
	if (rootfs_mount_id(j->rootfs, &base, err) < 0)
		return -1;
	return state_host_mounts_write(j->dirfd, j->rootfs, base, err);
}

/* Whether the v1 hierarchies other than memory can be made after clone:
 * the init then joins them itself, as host root, once the runtime says they
 * exist (SYNC_CGROUP_DONE). Not when the init would by then be in a user
 * namespace, made or joined, or in any namespace joined by path (the
 * init's intermediate process, if any, must not take the message). */
static bool cgroup_rest_can_wait(const struct create_job *j)
{
	const struct oci_linux *l = j->cfg->linux;

	if (!cgroup_manager_has_part(j->cg, CGROUP_PART_REST))
		return false;
	for (size_t i = 0; l && i < l->n_namespaces; i++)
		if (l->namespaces[i].type == CLONE_NEWUSER || (l->namespaces[i].path && *l->namespaces[i].path))
			return false;
	return true;
}

/* linux.resources, or none at all (still written: the device policy). */
static const struct oci_resources *resources_of(const struct oci_linux *l)
{
	static const struct oci_resources none;

	return l && l->resources ? l->resources : &none;
}

/* Makes the container's cgroup and writes linux.resources. On v1 and hybrid
 * hosts the memory hierarchy (and the unified tree) comes first, before
 * clone, so the init's allocations are charged and limited from its first
 * one; the other hierarchies, about ten mkdirs with their cpuset and device
 * writes, are made by create_cgroup_make_rest while the init builds its rootfs. */
static int setup_cgroup(struct create_job *j, berth_err **err)
{
	const struct oci_linux *l = j->cfg->linux;
	enum cgroup_part part;

	if (cgroup_resolve_path(l ? l->cgroups_path : NULL, j->id, j->ctx->systemd_cgroup, &j->cgroup_path, err) <
	    0)
		return -1;
	j->cg = cgroup_manager_new(NULL, j->cgroup_path, err);
	if (j->cg == NULL)
		return -1;
	j->cg_rest_later = cgroup_rest_can_wait(j);
	/* A new network namespace is most of what clone would cost (0.4 ms
	 * of its 0.5 here). The init makes it instead, as its first step and
	 * while it is still charged to our memory cgroup as clone's would be;
	 * meanwhile we make the v1 hierarchies, memory among them, which it
	 * joins right after. */
	{
		const struct oci_namespace *net = oci_config_namespace(j->cfg, CLONE_NEWNET);
		j->net_in_child = j->cg_rest_later && net && (net->path == NULL || *net->path == '\0');
	}
	part = j->net_in_child ? CGROUP_PART_UNIFIED : j->cg_rest_later ? CGROUP_PART_MEMORY : CGROUP_PART_ALL;
	/* Set first: a create_part that fails half-way leaves directories it
	 * made, which the clean-up removes (and only those). */
	j->cg_created = true;
	if (cgroup_manager_create_part(j->cg, part, err) < 0)
		return -1;
	/* Device rules are written even when the config has none: the policy
	 * always starts from "deny all". */
	cgroup_manager_require_device_policy(j->cg);
	if (cgroup_manager_set_resources_part(j->cg, resources_of(l), part, err) < 0)
		return -1;
	return 0;
}

/* The second part of setup_cgroup, run after SYNC_GO; the init waits for
 * SYNC_CGROUP_DONE before anything that depends on the cgroup. A failed
 * send means the init died: its own report, read next, is the error. */
int create_cgroup_make_rest(struct create_job *j, berth_err **err)
{
	const struct oci_linux *l = j->cfg->linux;
	enum cgroup_part part = j->net_in_child ? CGROUP_PART_V1 : CGROUP_PART_REST;

	if (cgroup_manager_create_part(j->cg, part, err) < 0)
		return -1;
	if (cgroup_manager_set_resources_part(j->cg, resources_of(l), part, err) < 0)
		return -1;
	(void)sync_send(j->sync[0], SYNC_CGROUP_DONE, 0, NULL, -1);
	return 0;
}

static int setup_seccomp(struct create_job *j, berth_err **err)
{
	_cleanup_free_ char *cache = NULL;

	if (j->cfg->linux == NULL || j->cfg->linux->seccomp == NULL)
		return 0;
	cache = path_join(j->ctx->root, STATE_CACHE_DIR "/seccomp");
	if (seccomp_program_build(j->cfg->linux->seccomp, cache, &j->seccomp, err) < 0)
		return berth_err_wrap(err, "linux.seccomp");
	j->has_seccomp = true;
	return 0;
}

static int open_channels(struct create_job *j, bool proxy_tty, berth_err **err)
{
	if (j->o->console_socket) {
		j->console_fd = terminal_connect_socket(j->o->console_socket, err);
		if (j->console_fd < 0)
			return -1;
	} else if (proxy_tty && j->cfg->process->terminal) {
		/* run in the foreground: the pty master comes back to us. */
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
			return berth_err_set(err, errno, "socketpair");
		j->tty_peer = sv[0];
		j->console_fd = sv[1];
	} else if (j->cfg->process->terminal) {
		return berth_err_set(err, 0, "cannot allocate tty if berth will detach without setting console socket");
	}
	if (mkfifoat(j->dirfd, STATE_FIFO, 0600) < 0)
		return berth_err_set(err, errno, "create exec fifo");
	/* O_RDWR never blocks and keeps a reader open, so `start` can tell a
	 * live init (its write succeeds) from a dead one (ENXIO). */
	j->fifo_fd = openat(j->dirfd, STATE_FIFO, O_RDWR | O_CLOEXEC);
	if (j->fifo_fd < 0)
		return berth_err_set(err, errno, "open exec fifo");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, j->sync) < 0)
		return berth_err_set(err, errno, "socketpair");
	return 0;
}

int create_write_state(struct create_job *j, const struct container_state *s, berth_err **err)
{
	int r = j->state_written ? state_write(j->dirfd, s, err) : state_write_first(j->dirfd, s, err);

	if (r == 0)
		j->state_written = true;
	return r;
}

struct container_state create_make_state(struct create_job *j, const char *created)
{
	struct container_state s = {
		.id = (char *)j->id,
		.pid = j->init_pid,
		.pid_start = proc_start_time(j->init_pid),
		.bundle = j->bundle,
		.rootfs = j->rootfs,
		.created = (char *)created,
		.owner = (char *)"",
		.owner_uid = (int64_t)geteuid(),
		.cgroup_path = j->cgroup_path,
		.cgroup_id = j->cg ? cgroup_manager_id(j->cg) : 0,
		.systemd_cgroup = j->ctx->systemd_cgroup,
		.own_pidns = oci_config_namespace(j->cfg, CLONE_NEWPID) != NULL,
		.hooks = (j->cfg->hooks.poststart.n ? STATE_HOOK_POSTSTART : 0) |
			 (j->cfg->hooks.poststop.n ? STATE_HOOK_POSTSTOP : 0),
	};
	return s;
}

char *create_state_json(struct create_job *j, const char *status)
{
	struct container_info i = {
		.id = (char *)j->id,
		.pid = j->init_pid,
		.status = (char *)status,
		.bundle = j->bundle,
		.rootfs = j->rootfs,
		.annotations = j->cfg->annotations,
		.n_annotations = j->cfg->n_annotations,
	};
	return container_info_json(&i, true);
}

static int write_pid_file(const char *path, pid_t pid, berth_err **err)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);
	_cleanup_free_ char *abs = NULL;

	if (path[0] != '/') {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return berth_err_set(err, errno, "pid file %s", path);
		abs = path_join(cwd, path);
		path = abs;
	}
	if (write_file_atomic_at(AT_FDCWD, path, buf, (size_t)n, 0644, err) < 0)
		return berth_err_wrap(err, "pid file");
	return 0;
}

/* Undoes a failed create: the init, the cgroup, the state entry. */
static void create_cleanup(struct create_job *j, bool failed)
{
	create_restore_namespaces(j);
	if (failed && j->init_pid > 0) {
		kill(j->init_pid, SIGKILL);
		waitpid(j->init_pid, NULL, 0);
	}
	if (failed && j->child > 0 && j->child != j->init_pid)
		waitpid(j->child, NULL, 0);
	if (failed && j->cg && j->cg_created) {
		_cleanup_err_ berth_err *e = NULL;
		/* A cgroup that was there before may be shared with others'
		 * processes (our init was killed above); one we did not get to
		 * make holds none of ours. */
		if (cgroup_manager_made(j->cg) && !cgroup_manager_existed(j->cg) &&
		    cgroup_manager_kill_all(j->cg, SIGKILL, &e) < 0)
			berth_err_clear(&e);
		if (cgroup_manager_destroy(j->cg, &e) < 0) {
			_cleanup_free_ char *t = berth_err_text(e);
			log_warn("clean up cgroup: %s", t);
		}
	}
	if (failed && j->state_claimed) {
		_cleanup_err_ berth_err *e = NULL;
		if (state_host_mounts_release(j->dirfd, &e) < 0) {
			_cleanup_free_ char *t = berth_err_text(e);
			log_warn("clean up: %s", t);
		} else {
			state_dir_remove(j->rootfd, j->id, NULL);
		}
	}
	/* runtime.md: a create that fails once its container exists (a
	 * failing hook among the causes) goes on to the destroy and then the
	 * poststop hooks (steps 12 and 13), as runc does. */
	if (failed && j->init_pid > 0 && j->cfg && j->cfg->hooks.poststop.n) {
		_cleanup_free_ char *st = create_state_json(j, "stopped");
		if (st)
			hooks_run_warn(&j->cfg->hooks.poststop, "poststop", st);
	}
	for (size_t i = 0; i < j->ic.n_joins; i++)
		close(j->ic.joins[i].fd);
	if (j->console_fd >= 0)
		close(j->console_fd);
	if (j->fifo_fd >= 0)
		close(j->fifo_fd);
	if (j->start_fd >= 0)
		close(j->start_fd);
	if (j->sync[0] >= 0)
		close(j->sync[0]);
	if (j->sync[1] >= 0)
		close(j->sync[1]);
	if (failed && j->tty_peer >= 0) {
		close(j->tty_peer);
		j->tty_peer = -1;
	}
	if (j->dirfd >= 0)
		close(j->dirfd);
	if (j->rootfd >= 0)
		close(j->rootfd);
	if (j->has_seccomp)
		seccomp_program_release(&j->seccomp);
	cgroup_manager_free(j->cg);
	oci_config_free(j->cfg);
	free(j->cgroup_path);
	free(j->bundle);
	free(j->rootfs);
	free(j->config_text);
}

/* run: puts the start byte in the exec fifo while the init is still being
 * set up, so that it execs as soon as it is ready instead of waiting for a
 * round trip through this process (which writes the state meanwhile). Not
 * with startContainer hooks: they run at that point and must find the
 * container "created". Anything failing here leaves the plain start. */
static void start_early(struct create_job *j)
{
	int fd;

	if (j->cfg->hooks.start_container.n)
		return;
	fd = openat(j->dirfd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return;
	if (write(fd, "0", 1) != 1) {
		close(fd);
		return;
	}
	j->start_fd = fd;
}

/* Gives run the state dir (still locked) and a copy of the state just
 * written. Last step of a create that succeeded: nothing fails after it. */
static int hand_over(struct create_job *j, const struct container_state *s, struct loaded *l, berth_err **err)
{
	l->st = *s;
	l->st.id = strdup(s->id);
	l->st.bundle = strdup(s->bundle ? s->bundle : "");
	l->st.rootfs = strdup(s->rootfs ? s->rootfs : "");
	l->st.created = strdup(s->created ? s->created : "");
	l->st.owner = strdup(s->owner ? s->owner : "");
	l->st.cgroup_path = s->cgroup_path ? strdup(s->cgroup_path) : NULL;
	if (!l->st.id || !l->st.bundle || !l->st.rootfs || !l->st.created || !l->st.owner ||
	    (s->cgroup_path && !l->st.cgroup_path)) {
		container_state_clear(&l->st);
		return berth_err_set(err, ENOMEM, "state");
	}
	l->rootfd = TAKE_FD(j->rootfd);
	l->dirfd = TAKE_FD(j->dirfd);
	l->cfg = NULL;
	l->status = "created";
	if (j->cg && s->cgroup_path) {
		cgroup_manager_created(j->cg);
		l->cg = TAKE_PTR(j->cg);
	}
	return 0;
}

int runtime_create(const struct runtime_ctx *ctx, const char *id, const struct create_opts *o, bool proxy_tty,
		   struct created *out, berth_err **err)
{
	struct create_job j = {
		.ctx = ctx, .id = id, .o = o, .rootfd = -1, .dirfd = -1, .console_fd = -1, .fifo_fd = -1,
		.sync = {-1, -1}, .saved_pidns = -1, .saved_timens = -1, .tty_peer = -1,
		.start_fd = -1,
	};
	char created[48];
	struct container_state s;
	int r = -1, sealed;

	fds_reserve_preserved(o->preserve_fds);
	if (state_validate_id(id, err) < 0 || load_bundle(&j, err) < 0 || validate_for_create(&j, err) < 0)
		goto out;
	caps_leave_out_ungrantable(j.cfg, j.cfg->process->caps);
	sealed = seal_runtime_if_needed(j.cfg, j.cfg->process, err);
	if (sealed < 0)
		goto out;
	j.ic.runtime_sealed = sealed > 0;
	if (claim_state(&j, err) < 0)
		goto out;
	log_time_rfc3339(created, sizeof(created));
	if (setup_cgroup(&j, err) < 0 || setup_seccomp(&j, err) < 0 || open_channels(&j, proxy_tty, err) < 0)
		goto out;
	if (record_host_mounts(&j, err) < 0)
		goto out;
	if (create_plan_namespaces(&j, err) < 0 || create_spawn_init(&j, err) < 0)
		goto out;
	if (out)
		start_early(&j);
	if (create_serve_init(&j, created, err) < 0)
		goto out;
	s = create_make_state(&j, created);
	if (create_write_state(&j, &s, err) < 0)
		goto out;
	if (o->pid_file && write_pid_file(o->pid_file, j.init_pid, err) < 0)
		goto out;
	if (out) {
		out->pid = j.init_pid;
		out->console_master = -1;
		out->start_fifo = TAKE_FD(j.start_fd);
		memset(&out->loaded, 0, sizeof(out->loaded));
		out->loaded.rootfd = out->loaded.dirfd = -1;
		if (j.tty_peer >= 0) {
			out->console_master = terminal_recv_fd(j.tty_peer, err);
			if (out->console_master < 0)
				goto out;
		}
		if (hand_over(&j, &s, &out->loaded, err) < 0) {
			if (out->console_master >= 0)
				close(out->console_master);
			out->console_master = -1;
			goto out;
		}
	}
	r = 0;
out:
	if (j.tty_peer >= 0) {
		close(j.tty_peer);
		j.tty_peer = -1;
	}
	create_cleanup(&j, r < 0);
	return r;
}

int container_create(const struct runtime_ctx *ctx, const char *id, const struct create_opts *o,
		     berth_err **err)
{
	return runtime_create(ctx, id, o, false, NULL, err);
}
