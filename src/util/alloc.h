/* alloc.h — berth's own allocator (src/util/alloc.c). In musl builds it is
 * the process's malloc; the berth_ names let tests reach it in any build. */
#ifndef BERTH_UTIL_ALLOC_H
#define BERTH_UTIL_ALLOC_H

#include <stddef.h>

/* malloc, free, calloc, realloc, aligned_alloc and malloc_usable_size with
 * the C library's contracts: 16-byte alignment, NULL and errno ENOMEM on
 * failure, free(NULL) a no-op. Not thread-safe: berth runs no threads.
 * Freeing a pointer twice or one from another allocator aborts. */
void *berth_malloc(size_t n);
void berth_free(void *p);
void *berth_calloc(size_t m, size_t n);
void *berth_realloc(void *p, size_t n);
void *berth_aligned_alloc(size_t align, size_t n);
size_t berth_malloc_usable_size(void *p);

#endif
