/* Error values passed up the call chain.
 * A function that can fail returns < 0 (or NULL) and fills *err; callers add
 * context with berth_err_wrap; only src/cli prints. */
#ifndef BERTH_UTIL_ERROR_H
#define BERTH_UTIL_ERROR_H

#include <stdarg.h>

typedef struct berth_err {
	int errno_;  /* 0 when the failure has no errno (bad input) */
	char *msg;   /* lower case, names the field or path, no trailing period */
} berth_err;

/* Sets *err (if err is not NULL and *err is still empty) to a new error with
 * errno_ (0 for none) and a printf-style message. Returns -1 so that callers
 * can write `return berth_err_set(err, errno, "open %s", p);`. An existing
 * error is kept: the first failure is the interesting one. */
int berth_err_set(berth_err **err, int errno_, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes the message of *err with "context: ". Returns -1. */
int berth_err_wrap(berth_err **err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The full text: "msg: strerror(errno_)" or "msg". Caller frees. */
char *berth_err_text(const berth_err *err);

void berth_err_free(berth_err *err);

/* Frees *err and sets it to NULL. */
void berth_err_clear(berth_err **err);

/* abort(3) for berth's own "cannot go on" paths (out of memory, a corrupted
 * heap). libc's abort signals the thread id it has cached, which in a child
 * made by a raw clone (the container's init, exec's child) is the parent's:
 * the runtime would die instead. This one signals the calling process. */
__attribute__((noreturn)) void berth_abort(void);

#endif
