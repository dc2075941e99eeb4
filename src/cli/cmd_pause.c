/* `berth pause` and `berth resume`: freeze and thaw every process of a
 * container through its cgroup. */
#include <stdlib.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char pause_help[] =
	"NAME:\n"
	"   berth pause - suspend all processes inside the container\n"
	"\n"
	"USAGE:\n"
	"   berth pause <container-id>\n"
	"\n"
	"DESCRIPTION:\n"
	"   Freezes every process of a running container with the cgroup freezer;\n"
	"its status becomes \"paused\" until \"berth resume\".\n";

static const char resume_help[] =
	"NAME:\n"
	"   berth resume - resume all processes that have been previously paused\n"
	"\n"
	"USAGE:\n"
	"   berth resume <container-id>\n"
	"\n"
	"DESCRIPTION:\n"
	"   Thaws every process of a paused container; its status becomes\n"
	"\"running\" again.\n";

static int pause_or_resume(struct cli_ctx *ctx, int argc, char **argv, bool pause)
{
	const struct cli_cmd_spec spec = {
		.name = pause ? "pause" : "resume",
		.help = pause ? pause_help : resume_help,
		.min_args = 1,
		.max_args = 1,
	};
	_cleanup_free_ char **args = NULL;
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	r = pause ? container_pause(&ctx->rt, args[0], &err)
		  : container_resume(&ctx->rt, args[0], &err);
	if (r < 0)
		return cli_fail(ctx, err, NULL);
	return 0;
}

int cmd_pause(struct cli_ctx *ctx, int argc, char **argv)
{
	return pause_or_resume(ctx, argc, argv, true);
}

int cmd_resume(struct cli_ctx *ctx, int argc, char **argv)
{
	return pause_or_resume(ctx, argc, argv, false);
}
