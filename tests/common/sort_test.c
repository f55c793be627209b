/* rb_sort: ordered like qsort, and stable (equal keys keep their order). */
#include <stdlib.h>

#include "check_main.h"
#include "common/sort.h"

struct item {
	unsigned key, seq;
};

static int cmp_key(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	return (x->key > y->key) - (x->key < y->key);
}

static void check_sorted_stably(size_t n, unsigned keys)
{
	struct item *v = malloc((n ? n : 1) * sizeof(*v));
	ck_assert_ptr_nonnull(v);
	srand((unsigned)n);
	for (size_t i = 0; i < n; i++)
		v[i] = (struct item){(unsigned)rand() % keys, (unsigned)i};
	rb_sort(v, n, sizeof(*v), cmp_key);
	for (size_t i = 1; i < n; i++) {
		ck_assert_uint_le(v[i - 1].key, v[i].key);
		if (v[i - 1].key == v[i].key)
			ck_assert_uint_lt(v[i - 1].seq, v[i].seq);
	}
	free(v);
}

START_TEST(sort_orders_and_keeps_ties)
{
	static const size_t sizes[] = {0, 1, 2, 3, 7, 8, 9, 100, 1000, 4097, 100000};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		check_sorted_stably(sizes[i], 5);
		check_sorted_stably(sizes[i], 1u << 30);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("sort");
	tcase_add_test(tc, sort_orders_and_keeps_ties);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
