/* common/str.h against the C library's memmem and strstr on random text of a
 * small alphabet (many partial matches). */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "common/str.h"

static void random_text(char *s, size_t n, int letters)
{
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('a' + rand() % letters);
	s[n] = 0;
}

START_TEST(memmem_matches_libc)
{
	char h[80], n[8];
	srand(7);
	for (int i = 0; i < 200000; i++) {
		size_t hl = (size_t)(rand() % 40), nl = (size_t)(rand() % 6);
		int letters = 1 + rand() % 3;
		random_text(h, hl, letters);
		random_text(n, nl, letters);
		ck_assert_ptr_eq(rb_memmem(h, hl, n, nl), memmem(h, hl, n, nl));
		ck_assert_ptr_eq(rb_strstr(h, n), strstr(h, n));
	}
}
END_TEST

START_TEST(edges)
{
	static const char bin[] = "ab\0ab\0abc";
	ck_assert_ptr_eq(rb_memmem(bin, sizeof(bin) - 1, "\0abc", 4), bin + 5);
	ck_assert_ptr_eq(rb_memmem(bin, 3, "abc", 3), NULL);
	ck_assert_ptr_eq(rb_memmem(bin, 0, "", 0), bin);
	ck_assert_ptr_eq(rb_strstr(bin, "abc"), NULL);     /* stops at the NUL */
	ck_assert_ptr_eq(rb_strstr("", ""), strstr("", ""));
	ck_assert_ptr_eq(rb_strstr("x", "xy"), NULL);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("str");
	TCase *tc = tcase_create("str");
	tcase_add_test(tc, memmem_matches_libc);
	tcase_add_test(tc, edges);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
