/* `berth ps`: the container's processes, either as a JSON array of host pids
 * or as the host's ps(1) output filtered to those pids (header kept), which
 * is what runc does and what `docker top` relies on. */
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/cleanup.h"
#include "util/fs.h"

static const char ps_help[] =
	"NAME:\n"
	"   berth ps - display the processes running inside a container\n"
	"\n"
	"USAGE:\n"
	"   berth ps [command options] <container-id> [ps options]\n"
	"\n"
	"DESCRIPTION:\n"
	"   Runs the host's ps(1) with [ps options] (default: -ef) and prints its\n"
	"header and the lines of the container's processes. With --format json it\n"
	"prints the host pids as a JSON array instead.\n"
	"\n"
	"OPTIONS:\n"
	"   --format value, -f value  select one of: table or json (default: \"table\")\n";

/* Runs ps with argv and returns its standard output. */
static char *run_ps(char **ps_args, size_t n, berth_err **err)
{
	_cleanup_free_ char **argv = calloc(n + 2, sizeof(*argv));
	_cleanup_close_ int rfd = -1;
	int pfd[2], status;
	char *out;
	pid_t pid;

	if (argv == NULL)
		berth_abort();
	argv[0] = (char *)"ps";
	for (size_t i = 0; i < n; i++)
		argv[i + 1] = ps_args[i];
	if (pipe2(pfd, O_CLOEXEC) < 0)
		return berth_err_set(err, errno, "pipe"), NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return berth_err_set(err, errno, "fork"), NULL;
	}
	if (pid == 0) {
		if (dup2(pfd[1], STDOUT_FILENO) < 0)
			_exit(127);
		execvp("ps", argv);
		_exit(127);
	}
	close(pfd[1]);
	rfd = pfd[0];
	out = read_fd_all(rfd, NULL, err);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (out == NULL)
		return NULL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		free(out);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			return berth_err_set(err, 0, "ps: cannot run ps"), NULL;
		return berth_err_set(err, 0, "ps: exit status %d",
				     WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status)),
		       NULL;
	}
	return out;
}

/* Index of the "PID" column in ps's header line, -1 when there is none. */
static int pid_column(const char *header)
{
	_cleanup_free_ char *copy = strdup(header);
	char *save = NULL;
	int i = 0;

	if (copy == NULL)
		berth_abort();
	for (char *f = strtok_r(copy, " \t", &save); f; f = strtok_r(NULL, " \t", &save), i++)
		if (strcmp(f, "PID") == 0)
			return i;
	return -1;
}

/* The col-th whitespace-separated field of line as a pid, -1 if not one. */
static long field_pid(const char *line, int col)
{
	const char *p = line;
	char *end;
	long v;

	for (int i = 0;; i++) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return -1;
		if (i == col)
			break;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	v = strtol(p, &end, 10);
	if (end == p || (*end != '\0' && *end != ' ' && *end != '\t'))
		return -1;
	return v;
}

static int print_table(const struct cli_ctx *ctx, const pid_t *pids, size_t n, char **ps_args,
		       size_t n_args)
{
	char *dflt[] = { (char *)"-ef" };
	_cleanup_free_ char *out = NULL;
	berth_err *err = NULL;
	char *line, *save = NULL;
	int col;

	if (n_args == 0) {
		ps_args = dflt;
		n_args = 1;
	}
	out = run_ps(ps_args, n_args, &err);
	if (out == NULL)
		return cli_fail(ctx, err, NULL);
	line = strtok_r(out, "\n", &save);
	if (line == NULL)
		return cli_error(ctx, "ps printed nothing");
	col = pid_column(line);
	if (col < 0)
		return cli_error(ctx, "couldn't find PID field in ps output");
	puts(line);
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		long p = field_pid(line, col);
		if (p < 0)
			return cli_error(ctx, "unexpected pid in ps output: %s", line);
		for (size_t i = 0; i < n; i++) {
			if (pids[i] == p) {
				puts(line);
				break;
			}
		}
	}
	return 0;
}

int cmd_ps(struct cli_ctx *ctx, int argc, char **argv)
{
	const char *format = "table";
	const struct cli_opt opts[] = {
		{ "format", 'f', CLI_OPT_STRING, &format, NULL },
	};
	const struct cli_cmd_spec spec = {
		.name = "ps", .help = ps_help, .opts = opts, .n_opts = ARRAY_SIZE(opts),
		.min_args = 1, .max_args = -1, .flags_first = true,
	};
	_cleanup_free_ char **args = NULL;
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0, n_ps;
	char **ps_args;
	berth_err *err = NULL;
	int nargs, r;

	r = cli_parse(ctx, &spec, argc, argv, &args, &nargs);
	if (r != 0)
		return r > 0 ? 0 : CLI_EXIT_FAILURE;
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return cli_error(ctx, "invalid format option");
	if (container_pids(&ctx->rt, args[0], &pids, &n, &err) < 0)
		return cli_fail(ctx, err, NULL);
	if (strcmp(format, "json") == 0) {
		/* Go encodes runc's empty pid slice as null */
		if (n == 0) {
			puts("null");
			return 0;
		}
		for (size_t i = 0; i < n; i++)
			printf("%c%d", i ? ',' : '[', (int)pids[i]);
		puts("]");
		return 0;
	}
	ps_args = args + 1;
	n_ps = (size_t)nargs - 1;
	/* `berth ps ID -- -o pid`: the separator only ends berth's flags */
	if (n_ps > 0 && strcmp(ps_args[0], "--") == 0) {
		ps_args++;
		n_ps--;
	}
	return print_table(ctx, pids, n, ps_args, n_ps);
}
