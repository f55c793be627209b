#include "common/sort.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef int (*rb_cmp_fn)(const void *, const void *);

/* Merges src's runs [lo, mid) and [mid, hi) into dst; on ties the left run
 * goes first, which is what keeps the sort stable. */
static void merge(const char *src, char *dst, size_t lo, size_t mid, size_t hi, size_t size,
		  rb_cmp_fn cmp)
{
	size_t i = lo, j = mid;
	for (size_t k = lo; k < hi; k++) {
		bool left = i < mid && (j >= hi || cmp(src + j * size, src + i * size) >= 0);
		memcpy(dst + k * size, src + (left ? i++ : j++) * size, size);
	}
}

static void insertion_sort(char *b, size_t n, size_t size, rb_cmp_fn cmp)
{
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cmp(b + (j - 1) * size, b + j * size) > 0; j--)
			for (size_t k = 0; k < size; k++) {
				char t = b[(j - 1) * size + k];
				b[(j - 1) * size + k] = b[j * size + k];
				b[j * size + k] = t;
			}
}

void rb_sort(void *base, size_t n, size_t size, rb_cmp_fn cmp)
{
	if (n < 2)
		return;
	char *tmp = malloc(n * size);
	if (!tmp) {
		insertion_sort(base, n, size, cmp);
		return;
	}
	char *src = base, *dst = tmp;
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			merge(src, dst, lo, mid, hi, size, cmp);
		}
		char *t = src;
		src = dst;
		dst = t;
	}
	if (src != base)
		memcpy(base, src, n * size);
	free(tmp);
}
