/* Command flag parsing with the syntax runc's parser (Go's flag package under
 * urfave/cli) accepts, so engines' argument vectors parse the same way, and
 * with runc's error wording, which engines and users may match on. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/cleanup.h"

void cli_list_clear(struct cli_list *l)
{
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

static const struct cli_opt *find_long(const struct cli_cmd_spec *spec, const char *name, size_t len)
{
	for (size_t i = 0; i < spec->n_opts; i++) {
		const struct cli_opt *o = &spec->opts[i];
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
		if (len == 1 && o->short_name == name[0])
			return o;
	}
	return NULL;
}

static const struct cli_opt *find_short(const struct cli_cmd_spec *spec, char c)
{
	for (size_t i = 0; i < spec->n_opts; i++)
		if (spec->opts[i].short_name == c)
			return &spec->opts[i];
	return NULL;
}

/* strconv.ParseBool's spellings. */
static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "1", "t", "T", "true", "TRUE", "True" };
	static const char *const no[] = { "0", "f", "F", "false", "FALSE", "False" };
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Stores value into o's destination; name is the flag as written, for
 * messages. */
static int set_value(const struct cli_ctx *ctx, const struct cli_opt *o, const char *name,
		     const char *value)
{
	char *end;

	switch (o->kind) {
	case CLI_OPT_BOOL:
		if (value == NULL) {
			*(bool *)o->dest = true;
		} else if (parse_bool(value, (bool *)o->dest) < 0) {
			cli_error(ctx, "invalid boolean value \"%s\" for -%s: parse error", value, name);
			return -1;
		}
		break;
	case CLI_OPT_STRING:
		*(const char **)o->dest = value;
		break;
	case CLI_OPT_INT: {
		long v;
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno != 0 || *value == '\0' || *end != '\0' || v < INT32_MIN || v > INT32_MAX) {
			cli_error(ctx, "invalid value \"%s\" for flag -%s: parse error", value, name);
			return -1;
		}
		*(int *)o->dest = (int)v;
		break;
	}
	case CLI_OPT_UINT64: {
		unsigned long long v;
		errno = 0;
		v = strtoull(value, &end, 10);
		if (errno != 0 || *value < '0' || *value > '9' || *end != '\0') {
			cli_error(ctx, "invalid value \"%s\" for flag -%s: parse error", value, name);
			return -1;
		}
		*(uint64_t *)o->dest = v;
		break;
	}
	case CLI_OPT_LIST: {
		struct cli_list *l = o->dest;
		const char **items = realloc(l->items, (l->n + 1) * sizeof(*items));
		if (items == NULL)
			berth_abort();
		items[l->n++] = value;
		l->items = items;
		break;
	}
	}
	if (o->seen)
		*o->seen = true;
	return 0;
}

/* "-dt": every letter a boolean short flag. */
static bool set_short_cluster(const struct cli_cmd_spec *spec, const char *letters)
{
	for (const char *c = letters; *c; c++) {
		const struct cli_opt *o = find_short(spec, *c);
		if (o == NULL || o->kind != CLI_OPT_BOOL)
			return false;
	}
	for (const char *c = letters; *c; c++) {
		const struct cli_opt *o = find_short(spec, *c);
		*(bool *)o->dest = true;
		if (o->seen)
			*o->seen = true;
	}
	return true;
}

static int check_count(const struct cli_ctx *ctx, const struct cli_cmd_spec *spec, int n)
{
	const char *what;
	int want;

	if (spec->min_args == spec->max_args && n != spec->min_args) {
		what = "exactly";
		want = spec->min_args;
	} else if (n < spec->min_args) {
		what = "a minimum of";
		want = spec->min_args;
	} else if (spec->max_args >= 0 && n > spec->max_args) {
		what = "a maximum of";
		want = spec->max_args;
	} else {
		return 0;
	}
	cli_error(ctx, "\"%s\" requires %s %d argument(s)", spec->name, what, want);
	return -1;
}

int cli_parse(struct cli_ctx *ctx, const struct cli_cmd_spec *spec, int argc, char **argv,
	      char ***args, int *nargs)
{
	_cleanup_free_ char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	bool only_args = false;
	int n = 0;

	if (pos == NULL)
		berth_abort();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *name, *eq, *value;
		const struct cli_opt *o;
		size_t len;

		if (only_args || a[0] != '-' || a[1] == '\0') {
			pos[n++] = argv[i];
			if (spec->flags_first)
				only_args = true;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_args = true;
			continue;
		}
		name = a + (a[1] == '-' ? 2 : 1);
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		if ((len == 4 && strncmp(name, "help", 4) == 0) || (len == 1 && name[0] == 'h')) {
			fputs(spec->help, stdout);
			return 1;
		}
		o = find_long(spec, name, len);
		if (o == NULL) {
			if (a[1] != '-' && eq == NULL && len > 1 && set_short_cluster(spec, name))
				continue;
			cli_error(ctx, "flag provided but not defined: -%.*s", (int)len, name);
			return -1;
		}
		_cleanup_free_ char *flag = strndup(name, len);
		if (flag == NULL)
			berth_abort();
		if (eq) {
			value = eq + 1;
		} else if (o->kind == CLI_OPT_BOOL) {
			value = NULL;
		} else if (i + 1 < argc) {
			value = argv[++i];
		} else {
			cli_error(ctx, "flag needs an argument: -%s", flag);
			return -1;
		}
		if (set_value(ctx, o, flag, value) < 0)
			return -1;
	}
	if (check_count(ctx, spec, n) < 0)
		return -1;
	*args = TAKE_PTR(pos);
	*nargs = n;
	return 0;
}
