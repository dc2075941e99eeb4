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
	/* glibc's SIGRTMIN is a function of what libc reserved; use it so the
	 * number matches what the container's libc calls RTMIN. */
	if (strncasecmp(name, "RTMIN", 5) == 0) {
		if (name[5] == '\0')
			return SIGRTMIN;
		if (name[5] != '+' || (off = parse_small(name + 6, SIGRTMAX - SIGRTMIN)) < 0)
			return -1;
		return SIGRTMIN + off;
	}
	if (strncasecmp(name, "RTMAX", 5) == 0) {
		if (name[5] == '\0')
			return SIGRTMAX;
		if (name[5] != '-' || (off = parse_small(name + 6, SIGRTMAX - SIGRTMIN)) < 0)
			return -1;
		return SIGRTMAX - off;
	}
	return -1;
}
