/* common/inet.h against glibc's inet_ntop and inet_pton; where musl (the release build's
 * libc, whose output rb_inet_ntop keeps) differs from glibc, against values
 * taken from musl. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
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

/* Random colon/dot texts built from valid and invalid pieces (musl and
 * glibc were checked to agree on 300k such strings). */
START_TEST(pton_matches_libc)
{
	static const char *const parts[] = {"0", "1", "ff", "FfFf", "fffff", "00000", "1.2.3.4", "255.255.255.255",
					    "256.1.1.1", "01.2.3.4", "1.2.3", "0.0.0.0", "a.b.c.d", "", "1.2.3.4.5", "g"};
	srand(13);
	for (int n = 0; n < 200000; n++) {
		char text[128] = "";
		size_t len = 0;
		if (rand() % 5 == 0)
			text[len++] = ':';
		for (int k = 1 + rand() % 10; k > 0; k--) {
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s", parts[rand() % 16], k > 1 ? ":" : "");
			if (rand() % 8 == 0 && len < sizeof(text) - 1)
				text[len++] = ':';
			text[len] = 0;
		}
		unsigned char want[16] = {0}, got[16] = {0};
		int w = inet_pton(AF_INET6, text, want), g = rb_inet_pton(AF_INET6, text, got);
		ck_assert_msg(w == g, "'%s': %d, libc %d", text, g, w);
		ck_assert_msg(w != 1 || !memcmp(want, got, 16), "'%s': other address", text);
		const char *v4 = parts[rand() % 16];
		w = inet_pton(AF_INET, v4, want);
		g = rb_inet_pton(AF_INET, v4, got);
		ck_assert_msg(w == g && (w != 1 || !memcmp(want, got, 4)), "'%s' (IPv4): %d, libc %d", v4, g, w);
	}
	static const char *const fixed[] = {"::", "::1", "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
					    "1:2:3:4:5:6:7:8", "1:2:3:4:5:6::1.2.3.4", "::ffff:1.2.3.4", "1::2::3", ":::",
					    "1:::2", "::1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4",
					    "1:2:3:4:5::1.2.3.4", "::1:2:3:4:5:6:7", "::1:2:3:4:5:6:7:8", "", ":", "1:",
					    ":1", "1:2:3:4:5:6:7:8:9", "fe80::1%eth0", " ::1", "::1 "};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(*fixed); i++) {
		unsigned char want[16] = {0}, got[16] = {0};
		int w = inet_pton(AF_INET6, fixed[i], want), g = rb_inet_pton(AF_INET6, fixed[i], got);
		ck_assert_msg(w == g && !memcmp(want, got, 16), "'%s': %d, libc %d", fixed[i], g, w);
	}
	errno = 0;
	ck_assert_int_eq(rb_inet_pton(AF_UNIX, "1.2.3.4", NULL), -1);
	ck_assert_int_eq(errno, EAFNOSUPPORT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inet");
	TCase *tc = tcase_create("inet");
	tcase_add_test(tc, ipv6_matches_libc);
	tcase_add_test(tc, musl_specifics_and_errors);
	tcase_add_test(tc, pton_matches_libc);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
