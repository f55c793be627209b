#include <string.h>

#include "check_main.h"
#include "common/buf.h"
#include "common/err.h"

START_TEST(buf_appends_and_grows)
{
	struct rb_buf b = {0};
	for (int i = 0; i < 1000; i++)
		ck_assert(rb_buf_printf(&b, "%d,", i));
	ck_assert_uint_eq(b.len, strlen(rb_buf_str(&b)));
	ck_assert(strncmp(b.data, "0,1,2,", 6) == 0);
	rb_buf_free(&b);
}
END_TEST

START_TEST(range_check_rejects_overflow)
{
	ck_assert(rb_range_ok(0, 10, 10));
	ck_assert(!rb_range_ok(1, 10, 10));
	ck_assert(!rb_range_ok(UINT64_MAX, 2, 10));
	ck_assert(!rb_range_ok(5, UINT64_MAX, 10));
}
END_TEST

START_TEST(err_keeps_first_and_prefixes)
{
	struct rb_err e = {0};
	ck_assert_int_eq(rb_errf(&e, RB_EINPUT, "relocation %d is bad", 3), -RB_EINPUT);
	rb_errf(&e, RB_ESYS, "second");
	rb_err_prefix(&e, "prog.o: section '%s'", "xdp");
	ck_assert_str_eq(e.msg, "prog.o: section 'xdp': relocation 3 is bad");
	ck_assert_int_eq(e.code, RB_EINPUT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("buf");
	tcase_add_test(tc, buf_appends_and_grows);
	tcase_add_test(tc, range_check_rejects_overflow);
	tcase_add_test(tc, err_keeps_first_and_prefixes);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
