/* common/scan.h against sscanf, the C library's scanf, as the oracle. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "common/scan.h"

START_TEST(dotted_counts_like_sscanf)
{
	static const char *const in[] = {"6.18.0-rc1", "5.10", "6.", "6", "", "x.1", "4.19.255.7",
					  " 1. 2.3", "1..2", "12.34+", "3.4.5.6", "1.4294967295.2"};
	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++) {
		unsigned want[3] = {0, 0, 0}, got[3] = {0, 0, 0};
		int wn = sscanf(in[i], "%u.%u.%u", &want[0], &want[1], &want[2]);
		int gn = rb_scan_dotted(in[i], got, 3);
		ck_assert_msg(gn == (wn < 0 ? 0 : wn), "'%s': %d parts, sscanf %d", in[i], gn, wn);
		ck_assert_msg(!memcmp(want, got, sizeof(want)), "'%s': values differ", in[i]);
	}
}
END_TEST

START_TEST(prefixed_int_like_sscanf)
{
	static const char *const in[] = {"rawbpf_123_p_vfs_read", "rawbpf_", "rawbpf_x", "rawbpf-1_",
					 "config:9\n", "config:", "config: 63", "config:-1", "rawbpf_+7_"};
	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++) {
		const char *prefix = in[i][0] == 'c' ? "config:" : "rawbpf_";
		char fmt[16];
		snprintf(fmt, sizeof(fmt), "%s%%d", prefix);
		int want = -99, got = -99;
		bool wok = sscanf(in[i], fmt, &want) == 1;
		bool gok = rb_scan_prefixed_int(in[i], prefix, &got);
		ck_assert_msg(wok == gok, "'%s': %d, sscanf %d", in[i], gok, wok);
		if (wok)
			ck_assert_int_eq(want, got);
	}
}
END_TEST

START_TEST(u64_advances_only_on_a_number)
{
	const char *s = "7f00a000-7f00b000 r-xp", *p = s;
	uint64_t v;
	ck_assert(rb_scan_u64(&p, 16, &v));
	ck_assert_uint_eq(v, 0x7f00a000);
	ck_assert_ptr_eq(p, s + 8);
	p++;
	ck_assert(rb_scan_u64(&p, 16, &v));
	ck_assert_uint_eq(v, 0x7f00b000);
	ck_assert(!rb_scan_u64(&p, 16, &v));
	ck_assert_ptr_eq(p, s + 17);
}
END_TEST

/* Same double (bit for bit), same end, same ERANGE as the C library's. */
static void check_double(const char *s)
{
	char *e1, *e2;
	errno = 0;
	double want = strtod(s, &e1);
	int werr = errno;
	errno = 0;
	double got = rb_scan_double(s, &e2);
	int gerr = errno;
	bool same = (isnan(want) && isnan(got)) || memcmp(&want, &got, sizeof(want)) == 0;
	ck_assert_msg(same && e1 == e2 && (werr == ERANGE) == (gerr == ERANGE),
		      "'%s': got %.17g (end %td, errno %d), strtod %.17g (end %td, errno %d)", s, got,
		      e2 - s, gerr, want, e1 - s, werr);
}

START_TEST(strto_matches_libc)
{
	static const char *const in[] = {"0", "42", "  -17x", "+9", "0x1f", "0X1F", "0x", "0xg", "017", "08",
					  "-0", "  \t\n12", "", "-", "+", " - 1", "18446744073709551615",
					  "18446744073709551616", "99999999999999999999999", "-18446744073709551615",
					  "-18446744073709551616", "9223372036854775807", "9223372036854775808",
					  "-9223372036854775808", "-9223372036854775809", "zz", "Zz9", "-0x10",
					  "0x8000000000000000", "777777777777777777777777", "1e5", "0b101"};
	static const int bases[] = {0, 2, 8, 10, 16, 36, 1, 37};
	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++)
		for (size_t b = 0; b < sizeof(bases) / sizeof(*bases); b++) {
			char *we = NULL, *ge = NULL;
			int base = bases[b], werr, gerr;
#define STRTO_SAME(call, max, sgn, type)                                                             \
	do {                                                                                         \
		errno = 0;                                                                           \
		type want = call(in[i], &we, base);                                                  \
		werr = errno;                                                                        \
		errno = 0;                                                                           \
		type got = (type)rb_strto(in[i], &ge, base, max, sgn);                               \
		gerr = errno;                                                                        \
		ck_assert_msg(want == got && (we == ge || base == 1 || base > 36) && werr == gerr, #call "('%s', %d): %lld end %td errno %d, " \
			      "libc %lld end %td errno %d", in[i], base, (long long)got, ge - in[i], gerr,  \
			      (long long)want, we - in[i], werr);                                      \
	} while (0)
			STRTO_SAME(strtoull, ULLONG_MAX, false, unsigned long long);
			STRTO_SAME(strtoul, ULONG_MAX, false, unsigned long);
			STRTO_SAME(strtoll, LLONG_MAX, true, long long);
			STRTO_SAME(strtol, LONG_MAX, true, long);
		}
}
END_TEST

START_TEST(double_matches_strtod)
{
	static const char *const in[] = {
		"0", "-0", "1", "1.5", "0.1", "3.14159", "1e-10", "6.02e23", "1e308",
		"1.7976931348623157e308", "1.7976931348623159e308", "2e308", "4.9e-324",
		"2.4703282292062327e-324", "2.4703282292062328e-324", "1e-400", "2.2250738585072011e-308",
		"9007199254740993", "9007199254740992.5", "123456789012345678901234567890", "1e", "1e+",
		"1e+5x", ".5", "5.", ".", "-.", "+1", "  42", "inf", "-Infinity", "nan", "infinite", "0x10",
		"0x", "1.2.3", "00012", "0.0000", "7.038531e-26",
		"1.00000000000000011102230246251565404236316680908203125",
		"1.00000000000000011102230246251565404236316680908203124",
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(*in); i++)
		check_double(in[i]);
	char buf[96];
	srand(1);
	for (int it = 0; it < 20000; it++) {
		int n = rand() % 4 == 0 ? sprintf(buf, "-") : 0, nd = 1 + rand() % (rand() % 3 ? 17 : 40);
		int dot = rand() % (nd + 2);
		for (int i = 0; i < nd; i++)
			n += sprintf(buf + n, "%s%d", i == dot ? "." : "", rand() % 10);
		if (rand() % 2)
			sprintf(buf + n, "e%d", rand() % 700 - 350);
		check_double(buf);
	}
	/* integer parts longer than the digits kept still count in the magnitude */
	char big[1024];
	memset(big, '0', sizeof(big));
	big[0] = '1';
	strcpy(big + 901, "e-800");
	check_double(big);
	strcpy(big + 901, ".5e-890");
	check_double(big);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("scan");
	tcase_add_test(tc, dotted_counts_like_sscanf);
	tcase_add_test(tc, prefixed_int_like_sscanf);
	tcase_add_test(tc, u64_advances_only_on_a_number);
	tcase_add_test(tc, double_matches_strtod);
	tcase_add_test(tc, strto_matches_libc);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
