/* The static binary's heap: malloc/free/calloc/realloc for the release build
 * (common/libc.c maps the C names onto these), our own because musl's mallocng
 * adds ~9.5 KB.  Tests call them by these names.
 *
 * Blocks up to 32 KB come from power-of-two size classes, carved from 256 KB
 * mmap arenas and reused through one free list per class; larger blocks are
 * their own mapping, so realloc grows them with mremap (the multi-MB BTF and
 * ELF buffers grow without copying).  Every pointer is 16-byte aligned.
 * Single-threaded: rawbpf has no threads. */
#ifndef RAWBPF_COMMON_ALLOC_H
#define RAWBPF_COMMON_ALLOC_H

#include <stddef.h>

void *rb_malloc(size_t n);
void rb_free(void *p);
void *rb_calloc(size_t count, size_t size);
void *rb_realloc(void *p, size_t n);

#endif
