/* printf's formatting engine, our own because musl's (vfprintf.lo, ~10.5 KB with
 * its long double float printer) is the largest piece of libc in the static
 * binary.  The release build makes printf/fprintf/snprintf/... use it
 * (common/libc.c); tests call it by these names and compare with the C library.
 *
 * Conversions: d i u o x X c s p % and f F e E g G (exact decimal expansion of
 * the double, rounded half to even like glibc and musl), with the flags
 * - 0 + space #, width and precision (numbers or *), and the length modifiers
 * hh h l ll z j t.  %p prints like musl ("0x1f", "0" for NULL).  Not supported,
 * so the call fails with EINVAL: L (long double), %n, %m, %a, wide characters. */
#ifndef RAWBPF_COMMON_FMT_H
#define RAWBPF_COMMON_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Where formatted text goes: put() receives it piece by piece. */
struct rb_fmt_sink {
	void (*put)(struct rb_fmt_sink *s, const char *p, size_t n);
};

/* Formats into s; the length of the text, or -1 (errno EINVAL for an
 * unsupported conversion, EOVERFLOW past INT_MAX). */
int rb_vformat(struct rb_fmt_sink *s, const char *fmt, va_list ap);

/* vsnprintf: at most n bytes including the NUL; the untruncated length. */
int rb_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap);

#endif
