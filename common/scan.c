#include "common/scan.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int rb_digit_value(int c)
{
	int l = c | 0x20;
	return c >= '0' && c <= '9' ? c - '0' : l >= 'a' && l <= 'z' ? l - 'a' + 10 : 99;
}

/* Past the digits of base at *p: the value, *over when it passed 2^64. */
static unsigned long long scan_digits(const char **p, int base, bool *over)
{
	unsigned long long v = 0;
	int d;
	for (; (d = rb_digit_value(**p)) < base; (*p)++) {
		if (v > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			*over = true;
		else
			v = v * (unsigned)base + (unsigned)d;
	}
	return v;
}

unsigned long long rb_strto(const char *s, char **end, int base, unsigned long long max, bool is_signed)
{
	const char *p = s, *digits;
	bool over = false, neg;
	if (base == 1 || base > 36) {
		if (end)
			*end = (char *)s;   /* as musl does; glibc leaves it */
		errno = EINVAL;
		return 0;
	}
	while (isspace((unsigned char)*p))
		p++;
	neg = *p == '-';
	p += *p == '-' || *p == '+';
	if ((base | 16) == 16 && p[0] == '0' && (p[1] | 0x20) == 'x' && rb_digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (!base) {
		base = *p == '0' ? 8 : 10;
	}
	digits = p;
	unsigned long long v = scan_digits(&p, base, &over), lim = max + (is_signed && neg);
	if (end)
		*end = (char *)(p == digits ? s : p);
	if (over || v > lim) {
		errno = ERANGE;
		return is_signed && neg ? 0 - lim : max;
	}
	return neg ? 0 - v : v;
}

bool rb_scan_u64(const char **s, int base, uint64_t *v)
{
	char *end;
	unsigned long long x = strtoull(*s, &end, base);
	if (end == *s)
		return false;
	*v = x;
	*s = end;
	return true;
}

int rb_scan_dotted(const char *s, unsigned *parts, int max)
{
	int n = 0;
	uint64_t v;
	while (n < max && (n == 0 || *s++ == '.') && rb_scan_u64(&s, 10, &v))
		parts[n++] = (unsigned)v;
	return n;
}

bool rb_scan_prefixed_int(const char *s, const char *prefix, int *v)
{
	size_t n = strlen(prefix);
	char *end;
	if (strncmp(s, prefix, n) != 0)
		return false;
	long x = strtol(s + n, &end, 10);
	*v = (int)x;
	return end != s + n;
}

/* --- decimal to double -------------------------------------------------------
 * The "simple decimal conversion": the number as decimal digits, scaled by
 * exact shifts (multiplying or dividing the digit string by 2^k) into
 * [1/2, 1), then the top 53 bits rounded to nearest-even.  Slower than
 * Eisel-Lemire but exact with no tables; rawbpf reads a few numbers. */

#define DEC_DIGITS 800  /* enough to decide the rounding of any double */
#define DEC_MAX_SHIFT 60

struct dec {
	int nd, dp;         /* value = 0.d[0]d[1]...d[nd-1] * 10^dp */
	bool trunc;         /* nonzero digits were dropped past DEC_DIGITS */
	unsigned char d[DEC_DIGITS];
};

static void dec_trim(struct dec *a)
{
	while (a->nd > 0 && a->d[a->nd - 1] == 0)
		a->nd--;
	if (a->nd == 0)
		a->dp = 0;
}

/* a /= 2^k */
static void dec_shift_right(struct dec *a, unsigned k)
{
	int r = 0, w = 0;
	uint64_t n = 0, mask = ((uint64_t)1 << k) - 1;
	for (; n >> k == 0; r++) {
		if (r >= a->nd) {
			if (n == 0) {
				a->nd = 0;
				return;
			}
			while (n >> k == 0) {
				n *= 10;
				r++;
			}
			break;
		}
		n = n * 10 + a->d[r];
	}
	a->dp -= r - 1;
	for (; r < a->nd; r++) {
		a->d[w++] = (unsigned char)(n >> k);
		n = (n & mask) * 10 + a->d[r];
	}
	for (; n > 0; n = (n & mask) * 10) {
		if (w < DEC_DIGITS)
			a->d[w++] = (unsigned char)(n >> k);
		else if (n >> k)
			a->trunc = true;
	}
	a->nd = w;
	dec_trim(a);
}

/* a *= 2^k */
static void dec_shift_left(struct dec *a, unsigned k)
{
	uint64_t carry = 0;
	for (int i = a->nd - 1; i >= 0; i--) {
		uint64_t n = ((uint64_t)a->d[i] << k) + carry;
		a->d[i] = (unsigned char)(n % 10);
		carry = n / 10;
	}
	int extra = 0;
	for (uint64_t c = carry; c; c /= 10)
		extra++;
	int keep = a->nd + extra <= DEC_DIGITS ? a->nd : DEC_DIGITS - extra;
	for (int i = keep; i < a->nd; i++)
		a->trunc |= a->d[i] != 0;
	memmove(a->d + extra, a->d, (size_t)keep);
	for (int i = extra - 1; i >= 0; i--, carry /= 10)
		a->d[i] = (unsigned char)(carry % 10);
	a->nd = keep + extra;
	a->dp += extra;
	dec_trim(a);
}

static void dec_shift(struct dec *a, int k)
{
	if (k > 0)
		for (; k > 0; k -= DEC_MAX_SHIFT)
			dec_shift_left(a, k > DEC_MAX_SHIFT ? DEC_MAX_SHIFT : (unsigned)k);
	else
		for (; k < 0; k += DEC_MAX_SHIFT)
			dec_shift_right(a, -k > DEC_MAX_SHIFT ? DEC_MAX_SHIFT : (unsigned)-k);
}

/* The integer part, rounded to nearest-even on the digits after it. */
static uint64_t dec_rounded(const struct dec *a, bool *inexact)
{
	uint64_t n = 0;
	int i = 0;
	for (; i < a->dp && i < a->nd; i++)
		n = n * 10 + a->d[i];
	for (; i < a->dp; i++)
		n *= 10;
	int nd = a->dp;
	*inexact = a->trunc || a->nd > (nd > 0 ? nd : 0);
	if (nd < 0 || nd >= a->nd)
		return n;
	if (a->d[nd] == 5 && nd + 1 == a->nd)  /* exactly half: to even */
		return n + (a->trunc || (nd > 0 && a->d[nd - 1] % 2));
	return n + (a->d[nd] >= 5);
}

/* Reads digits, point and exponent at s into a; returns the end, or s. */
static const char *dec_parse(struct dec *a, const char *s)
{
	const char *p = s;
	bool dot = false, digits = false;
	int dropped = 0;  /* integer-part digits past DEC_DIGITS: they still count in dp */
	a->nd = a->dp = 0;
	a->trunc = false;
	for (;; p++) {
		if (*p == '.' && !dot) {
			dot = true;
			a->dp = a->nd + dropped;
		} else if (*p >= '0' && *p <= '9') {
			digits = true;
			if (*p == '0' && a->nd == 0)
				a->dp--;
			else if (a->nd < DEC_DIGITS)
				a->d[a->nd++] = (unsigned char)(*p - '0');
			else {
				a->trunc |= *p != '0';
				dropped += !dot;
			}
		} else {
			break;
		}
	}
	if (!digits)
		return s;
	if (!dot)
		a->dp = a->nd + dropped;
	if ((*p == 'e' || *p == 'E')) {
		const char *q = p + 1;
		int sign = *q == '-' ? -1 : 1, e = 0;
		q += *q == '-' || *q == '+';
		if (*q >= '0' && *q <= '9') {
			for (; *q >= '0' && *q <= '9'; q++)
				if (e < 100000)
					e = e * 10 + (*q - '0');
			a->dp += sign * e;
			p = q;
		}
	}
	dec_trim(a);
	return p;
}

/* The double nearest a (IEEE binary64 bits), with errno for range. */
static double dec_to_double(struct dec *a)
{
	static const unsigned char powtab[] = {1, 3, 6, 9, 13, 16, 19, 23, 26};
	int exp = 0;
	uint64_t mant;
	bool inexact;
	if (a->nd == 0)
		return 0;
	if (a->dp > 310)
		goto overflow;
	if (a->dp < -330) {
		errno = ERANGE;
		return 0;
	}
	while (a->dp > 0) {
		int n = a->dp >= 9 ? 27 : powtab[a->dp];
		dec_shift(a, -n);
		exp += n;
	}
	while (a->dp < 0 || (a->dp == 0 && a->d[0] < 5)) {
		int n = -a->dp >= 9 ? 27 : powtab[-a->dp];
		dec_shift(a, n);
		exp -= n;
	}
	exp--;                   /* [1/2, 1) -> [1, 2) */
	if (exp < -1022) {       /* subnormal */
		dec_shift(a, exp + 1022);
		exp = -1022;
	}
	if (exp + 1023 >= 0x7ff)
		goto overflow;
	dec_shift(a, 53);
	mant = dec_rounded(a, &inexact);
	if (mant == (uint64_t)2 << 52) {
		mant >>= 1;
		if (++exp + 1023 >= 0x7ff)
			goto overflow;
	}
	if (!(mant & (uint64_t)1 << 52)) {
		exp = -1023;
		if (inexact)
			errno = ERANGE;
	}
	uint64_t bits = (mant & (((uint64_t)1 << 52) - 1)) | (uint64_t)(exp + 1023) << 52;
	double d;
	memcpy(&d, &bits, sizeof(d));
	return d;
overflow:
	errno = ERANGE;
	return HUGE_VAL;
}

static bool word_at(const char *s, const char *w)
{
	return strncasecmp(s, w, strlen(w)) == 0;
}

double rb_scan_double(const char *s, char **end)
{
	const char *p = s;
	while (isspace((unsigned char)*p))
		p++;
	bool neg = *p == '-';
	p += *p == '-' || *p == '+';
	double v;
	const char *e;
	struct dec a;
	if (word_at(p, "inf")) {
		v = HUGE_VAL;
		e = p + (word_at(p, "infinity") ? 8 : 3);
	} else if (word_at(p, "nan")) {
		v = NAN;
		e = p + 3;
	} else if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
		char *x;
		v = (double)strtoull(p, &x, 16);
		e = x;
	} else if ((e = dec_parse(&a, p)) != p) {
		v = dec_to_double(&a);
	} else {
		e = s;
		v = 0;
		neg = false;
	}
	if (end)
		*end = (char *)e;
	return neg ? -v : v;
}
