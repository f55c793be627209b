/* common/str.h against the C library's memmem, strstr, strspn, strcspn,
 * strcpy, strcasecmp, strncasecmp and strtok_r on random text of a small
 * alphabet (many partial matches), case-mixed text and edge cases. */
#include <stdlib.h>
#include <strings.h>
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

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* Letters of both cases, the bytes around them, and high bytes. */
static void mixed_text(char *s, size_t n)
{
	static const char pool[] = "aAbBzZ@[`{09 \xc4\xe4\xff";
	for (size_t i = 0; i < n; i++)
		s[i] = pool[rand() % (sizeof(pool) - 1)];
	s[n] = 0;
}

START_TEST(spans_copy_and_case_match_libc)
{
	char a[40], b[40], set[6], dst[40];
	srand(9);
	for (int i = 0; i < 40000; i++) {
		random_text(a, (size_t)(rand() % 30), 5);
		random_text(set, (size_t)(rand() % 5), 5);
		ck_assert_uint_eq(rb_strspn(a, set), strspn(a, set));
		ck_assert_uint_eq(rb_strcspn(a, set), strcspn(a, set));
		ck_assert_ptr_eq(rb_strcpy(dst, a), dst);
		ck_assert_str_eq(dst, a);
		size_t n = (size_t)(rand() % 12);
		mixed_text(a, (size_t)(rand() % 10));
		if (rand() % 2)
			strcpy(b, a);
		else
			mixed_text(b, (size_t)(rand() % 10));
		for (char *p = b; rand() % 3 && *p; p++)
			*p = (char)(*p ^ ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z' ? 0x20 : 0));
		ck_assert_int_eq(sign(rb_strncasecmp(a, b, n)), sign(strncasecmp(a, b, n)));
		ck_assert_int_eq(sign(rb_strncasecmp(a, b, SIZE_MAX)), sign(strcasecmp(a, b)));
	}
}
END_TEST

START_TEST(strtok_r_matches_libc)
{
	char a[40], b[40], sep[4];
	srand(13);
	for (int i = 0; i < 20000; i++) {
		random_text(a, (size_t)(rand() % 30), 4);
		random_text(sep, (size_t)(rand() % 3), 4);
		strcpy(b, a);
		char *sa = NULL, *sb = NULL, *ta = strtok_r(a, sep, &sa), *tb = rb_strtok_r(b, sep, &sb);
		for (;;) {
			ck_assert_int_eq(ta == NULL, tb == NULL);
			if (!ta)
				break;
			ck_assert_int_eq(ta - a, tb - b);
			ck_assert_str_eq(ta, tb);
			ta = strtok_r(NULL, sep, &sa);
			tb = rb_strtok_r(NULL, sep, &sb);
		}
		ck_assert_ptr_null(sb); /* musl's: used up */
		ck_assert_ptr_null(rb_strtok_r(NULL, sep, &sb));
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("str");
	TCase *tc = tcase_create("str");
	tcase_add_test(tc, memmem_matches_libc);
	tcase_add_test(tc, edges);
	tcase_add_test(tc, spans_copy_and_case_match_libc);
	tcase_add_test(tc, strtok_r_matches_libc);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
