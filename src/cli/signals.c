/* Signal names as `kill` accepts them: numbers, names with or without the
 * SIG prefix in any case, and the real-time RTMIN+n / RTMAX-n forms that
 * engines pass for stop signals of some images. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "util/cleanup.h"

static const struct {
	const char *name;
	int sig;
} signal_names[] = {
	{ "HUP", SIGHUP },       { "INT", SIGINT },       { "QUIT", SIGQUIT },   { "ILL", SIGILL },
	{ "TRAP", SIGTRAP },     { "ABRT", SIGABRT },     { "IOT", SIGIOT },     { "BUS", SIGBUS },
	{ "FPE", SIGFPE },       { "KILL", SIGKILL },     { "USR1", SIGUSR1 },   { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 },     { "PIPE", SIGPIPE },     { "ALRM", SIGALRM },   { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD },     { "CLD", SIGCHLD },    { "CONT", SIGCONT },
	{ "STOP", SIGSTOP },     { "TSTP", SIGTSTP },     { "TTIN", SIGTTIN },   { "TTOU", SIGTTOU },
	{ "URG", SIGURG },       { "XCPU", SIGXCPU },     { "XFSZ", SIGXFSZ },   { "VTALRM", SIGVTALRM },
	{ "PROF", SIGPROF },     { "WINCH", SIGWINCH },   { "IO", SIGIO },       { "POLL", SIGPOLL },
	{ "PWR", SIGPWR },       { "SYS", SIGSYS },
};

/* Parses a whole decimal number in [0, max]; -1 otherwise. */
static int parse_small(const char *s, int max)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	return (int)v;
}

#define NAMED_RTMIN 34
#define NAMED_RTMAX 64

int signal_parse(const char *text)
{
	const char *name = text;
	int off;

	if (text == NULL || *text == '\0')
		return -1;
	if (isdigit((unsigned char)*text))
		return parse_small(text, SIGRTMAX);
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < ARRAY_SIZE(signal_names); i++)
		if (strcasecmp(name, signal_names[i].name) == 0)
			return signal_names[i].sig;
	/* Names as the host's and most containers' C library (glibc), shells
	 * and Go spell them: RTMIN is 34, glibc keeping 32 and 33 for itself.
	 * This binary's own SIGRTMIN may differ (musl says 35), and the
	 * number must be what the container's process calls RTMIN+n. */
	if (strncasecmp(name, "RTMIN", 5) == 0) {
		if (name[5] == '\0')
			return NAMED_RTMIN;
		if (name[5] != '+' || (off = parse_small(name + 6, NAMED_RTMAX - NAMED_RTMIN)) < 0)
			return -1;
		return NAMED_RTMIN + off;
	}
	if (strncasecmp(name, "RTMAX", 5) == 0) {
		if (name[5] == '\0')
			return NAMED_RTMAX;
		if (name[5] != '-' || (off = parse_small(name + 6, NAMED_RTMAX - NAMED_RTMIN)) < 0)
			return -1;
		return NAMED_RTMAX - off;
	}
	return -1;
}
