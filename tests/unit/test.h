/* A minimal unit-test harness: TEST() defines a case, CHECK* record
 * failures, RUN() runs one case and prints "PASS|FAIL <file>:<case>" for
 * tests/run.sh to count. */
#ifndef BERTH_TEST_H
#define BERTH_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_failed_;
static int test_total_failed_;

#define TEST(name) static void name(void)

#define CHECK(cond)                                                                    \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, \
				#cond);                                                \
			test_failed_ = 1;                                              \
		}                                                                      \
	} while (0)

#define CHECK_STR(a, b)                                                                  \
	do {                                                                             \
		const char *a_ = (a), *b_ = (b);                                         \
		if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                   \
			fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
				a_ ? a_ : "(null)", b_ ? b_ : "(null)");                 \
			test_failed_ = 1;                                                \
		}                                                                        \
	} while (0)

/* Checks that haystack contains needle. */
#define CHECK_CONTAINS(h, n)                                                                \
	do {                                                                                \
		const char *h_ = (h), *n_ = (n);                                            \
		if (h_ == NULL || strstr(h_, n_) == NULL) {                                 \
			fprintf(stderr, "  %s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, \
				__LINE__, h_ ? h_ : "(null)", n_);                          \
			test_failed_ = 1;                                                   \
		}                                                                           \
	} while (0)

#define RUN(name)                                                                   \
	do {                                                                        \
		test_failed_ = 0;                                                   \
		name();                                                             \
		printf("%s %s:%s\n", test_failed_ ? "FAIL" : "PASS", __FILE__, #name); \
		fflush(stdout);                                                     \
		test_total_failed_ |= test_failed_;                                 \
	} while (0)

#define TEST_SKIP(name, why) printf("SKIP %s:%s (%s)\n", __FILE__, #name, why)

#define TEST_EXIT() return test_total_failed_ ? 1 : 0

#endif
