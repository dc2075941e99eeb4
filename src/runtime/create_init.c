/* create's dealings with the container's init: which namespaces clone makes
 * and which the init joins, the clone itself, and the conversation over the
 * sync socket until the init reports ready (its cgroup, id maps, the mounts
 * made ahead for it, hooks, the seccomp listener). */
#include "runtime/create_job.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux/caps.h"
#include "linux/creds.h"
#include "linux/devices.h"
#include "linux/namespaces.h"
#include "linux/sealed_exe.h"
#include "runtime/hooks.h"
#include "runtime/sync.h"
#include "util/cleanup.h"
#include "util/json_str.h"
#include "util/log.h"

static const char *const cgroup_names[] = {
	"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "hugetlb",
	"net_cls", "net_prio", "perf_event", "rdma", "misc", "systemd",
};

/* The filesystem context for mounts[i] that the init sends (SYNC_FSCTX,
 * in its own time: one per mount of a filesystem that captures a
 * namespace, mount_fs_namespace, among the first MOUNTS_PREPARED_MAX),
 * kept in ctx[] as they come, -2 for one not yet come. Returns the fd, -1 when the init could not open it, or
 * -2 with *err: the init's own report when it died, or a message out of
 * protocol. */
static int take_fs_context(struct create_job *j, size_t i, int *ctx, berth_err **err)
{
	while (ctx[i] == -2) {
		struct sync_msg m;
		int fd = -1;

		if (sync_expect(j->sync[0], SYNC_FSCTX, &m, &fd, err) < 0)
			return -2;
		if (m.value < 0 || m.value >= MOUNTS_PREPARED_MAX || (size_t)m.value >= j->cfg->n_mounts ||
		    ctx[m.value] != -2) {
			if (fd >= 0)
				close(fd);
			berth_err_set(err, EPROTO, "sync: filesystem context for mount %d", m.value);
			return -2;
		}
		ctx[m.value] = fd;
	}
	return TAKE_FD(ctx[i]);
}

/* What the init would make next, made here while it makes its network
 * namespace and joins the cgroup: time in which this process has nothing
 * else to do (0.9 ms here, on 2 CPUs). Each mount mount_prepared_ahead
 * names, in order, then the sealed trampoline, each sent as SYNC_PREPARED
 * (value: the mount's index, -1 for the trampoline; text "bound" for a
 * cgroup tree with its hierarchies, "devices" for a /dev with its nodes).
 * A mount that could not be made goes with no fd and ends the mounts sent:
 * the init makes it and the rest itself (mountinfo lists mounts in the
 * order they were made), and says what failed. A proc, mqueue or sysfs
 * is made from the context the init opened in its namespaces
 * (take_fs_context): this process never enters them. Fails with the
 * init's own report when it died before sending what it owed, or on a
 * message out of protocol. */
static int prepare_for_init(struct create_job *j, berth_err **err)
{
	const struct oci_config *cfg = j->cfg;
	int ctx[MOUNTS_PREPARED_MAX], fd, r = 0;
	size_t n = mount_prepared_count(cfg);

	for (size_t i = 0; i < MOUNTS_PREPARED_MAX; i++)
		ctx[i] = -2;

	for (size_t i = 0; i < n; i++) {
		bool bound = false, devs;
		int fsctx = -1;

		if (mount_fs_namespace(&cfg->mounts[i]) != 0) {
			fsctx = take_fs_context(j, i, ctx, err);
			if (fsctx == -2) {
				r = -1;
				break;
			}
		}
		/* Without the init's context it would show our namespace: the
		 * init makes it (and reports what fails). */
		if (fsctx < 0 && mount_fs_namespace(&cfg->mounts[i]) != 0)
			fd = -1;
		else
			fd = mount_prepare(&j->ic.menv, cfg, i, fsctx, &bound);
		/* The default device nodes go into the /dev tmpfs while it is
		 * detached: the init then skips them ("devices"). */
		devs = fd >= 0 && devices_prefill_ok(cfg, i) && devices_prefill(fd) == 0;
		/* Sent, the fd is in flight: closing ours drops no mount. A
		 * failed send means the init died: its report is read next. */
		r = sync_send(j->sync[0], SYNC_PREPARED, (int32_t)i, bound ? "bound" : devs ? "devices" : NULL, fd);
		if (fd >= 0)
			close(fd);
		if (r < 0) {
			r = 0;
			goto out;
		}
		if (fd < 0)
			break;
	}
	if (r < 0)
		goto out;
	fd = j->ic.runtime_sealed ? -1 : sealed_trampoline_open(NULL);
	(void)sync_send(j->sync[0], SYNC_PREPARED, -1, NULL, fd);
	if (fd >= 0)
		close(fd);
out:
	/* Contexts of mounts after one not made: the serve loop drops those
	 * still to come. */
	for (size_t i = 0; i < MOUNTS_PREPARED_MAX; i++)
		if (ctx[i] >= 0)
			close(ctx[i]);
	return r;
}


/* Decides which namespaces clone creates, which the child joins or
 * unshares, and joins pid/time namespaces here (they apply to children). */
int create_plan_namespaces(struct create_job *j, berth_err **err)
{
	const struct oci_linux *l = j->cfg->linux;
	unsigned long newflags = 0;
	bool child_joins = false;
	struct init_ctx *ic = &j->ic;

	for (size_t i = 0; l && i < l->n_namespaces; i++) {
		const struct oci_namespace *ns = &l->namespaces[i];
		if (ns->path == NULL || *ns->path == '\0') {
			newflags |= (unsigned long)ns->type;
			continue;
		}
		if (ns->type == CLONE_NEWPID || ns->type == CLONE_NEWTIME) {
			int fd = ns_open(ns, err);
			int *saved = ns->type == CLONE_NEWPID ? &j->saved_pidns : &j->saved_timens;
			if (fd < 0)
				return -1;
			*saved = openat(AT_FDCWD,
					ns->type == CLONE_NEWPID ? "/proc/self/ns/pid" : "/proc/self/ns/time",
					O_RDONLY | O_CLOEXEC);
			if (setns(fd, ns->type) < 0) {
				close(fd);
				return berth_err_set(err, errno, "join %s namespace %s", oci_namespace_name(ns->type),
						     ns->path);
			}
			close(fd);
			continue;
		}
		child_joins = true;
	}
	if (child_joins) {
		/* The user namespace is joined first so the others are joined
		 * with its privileges. */
		for (int pass = 0; pass < 2; pass++) {
			for (size_t i = 0; i < l->n_namespaces; i++) {
				const struct oci_namespace *ns = &l->namespaces[i];
				int fd;
				if (!ns->path || !*ns->path || ns->type == CLONE_NEWPID || ns->type == CLONE_NEWTIME)
					continue;
				if ((pass == 0) != (ns->type == CLONE_NEWUSER))
					continue;
				fd = ns_open(ns, err);
				if (fd < 0)
					return -1;
				ic->joins[ic->n_joins].type = ns->type;
				ic->joins[ic->n_joins++].fd = fd;
			}
		}
		ic->unshare_flags = newflags & ~(unsigned long)(CLONE_NEWTIME | CLONE_NEWCGROUP);
		ic->fork_after_unshare = (newflags & CLONE_NEWPID) != 0;
		j->clone_flags = 0;
	} else {
		j->clone_flags = newflags & ~(unsigned long)(CLONE_NEWTIME | CLONE_NEWCGROUP);
		if (j->net_in_child) {
			j->clone_flags &= ~(unsigned long)CLONE_NEWNET;
			ic->net_first = true;
		}
	}
	if (newflags & CLONE_NEWTIME) {
		j->saved_timens = openat(AT_FDCWD, "/proc/self/ns/time", O_RDONLY | O_CLOEXEC);
		if (unshare(CLONE_NEWTIME) < 0)
			return berth_err_set(err, errno, "unshare time namespace");
		if (ns_write_time_offsets(l, err) < 0)
			return -1;
	}
	/* A user namespace joined by path counts as one of the container's:
	 * the init becomes root in it, and mknod is not for it either. */
	{
		const struct oci_namespace *u = oci_config_namespace(j->cfg, CLONE_NEWUSER);
		ic->new_userns = (newflags & CLONE_NEWUSER) != 0 || (u && u->path && *u->path);
	}
	ic->late_cgroupns = (newflags & CLONE_NEWCGROUP) != 0;
	ic->has_mountns = oci_config_namespace(j->cfg, CLONE_NEWNS) != NULL;
	ic->menv.userns = ic->new_userns;
	ic->menv.cgroupns = (newflags & CLONE_NEWCGROUP) != 0;
	/* Not when the child makes a user namespace (its id-map exchange
	 * would interleave) or forks the init after unsharing the pid
	 * namespace (the fork must come after the join to inherit it). */
	ic->cgroup_async = !(ic->unshare_flags & CLONE_NEWUSER) && !ic->fork_after_unshare;
	/* Before it joins or makes any namespace the child is host root and
	 * can move itself, which costs no grace period; a user namespace made
	 * by clone itself leaves that to the runtime. */
	ic->cgroup_self = !(j->clone_flags & CLONE_NEWUSER);
	if (ic->cgroup_self)
		ic->cgroup_async = false;
	/* cgroup_rest_can_wait ruled out user namespaces and joins: the init
	 * moves itself, into the rest when the runtime has made it. */
	ic->cgroup_rest_later = j->cg_rest_later && ic->cgroup_self;
	ic->cgroup_first_part = !ic->cgroup_rest_later ? CGROUP_PART_ALL
				: ic->net_first	       ? CGROUP_PART_UNIFIED
						       : CGROUP_PART_MEMORY;
	ic->cgroup_later_part = ic->net_first ? CGROUP_PART_V1 : CGROUP_PART_REST;
	ic->parent_prepares = ic->cgroup_rest_later;
	if (ic->cgroup_rest_later)
		ic->cgroup_async = true;
	/* What serve_init does before SYNC_GO. */
	ic->wait_go = (!ic->cgroup_async && !ic->cgroup_self) || (j->clone_flags & CLONE_NEWUSER) ||
		      j->cfg->process->has_oom_score_adj;
	return 0;
}

void create_restore_namespaces(struct create_job *j)
{
	if (j->saved_pidns >= 0) {
		if (setns(j->saved_pidns, CLONE_NEWPID) < 0)
			log_debug("restore pid namespace: %s", strerror(errno));
		close(j->saved_pidns);
		j->saved_pidns = -1;
	}
	if (j->saved_timens >= 0) {
		if (setns(j->saved_timens, CLONE_NEWTIME) < 0)
			log_debug("restore time namespace: %s", strerror(errno));
		close(j->saved_timens);
		j->saved_timens = -1;
	}
}

static void fill_init_ctx(struct create_job *j)
{
	struct init_ctx *ic = &j->ic;
	enum cgroup_mode mode = cgroup_manager_mode(j->cg);

	ic->cfg = j->cfg;
	ic->proc = j->cfg->process;
	ic->id = j->id;
	ic->bundle = j->bundle;
	ic->rootfs = j->rootfs;
	ic->sync_fd = j->sync[1];
	ic->console_fd = j->console_fd;
	ic->pty_master = ic->pty_slave = -1;
	ic->trampoline_fd = -1;
	ic->fifo_fd = j->fifo_fd;
	ic->preserve_fds = j->o->preserve_fds;
	ic->no_pivot = j->o->no_pivot;
	ic->no_new_keyring = j->o->no_new_keyring;
	ic->seccomp = j->has_seccomp ? &j->seccomp : NULL;
	ic->last_cap = caps_last_cap();
	ic->menv.bundle = j->bundle;
	ic->menv.prepared_fd = -1;
	ic->menv.cgroup_v2_only = mode == CGROUP_MODE_V2;
	if (mode == CGROUP_MODE_V2) {
		const char *d = cgroup_manager_dir(j->cg, "");
		if (d)
			j->cgdirs[j->n_cgdirs++] = (struct mount_cgroup_dir){"", d};
	} else {
		for (size_t i = 0; i < ARRAY_SIZE(cgroup_names); i++) {
			const char *d = cgroup_manager_dir(j->cg, cgroup_names[i]);
			if (d)
				j->cgdirs[j->n_cgdirs++] = (struct mount_cgroup_dir){cgroup_names[i], d};
		}
		if (mode == CGROUP_MODE_HYBRID) {
			const char *d = cgroup_manager_dir(j->cg, "");
			if (d)
				j->cgdirs[j->n_cgdirs++] = (struct mount_cgroup_dir){"unified", d};
		}
	}
	ic->menv.cgroups = j->cgdirs;
	ic->menv.n_cgroups = j->n_cgdirs;
}

int create_spawn_init(struct create_job *j, berth_err **err)
{
	fill_init_ctx(j);
	j->ic.cg = j->cg;
	j->child = -1;
	if (j->ic.cgroup_self) {
		_cleanup_close_ int cgfd = cgroup_manager_open_unified(j->cg);
		if (cgfd >= 0) {
			j->ic.cgroup_unified_done = true;
			j->child = ns_clone_into(j->clone_flags, cgfd);
		}
	}
	if (j->child < 0) {
		/* No cgroup2 tree, or a kernel before 5.7: the child joins it. */
		j->ic.cgroup_unified_done = false;
		j->child = ns_clone(j->clone_flags);
	}
	if (j->child < 0) {
		int e = errno;
		create_restore_namespaces(j);
		return berth_err_set(err, e, "clone container init");
	}
	if (j->child == 0) {
		/* The state dir's lock belongs to the runtime process only. */
		close(j->dirfd);
		close(j->rootfd);
		close(j->sync[0]);
		if (j->tty_peer >= 0)
			close(j->tty_peer);
		init_container(&j->ic);
	}
	create_restore_namespaces(j);
	j->init_pid = j->child;
	close(j->sync[1]);
	j->sync[1] = -1;
	/* The child holds its copies; ours would keep the fifo alive after
	 * the init dies and the console socket open after the hand-over. */
	close(j->fifo_fd);
	j->fifo_fd = -1;
	if (j->console_fd >= 0) {
		close(j->console_fd);
		j->console_fd = -1;
	}
	for (size_t i = 0; i < j->ic.n_joins; i++)
		close(j->ic.joins[i].fd);
	j->ic.n_joins = 0;
	return 0;
}


/* A step on the init failed (err set): when that is because the init had
 * already died of an error of its own, its report, queued on the sync
 * socket, is the one to give. Returns -1. */
static int prefer_init_report(struct create_job *j, berth_err **err)
{
	struct pollfd p = {.fd = j->sync[0], .events = POLLIN};
	struct sync_msg m;

	if (poll(&p, 1, 100) == 1 && sync_recv(j->sync[0], &m, NULL) == 0 && m.type == SYNC_ERROR) {
		berth_err_clear(err);
		berth_err_set(err, m.value, "%s", m.text);
	}
	return -1;
}

/* Moves the init into its cgroup while it mounts. When that fails because
 * the init already died of a setup error, its own report is the error. */
static int join_cgroup_async(struct create_job *j, berth_err **err)
{
	if (cgroup_manager_add_pid(j->cg, j->child, NULL, err) == 0) {
		if (sync_send(j->sync[0], SYNC_CGROUP_DONE, 0, NULL, -1) < 0) {
			/* EPIPE: the init died meanwhile (a mount it could not
			 * make), and its report is waiting. */
			berth_err_set(err, errno, "sync with container init");
			return prefer_init_report(j, err);
		}
		return 0;
	}
	return prefer_init_report(j, err);
}

/* Answers the init's requests until it reports ready (or fails). */
int create_serve_init(struct create_job *j, const char *created, berth_err **err)
{
	const struct oci_linux *l = j->cfg->linux;
	const struct oci_process *p = j->cfg->process;

	if (!j->ic.cgroup_async && !j->ic.cgroup_self && cgroup_manager_add_pid(j->cg, j->child, NULL, err) < 0)
		return prefer_init_report(j, err);
	if ((j->clone_flags & CLONE_NEWUSER) &&
	    ns_write_idmaps(j->child, l->uid_mappings, l->n_uid_mappings, l->gid_mappings, l->n_gid_mappings, err) <
		    0)
		return prefer_init_report(j, err);
	if (p->has_oom_score_adj && creds_set_oom_score_adj(j->child, p->oom_score_adj, err) < 0)
		return prefer_init_report(j, err);
	if (j->ic.wait_go && sync_send(j->sync[0], SYNC_GO, 0, NULL, -1) < 0) {
		berth_err_set(err, errno, "start container init");
		return prefer_init_report(j, err);
	}
	if (j->cg_rest_later) {
		if (create_cgroup_make_rest(j, err) < 0)
			return -1;
		if (j->ic.parent_prepares && prepare_for_init(j, err) < 0)
			return -1;
	} else if (j->ic.cgroup_async && join_cgroup_async(j, err) < 0) {
		return -1;
	}
	for (;;) {
		struct sync_msg m;
		int fd = -1;

		if (sync_recv(j->sync[0], &m, &fd) < 0) {
			if (errno == 0)
				return berth_err_set(err, 0, "container init exited during setup");
			return berth_err_set(err, errno, "read from container init");
		}
		switch (m.type) {
		case SYNC_USERMAP:
			/* The child that unshared asks, before any fork; its pid
			 * as it says it may be one of a pid namespace it joined,
			 * so the host's view, which we have, is used. */
			if (ns_write_idmaps(j->child, l->uid_mappings, l->n_uid_mappings, l->gid_mappings,
					    l->n_gid_mappings, err) < 0)
				return -1;
			sync_send(j->sync[0], SYNC_USERMAP_DONE, 0, NULL, -1);
			break;
		case SYNC_FSCTX:
			/* For a mount prepare_for_init did not get to. */
			if (fd >= 0)
				close(fd);
			break;
		case SYNC_PID:
			/* The intermediate process is done; the init is its sibling. */
			waitpid(j->child, NULL, 0);
			j->child = m.value;
			j->init_pid = m.value;
			break;
		case SYNC_RUNTIME_HOOKS: {
			/* runtime.md: "created" once the environment is made
			 * (after step 2), which is when these hooks run (steps
			 * 3-5); runc 1.1 says "creating", crun "created". */
			struct container_state s = create_make_state(j, created);
			_cleanup_free_ char *st = create_state_json(j, "created");
			if (create_write_state(j, &s, err) < 0)
				return -1;
			if (hooks_run(&j->cfg->hooks.prestart, "prestart", st, err) < 0 ||
			    hooks_run(&j->cfg->hooks.create_runtime, "createRuntime", st, err) < 0)
				return -1;
			sync_send(j->sync[0], SYNC_HOOKS_DONE, j->init_pid, NULL, -1);
			break;
		}
		case SYNC_SECCOMP_FD: {
			_cleanup_free_ char *st = create_state_json(j, "creating");
			_cleanup_free_ char *meta = json_quote(l->seccomp->listener_metadata ?
								       l->seccomp->listener_metadata : "");
			_cleanup_free_ char *msg = NULL;
			int r;
			/* config-linux.md "The Container Process State". */
			if (asprintf(&msg, "{\"ociVersion\":\"%s\",\"fds\":[\"seccompFd\"],\"pid\":%d,"
					   "\"metadata\":%s,\"state\":%s}",
				     BERTH_OCI_VERSION, (int)j->init_pid, meta, st) < 0) {
				close(fd);
				return berth_err_set(err, ENOMEM, "seccomp listener");
			}
			r = seccomp_notify_send(l->seccomp->listener_path, fd, msg, err);
			close(fd);
			if (r < 0)
				return berth_err_wrap(err, "linux.seccomp.listenerPath");
			sync_send(j->sync[0], SYNC_SECCOMP_DONE, 0, NULL, -1);
			break;
		}
		case SYNC_READY:
			return 0;
		case SYNC_ERROR:
			return berth_err_set(err, m.value, "%s", m.text);
		default:
			if (fd >= 0)
				close(fd);
			return berth_err_set(err, EPROTO, "unexpected message %u from container init", m.type);
		}
	}
}
