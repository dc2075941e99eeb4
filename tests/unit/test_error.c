/* Unit tests for the error type (src/util/error.c): set, wrap and the text
 * the CLI prints, whose errno part engines match verbatim (runc's lower
 * case). */
#include <errno.h>
#include <stdlib.h>

#include "test.h"
#include "util/error.h"

TEST(error_text_wraps_and_lowers_errno)
{
	berth_err *e = NULL;
	char *t;

	CHECK(berth_err_set(&e, ENOENT, "stat %s", "/x") == -1);
	CHECK(berth_err_wrap(&e, "exec") == -1);
	t = berth_err_text(e);
	CHECK_STR(t, "exec: stat /x: no such file or directory");
	free(t);
	berth_err_free(e);
	e = NULL;
	berth_err_set(&e, EACCES, "open %s", "/y");
	t = berth_err_text(e);
	CHECK_STR(t, "open /y: permission denied");
	free(t);
	berth_err_free(e);
}

TEST(error_text_without_errno)
{
	berth_err *e = NULL;
	char *t;

	berth_err_set(&e, 0, "container %s does not exist", "c1");
	t = berth_err_text(e);
	CHECK_STR(t, "container c1 does not exist");
	free(t);
	berth_err_free(e);
	t = berth_err_text(NULL);
	CHECK_STR(t, "unknown error");
	free(t);
}

int main(void)
{
	RUN(error_text_wraps_and_lowers_errno);
	RUN(error_text_without_errno);
	TEST_EXIT();
}
