/* `berth spec`: writes the default config.json into a bundle directory,
 * refusing to replace one that exists (an edited config is precious). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "oci/spec.h"
#include "util/cleanup.h"
#include "util/fs.h"

static const char spec_help[] =
	"NAME:\n"
	"   berth spec - create a new specification file\n"
	"\n"
	"USAGE:\n"
	"   berth spec [command options]\n"
	"\n"
	"DESCRIPTION:\n"
	"   Writes a starter \"config.json\" into the bundle directory (the current\n"
	"directory unless --bundle is given). Its process runs \"sh\" with a terminal;\n"
	"edit args, terminal and the root path to suit the image. An existing\n"
	"config.json is never overwritten.\n"
	"\n"
	"   With --rootless the file is adjusted for a container started by an\n"
	"unprivileged user: a user namespace mapping the caller's uid and gid, no\n"
	"network namespace and mounts that need no privilege.\n"
	"\n"
	"OPTIONS:\n"
	"   --bundle value, -b value  path to the root of the bundle directory\n"
	"   --rootless                generate a configuration for a rootless container\n";

int cmd_spec(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *bundle = NULL;
	bool rootless = false;
	const struct cli_opt opts[] = {
		{ "bundle", 'b', CLI_OPT_STRING, &bundle, NULL },
		{ "rootless", 0, CLI_OPT_BOOL, &rootless, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "spec", .help = spec_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 0, .max_args = 0,
	};
	_cleanup_free_ char **args = NULL;
	_cleanup_free_ char *path = NULL, *json = NULL;
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;

	path = path_join(bundle && *bundle ? bundle : ".", "config.json");
	json = oci_spec_default(rootless);
	if (json == NULL)
		return cli_error(ctx, "cannot generate the default spec");
	if (write_file_at(AT_FDCWD, path, json, strlen(json), O_CREAT | O_EXCL, 0666, &err) < 0) {
		if (err && err->errno_ == EEXIST) {
			berth_err_free(err);
			/* runc's words: scripts wrapping runc may look for them */
			return cli_error(ctx, "File config.json exists. Remove it first");
		}
		return cli_fail(ctx, err, NULL);
	}
	return 0;
}
