/* berth's entry point: global flags (runc's set), the command table and
 * dispatch, --version, and the error reporting every command goes through
 * (stderr plus the --log file that containerd and conmon read). */
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/cleanup.h"

#ifndef BERTH_VERSION
#define BERTH_VERSION "0.1.0"
#endif
#ifndef BERTH_COMMIT
#define BERTH_COMMIT "unknown"
#endif

struct command {
	const char *name;
	const char *alias;
	const char *summary;
	int (*fn)(struct cli_ctx *ctx, int argc, char **argv);
};

static const struct command commands[] = {
	{ "create", NULL, "create a container", cmd_create },
	{ "delete", NULL, "delete any resources held by the container", cmd_delete },
	{ "events", NULL, "display container events such as OOM notifications and resource usage statistics", cmd_events },
	{ "exec", NULL, "execute new process inside the container", cmd_exec },
	{ "features", NULL, "show the enabled features", cmd_features },
	{ "kill", NULL, "send a signal (default: SIGTERM) to the container's init process", cmd_kill },
	{ "list", NULL, "list containers under the given root", cmd_list },
	{ "pause", NULL, "suspend all processes inside the container", cmd_pause },
	{ "ps", NULL, "display the processes running inside a container", cmd_ps },
	{ "resume", NULL, "resume all processes that have been previously paused", cmd_resume },
	{ "run", NULL, "create and run a container", cmd_run },
	{ "spec", NULL, "create a new specification file", cmd_spec },
	{ "start", NULL, "execute the user defined process in a created container", cmd_start },
	{ "state", NULL, "output the state of a container", cmd_state },
	{ "update", NULL, "update container resource constraints", cmd_update },
};

static const char global_help_head[] =
	"NAME:\n"
	"   berth - an Open Container Initiative runtime\n"
	"\n"
	"berth runs containers packaged as OCI bundles: a directory holding a\n"
	"config.json and a root filesystem. Its command line is runc's, so any\n"
	"engine that drives runc can drive berth.\n"
	"\n"
	"To start a new instance of a container:\n"
	"\n"
	"    # berth run [ -b bundle ] <container-id>\n"
	"\n"
	"USAGE:\n"
	"   berth [global options] command [command options] [arguments...]\n"
	"\n"
	"COMMANDS:\n";

static const char global_help_tail[] =
	"   help, h   show a list of commands or help for one command\n"
	"\n"
	"GLOBAL OPTIONS:\n"
	"   --debug             enable debug logging\n"
	"   --log value         set the log file to write berth logs to (default is '/dev/stderr')\n"
	"   --log-format value  set the log format ('text' (default), or 'json') (default: \"text\")\n"
	"   --root value        root directory for storage of container state (this should be located in tmpfs) (default: \"" BERTH_DEFAULT_ROOT "\")\n"
	"   --criu value        path to the criu binary (accepted for compatibility; berth does not checkpoint) (default: \"criu\")\n"
	"   --systemd-cgroup    enable systemd cgroup support, expects cgroupsPath to be of form \"slice:prefix:name\"\n"
	"   --rootless value    ignore cgroup permission errors ('true', 'false', or 'auto') (default: \"auto\")\n"
	"   --help, -h          show help\n"
	"   --version, -v       print the version\n";

static struct cli_ctx *report_ctx_default(void)
{
	static struct cli_ctx c = { .log_format = LOG_FORMAT_TEXT };
	return &c;
}

int cli_error(const struct cli_ctx *ctx, const char *fmt, ...)
{
	_cleanup_free_ char *msg = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	if (msg == NULL)
		return CLI_EXIT_FAILURE;
	if (ctx == NULL)
		ctx = report_ctx_default();
	/* containerd and conmon read the last error line of the --log file; a
	 * person reads stderr, so it gets the bare message either way, except
	 * that JSON mode without a file keeps stderr machine-readable as runc. */
	if (log_to_file()) {
		log_write("error", "%s", msg);
		fprintf(stderr, "berth: %s\n", msg);
	} else if (ctx->log_format == LOG_FORMAT_JSON) {
		log_write("error", "%s", msg);
	} else {
		fprintf(stderr, "berth: %s\n", msg);
	}
	return CLI_EXIT_FAILURE;
}

int cli_fail(const struct cli_ctx *ctx, berth_err *err, const char *prefix)
{
	_cleanup_free_ char *text = err ? berth_err_text(err) : NULL;

	if (prefix)
		cli_error(ctx, "%s: %s", prefix, text ? text : "unknown error");
	else
		cli_error(ctx, "%s", text ? text : "unknown error");
	berth_err_free(err);
	return CLI_EXIT_FAILURE;
}

char *cli_abs_path(const char *path)
{
	_cleanup_free_ char *cwd = NULL;
	char *out;

	if (path == NULL)
		return NULL;
	if (path[0] == '/' || path[0] == '\0') {
		out = strdup(path);
	} else {
		cwd = getcwd(NULL, 0);
		if (cwd == NULL)
			out = strdup(path); /* best effort: the runtime reports the failure */
		else if (strcmp(path, ".") == 0)
			out = TAKE_PTR(cwd);
		else if (asprintf(&out, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, path) < 0)
			out = NULL;
	}
	if (out == NULL)
		berth_abort();
	return out;
}

static void print_global_help(void)
{
	fputs(global_help_head, stdout);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		printf("   %-9s %s\n", commands[i].name, commands[i].summary);
	fputs(global_help_tail, stdout);
}

static void print_version(void)
{
	const struct scmp_version *v = seccomp_version();

	printf("berth version %s\ncommit: %s\nspec: %s\n", BERTH_VERSION, BERTH_COMMIT,
	       BERTH_OCI_VERSION);
	if (v)
		printf("libseccomp: %u.%u.%u\n", v->major, v->minor, v->micro);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0 ||
		    (commands[i].alias && strcmp(commands[i].alias, name) == 0))
			return &commands[i];
	return NULL;
}

/* `berth help [COMMAND]`. */
static int run_help(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct command *c;
	char *hargv[] = { NULL, (char *)"--help", NULL };

	if (argc < 2) {
		print_global_help();
		return 0;
	}
	c = find_command(argv[1]);
	if (c == NULL)
		return cli_error(ctx, "no help topic for '%s'", argv[1]);
	hargv[0] = argv[1];
	return c->fn(ctx, 2, hargv);
}

int main(int argc, char **argv)
{
	static struct cli_ctx ctx = {
		.rt = { .root = BERTH_DEFAULT_ROOT, .rootless = -1 },
		.log_format = LOG_FORMAT_TEXT,
	};
	const char *root = NULL, *log_format = NULL, *rootless = NULL;
	_cleanup_free_ char *abs_root = NULL;
	_cleanup_free_ char **args = NULL;
	bool version = false;
	const struct cli_opt opts[] = {
		{ "root", 0, CLI_OPT_STRING, &root, NULL },
		{ "log", 0, CLI_OPT_STRING, &ctx.log_path, NULL },
		{ "log-format", 0, CLI_OPT_STRING, &log_format, NULL },
		{ "debug", 0, CLI_OPT_BOOL, &ctx.debug, NULL },
		{ "systemd-cgroup", 0, CLI_OPT_BOOL, &ctx.rt.systemd_cgroup, NULL },
		{ "rootless", 0, CLI_OPT_STRING, &rootless, NULL },
		{ "criu", 0, CLI_OPT_STRING, &ctx.criu, NULL },
		{ "version", 'v', CLI_OPT_BOOL, &version, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "berth",
		.help = "", /* printed by print_global_help below */
		.opts = opts,
		.n_opts = ARRAY_SIZE(opts),
		.min_args = 0,
		.max_args = -1,
		.flags_first = true,
	};
	const struct command *cmd;
	int nargs, r;

	r = cli_parse(&ctx, &spec, argc, argv, &args, &nargs);
	if (r == 1) {
		print_global_help();
		return 0;
	}
	if (r < 0)
		return CLI_EXIT_FAILURE;
	if (version) {
		print_version();
		return 0;
	}

	if (log_format == NULL || strcmp(log_format, "text") == 0)
		ctx.log_format = LOG_FORMAT_TEXT;
	else if (strcmp(log_format, "json") == 0)
		ctx.log_format = LOG_FORMAT_JSON;
	else
		return cli_error(&ctx, "invalid log-format: %s", log_format);

	/* runc reads the value with Go's strconv.ParseBool, "auto" or empty
	 * meaning to decide itself. */
	if (rootless == NULL || *rootless == '\0' || strcmp(rootless, "auto") == 0)
		ctx.rt.rootless = -1;
	else if (strcmp(rootless, "true") == 0 || strcmp(rootless, "1") == 0 || strcmp(rootless, "t") == 0 ||
		 strcmp(rootless, "T") == 0 || strcmp(rootless, "TRUE") == 0 || strcmp(rootless, "True") == 0)
		ctx.rt.rootless = 1;
	else if (strcmp(rootless, "false") == 0 || strcmp(rootless, "0") == 0 || strcmp(rootless, "f") == 0 ||
		 strcmp(rootless, "F") == 0 || strcmp(rootless, "FALSE") == 0 || strcmp(rootless, "False") == 0)
		ctx.rt.rootless = 0;
	else
		return cli_error(&ctx, "invalid value for --rootless: %s (want true, false or auto)",
				 rootless);

	if (root) {
		if (*root == '\0')
			return cli_error(&ctx, "--root: must not be empty");
		abs_root = cli_abs_path(root);
		ctx.rt.root = abs_root;
	}

	if (log_init(ctx.log_path, ctx.log_format, ctx.debug) < 0)
		return cli_error(&ctx, "open %s: %s", ctx.log_path, strerror(errno));

	if (nargs == 0) {
		print_global_help();
		return 0;
	}
	if (strcmp(args[0], "help") == 0 || strcmp(args[0], "h") == 0) {
		r = run_help(&ctx, nargs, args);
	} else {
		cmd = find_command(args[0]);
		if (cmd == NULL) {
			cli_error(&ctx, "unknown command \"%s\" (see 'berth --help')", args[0]);
			r = 3; /* runc's status for a command it does not have */
		} else
			r = cmd->fn(&ctx, nargs, args);
	}
	fflush(stdout);
	log_close();
	return r;
}
