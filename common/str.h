/* String functions for the static binary.  musl's strstr and memmem are the
 * two-way algorithm (~2.5 KB together); rawbpf looks for short needles in
 * logs, names and /proc/kallsyms, where a first-byte scan (memchr/strchr)
 * plus a compare is quick.  musl's strspn/strcspn build 256-bit sets, its
 * strcpy is a word-at-a-time stpcpy and its strcasecmp family goes through
 * locale wrappers (~1 KB together with strtok_r); rawbpf calls them on short
 * names and command-line words, where plain loops do.  The release build's
 * strstr, memmem, strspn, strcspn, strcpy, strcasecmp, strncasecmp and
 * strtok_r are these (common/libc.c); the tests compare them with glibc's. */
#ifndef RAWBPF_COMMON_STR_H
#define RAWBPF_COMMON_STR_H

#include <stddef.h>

/* memmem: the first n[0..nl) in h[0..hl), h itself for nl == 0, or NULL. */
void *rb_memmem(const void *h, size_t hl, const void *n, size_t nl);

/* strstr: the first n in h (h for ""), or NULL; never reads past h's NUL. */
char *rb_strstr(const char *h, const char *n);

/* strspn/strcspn: the length of s's first run of bytes in / not in set. */
size_t rb_strspn(const char *s, const char *set);
size_t rb_strcspn(const char *s, const char *set);

char *rb_strcpy(char *dst, const char *src);

/* strncasecmp: ASCII letters compare without case (the C locale's rule);
 * the difference of the first differing bytes, lowered. */
int rb_strncasecmp(const char *a, const char *b, size_t n);

/* strtok_r, musl's: *save is NULL once the string is used up. */
char *rb_strtok_r(char *s, const char *sep, char **save);

#endif
