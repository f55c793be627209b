/* Sorting for every module: a stable merge sort with qsort's interface.
 * Ours because musl's qsort (smoothsort, ~2 KB) is larger and not stable:
 * with rb_sort equal keys (aliased kernel symbols, say) keep their input
 * order under every libc. */
#ifndef RAWBPF_COMMON_SORT_H
#define RAWBPF_COMMON_SORT_H

#include <stddef.h>

/* Sorts n elements of size bytes at base by cmp, stably.  Uses n * size bytes
 * of scratch memory; without it, falls back to an insertion sort. */
void rb_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

#endif
