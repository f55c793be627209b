#include "common/str.h"

#include <stdbool.h>
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

static size_t span(const char *s, const char *set, bool in)
{
	size_t n = 0;
	while (s[n] && (strchr(set, s[n]) != NULL) == in)
		n++;
	return n;
}

size_t rb_strspn(const char *s, const char *set)
{
	return span(s, set, true);
}

size_t rb_strcspn(const char *s, const char *set)
{
	return span(s, set, false);
}

char *rb_strcpy(char *dst, const char *src)
{
	return memcpy(dst, src, strlen(src) + 1);
}

static int lower(unsigned char c)
{
	return (unsigned)(c - 'A') < 26 ? c | 0x20 : c;
}

int rb_strncasecmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
	for (; n; n--, x++, y++) {
		int d = lower(*x) - lower(*y);
		if (d || !*x)
			return d;
	}
	return 0;
}

char *rb_strtok_r(char *s, const char *sep, char **save)
{
	if (!s && !(s = *save))
		return NULL;
	s += rb_strspn(s, sep);
	if (!*s)
		return *save = NULL;
	*save = s + rb_strcspn(s, sep);
	if (**save)
		*(*save)++ = '\0';
	else
		*save = NULL;
	return s;
}
