/* `berth create`: sets a container up to the "created" state, its init
 * waiting for `start` (the engines' two-step start). */
#include <stdlib.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char create_help[] =
	"NAME:\n"
	"   berth create - create a container\n"
	"\n"
	"USAGE:\n"
	"   berth create [command options] <container-id>\n"
	"\n"
	"   <container-id> names the new container; it must be unique under --root.\n"
	"\n"
	"DESCRIPTION:\n"
	"   Builds the container described by the bundle (a directory holding\n"
	"config.json and the root filesystem) up to the \"created\" state: its\n"
	"namespaces, cgroup, mounts and init process exist, and the init waits until\n"
	"\"berth start\" lets it execute the process given by args in config.json.\n"
	"\n"
	"OPTIONS:\n"
	"   --bundle value, -b value  path to the root of the bundle directory, defaults to the current directory\n"
	"   --console-socket value    path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n"
	"   --pid-file value          specify the file to write the process id to\n"
	"   --no-pivot                do not use pivot_root to jail the process inside rootfs (for a rootfs on a ramdisk)\n"
	"   --no-new-keyring          do not create a new session keyring for the container; it inherits the caller's\n"
	"   --preserve-fds value      pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total) (default: 0)\n";

int cmd_create(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *bundle = NULL, *console_socket = NULL, *pid_file = NULL;
	struct create_opts co = { 0 };
	const struct cli_opt opts[] = {
		{ "bundle", 'b', CLI_OPT_STRING, &bundle, NULL },
		{ "console-socket", 0, CLI_OPT_STRING, &console_socket, NULL },
		{ "pid-file", 0, CLI_OPT_STRING, &pid_file, NULL },
		{ "no-pivot", 0, CLI_OPT_BOOL, &co.no_pivot, NULL },
		{ "no-new-keyring", 0, CLI_OPT_BOOL, &co.no_new_keyring, NULL },
		{ "preserve-fds", 0, CLI_OPT_INT, &co.preserve_fds, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "create", .help = create_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 1, .max_args = 1,
	};
	_cleanup_free_ char **args = NULL;
	_cleanup_free_ char *abs_bundle = NULL, *abs_sock = NULL, *abs_pid = NULL;
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (co.preserve_fds < 0)
		return cli_error(ctx, "invalid value \"%d\" for flag -preserve-fds: parse error",
				 co.preserve_fds);
	co.bundle = abs_bundle = cli_abs_path(bundle && *bundle ? bundle : ".");
	co.console_socket = abs_sock = cli_abs_path(console_socket);
	co.pid_file = abs_pid = cli_abs_path(pid_file);
	if (container_create(&ctx->rt, args[0], &co, &err) < 0)
		return cli_fail(ctx, err, NULL);
	return 0;
}
