/* `berth kill`: sends a signal to a container's init, or with --all to all
 * of its processes (containerd sends `kill --all ID 9` on cleanup). */
#include <signal.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char kill_help[] =
	"NAME:\n"
	"   berth kill - send a signal (default: SIGTERM) to the container's init process\n"
	"\n"
	"USAGE:\n"
	"   berth kill [command options] <container-id> [signal]\n"
	"\n"
	"   [signal] is a number (9), a name (KILL, SIGKILL, kill) or RTMIN+n / RTMAX-n.\n"
	"\n"
	"EXAMPLE:\n"
	"   To send SIGKILL to the init process of container \"web1\":\n"
	"\n"
	"       # berth kill web1 KILL\n"
	"\n"
	"OPTIONS:\n"
	"   --all, -a  send the specified signal to all processes inside the container\n";

int cmd_kill(struct cli_ctx *ctx, int argc, char **argv)
{
	bool all = false;
	const struct cli_opt opts[] = {
		{ "all", 'a', CLI_OPT_BOOL, &all, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "kill", .help = kill_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 1, .max_args = 2,
	};
	_cleanup_free_ char **args = NULL;
	berth_err *err = NULL;
	int nargs, r, sig = SIGTERM;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (nargs == 2) {
		sig = signal_parse(args[1]);
		if (sig < 0)
			return cli_error(ctx, "invalid signal \"%s\"", args[1]);
	}
	if (container_kill(&ctx->rt, args[0], sig, all, &err) < 0)
		return cli_fail(ctx, err, NULL);
	return 0;
}
