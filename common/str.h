/* Substring search for the static binary: musl's strstr and memmem are the
 * two-way algorithm (~2.5 KB together); rawbpf looks for short needles in
 * logs, names and /proc/kallsyms, where a first-byte scan (memchr/strchr)
 * plus a compare is quick.  The release build's strstr and memmem are these
 * (common/libc.c). */
#ifndef RAWBPF_COMMON_STR_H
#define RAWBPF_COMMON_STR_H

#include <stddef.h>

/* memmem: the first n[0..nl) in h[0..hl), h itself for nl == 0, or NULL. */
void *rb_memmem(const void *h, size_t hl, const void *n, size_t nl);

/* strstr: the first n in h (h for ""), or NULL; never reads past h's NUL. */
char *rb_strstr(const char *h, const char *n);

#endif
