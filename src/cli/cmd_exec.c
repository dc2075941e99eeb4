/* `berth exec`: runs another process in a running container, described by a
 * process.json (--process, what containerd passes) or by the container's own
 * process adjusted with runc's flags (what people and podman type). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/cleanup.h"
#include "util/fs.h"

/* runc's status for a failed exec, distinct from any status the process
 * could exit with via a shell's 1 or 126/127. */
#define EXEC_FAILED_STATUS 255

static const char exec_help[] =
	"NAME:\n"
	"   berth exec - execute new process inside the container\n"
	"\n"
	"USAGE:\n"
	"   berth exec [command options] <container-id> <command> [command options]  || -p process.json <container-id>\n"
	"\n"
	"   Options of berth come before <container-id>; everything after\n"
	"<command> belongs to the command. <command> is required unless -p is given.\n"
	"\n"
	"EXAMPLE:\n"
	"   To list the processes of container \"web1\" from inside it:\n"
	"\n"
	"       # berth exec web1 ps\n"
	"\n"
	"OPTIONS:\n"
	"   --console-socket value             path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n"
	"   --cwd value                        current working directory in the container\n"
	"   --env value, -e value              set environment variables (KEY=VALUE, repeatable; replaces the container's value of KEY)\n"
	"   --tty, -t                          allocate a pseudo-TTY\n"
	"   --user value, -u value             UID (format: <uid>[:<gid>])\n"
	"   --additional-gids value, -g value  additional gids (repeatable)\n"
	"   --process value, -p value          path to the process.json; the other process options are then ignored\n"
	"   --detach, -d                       detach from the container's process\n"
	"   --pid-file value                   specify the file to write the process id to\n"
	"   --process-label value              set the asm process label for the process commonly used with selinux\n"
	"   --apparmor value                   set the apparmor profile for the process\n"
	"   --no-new-privs                     set the no new privileges value for the process\n"
	"   --cap value, -c value              add a capability to the bounding, effective and permitted sets of the process\n"
	"   --preserve-fds value               pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total) (default: 0)\n"
	"   --cgroup value                     run the process in an (existing) sub-cgroup(s). Format is [<controller>:]<cgroup>.\n"
	"   --ignore-paused                    allow exec in a paused container\n";

struct exec_flags {
	const char *cwd, *user, *process_label, *apparmor;
	struct cli_list env, gids, caps;
	bool tty, no_new_privs, no_new_privs_seen;
};

static void exec_flags_clear(struct exec_flags *f)
{
	cli_list_clear(&f->env);
	cli_list_clear(&f->gids);
	cli_list_clear(&f->caps);
}

static void replace_str(char **slot, const char *value)
{
	char *copy = strdup(value);

	if (copy == NULL)
		berth_abort();
	free(*slot);
	*slot = copy;
}

/* Sets KEY=VALUE in env, replacing an entry with the same key: glibc's
 * getenv returns the first match, so appending alone would not override. */
static void env_set(char ***envp, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq ? (size_t)(eq - kv) : strlen(kv);
	size_t n = 0;
	char **env = *envp;

	for (; env && env[n]; n++) {
		if (strncmp(env[n], kv, klen) == 0 && (env[n][klen] == '=' || env[n][klen] == '\0')) {
			replace_str(&env[n], kv);
			return;
		}
	}
	env = realloc(env, (n + 2) * sizeof(*env));
	if (env == NULL)
		berth_abort();
	env[n] = strdup(kv);
	if (env[n] == NULL)
		berth_abort();
	env[n + 1] = NULL;
	*envp = env;
}

static int parse_id(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* "CAP_SYS_ADMIN" as runc takes it; "sys_admin" too, for people. */
static int cap_parse(const char *name)
{
	char buf[64];
	size_t i = 0;
	int c = oci_cap_from_name(name);

	if (c >= 0)
		return c;
	if (strncasecmp(name, "CAP_", 4) != 0) {
		memcpy(buf, "CAP_", 4);
		i = 4;
	}
	for (const char *p = name; *p && i < sizeof(buf) - 1; p++)
		buf[i++] = (char)toupper((unsigned char)*p);
	buf[i] = '\0';
	return oci_cap_from_name(buf);
}

/* Applies the process flags to p, runc's way. Returns 0, or CLI_EXIT_FAILURE
 * after reporting a bad value. */
static int apply_flags(const struct cli_ctx *ctx, const struct exec_flags *f, struct oci_process *p)
{
	if (f->cwd && *f->cwd) {
		if (f->cwd[0] != '/')
			return cli_error(ctx, "exec failed: --cwd must be an absolute path, got \"%s\"", f->cwd);
		replace_str(&p->cwd, f->cwd);
	}
	for (size_t i = 0; i < f->env.n; i++) {
		if (!oci_env_entry_valid(f->env.items[i]))
			return cli_error(ctx, "exec failed: invalid environment variable \"%s\": not KEY=value",
					 f->env.items[i]);
	}
	if (f->apparmor && *f->apparmor)
		replace_str(&p->apparmor_profile, f->apparmor);
	if (f->process_label && *f->process_label)
		replace_str(&p->selinux_label, f->process_label);
	for (size_t i = 0; i < f->caps.n; i++) {
		int c = cap_parse(f->caps.items[i]);
		uint64_t bit;

		if (c < 0 || c > 63)
			return cli_error(ctx, "exec failed: unknown capability \"%s\"", f->caps.items[i]);
		bit = 1ULL << c;
		if (p->caps == NULL) {
			p->caps = calloc(1, sizeof(*p->caps));
			if (p->caps == NULL)
				berth_abort();
		}
		p->caps->bounding |= bit;
		p->caps->effective |= bit;
		p->caps->permitted |= bit;
		/* ambient needs the bit inheritable too, which --cap does not add;
		 * only a process that already has inheritable bits gets it */
		if (p->caps->inheritable != 0)
			p->caps->ambient |= bit;
	}
	for (size_t i = 0; i < f->env.n; i++)
		env_set(&p->env, f->env.items[i]);
	/* runc: no terminal unless -t, whatever config.json says */
	p->terminal = f->tty;
	if (f->no_new_privs_seen)
		p->no_new_privileges = f->no_new_privs;
	if (f->user && *f->user) {
		_cleanup_free_ char *u = strdup(f->user);
		char *colon;

		if (u == NULL)
			berth_abort();
		colon = strchr(u, ':');
		if (colon) {
			*colon = '\0';
			if (parse_id(colon + 1, &p->user.gid) < 0)
				return cli_error(ctx, "exec failed: parsing %s as int for gid failed", colon + 1);
		}
		if (parse_id(u, &p->user.uid) < 0)
			return cli_error(ctx, "exec failed: parsing %s as int for uid failed", u);
		free(p->user.username);
		p->user.username = NULL;
	}
	for (size_t i = 0; i < f->gids.n; i++) {
		uint32_t gid, *v;

		if (parse_id(f->gids.items[i], &gid) < 0)
			return cli_error(ctx, "exec failed: additional-gids must be a positive number %s",
					 f->gids.items[i]);
		v = realloc(p->user.additional_gids, (p->user.n_additional_gids + 1) * sizeof(*v));
		if (v == NULL)
			berth_abort();
		v[p->user.n_additional_gids++] = gid;
		p->user.additional_gids = v;
	}
	return 0;
}

static struct oci_process *process_from_file(const char *path, berth_err **err)
{
	_cleanup_free_ char *json = NULL;
	struct oci_process *p;
	size_t len = 0;

	json = read_file_at(AT_FDCWD, path, &len, err);
	if (json == NULL)
		return NULL;
	p = oci_process_parse(json, len, err);
	if (p == NULL)
		berth_err_wrap(err, "%s", path);
	return p;
}

static int do_exec(struct cli_ctx *ctx, int argc, char **argv, struct exec_flags *f)
{
	const char *process = NULL, *console_socket = NULL, *pid_file = NULL, *cgroup = NULL;
	struct exec_opts eo = { 0 };
	const struct cli_opt opts[] = {
		{ "console-socket", 0, CLI_OPT_STRING, &console_socket, NULL },
		{ "cwd", 0, CLI_OPT_STRING, &f->cwd, NULL },
		{ "env", 'e', CLI_OPT_LIST, &f->env, NULL },
		{ "tty", 't', CLI_OPT_BOOL, &f->tty, NULL },
		{ "user", 'u', CLI_OPT_STRING, &f->user, NULL },
		{ "additional-gids", 'g', CLI_OPT_LIST, &f->gids, NULL },
		{ "process", 'p', CLI_OPT_STRING, &process, NULL },
		{ "detach", 'd', CLI_OPT_BOOL, &eo.detach, NULL },
		{ "pid-file", 0, CLI_OPT_STRING, &pid_file, NULL },
		{ "process-label", 0, CLI_OPT_STRING, &f->process_label, NULL },
		{ "apparmor", 0, CLI_OPT_STRING, &f->apparmor, NULL },
		{ "no-new-privs", 0, CLI_OPT_BOOL, &f->no_new_privs, &f->no_new_privs_seen },
		{ "cap", 'c', CLI_OPT_LIST, &f->caps, NULL },
		{ "preserve-fds", 0, CLI_OPT_INT, &eo.preserve_fds, NULL },
		{ "cgroup", 0, CLI_OPT_STRING, &cgroup, NULL },
		{ "ignore-paused", 0, CLI_OPT_BOOL, &eo.ignore_paused, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "exec", .help = exec_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 1, .max_args = -1, .flags_first = true,
	};
	_cleanup_free_ char **args = NULL;
	_cleanup_free_ char *abs_sock = NULL, *abs_pid = NULL;
	struct oci_process *p;
	berth_err *err = NULL;
	char **cmd;
	int nargs, r, status = 0;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (eo.preserve_fds < 0)
		return cli_error(ctx, "invalid value \"%d\" for flag -preserve-fds: parse error",
				 eo.preserve_fds);

	if (process && *process) {
		p = process_from_file(process, &err);
		if (p == NULL) {
			cli_fail(ctx, err, "exec failed");
			return EXEC_FAILED_STATUS;
		}
	} else {
		/* args is NULL-terminated (cli_parse); a "--" right after the id
		 * only ends berth's options */
		cmd = args + 1;
		if (cmd[0] && strcmp(cmd[0], "--") == 0)
			cmd++;
		if (cmd[0] == NULL) {
			cli_error(ctx, "exec failed: args must not be empty");
			return EXEC_FAILED_STATUS;
		}
		p = container_exec_default_process(&ctx->rt, args[0], cmd, &err);
		if (p == NULL) {
			cli_fail(ctx, err, "exec failed");
			return EXEC_FAILED_STATUS;
		}
		if (apply_flags(ctx, f, p) != 0) {
			oci_process_free(p);
			return EXEC_FAILED_STATUS;
		}
	}

	eo.process = p;
	eo.console_socket = abs_sock = cli_abs_path(console_socket);
	eo.pid_file = abs_pid = cli_abs_path(pid_file);
	eo.cgroup = cgroup && *cgroup ? cgroup : NULL;
	r = container_exec(&ctx->rt, args[0], &eo, &status, &err);
	oci_process_free(p);
	if (r < 0) {
		cli_fail(ctx, err, "exec failed");
		return EXEC_FAILED_STATUS;
	}
	return eo.detach ? 0 : status;
}

int cmd_exec(struct cli_ctx *ctx, int argc, char **argv)
{
	struct exec_flags f = { 0 };
	int r = do_exec(ctx, argc, argv, &f);

	exec_flags_clear(&f);
	return r;
}
