/* `berth features`: prints what this runtime implements (features.md), so
 * engines can probe for it before relying on it. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char features_help[] =
	"NAME:\n"
	"   berth features - show the enabled features\n"
	"\n"
	"USAGE:\n"
	"   berth features\n"
	"\n"
	"DESCRIPTION:\n"
	"   Prints, as JSON, the features this runtime implements, as defined by the\n"
	"OCI runtime spec's features.md: the supported OCI versions, hooks, mount\n"
	"options, namespaces, capabilities, cgroup managers and seccomp details.\n"
	"It describes berth, not what the host kernel provides.\n";

int cmd_features(struct cli_ctx *ctx, int argc, char **argv)
{
	const struct cli_cmd_spec spec = {
		.name = "features", .help = features_help, .min_args = 0, .max_args = 0,
	};
	_cleanup_free_ char **args = NULL;
	_cleanup_free_ char *json = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	json = runtime_features_json();
	if (json == NULL)
		return cli_error(ctx, "cannot encode the features document");
	puts(json);
	return 0;
}
