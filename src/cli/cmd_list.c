/* `berth list`: every container under --root as runc prints them: a table
 * aligned like Go's tabwriter, a JSON array, or bare ids with --quiet. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char list_help[] =
	"NAME:\n"
	"   berth list - list containers under the given root\n"
	"\n"
	"USAGE:\n"
	"   berth list [command options]\n"
	"\n"
	"   The root is the global option \"--root\" (default: \"" BERTH_DEFAULT_ROOT "\").\n"
	"\n"
	"EXAMPLE:\n"
	"   To list containers kept under a non-default root:\n"
	"\n"
	"       # berth --root /run/myroot list\n"
	"\n"
	"OPTIONS:\n"
	"   --format value, -f value  select one of: table or json (default: \"table\")\n"
	"   --quiet, -q               display only container IDs\n";

/* The user name owning uid from /etc/passwd, "#uid" when it has none.
 * Read directly: NSS cannot be used from berth's static binary. */
static char *user_name(uid_t uid)
{
	_cleanup_fclose_ FILE *f = fopen("/etc/passwd", "re");
	_cleanup_free_ char *line = NULL;
	size_t cap = 0;
	char *out;

	while (f && getline(&line, &cap, f) > 0) {
		char *name = line, *colon = strchr(line, ':'), *uid_s, *end;

		if (colon == NULL)
			continue;
		*colon = '\0';
		uid_s = strchr(colon + 1, ':');
		if (uid_s == NULL)
			continue;
		uid_s++;
		if (strtoul(uid_s, &end, 10) == uid && end != uid_s && *end == ':') {
			out = strdup(name);
			if (out == NULL)
				berth_abort();
			return out;
		}
	}
	if (asprintf(&out, "#%u", (unsigned)uid) < 0)
		berth_abort();
	return out;
}

/* runc's list shows the owner of each container's state directory (state
 * leaves it empty); fill it in where the runtime did not. */
static void fill_owners(const struct cli_ctx *ctx, struct container_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *dir = NULL;
		struct stat st;

		if (v[i].owner && *v[i].owner)
			continue;
		if (asprintf(&dir, "%s/%s", ctx->rt.root, v[i].id) < 0)
			berth_abort();
		if (stat(dir, &st) < 0)
			continue;
		free(v[i].owner);
		v[i].owner = user_name(st.st_uid);
	}
}

static void infos_free(struct container_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		container_info_clear(&v[i]);
	free(v);
}

/* runc's table: tabwriter with minimum cell width 12 and padding 3; the last
 * column is not padded. */
static void print_table(const struct container_info *v, size_t n)
{
	enum { COLS = 6, MINW = 12, PAD = 3 };
	static const char *const head[COLS] = { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" };
	size_t width[COLS];
	char pid[24];

	for (int c = 0; c < COLS; c++)
		width[c] = strlen(head[c]);
	for (size_t i = 0; i < n; i++) {
		const char *cells[COLS] = { v[i].id, pid, v[i].status, v[i].bundle, v[i].created,
					    v[i].owner };
		snprintf(pid, sizeof(pid), "%d", (int)v[i].pid);
		for (int c = 0; c < COLS; c++) {
			size_t l = cells[c] ? strlen(cells[c]) : 0;
			if (l > width[c])
				width[c] = l;
		}
	}
	for (int c = 0; c < COLS - 1; c++)
		width[c] = width[c] + PAD < MINW ? MINW : width[c] + PAD;

	for (int c = 0; c < COLS - 1; c++)
		printf("%-*s", (int)width[c], head[c]);
	printf("%s\n", head[COLS - 1]);
	for (size_t i = 0; i < n; i++) {
		const char *cells[COLS] = { v[i].id, pid, v[i].status, v[i].bundle, v[i].created,
					    v[i].owner };
		snprintf(pid, sizeof(pid), "%d", (int)v[i].pid);
		for (int c = 0; c < COLS - 1; c++)
			printf("%-*s", (int)width[c], cells[c] ? cells[c] : "");
		printf("%s\n", cells[COLS - 1] ? cells[COLS - 1] : "");
	}
}

/* One compact line, like Go's json.Encoder: the state documents as `state`
 * prints them (so both agree), with list's owner. No containers is "null",
 * as runc encodes its nil slice. */
static int print_json(const struct cli_ctx *ctx, const struct container_info *v, size_t n)
{
	struct json_object *arr;

	if (n == 0) {
		puts("null");
		return 0;
	}
	arr = json_object_new_array();
	if (arr == NULL)
		berth_abort();
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *text = container_info_json(&v[i], true);
		struct json_object *o = text ? json_tokener_parse(text) : NULL;

		if (o == NULL || !json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			json_object_put(arr);
			return cli_error(ctx, "cannot encode the state of %s", v[i].id);
		}
		json_object_object_add(o, "owner", json_object_new_string(v[i].owner ? v[i].owner : ""));
		json_object_array_add(arr, o);
	}
	puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	return 0;
}

int cmd_list(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *format = "table";
	bool quiet = false;
	const struct cli_opt opts[] = {
		{ "format", 'f', CLI_OPT_STRING, &format, NULL },
		{ "quiet", 'q', CLI_OPT_BOOL, &quiet, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "list", .help = list_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 0, .max_args = 0,
	};
	_cleanup_free_ char **args = NULL;
	struct container_info *infos = NULL;
	size_t n = 0;
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	/* runc ignores --format under --quiet, so a bad one is only an error
	 * when it matters */
	if (!quiet && strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return cli_error(ctx, "invalid format option");
	if ((quiet ? container_list_ids(&ctx->rt, &infos, &n, &err) : container_list(&ctx->rt, &infos, &n, &err)) < 0)
		return cli_fail(ctx, err, NULL);
	r = 0;
	/* One write per 64 KiB of table, not per BUFSIZ (1 KiB in musl). */
	static char outbuf[1 << 16];
	setvbuf(stdout, outbuf, _IOFBF, sizeof(outbuf));
	if (!quiet)
		fill_owners(ctx, infos, n);
	if (quiet) {
		for (size_t i = 0; i < n; i++)
			puts(infos[i].id);
	} else if (strcmp(format, "json") == 0) {
		/* Only JSON shows annotations: the table never reads a config. */
		container_list_annotations(&ctx->rt, infos, n);
		r = print_json(ctx, infos, n);
	} else {
		print_table(infos, n);
	}
	infos_free(infos, n);
	return r;
}
