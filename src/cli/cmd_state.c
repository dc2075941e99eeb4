/* `berth state`: prints a container's state document (runtime.md "State"). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char state_help[] =
	"NAME:\n"
	"   berth state - output the state of a container\n"
	"\n"
	"USAGE:\n"
	"   berth state <container-id>\n"
	"\n"
	"DESCRIPTION:\n"
	"   Prints the container's state as JSON: ociVersion, id, status (creating,\n"
	"created, running, paused or stopped), pid, bundle, rootfs, created,\n"
	"owner and annotations.\n";

int cmd_state(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_cmd_spec spec = {
		.name = "state", .help = state_help, .min_args = 1, .max_args = 1,
	};
	_cleanup_free_ char **args = NULL;
	_cleanup_free_ char *json = NULL;
	struct container_info info = { 0 };
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (container_state(&ctx->rt, args[0], &info, &err) < 0)
		return cli_fail(ctx, err, NULL);
	json = container_info_json(&info, true);
	container_info_clear(&info);
	if (json == NULL)
		return cli_error(ctx, "cannot encode the state of %s", args[0]);
	puts(json);
	return 0;
}
