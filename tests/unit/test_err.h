/* CHECK_ERR for unit tests of functions that fill a berth_err: the error's
 * text (with the wrapped contexts) contains a needle. */
#ifndef BERTH_TEST_ERR_H
#define BERTH_TEST_ERR_H

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "util/cleanup.h"
#include "util/error.h"

static inline char *err_text(berth_err *e)
{
	return e ? berth_err_text(e) : strdup("(no error)");
}

#define CHECK_ERR(e, needle)                           \
	do {                                           \
		_cleanup_free_ char *t_ = err_text(e); \
		CHECK_CONTAINS(t_, needle);            \
	} while (0)

#endif
