/* The heap (see alloc.h).  Each block starts with a 16-byte header (keeping
 * the user pointer 16-byte aligned) whose first word is the size class for
 * small blocks and the mapping length for large ones (a class is < 64, a mapping
 * whole pages), and the second word links a free block into its list.
 *
 * The heap is the one piece of global mutable state outside the CLI: it is
 * the C library's, which keeps its heap state globally in the same way. */
#include "common/alloc.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

enum {
	HDR = 16,
	MIN_SHIFT = 4,                   /* smallest block: 16 bytes with its header */
	CLASSES = 12,                    /* ... up to 32 KB */
	ARENA = 256 << 10,
	PAGE = 4096,
};

static struct heap {
	void *free_list[CLASSES];
	char *next, *end;                /* the arena being carved */
} heap;

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* The class whose blocks hold total bytes; CLASSES when none does. */
static unsigned class_of(size_t total)
{
	unsigned k = 0;
	while (k < CLASSES && ((size_t)1 << (k + MIN_SHIFT)) < total)
		k++;
	return k;
}

static size_t capacity(const size_t *h)
{
	return (*h < 64 ? (size_t)1 << (*h + MIN_SHIFT) : *h) - HDR;
}

static size_t *small_block(unsigned k)
{
	size_t size = (size_t)1 << (k + MIN_SHIFT);
	size_t *h = heap.free_list[k];
	if (h) {
		heap.free_list[k] = *(void **)(h + 1);
	} else {
		if ((size_t)(heap.end - heap.next) < size) {
			/* a failed map must leave the old arena as it was, or the
			 * next call carves a block at address 0 */
			char *arena = map(ARENA);
			if (!arena)
				return NULL;
			heap.next = arena;
			heap.end = arena + ARENA;
		}
		h = (size_t *)heap.next;
		heap.next += size;
	}
	*h = k;
	return h;
}

static size_t *large_block(size_t total)
{
	size_t len = (total + PAGE - 1) & ~(size_t)(PAGE - 1);
	size_t *h = map(len);
	if (h)
		*h = len;
	return h;
}

void *rb_malloc(size_t n)
{
	if (n > SIZE_MAX / 2) {
		errno = ENOMEM;
		return NULL;
	}
	unsigned k = class_of(n + HDR);
	size_t *h = k < CLASSES ? small_block(k) : large_block(n + HDR);
	return h ? (char *)h + HDR : NULL;
}

void rb_free(void *p)
{
	if (!p)
		return;
	size_t *h = (size_t *)((char *)p - HDR);
	if (*h < 64) {
		*(void **)(h + 1) = heap.free_list[*h];
		heap.free_list[*h] = h;
	} else {
		munmap(h, *h);
	}
}

void *rb_calloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = rb_malloc(count * size);
	return p ? memset(p, 0, count * size) : NULL;
}

/* A large block moves with its mapping; anything else is a new block. */
void *rb_realloc(void *p, size_t n)
{
	if (!p)
		return rb_malloc(n);
	size_t *h = (size_t *)((char *)p - HDR), cap = capacity(h);
	if (n <= cap)
		return p;
	if (*h >= 64 && n <= SIZE_MAX / 2) {
		size_t len = (n + HDR + PAGE - 1) & ~(size_t)(PAGE - 1);
		size_t *m = mremap(h, *h, len, MREMAP_MAYMOVE);
		if (m == MAP_FAILED)
			return NULL;
		*m = len;
		return (char *)m + HDR;
	}
	void *q = rb_malloc(n);
	if (q) {
		memcpy(q, p, cap);
		rb_free(p);
	}
	return q;
}
