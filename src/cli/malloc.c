/* malloc.c — with BERTH_OWN_MALLOC (musl builds, see the Makefile) the
 * berth binary's malloc, free and the rest are src/util/alloc.c's. The
 * library itself never replaces the C library's allocator: the binary does. */
#include <errno.h>
#include <stdlib.h>

#include "util/alloc.h"

#ifdef BERTH_OWN_MALLOC
/* A static musl program that defines these links none of musl's public
 * allocator entry points; musl's few internal allocations (atexit beyond 32
 * handlers, the time zone) use its private allocator and free into it,
 * never into these. calloc and aligned_alloc must be here too: musl's read
 * its own allocator's metadata of the block. */
size_t malloc_usable_size(void *p);
void *memalign(size_t align, size_t n);

void *malloc(size_t n)
{
	return berth_malloc(n);
}

void free(void *p)
{
	berth_free(p);
}

void *calloc(size_t m, size_t n)
{
	return berth_calloc(m, n);
}

void *realloc(void *p, size_t n)
{
	return berth_realloc(p, n);
}

void *aligned_alloc(size_t align, size_t n)
{
	return berth_aligned_alloc(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *))
		return EINVAL;
	p = berth_aligned_alloc(align, n);
	if (p == NULL)
		return errno;
	*out = p;
	return 0;
}

void *memalign(size_t align, size_t n)
{
	return berth_aligned_alloc(align, n);
}

size_t malloc_usable_size(void *p)
{
	return berth_malloc_usable_size(p);
}
#endif
