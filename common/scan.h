/* The few number scans rawbpf needs from text (uname, /proc, sysfs, filter
 * tokens, JSON and option values).  Our own because sscanf and strtod pull
 * musl's scanf engine and float scanner (~11 KB) into the static binary. */
#ifndef RAWBPF_COMMON_SCAN_H
#define RAWBPF_COMMON_SCAN_H

#include <stdbool.h>
#include <stdint.h>

/* The value of c as a digit in bases up to 36 ('7' 7, 'b' and 'B' 11), 99 when
 * it is none: a caller checks "< base". */
int rb_digit_value(int c);

/* A number at *s as sscanf's %llu / %llx reads it (strtoull's rules: blanks
 * and a sign first, "0x" allowed in base 16); advances *s past it.  False,
 * with *s unchanged, when there is none. */
bool rb_scan_u64(const char **s, int base, uint64_t *v);

/* strtoull, strtoul, strtoll and strtol in one, by the C library's rules:
 * blanks, a sign, "0x" for base 0 or 16, a leading 0 = octal for base 0.
 * The magnitude is clamped to max (to max + 1 for a negative is_signed
 * number) with errno = ERANGE; a negative number is returned negated, as the
 * unsigned functions do.  *end (may be NULL) = first byte not used, or s when
 * there are no digits; base 1 or above 36 fails with EINVAL.  The release
 * build's strto* are this (common/libc.c): musl's cost ~2.5 KB. */
unsigned long long rb_strto(const char *s, char **end, int base, unsigned long long max, bool is_signed);

/* sscanf(s, "%u.%u.%u"...) for up to max parts: how many it read. */
int rb_scan_dotted(const char *s, unsigned *parts, int max);

/* sscanf(s, "PREFIX%d", v) == 1. */
bool rb_scan_prefixed_int(const char *s, const char *prefix, int *v);

/* strtod for what people type: blanks, a sign, then decimal digits with an
 * optional fraction and exponent, "0x" + hex digits (an integer), or "inf",
 * "infinity", "nan" (any case).  Correctly rounded to nearest-even, like
 * strtod; errno = ERANGE on overflow (+-HUGE_VAL) and on an inexact result
 * below DBL_MIN.  *end (may be NULL) gets the first byte not used, or s when
 * there is no number.  Hex fractions and binary exponents are not read. */
double rb_scan_double(const char *s, char **end);

#endif
