/* common/inet.h against glibc's inet_ntop; where musl (the release build's
 * libc, whose output rb_inet_ntop keeps) differs from glibc, against values
 * taken from musl. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "common/inet.h"

/* glibc prints ::a.b.c.d for IPv4-compatible addresses and takes the first
 * of two equally long zero runs; musl does neither. */
static bool glibc_differs(const unsigned char *a)
{
	static const unsigned char zero[12];
	if (!memcmp(a, zero, 12) && (a[12] | a[13] | a[14] | (a[15] > 1)))
		return true;
	int best = 0, count = 0;
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && !(a[2 * j] | a[2 * j + 1]))
			j++;
		if (j - i > best) {
			best = j - i;
			count = 1;
		} else if (j - i == best) {
			count++;
		}
		i = j > i ? j : i + 1;
	}
	return best >= 2 && count > 1;
}

START_TEST(ipv6_matches_libc)
{
	srand(11);
	for (int n = 0; n < 200000; n++) {
		unsigned char a[16];
		for (int i = 0; i < 8; i++) {
			int r = rand() % 8;
			unsigned v = r < 4 ? 0 : r == 4 ? (unsigned)rand() % 16 : (unsigned)rand() & 0xffff;
			a[2 * i] = (unsigned char)(v >> 8);
			a[2 * i + 1] = (unsigned char)v;
		}
		if (rand() % 10 == 0)
			memcpy(a, "\0\0\0\0\0\0\0\0\0\0\377\377", 12);
		if (glibc_differs(a))
			continue;
		char want[64], got[64];
		ck_assert_ptr_nonnull(inet_ntop(AF_INET6, a, want, sizeof(want)));
		ck_assert_ptr_eq(rb_inet_ntop(AF_INET6, a, got, sizeof(got)), got);
		ck_assert_str_eq(got, want);
	}
}
END_TEST

START_TEST(musl_specifics_and_errors)
{
	static const struct { const char *in, *want; } cases[] = {
		{"0:0:1:0:0:2:3:4", "0:0:1::2:3:4"}, {"0:0:1:2:3:4:0:0", "::1:2:3:4:0:0"},
		{"::1.2.3.4", "::102:304"}, {"fe80::1:0:0:0", "fe80::1:0:0:0"}, {"::ffff:0:0", "::ffff:0.0.0.0"},
		{"1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"}, {"::", "::"}, {"::1", "::1"}, {"1::", "1::"}};
	char buf[64];
	unsigned char a[16];
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		ck_assert_int_eq(inet_pton(AF_INET6, cases[i].in, a), 1);
		ck_assert_str_eq(rb_inet_ntop(AF_INET6, a, buf, sizeof(buf)), cases[i].want);
	}
	static const unsigned char v4[4] = {192, 168, 0, 255};
	ck_assert_str_eq(rb_inet_ntop(AF_INET, v4, buf, sizeof(buf)), "192.168.0.255");
	errno = 0;
	ck_assert_ptr_null(rb_inet_ntop(AF_INET, v4, buf, 13));
	ck_assert_int_eq(errno, ENOSPC);
	ck_assert_ptr_nonnull(rb_inet_ntop(AF_INET, v4, buf, 14));
	errno = 0;
	ck_assert_ptr_null(rb_inet_ntop(AF_UNIX, v4, buf, sizeof(buf)));
	ck_assert_int_eq(errno, EAFNOSUPPORT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inet");
	TCase *tc = tcase_create("inet");
	tcase_add_test(tc, ipv6_matches_libc);
	tcase_add_test(tc, musl_specifics_and_errors);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
