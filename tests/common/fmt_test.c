/* common/fmt.h against the C library's snprintf as the oracle. */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "common/fmt.h"

static int ours(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = rb_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

#define SAME(fmt, ...)                                                                        \
	do {                                                                                  \
		char want_[2048], got_[2048];                                                 \
		int wn_ = snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);                   \
		int gn_ = ours(got_, sizeof(got_), fmt, __VA_ARGS__);                         \
		ck_assert_msg(wn_ == gn_ && !strcmp(want_, got_), "'%s': got '%s' (%d), libc '%s' (%d)", \
			      fmt, got_, gn_, want_, wn_);                                    \
	} while (0)

/* Every combination of flags, widths and precisions for one conversion. */
static void int_matrix(const char *conv, long long v)
{
	static const char *const flags[] = {"", "-", "0", "+", " ", "#", "-0", "+0", "- ", "#0", "-#", "+ "};
	static const char *const widths[] = {"", "1", "5", "12", "25"};
	static const char *const precs[] = {"", ".", ".0", ".1", ".3", ".15"};
	for (size_t f = 0; f < sizeof(flags) / sizeof(*flags); f++)
		for (size_t w = 0; w < sizeof(widths) / sizeof(*widths); w++)
			for (size_t p = 0; p < sizeof(precs) / sizeof(*precs); p++) {
				char fmt[32];
				snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s]", flags[f], widths[w], precs[p], conv);
				if (!strcmp(conv, "d") || !strcmp(conv, "x") || !strcmp(conv, "u") ||
				    !strcmp(conv, "o") || !strcmp(conv, "X") || !strcmp(conv, "i"))
					SAME(fmt, (int)v);
				else if (!strcmp(conv, "hhd") || !strcmp(conv, "hd") || !strcmp(conv, "hhu") ||
					 !strcmp(conv, "hx"))
					SAME(fmt, (int)v);
				else
					SAME(fmt, v);
			}
}

START_TEST(integers_match_libc)
{
	static const long long vals[] = {0, 1, -1, 7, 8, 42, -42, 255, 256, 4095, 65535, 65536,
					 2147483647, -2147483647 - 1, 4294967295LL, 1234567890123LL,
					 INT64_MAX, INT64_MIN, 0x7fLL, -129};
	static const char *const convs[] = {"d", "i", "u", "x", "X", "o", "hhd", "hd", "hhu", "hx",
					    "ld", "lu", "lx", "lld", "llu", "llx", "llo", "zu", "zx", "jd", "td"};
	for (size_t c = 0; c < sizeof(convs) / sizeof(*convs); c++)
		for (size_t i = 0; i < sizeof(vals) / sizeof(*vals); i++)
			int_matrix(convs[c], vals[i]);
}
END_TEST

START_TEST(strings_chars_and_stars_match_libc)
{
	static const char *const strs[] = {"", "a", "hello", "a longer string than widths"};
	static const char *const fmts[] = {"%s", "%10s", "%-10s", "%.3s", "%.0s", "%8.2s", "%-8.2s",
					   "<%s|%s>", "%05s"};
	for (size_t i = 0; i < sizeof(strs) / sizeof(*strs); i++)
		for (size_t f = 0; f < sizeof(fmts) / sizeof(*fmts); f++)
			SAME(fmts[f], strs[i], "x");
	for (int w = -12; w <= 12; w += 3)
		for (int p = -2; p <= 6; p += 2) {
			SAME("%*.*s|", w, p, "abcdef");
			SAME("%*.*d|", w, p, -314);
			SAME("%-*s%*s:", w, "ab", p, "");
			SAME("%.*s", p, "abcdef");
		}
	SAME("%c%c%-3c%3c|", 'a', 0x7f, 'z', '\t');
	SAME("100%% of %s%%", "it");
	SAME("%-20s%8llu %02x %+d %#lx %#llx", "name", 12345ULL, 0xab, 5, 0x1000UL, 0ULL);
	SAME("%+.4ld %06u %04lld %5zu %03zu %-8llu|", -90L, 42u, -7LL, (size_t)3, (size_t)12345, 9ULL);
	SAME("%p %p %20p %-20p|", (void *)0x1234, (void *)&fmts, (void *)0xdeadbeef, (void *)1);
}
END_TEST

static void double_cases(double v)
{
	static const char *const fmts[] = {"%g", "%.1f", "%f", "%e", "%.0f", "%.0e", "%.3g", "%.10g",
					   "%.17g", "%.20f", "%#.0f", "%#.0e", "%+g", "% g", "%012g",
					   "%-12.3g|", "%12.4e", "%-+14.2f|", "%G", "%E", "%.0g", "%.1g",
					   "%08.2f", "%.25e", "%15f", "%F"};
	for (size_t f = 0; f < sizeof(fmts) / sizeof(*fmts); f++)
		SAME(fmts[f], v);
}

START_TEST(doubles_match_libc)
{
	static const double vals[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.05, 0.15, 0.25, 0.35,
				      9.5, 99.5, 999999.5, 0.000123456, 1e-5, 9.9999e-5, 123456.0,
				      999999.0, 9999995.0, 1e15, 1e16, 1e22, 1e23, 3.14159265358979,
				      2.0 / 3.0, 1e100, 1e300, DBL_MAX, DBL_MIN, DBL_TRUE_MIN, 5e-324,
				      4.9406564584124654e-324, 1.7976931348623157e308, 0.1, 0.2, 0.3,
				      1234.5678, 1e-300, 123.456e-200, 0.0009995, 0.00009995, 5.55e-5};
	for (size_t i = 0; i < sizeof(vals) / sizeof(*vals); i++) {
		double_cases(vals[i]);
		double_cases(-vals[i]);
	}
	double_cases(INFINITY);
	double_cases(-INFINITY);
	double_cases(NAN);
	double_cases(-NAN);
}
END_TEST

START_TEST(random_doubles_match_libc)
{
	srand(1234);
	for (int i = 0; i < 20000; i++) {
		uint64_t bits = 0;
		for (int k = 0; k < 4; k++)
			bits = bits << 16 ^ (uint64_t)(rand() & 0xffff);
		double v;
		memcpy(&v, &bits, sizeof(v));
		if (isnan(v))
			continue;
		SAME("%g", v);
		SAME("%.1f", v);
		SAME("%.17e", v);
		SAME("%.3g", v);
		SAME("%.5f", v * 1e-300);
	}
	/* Short decimals: ties and near-ties where rounding matters. */
	for (int i = 0; i < 20000; i++) {
		double v = (double)(rand() % 2000001 - 1000000) / 1000.0;
		SAME("%.1f", v);
		SAME("%.2f", v);
		SAME("%g", v);
		SAME("%.0f", v / 4);
	}
}
END_TEST

START_TEST(truncates_like_snprintf)
{
	char buf[8] = "zzzzzzz";
	ck_assert_int_eq(ours(buf, 5, "%s-%d", "abc", 1234), 8);
	ck_assert_str_eq(buf, "abc-");
	ck_assert_int_eq(ours(buf, 1, "%d", 99), 2);
	ck_assert_str_eq(buf, "");
	buf[0] = 'q';
	ck_assert_int_eq(ours(buf, 0, "%d", 99), 2);
	ck_assert_int_eq(buf[0], 'q');
	ck_assert_int_eq(ours(NULL, 0, "%s", "four"), 4);
}
END_TEST

START_TEST(unsupported_and_musl_specifics)
{
	char buf[32];
	static const char *const bad[] = {"%Lf", "%n", "%y", "abc%", "%5"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		errno = 0;
		ck_assert_msg(ours(buf, sizeof(buf), bad[i], 1.0) == -1, "%s", bad[i]);
		ck_assert_int_eq(errno, EINVAL);
	}
	/* '#' keeps %g's trailing zeros; glibc loses them when rounding carries into
	 * the exponent (999999.5 -> "1.e+06"), musl does not. */
	static const struct { const char *fmt; double v; const char *want; } alt[] = {
		{"%#g", 999999.5, "1.00000e+06"}, {"%#.3g", 999.9, "1.00e+03"}, {"%#g", 1.5, "1.50000"},
		{"%#g", 0.0, "0.00000"}, {"%#.1g", 3e-5, "3.e-05"}, {"%#g", 123456789.0, "1.23457e+08"}};
	for (size_t i = 0; i < sizeof(alt) / sizeof(*alt); i++) {
		ours(buf, sizeof(buf), alt[i].fmt, alt[i].v);
		ck_assert_str_eq(buf, alt[i].want);
	}
	/* musl's %p: NULL is "0", not glibc's "(nil)". */
	ours(buf, sizeof(buf), "%p|%5p", NULL, NULL);
	ck_assert_str_eq(buf, "0|    0");
	ours(buf, sizeof(buf), "%s", (char *)NULL);
	ck_assert_str_eq(buf, "(null)");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fmt");
	TCase *tc = tcase_create("fmt");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, integers_match_libc);
	tcase_add_test(tc, strings_chars_and_stars_match_libc);
	tcase_add_test(tc, doubles_match_libc);
	tcase_add_test(tc, random_doubles_match_libc);
	tcase_add_test(tc, truncates_like_snprintf);
	tcase_add_test(tc, unsupported_and_musl_specifics);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
