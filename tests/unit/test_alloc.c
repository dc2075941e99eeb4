/* Unit tests for berth's allocator (src/util/alloc.c), which is the berth
 * binary's malloc in musl builds: alignment, size classes and their reuse,
 * calloc on recycled memory, realloc across classes, aligned blocks, and
 * that a double free stops the process instead of corrupting it. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"
#include "util/alloc.h"
#include "util/error.h"

static const size_t sizes[] = {0, 1, 15, 16, 17, 31, 32, 48, 100, 640, 1000, 2032, 2033, 4080, 4096,
			       8000, 32752, 65520, 65521, 100000, 1u << 20};
#define ARRAY_LEN (sizeof(sizes) / sizeof(sizes[0]))

TEST(alloc_sizes_alignment_and_contents)
{
	void *p[ARRAY_LEN];

	for (size_t i = 0; i < ARRAY_LEN; i++) {
		p[i] = berth_malloc(sizes[i]);
		CHECK(p[i] != NULL);
		if (p[i] == NULL)
			return;
		CHECK(((uintptr_t)p[i] & 15) == 0);
		CHECK(berth_malloc_usable_size(p[i]) >= sizes[i]);
		memset(p[i], (int)i + 1, sizes[i]);
	}
	/* No block overlaps another: each still holds its own byte. */
	for (size_t i = 0; i < ARRAY_LEN; i++)
		for (size_t k = 0; k < sizes[i]; k += 97)
			CHECK(((unsigned char *)p[i])[k] == (unsigned char)(i + 1));
	for (size_t i = 0; i < ARRAY_LEN; i++)
		berth_free(p[i]);
	berth_free(NULL);
}

TEST(alloc_reuses_freed_blocks)
{
	void *a = berth_malloc(600), *b = berth_malloc(600);
	void *c;

	CHECK(a && b && a != b);
	berth_free(a);
	c = berth_malloc(520); /* the same class: the freed block comes back */
	CHECK(c == a);
	berth_free(b);
	berth_free(c);
}

TEST(alloc_calloc_zeroes_recycled_and_refuses_overflow)
{
	unsigned char *a = berth_malloc(200), *z;
	int zero = 1;

	memset(a, 0xab, 200);
	berth_free(a);
	z = berth_calloc(25, 8);
	CHECK(z == a);
	for (size_t i = 0; z && i < 200; i++)
		zero &= z[i] == 0;
	CHECK(zero);
	berth_free(z);
	errno = 0;
	CHECK(berth_calloc(SIZE_MAX / 2, 3) == NULL);
	CHECK(errno == ENOMEM);
	errno = 0;
	CHECK(berth_malloc(SIZE_MAX - 100) == NULL);
	CHECK(errno == ENOMEM);
}

TEST(alloc_realloc_keeps_contents)
{
	char *p = berth_realloc(NULL, 10), *q;
	int same = 1;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	memcpy(p, "0123456789", 10);
	q = berth_realloc(p, 12); /* fits the block it has */
	CHECK(q == p);
	for (size_t n = 100; q && n <= 300000; n *= 3) {
		q = berth_realloc(q, n);
		CHECK(q != NULL);
		if (q == NULL)
			return;
		same &= memcmp(q, "0123456789", 10) == 0;
		memset(q + 10, 'x', n - 10);
	}
	CHECK(same);
	/* Shrinking keeps the block. */
	CHECK(berth_realloc(q, 5) == q);
	berth_free(q);
}

TEST(alloc_aligned)
{
	static const size_t aligns[] = {8, 16, 32, 64, 4096, 65536};

	for (size_t i = 0; i < sizeof(aligns) / sizeof(aligns[0]); i++) {
		char *p = berth_aligned_alloc(aligns[i], 300);
		CHECK(p != NULL);
		if (p == NULL)
			continue;
		CHECK(((uintptr_t)p & (aligns[i] - 1)) == 0);
		CHECK(berth_malloc_usable_size(p) >= 300);
		memset(p, 1, 300);
		berth_free(p);
	}
	errno = 0;
	CHECK(berth_aligned_alloc(24, 10) == NULL);
	CHECK(errno == EINVAL);
	/* An alignment no address space has: refused, nothing written. */
	errno = 0;
	CHECK(berth_aligned_alloc((size_t)1 << 63, 16) == NULL);
	CHECK(errno == ENOMEM);
}

/* pid: 0 in the child, which frees a block twice; the parent checks that
 * the child, and only it, died of SIGABRT. */
static void double_free_in_child(pid_t pid)
{
	int st = 0;

	if (pid == 0) {
		void *p = berth_malloc(40);
		berth_free(p);
		berth_free(p);
		_exit(0);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
}

TEST(alloc_double_free_aborts)
{
	double_free_in_child(fork());
}

/* The same from a child made by a raw clone, as the container's init is:
 * the child dies of SIGABRT, and the parent (the runtime) lives on. libc's
 * abort() would signal the parent's cached thread id instead. */
TEST(abort_in_raw_clone_child)
{
	double_free_in_child((pid_t)syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, 0));
}

int main(void)
{
	RUN(alloc_sizes_alignment_and_contents);
	RUN(alloc_reuses_freed_blocks);
	RUN(alloc_calloc_zeroes_recycled_and_refuses_overflow);
	RUN(alloc_realloc_keeps_contents);
	RUN(alloc_aligned);
	RUN(alloc_double_free_aborts);
	RUN(abort_in_raw_clone_child);
	TEST_EXIT();
}
