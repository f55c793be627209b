#include "common/str.h"

#include <string.h>

void *rb_memmem(const void *h, size_t hl, const void *n, size_t nl)
{
	const unsigned char *p = h, *first = n;
	if (!nl)
		return (void *)h;
	for (; hl >= nl && (p = memchr(p, *first, hl - nl + 1)); p++) {
		if (!memcmp(p, n, nl))
			return (void *)p;
		hl = (size_t)((const unsigned char *)h + hl - p - 1);
		h = p + 1;
	}
	return NULL;
}

char *rb_strstr(const char *h, const char *n)
{
	size_t nl = strlen(n);
	if (!nl)
		return (char *)h;
	for (; (h = strchr(h, *n)); h++)
		if (!strncmp(h, n, nl))
			return (char *)h;
	return NULL;
}
