/* alloc.c — a small allocator for short-lived, single-threaded berth
 * processes: power-of-two size classes carved from a few lazily
 * mapped chunks and recycled through free lists; large blocks are mmapped.
 * src/cli/malloc.c makes it the process's malloc in musl builds. */
#include "util/alloc.h"
#include "util/error.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Why not musl's own malloc: it returns a size class's page to the kernel
 * as soon as the class empties, so `run`, which parses config.json into
 * json-c's tree (one hash table per object) and frees it, made 30 mmap and
 * munmap calls and their page faults for a few dozen kilobytes. Here memory
 * of the small classes is kept for reuse until exit; berth's processes are
 * short-lived or, like `run` waiting on its container, allocate nothing in
 * steady state, so what is kept is bounded by the peak. */

#define HDR 16u		  /* header before each block; keeps user pointers 16-aligned */
#define MIN_SHIFT 5	  /* smallest block: 32 bytes (16 usable) */
#define NCLASS 12	  /* 32 B .. 64 KiB blocks */
#define CHUNK (256u << 10) /* arena growth: untouched pages cost nothing */
#define PAGE 4096u

#define KIND_SMALL 0x5a11u
#define KIND_LARGE 0x1a26u
#define KIND_FREE 0xf5eeu

struct hdr {
	uint32_t kind;
	uint32_t cls;  /* small: size class */
	size_t extra;  /* large: offset from the mapping's start to the user pointer */
	/* large: the mapping's length is stored just before the header */
};

_Static_assert(sizeof(struct hdr) == HDR, "header size");

struct free_block {
	struct free_block *next;
};

static struct free_block *free_list[NCLASS];
static char *arena_cur, *arena_end;

static size_t class_size(unsigned cls)
{
	return (size_t)1 << (cls + MIN_SHIFT);
}

/* The class whose block holds n bytes after the header, or NCLASS. */
static unsigned class_of(size_t n)
{
	unsigned cls = 0;

	if (n > class_size(NCLASS - 1) - HDR)
		return NCLASS;
	while (class_size(cls) - HDR < n)
		cls++;
	return cls;
}

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

static void *small_alloc(unsigned cls)
{
	size_t sz = class_size(cls);
	struct hdr *h;

	if (free_list[cls]) {
		h = (struct hdr *)(void *)free_list[cls] - 1;
		free_list[cls] = free_list[cls]->next;
	} else {
		if ((size_t)(arena_end - arena_cur) < sz) {
			/* The old chunk's tail is left unused: never touched, it is
			 * never backed by memory. */
			char *c = map(CHUNK);
			if (c == NULL)
				return NULL;
			arena_cur = c;
			arena_end = c + CHUNK;
		}
		h = (struct hdr *)(void *)arena_cur;
		arena_cur += sz;
	}
	h->kind = KIND_SMALL;
	h->cls = cls;
	h->extra = 0;
	return h + 1;
}

/* A block of its own mapping, user pointer aligned to align (a power of
 * two, at least 16); the mapping's length is kept just before the header. */
static void *large_alloc(size_t n, size_t align)
{
	size_t need = HDR + sizeof(size_t);
	size_t off_max, len, off;
	char *base;
	struct hdr *h;

	/* An alignment past a quarter of the address space cannot be had, and
	 * the sums below would wrap. */
	if (align > SIZE_MAX / 4) {
		errno = ENOMEM;
		return NULL;
	}
	/* mmap aligns to pages only: a larger alignment needs room to move. */
	off_max = ((need + align - 1) & ~(align - 1)) + (align > PAGE ? align : 0);
	if (n > SIZE_MAX - off_max - PAGE) {
		errno = ENOMEM;
		return NULL;
	}
	len = (n + off_max + PAGE - 1) & ~(size_t)(PAGE - 1);
	base = map(len);
	if (base == NULL) {
		errno = ENOMEM;
		return NULL;
	}
	off = (((uintptr_t)base + need + align - 1) & ~(uintptr_t)(align - 1)) - (uintptr_t)base;
	h = (struct hdr *)(void *)(base + off) - 1;
	h->kind = KIND_LARGE;
	h->cls = NCLASS;
	h->extra = off;
	memcpy((char *)h - sizeof(size_t), &len, sizeof(len));
	return h + 1;
}

static struct hdr *header_of(void *p)
{
	struct hdr *h = (struct hdr *)p - 1;

	/* A pointer this allocator did not hand out, or one freed twice:
	 * stop rather than corrupt the free lists. */
	if (h->kind == KIND_SMALL ? h->cls >= NCLASS : h->kind != KIND_LARGE)
		berth_abort();
	return h;
}

void *berth_malloc(size_t n)
{
	unsigned cls = class_of(n);
	void *p;

	if (cls == NCLASS)
		return large_alloc(n, HDR);
	p = small_alloc(cls);
	if (p == NULL)
		errno = ENOMEM;
	return p;
}

void berth_free(void *p)
{
	struct hdr *h;

	if (p == NULL)
		return;
	h = header_of(p);
	if (h->kind == KIND_LARGE) {
		size_t len;
		char *base = (char *)p - h->extra;
		memcpy(&len, (char *)h - sizeof(size_t), sizeof(len));
		munmap(base, len);
		return;
	}
	h->kind = KIND_FREE;
	((struct free_block *)p)->next = free_list[h->cls];
	free_list[h->cls] = p;
}

size_t berth_malloc_usable_size(void *p)
{
	struct hdr *h;
	size_t len;

	if (p == NULL)
		return 0;
	h = header_of(p);
	if (h->kind == KIND_SMALL)
		return class_size(h->cls) - HDR;
	memcpy(&len, (char *)h - sizeof(size_t), sizeof(len));
	return len - h->extra;
}

void *berth_calloc(size_t m, size_t n)
{
	void *p;

	if (n && m > SIZE_MAX / n) {
		errno = ENOMEM;
		return NULL;
	}
	p = berth_malloc(m * n);
	/* Recycled blocks hold old data; fresh mappings are zero already. */
	if (p && class_of(m * n) != NCLASS)
		memset(p, 0, m * n);
	return p;
}

void *berth_realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (p == NULL)
		return berth_malloc(n);
	have = berth_malloc_usable_size(p);
	if (n <= have)
		return p;
	q = berth_malloc(n);
	if (q == NULL)
		return NULL;
	memcpy(q, p, have);
	berth_free(p);
	return q;
}

void *berth_aligned_alloc(size_t align, size_t n)
{
	if (align == 0 || (align & (align - 1)) != 0) {
		errno = EINVAL;
		return NULL;
	}
	if (align <= HDR)
		return berth_malloc(n);
	return large_alloc(n, align);
}
