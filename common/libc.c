/* The printf family, the heap, strto*, strstr/memmem, localtime_r and
 * inet_ntop/inet_pton of the static musl binary, on common/fmt.h, alloc.h,
 * scan.h, str.h, tz.h and inet.h: musl's vfprintf.lo (~10.5 KB), mallocng
 * (~9.5 KB), integer scanner (~2.5 KB), two-way search (~2.5 KB), time zone
 * code (~6.5 KB) and inet_ntop/inet_pton (~1.6 KB) stay out of it.  Only the
 * release builds compile this (-DRB_OWN_LIBC, see the Makefile): a static link takes the program's definitions before the
 * archive's, so musl's objects for these are never pulled (musl supports
 * replacing malloc, calloc, realloc and free together).  The host builds
 * (tests, sanitizers) keep the C library's functions. */
#ifdef RB_OWN_LIBC
#include <arpa/inet.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/alloc.h"
#include "common/fmt.h"
#include "common/inet.h"

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	return rb_inet_ntop(af, src, dst, size);
}

int inet_pton(int af, const char *src, void *dst)
{
	return rb_inet_pton(af, src, dst);
}
#include "common/scan.h"
#include "common/str.h"
#include "common/tz.h"

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
	return rb_localtime(t, tm);
}

void *memmem(const void *h, size_t hl, const void *n, size_t nl)
{
	return rb_memmem(h, hl, n, nl);
}

char *strstr(const char *h, const char *n)
{
	return rb_strstr(h, n);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	return rb_strto(s, end, base, ULLONG_MAX, false);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return (unsigned long)rb_strto(s, end, base, ULONG_MAX, false);
}

long long strtoll(const char *s, char **end, int base)
{
	return (long long)rb_strto(s, end, base, LLONG_MAX, true);
}

long strtol(const char *s, char **end, int base)
{
	return (long)rb_strto(s, end, base, LONG_MAX, true);
}

void *malloc(size_t n)
{
	return rb_malloc(n);
}

void free(void *p)
{
	rb_free(p);
}

void *calloc(size_t count, size_t size)
{
	return rb_calloc(count, size);
}

void *realloc(void *p, size_t n)
{
	return rb_realloc(p, n);
}

/* Collects text and hands it to fwrite in pieces, so that an unbuffered
 * stream (stderr) gets one write per 256 bytes, not one per conversion. */
struct file_sink {
	struct rb_fmt_sink sink;
	FILE *f;
	size_t n;
	bool failed;
	char buf[256];
};

static void file_flush(struct file_sink *s)
{
	if (s->n && fwrite(s->buf, 1, s->n, s->f) != s->n)
		s->failed = true;
	s->n = 0;
}

static void file_put(struct rb_fmt_sink *sink, const char *p, size_t n)
{
	struct file_sink *s = (struct file_sink *)sink;
	while (n) {
		if (s->n == sizeof(s->buf))
			file_flush(s);
		size_t k = sizeof(s->buf) - s->n < n ? sizeof(s->buf) - s->n : n;
		memcpy(s->buf + s->n, p, k);
		s->n += k;
		p += k;
		n -= k;
	}
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct file_sink s;
	s.sink.put = file_put;
	s.f = f;
	s.n = 0;
	s.failed = false;
	int len = rb_vformat(&s.sink, fmt, ap);
	file_flush(&s);
	return s.failed ? -1 : len;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vfprintf(f, fmt, ap);
	va_end(ap);
	return len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return len;
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return rb_vsnprintf(buf, n, fmt, ap);
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = rb_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return rb_vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = rb_vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return len;
}
#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int rb_libc_is_the_c_librarys;
#endif
