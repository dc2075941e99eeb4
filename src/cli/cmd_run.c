/* `berth run`: create + start and, unless detached, stay with the container
 * until it exits and exit with its status. */
#include <stdlib.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char run_help[] =
	"NAME:\n"
	"   berth run - create and run a container\n"
	"\n"
	"USAGE:\n"
	"   berth run [command options] <container-id>\n"
	"\n"
	"   <container-id> names the new container; it must be unique under --root.\n"
	"\n"
	"DESCRIPTION:\n"
	"   Creates the container described by the bundle, starts its process and\n"
	"waits for it, forwarding signals and the terminal; berth exits with the\n"
	"process's status (128+N when killed by signal N). Without --keep the\n"
	"container is deleted once it exits. With --detach berth returns once the\n"
	"process has started.\n"
	"\n"
	"OPTIONS:\n"
	"   --bundle value, -b value  path to the root of the bundle directory, defaults to the current directory\n"
	"   --console-socket value    path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n"
	"   --detach, -d              detach from the container's process\n"
	"   --keep                    do not delete the container after it exits\n"
	"   --pid-file value          specify the file to write the process id to\n"
	"   --no-subreaper            accepted for compatibility (berth always reaps its children)\n"
	"   --no-pivot                do not use pivot_root to jail the process inside rootfs (for a rootfs on a ramdisk)\n"
	"   --no-new-keyring          do not create a new session keyring for the container; it inherits the caller's\n"
	"   --preserve-fds value      pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in total) (default: 0)\n";

int cmd_run(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *bundle = NULL, *console_socket = NULL, *pid_file = NULL;
	struct create_opts co = { 0 };
	bool no_subreaper = false;
	const struct cli_opt opts[] = {
		{ "bundle", 'b', CLI_OPT_STRING, &bundle, NULL },
		{ "console-socket", 0, CLI_OPT_STRING, &console_socket, NULL },
		{ "detach", 'd', CLI_OPT_BOOL, &co.detach, NULL },
		{ "keep", 0, CLI_OPT_BOOL, &co.keep, NULL },
		{ "pid-file", 0, CLI_OPT_STRING, &pid_file, NULL },
		{ "no-subreaper", 0, CLI_OPT_BOOL, &no_subreaper, NULL },
		{ "no-pivot", 0, CLI_OPT_BOOL, &co.no_pivot, NULL },
		{ "no-new-keyring", 0, CLI_OPT_BOOL, &co.no_new_keyring, NULL },
		{ "preserve-fds", 0, CLI_OPT_INT, &co.preserve_fds, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "run", .help = run_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 1, .max_args = 1,
	};
	_cleanup_free_ char **args = NULL;
	_cleanup_free_ char *abs_bundle = NULL, *abs_sock = NULL, *abs_pid = NULL;
	berth_err *err = NULL;
	int nargs, r, status = 0;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (co.preserve_fds < 0)
		return cli_error(ctx, "invalid value \"%d\" for flag -preserve-fds: parse error",
				 co.preserve_fds);
	co.bundle = abs_bundle = cli_abs_path(bundle && *bundle ? bundle : ".");
	co.console_socket = abs_sock = cli_abs_path(console_socket);
	co.pid_file = abs_pid = cli_abs_path(pid_file);
	if (container_run(&ctx->rt, args[0], &co, &status, &err) < 0)
		return cli_fail(ctx, err, NULL);
	return co.detach ? 0 : status;
}
