/* `berth events`: streams a container's events (periodic resource stats,
 * OOM notifications) as JSON lines, or prints one stats sample with --stats. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const char events_help[] =
	"NAME:\n"
	"   berth events - display container events such as OOM notifications and resource usage statistics\n"
	"\n"
	"USAGE:\n"
	"   berth events [command options] <container-id>\n"
	"\n"
	"DESCRIPTION:\n"
	"   Prints one JSON object per line: {\"type\":\"stats\",...} every interval\n"
	"(5 seconds by default) and {\"type\":\"oom\",...} when the kernel's OOM killer\n"
	"hits the container, until the container stops.\n"
	"\n"
	"OPTIONS:\n"
	"   --interval value  set the stats collection interval, a duration like 5s, 500ms or 1m30s (default: 5s)\n"
	"   --stats           display the container's stats then exit\n";

/* A Go time.Duration string ("5s", "1.5s", "1m30s", "500ms", "250us") into
 * *out nanoseconds; -1 when malformed. A bare "0" is allowed as Go allows. */
static int parse_duration_ns(const char *s, double *out)
{
	static const struct {
		const char *unit;
		double ns;
	} units[] = {
		{ "ns", 1 },     { "us", 1e3 },    { "\xc2\xb5s", 1e3 }, { "\xce\xbcs", 1e3 },
		{ "ms", 1e6 },   { "s", 1e9 },     { "m", 60e9 },        { "h", 3600e9 },
	};
	double total = 0;
	bool neg = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (*s == '\0')
		return -1;
	while (*s) {
		const char *start = s;
		size_t best = 0;
		double v, mul = 0;
		char *end;

		while (isdigit((unsigned char)*s) || *s == '.')
			s++;
		if (s == start || (s - start == 1 && *start == '.'))
			return -1;
		errno = 0;
		v = strtod(start, &end);
		if (errno != 0 || end != s)
			return -1;
		/* longest unit that matches, so "ms" is not read as "m" */
		for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
			size_t l = strlen(units[i].unit);
			if (l > best && strncmp(s, units[i].unit, l) == 0) {
				best = l;
				mul = units[i].ns;
			}
		}
		if (best == 0)
			return -1;
		s += best;
		total += v * mul;
	}
	*out = neg ? -total : total;
	return 0;
}

static int print_line(const char *line, void *data)
{
	size_t len = strlen(line);

	(void)data;
	if (fputs(line, stdout) == EOF)
		return -1;
	if ((len == 0 || line[len - 1] != '\n') && putchar('\n') == EOF)
		return -1;
	/* a reader of the stream wants each event as it happens */
	return fflush(stdout) == EOF ? -1 : 0;
}

int cmd_events(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *interval = "5s";
	bool stats = false;
	const struct cli_opt opts[] = {
		{ "interval", 0, CLI_OPT_STRING, &interval, NULL },
		{ "stats", 0, CLI_OPT_BOOL, &stats, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "events", .help = events_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 1, .max_args = 1,
	};
	_cleanup_free_ char **args = NULL;
	berth_err *err = NULL;
	double ns;
	unsigned ms;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (parse_duration_ns(interval, &ns) < 0)
		return cli_error(ctx, "invalid value \"%s\" for flag -interval: parse error", interval);
	if (ns <= 0)
		return cli_error(ctx, "duration interval must be greater than 0");
	/* the runtime counts in milliseconds; round up so 100us is not 0 */
	ms = ns / 1e6 >= 4294967295.0 ? 4294967295u : (unsigned)((ns + 999999) / 1e6);
	if (container_events(&ctx->rt, args[0], stats, ms, print_line, NULL, &err) < 0)
		return cli_fail(ctx, err, NULL);
	return 0;
}
