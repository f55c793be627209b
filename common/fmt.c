/* printf's engine (see fmt.h).  Numbers are written into small local buffers;
 * doubles are expanded exactly into decimal digits with a base-1e9 big number
 * (a double is m * 2^e, which has at most 767 significant decimal digits), then
 * rounded half to even on those digits, so no long double or libm is needed. */
#include "common/fmt.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum { F_LEFT = 1, F_ZERO = 2, F_PLUS = 4, F_SPACE = 8, F_ALT = 16 };
static const char FLAG_CHARS[] = "-0+ #";

struct spec {
	unsigned flags;
	int width, prec;    /* prec < 0: none given */
	unsigned size;      /* bytes of the integer argument */
	char conv;
};

struct out {
	struct rb_fmt_sink *sink;
	size_t len;
};

static void put(struct out *o, const char *p, size_t n)
{
	if (n) {
		o->sink->put(o->sink, p, n);
		o->len += n;
	}
}

static void fill(struct out *o, char c, int n)
{
	for (; n > 0; n--)
		put(o, &c, 1);
}

/* Everything before the body of a field of n bytes (prefix included in n):
 * leading blanks, the prefix (sign, 0x), zeros that the 0 flag asks for. */
static void field_start(struct out *o, const struct spec *sp, const char *pre, int n)
{
	int pad = sp->width - n;
	if (!(sp->flags & (F_LEFT | F_ZERO)))
		fill(o, ' ', pad);
	put(o, pre, strlen(pre));
	if ((sp->flags & (F_LEFT | F_ZERO)) == F_ZERO)
		fill(o, '0', pad);
}

static void field_end(struct out *o, const struct spec *sp, int n)
{
	if (sp->flags & F_LEFT)
		fill(o, ' ', sp->width - n);
}

static void field(struct out *o, const struct spec *sp, const char *pre, int zeros, const char *body,
		  size_t nbody)
{
	int n = (int)(strlen(pre) + nbody) + zeros;
	field_start(o, sp, pre, n);
	fill(o, '0', zeros);
	put(o, body, nbody);
	field_end(o, sp, n);
}

static const char *sign_prefix(const struct spec *sp, bool neg)
{
	return neg ? "-" : sp->flags & F_PLUS ? "+" : sp->flags & F_SPACE ? " " : "";
}

static void fmt_uint(struct out *o, const struct spec *sp, uint64_t v, const char *pre)
{
	char buf[24], *end = buf + sizeof(buf), *p = end;
	unsigned base = sp->conv == 'o' ? 8 : strchr("xXp", sp->conv) ? 16 : 10;
	const char *digs = sp->conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	for (uint64_t x = v; x; x /= base)
		*--p = digs[x % base];
	int nd = (int)(end - p), prec = sp->prec < 0 ? 1 : sp->prec;
	int zeros = prec > nd ? prec - nd : 0;
	if (sp->flags & F_ALT) {
		if (base == 8 && !zeros && (!nd || *p != '0'))
			zeros = 1;
		if (base == 16 && v)
			pre = sp->conv == 'X' ? "0X" : "0x";
	}
	field(o, sp, pre, zeros, p, (size_t)nd);
}

/* A finite double as 0.D * 10^exp with D = d[0..nd), no trailing zeros;
 * zero is nd = 0, exp = 1. */
struct dec {
	char d[800];
	int nd, exp;
};

enum { BIG_BASE = 1000000000, BIG_LIMBS = 90 };

static void big_mul(uint32_t *l, int *n, uint32_t f)
{
	uint64_t carry = 0;
	for (int i = 0; i < *n; i++) {
		uint64_t t = (uint64_t)l[i] * f + carry;
		l[i] = (uint32_t)(t % BIG_BASE);
		carry = t / BIG_BASE;
	}
	for (; carry; carry /= BIG_BASE)
		l[(*n)++] = (uint32_t)(carry % BIG_BASE);
}

/* m * 2^e2 exactly: m * 2^e2 for e2 >= 0, else m * 5^-e2 / 10^-e2. */
static void dec_from(struct dec *x, uint64_t m, int e2)
{
	uint32_t l[BIG_LIMBS];
	int n = 0;
	for (; m; m /= BIG_BASE)
		l[n++] = (uint32_t)(m % BIG_BASE);
	for (int k = e2; k > 0; k -= 29)
		big_mul(l, &n, 1u << (k < 29 ? k : 29));
	for (int k = -e2; k > 0; k -= 13) {
		uint32_t f = 1;
		for (int i = 0; i < k && i < 13; i++)
			f *= 5;
		big_mul(l, &n, f);
	}
	char *p = x->d;
	for (int i = n - 1; i >= 0; i--)
		for (int j = 8; j >= 0; j--, l[i] /= 10)
			p[j + 9 * (n - 1 - i)] = (char)('0' + l[i] % 10);
	int lead = 0, total = 9 * n;
	while (lead < total && p[lead] == '0')
		lead++;
	memmove(p, p + lead, (size_t)(total - lead));
	x->nd = total - lead;
	x->exp = x->nd - (e2 < 0 ? -e2 : 0);
	while (x->nd && x->d[x->nd - 1] == '0')
		x->nd--;
	if (!x->nd)
		x->exp = 1;
}

/* Keeps the first `keep` digits (may be <= 0), rounding half to even. */
static void dec_round(struct dec *x, int keep)
{
	if (keep >= x->nd)
		return;
	if (keep < 0) {
		x->nd = 0;
		return;
	}
	char r = x->d[keep];
	bool up = r > '5' || (r == '5' && (keep + 1 < x->nd || (keep > 0 && (x->d[keep - 1] & 1))));
	int i = keep - 1;
	if (up) {
		while (i >= 0 && x->d[i] == '9')
			i--;
		if (i < 0) {
			x->d[++i] = '0';
			x->exp++;
		}
		x->d[i]++;
	} else {
		while (i >= 0 && x->d[i] == '0')
			i--;
	}
	x->nd = i + 1;
}

/* Digits at positions [from, to) of D; '0' outside it. */
static void dec_put(struct out *o, const struct dec *x, int from, int to)
{
	for (; from < to; from++)
		put(o, from >= 0 && from < x->nd ? &x->d[from] : "0", 1);
}

static void fmt_fixed(struct out *o, const struct spec *sp, const char *pre, const struct dec *x, int prec)
{
	int ip = x->exp > 0 ? x->exp : 1;
	bool point = prec || (sp->flags & F_ALT);
	int n = (int)strlen(pre) + ip + (point ? 1 + prec : 0);
	field_start(o, sp, pre, n);
	dec_put(o, x, x->exp - ip, x->exp);
	if (point)
		put(o, ".", 1);
	dec_put(o, x, x->exp, x->exp + prec);
	field_end(o, sp, n);
}

static void fmt_expo(struct out *o, const struct spec *sp, const char *pre, const struct dec *x, int prec)
{
	int e = x->nd ? x->exp - 1 : 0, ae = e < 0 ? -e : e;
	char tail[8] = {sp->conv < 'a' ? 'E' : 'e', e < 0 ? '-' : '+'};
	int nt = 2;
	if (ae >= 100)
		tail[nt++] = (char)('0' + ae / 100);
	tail[nt++] = (char)('0' + ae / 10 % 10);
	tail[nt++] = (char)('0' + ae % 10);
	bool point = prec || (sp->flags & F_ALT);
	int n = (int)strlen(pre) + 1 + (point ? 1 + prec : 0) + nt;
	field_start(o, sp, pre, n);
	dec_put(o, x, 0, 1);
	if (point)
		put(o, ".", 1);
	dec_put(o, x, 1, 1 + prec);
	put(o, tail, (size_t)nt);
	field_end(o, sp, n);
}

/* %g: %e or %f by the exponent, precision = significant digits, trailing
 * zeros dropped unless '#'. */
static void fmt_general(struct out *o, const struct spec *sp, const char *pre, struct dec *x)
{
	int p = sp->prec < 0 ? 6 : sp->prec ? sp->prec : 1;
	dec_round(x, p);
	int e = x->nd ? x->exp - 1 : 0;
	bool fixed = e < p && e >= -4;
	int prec = fixed ? p - 1 - e : p - 1;
	if (!(sp->flags & F_ALT)) {
		int used = fixed ? x->nd - x->exp : x->nd - 1;
		if (prec > used)
			prec = used > 0 ? used : 0;
	}
	if (fixed)
		fmt_fixed(o, sp, pre, x, prec);
	else
		fmt_expo(o, sp, pre, x, prec);
}

static void fmt_double(struct out *o, struct spec *sp, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, sizeof(bits));
	const char *pre = sign_prefix(sp, bits >> 63);
	int be = (int)(bits >> 52 & 0x7ff);
	uint64_t m = bits & ((1ull << 52) - 1);
	bool upper = sp->conv < 'a';
	if (be == 0x7ff) {
		sp->flags &= ~(unsigned)F_ZERO;
		const char *s = m ? (upper ? "NAN" : "nan") : (upper ? "INF" : "inf");
		field(o, sp, pre, 0, s, 3);
		return;
	}
	struct dec x;
	dec_from(&x, be ? m | 1ull << 52 : m, (be ? be : 1) - 1075);
	int prec = sp->prec < 0 ? 6 : sp->prec;
	char c = (char)(sp->conv | 0x20);
	if (c == 'g') {
		fmt_general(o, sp, pre, &x);
	} else if (c == 'e') {
		dec_round(&x, prec + 1);
		fmt_expo(o, sp, pre, &x, prec);
	} else {
		dec_round(&x, x.exp + prec);
		fmt_fixed(o, sp, pre, &x, prec);
	}
}

/* An integer argument of sp->size bytes (sign-extended when sgn), read with
 * one va_arg site per promoted width. */
static uint64_t arg_int(const struct spec *sp, va_list *ap, bool sgn)
{
	if (sp->size > sizeof(int))
		return (uint64_t)va_arg(*ap, long long);
	unsigned v = (unsigned)va_arg(*ap, int), shift = 32 - 8 * sp->size;
	return sgn ? (uint64_t)(int64_t)((int)(v << shift) >> shift) : (v << shift) >> shift;
}

static void fmt_string(struct out *o, const struct spec *sp, const char *s)
{
	if (!s)
		s = "(null)";
	field(o, sp, "", 0, s, sp->prec < 0 ? strlen(s) : strnlen(s, (size_t)sp->prec));
}

static int convert(struct out *o, struct spec *sp, va_list *ap)
{
	char c = sp->conv;
	if (c == '%') {
		put(o, "%", 1);
	} else if (c == 'c') {
		c = (char)va_arg(*ap, int);
		field(o, sp, "", 0, &c, 1);
	} else if (c == 's') {
		fmt_string(o, sp, va_arg(*ap, const char *));
	} else if (strchr("fFeEgG", c)) {
		fmt_double(o, sp, va_arg(*ap, double));
	} else if (c == 'p') {
		sp->flags |= F_ALT;
		fmt_uint(o, sp, (uintptr_t)va_arg(*ap, void *), "");
	} else if (c == 'd' || c == 'i') {
		int64_t v = (int64_t)arg_int(sp, ap, true);
		fmt_uint(o, sp, v < 0 ? -(uint64_t)v : (uint64_t)v, sign_prefix(sp, v < 0));
	} else if (strchr("uoxX", c)) {
		fmt_uint(o, sp, arg_int(sp, ap, false), "");
	} else {
		return -1;
	}
	return 0;
}

static int parse_num(const char **f)
{
	int n = 0;
	for (; **f >= '0' && **f <= '9'; (*f)++)
		n = n < INT_MAX / 10 ? n * 10 + (**f - '0') : INT_MAX;
	return n;
}

/* The length modifier at *f as the argument's size in bytes; 0 = not supported. */
static unsigned parse_size(const char **f)
{
	static const char mods[] = "hlzjt";
	static const unsigned char sizes[] = {2, sizeof(long), sizeof(size_t), sizeof(intmax_t), sizeof(ptrdiff_t)};
	const char *m = **f ? strchr(mods, **f) : NULL;
	if (!m)
		return sizeof(int);
	unsigned size = sizes[m - mods];
	char c = *(*f)++;
	if ((c == 'h' || c == 'l') && **f == c) {
		(*f)++;
		size = c == 'h' ? 1 : sizeof(long long);
	}
	return size;
}

/* The conversion after a '%'; NULL when not supported. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	const char *fl;
	*sp = (struct spec){.prec = -1};
	for (; *f && (fl = strchr(FLAG_CHARS, *f)); f++)
		sp->flags |= 1u << (fl - FLAG_CHARS);
	if (*f == '*') {
		f++;
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->flags |= F_LEFT;
			sp->width = sp->width == INT_MIN ? INT_MAX : -sp->width;
		}
	} else {
		sp->width = parse_num(&f);
	}
	if (*f == '.') {
		f++;
		sp->prec = *f == '*' ? (f++, va_arg(*ap, int)) : parse_num(&f);
		if (sp->prec < 0)
			sp->prec = -1;
	}
	sp->size = parse_size(&f);
	sp->conv = *f;
	if ((sp->prec >= 0 && strchr("diouxXp", sp->conv)) || sp->conv == 's' || sp->conv == 'c')
		sp->flags &= ~(unsigned)F_ZERO;
	return *f ? f + 1 : NULL;
}

int rb_vformat(struct rb_fmt_sink *s, const char *fmt, va_list ap)
{
	struct out o = {s, 0};
	struct spec sp;
	int rc = 0;
	va_list a;
	va_copy(a, ap);
	while (rc == 0 && *fmt) {
		const char *pct = strchrnul(fmt, '%');
		put(&o, fmt, (size_t)(pct - fmt));
		if (!*pct)
			break;
		fmt = parse_spec(pct + 1, &sp, &a);
		rc = fmt ? convert(&o, &sp, &a) : -1;
	}
	va_end(a);
	if (rc < 0 || o.len > INT_MAX) {
		errno = rc < 0 ? EINVAL : EOVERFLOW;
		return -1;
	}
	return (int)o.len;
}

struct buf_sink {
	struct rb_fmt_sink sink;
	char *p;
	size_t room;    /* bytes left before the NUL's place */
};

static void buf_put(struct rb_fmt_sink *s, const char *p, size_t n)
{
	struct buf_sink *b = (struct buf_sink *)s;
	size_t k = n < b->room ? n : b->room;
	memcpy(b->p, p, k);
	b->p += k;
	b->room -= k;
}

int rb_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	char dummy;
	struct buf_sink b = {{buf_put}, n ? buf : &dummy, n ? n - 1 : 0};
	int len = rb_vformat(&b.sink, fmt, ap);
	*b.p = 0;
	return len;
}
