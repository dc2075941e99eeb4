/* Shared pieces of the command line: the global options every command sees,
 * the per-command entry points, the runc-compatible flag parser and the one
 * place where errors are reported (stderr plus the --log file). */
#ifndef BERTH_CLI_CLI_H
#define BERTH_CLI_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/container.h"
#include "util/error.h"
#include "util/log.h"

/* Global options (before the command name). */
struct cli_ctx {
	struct runtime_ctx rt;
	const char *log_path; /* --log, NULL: stderr */
	enum log_format log_format;
	bool debug;
	const char *criu; /* --criu: accepted for compatibility, unused */
};

/* Exit status of a failed command, as runc's. */
#define CLI_EXIT_FAILURE 1

/* Every command: argv[0] is the command name, the rest its arguments.
 * Returns the process exit status; errors are already reported. */
int cmd_spec(struct cli_ctx *ctx, int argc, char **argv);
int cmd_create(struct cli_ctx *ctx, int argc, char **argv);
int cmd_run(struct cli_ctx *ctx, int argc, char **argv);
int cmd_start(struct cli_ctx *ctx, int argc, char **argv);
int cmd_state(struct cli_ctx *ctx, int argc, char **argv);
int cmd_list(struct cli_ctx *ctx, int argc, char **argv);
int cmd_kill(struct cli_ctx *ctx, int argc, char **argv);
int cmd_delete(struct cli_ctx *ctx, int argc, char **argv);
int cmd_pause(struct cli_ctx *ctx, int argc, char **argv);
int cmd_resume(struct cli_ctx *ctx, int argc, char **argv);
int cmd_ps(struct cli_ctx *ctx, int argc, char **argv);
int cmd_update(struct cli_ctx *ctx, int argc, char **argv);
int cmd_events(struct cli_ctx *ctx, int argc, char **argv);
int cmd_exec(struct cli_ctx *ctx, int argc, char **argv);
int cmd_features(struct cli_ctx *ctx, int argc, char **argv);

/* ---- flag parsing (options.c) ---- */

enum cli_opt_kind {
	CLI_OPT_BOOL,   /* dest: bool *; "--x", "--x=true|false" */
	CLI_OPT_STRING, /* dest: const char ** (points into argv) */
	CLI_OPT_INT,    /* dest: int * (decimal, may be negative) */
	CLI_OPT_UINT64, /* dest: uint64_t * */
	CLI_OPT_LIST,   /* dest: struct cli_list *; repeatable */
};

/* The values of a repeatable flag, in order given; items point into argv. */
struct cli_list {
	const char **items;
	size_t n;
};

struct cli_opt {
	const char *name;  /* long name without dashes */
	char short_name;   /* single-letter alias, 0 for none */
	enum cli_opt_kind kind;
	void *dest;
	bool *seen;        /* set to true when given; may be NULL */
};

struct cli_cmd_spec {
	const char *name;          /* "create" */
	const char *help;          /* full --help text */
	const struct cli_opt *opts;
	size_t n_opts;
	int min_args;              /* positional arguments */
	int max_args;              /* -1: unbounded */
	/* Flags are recognised only before the first positional argument (exec,
	 * ps: what follows the ID belongs to the process). Other commands take
	 * flags anywhere before "--", as runc's reordering parser does. */
	bool flags_first;
};

/* Parses argv[1..argc) per spec. Accepts "--name v", "--name=v", "-name v"
 * (Go's flag syntax, which runc has), "-x v", and clustered boolean shorts
 * ("-dt"). On success returns 0 with *args / *nargs the positional arguments
 * (a new array of pointers into argv, caller frees). Returns 1 after printing
 * the help for --help/-h (the command should exit 0), or -1 after reporting a
 * usage error (unknown flag, bad value, wrong argument count). */
int cli_parse(struct cli_ctx *ctx, const struct cli_cmd_spec *spec, int argc, char **argv,
	      char ***args, int *nargs);

/* Frees a cli_list's array (not the strings, which belong to argv). */
void cli_list_clear(struct cli_list *l);

/* ---- error reporting (main.c) ---- */

/* Reports one error line: to stderr as "berth: MSG" (as a JSON line when
 * --log-format json and no --log file), and to the --log file when one is
 * set. Returns CLI_EXIT_FAILURE so commands can `return cli_error(...)`. */
int cli_error(const struct cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Reports err (its full text, prefixed with "prefix: " when prefix is not
 * NULL) like cli_error, frees it and returns CLI_EXIT_FAILURE. */
int cli_fail(const struct cli_ctx *ctx, berth_err *err, const char *prefix);

/* Makes path absolute against the current directory (commands may chdir
 * into the bundle before the path is used). Returns NULL for NULL; the
 * result is a new string. Aborts on out of memory. */
char *cli_abs_path(const char *path);

/* ---- signals.c ---- */

/* A signal given as a number ("9"), a name ("KILL", "SIGKILL", "kill") or a
 * real-time form ("RTMIN+3", "SIGRTMAX-1"). Returns the number, or -1 when
 * the text names no signal. 0 is accepted (probes that the target exists). */
int signal_parse(const char *text);

#endif
