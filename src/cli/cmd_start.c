/* `berth start`: lets a created container's init execute the user process. */
#include <stdlib.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char start_help[] =
	"NAME:\n"
	"   berth start - execute the user defined process in a created container\n"
	"\n"
	"USAGE:\n"
	"   berth start <container-id>\n"
	"\n"
	"DESCRIPTION:\n"
	"   Signals the init of a container in the \"created\" state to execute the\n"
	"process given by args in its config.json, then runs the poststart hooks.\n";

int cmd_start(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_cmd_spec spec = {
		.name = "start", .help = start_help, .min_args = 1, .max_args = 1,
	};
	_cleanup_free_ char **args = NULL;
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (container_start(&ctx->rt, args[0], &err) < 0)
		return cli_fail(ctx, err, NULL);
	return 0;
}
