/* The pipeline's phases (loader/load/load.c): their number and names, in
 * the order load.h documents. */
#include <string.h>

#include "check_main.h"
#include "loader/load/load.h"

START_TEST(names_in_order)
{
	static const char *const want[] = { "check", "set", "pin-dir", "resolve", "memlock",
					    "ringbuf", "btf", "map-table", "maps", "fixup",
					    "progs", "values", "pin" };
	size_t n = sizeof(want) / sizeof(want[0]);
	ck_assert_uint_eq(rb_load_phase_count(), n);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(rb_load_phase_name(i), want[i]);
	ck_assert_ptr_null(rb_load_phase_name(n));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("loader/load phases");
	TCase *tc = tcase_create("phases");
	tcase_add_test(tc, names_in_order);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
