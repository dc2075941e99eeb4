/* Error values: creation, wrapping with context, rendering.
 * Allocation failures while building an error abort: there is no sane way
 * to report them and a runtime that lies about errors is worse. */
#include "util/error.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

_Noreturn void berth_abort(void)
{
	sigset_t s;

	signal(SIGABRT, SIG_DFL);
	sigemptyset(&s);
	sigaddset(&s, SIGABRT);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	kill(getpid(), SIGABRT);
	_exit(134);
}

static char *vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		berth_abort();
	return s;
}

int berth_err_set(berth_err **err, int errno_, const char *fmt, ...)
{
	va_list ap;
	berth_err *e;

	if (err == NULL || *err != NULL)
		return -1;
	e = calloc(1, sizeof(*e));
	if (e == NULL)
		berth_abort();
	va_start(ap, fmt);
	e->msg = vfmt(fmt, ap);
	va_end(ap);
	e->errno_ = errno_ < 0 ? -errno_ : errno_;
	*err = e;
	return -1;
}

int berth_err_wrap(berth_err **err, const char *fmt, ...)
{
	va_list ap;
	char *ctx, *s = NULL;

	if (err == NULL || *err == NULL)
		return -1;
	va_start(ap, fmt);
	ctx = vfmt(fmt, ap);
	va_end(ap);
	if (asprintf(&s, "%s: %s", ctx, (*err)->msg) < 0)
		berth_abort();
	free(ctx);
	free((*err)->msg);
	(*err)->msg = s;
	return -1;
}

char *berth_err_text(const berth_err *err)
{
	char *s = NULL;
	int r;

	if (err == NULL)
		return strdup("unknown error");
	if (err->errno_) {
		/* The errno text in lower case, as runc's (Go's) is: engines
		 * look for it verbatim (Docker maps "no such file or directory"
		 * to exit status 127 and "permission denied" to 126). An
		 * acronym ("RPC ...") keeps its case. */
		char e[128];
		snprintf(e, sizeof(e), "%s", strerror(err->errno_));
		if (isupper((unsigned char)e[0]) && islower((unsigned char)e[1]))
			e[0] = (char)tolower((unsigned char)e[0]);
		r = asprintf(&s, "%s: %s", err->msg, e);
	} else
		r = asprintf(&s, "%s", err->msg);
	if (r < 0)
		berth_abort();
	return s;
}

void berth_err_free(berth_err *err)
{
	if (err == NULL)
		return;
	free(err->msg);
	free(err);
}

void berth_err_clear(berth_err **err)
{
	if (err == NULL)
		return;
	berth_err_free(*err);
	*err = NULL;
}
