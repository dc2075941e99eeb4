/* `berth delete`: removes a stopped container (any, with --force). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char delete_help[] =
	"NAME:\n"
	"   berth delete - delete any resources held by the container\n"
	"\n"
	"USAGE:\n"
	"   berth delete [command options] <container-id>\n"
	"\n"
	"DESCRIPTION:\n"
	"   Removes a stopped container: what is left of its processes, its cgroup\n"
	"and its state, then runs the poststop hooks. With --force a container in\n"
	"any state is killed with SIGKILL first, and an unknown container is no\n"
	"error.\n"
	"\n"
	"OPTIONS:\n"
	"   --force, -f  forcibly delete the container if it is still running (uses SIGKILL)\n";

int cmd_delete(struct cli_ctx *ctx, int argc, char **argv)
{
	bool force = false;
	const struct cli_opt opts[] = {
		{ "force", 'f', CLI_OPT_BOOL, &force, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "delete", .help = delete_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 1, .max_args = 1,
	};
	_cleanup_free_ char **args = NULL;
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (container_delete(&ctx->rt, args[0], force, &err) < 0) {
		/* runc: forcing away what is already gone succeeds, so an engine's
		 * cleanup after a half-failed create need not special-case it */
		if (force && err && err->msg && strstr(err->msg, "does not exist")) {
			berth_err_free(err);
			return 0;
		}
		return cli_fail(ctx, err, NULL);
	}
	return 0;
}
