/* common/alloc.h: random malloc/realloc/free sequences whose every block
 * carries a pattern that must survive until it is freed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "check_main.h"
#include "common/alloc.h"

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static void fill(struct slot *s)
{
	for (size_t i = 0; i < s->n; i++)
		s->p[i] = (unsigned char)(s->tag + i * 7);
}

static void check(const struct slot *s, size_t upto)
{
	size_t i = 0;
	while (i < upto && s->p[i] == (unsigned char)(s->tag + i * 7))
		i++;
	ck_assert_msg(i == upto, "byte %zu of %zu lost", i, s->n);
}

/* Sizes around the class edges, small ones, and now and then a large one. */
static size_t random_size(void)
{
	int r = rand() % 100;
	if (r < 60)
		return (size_t)(rand() % 200);
	if (r < 85)
		return ((size_t)1 << (5 + rand() % 11)) - 16 + (size_t)(rand() % 3) - 1;
	if (r < 99)
		return (size_t)(rand() % 70000);
	return (size_t)(rand() % (1 << 20));
}

START_TEST(random_sequences_keep_contents)
{
	enum { N = 512 };
	static struct slot s[N];
	srand(42);
	for (int step = 0; step < 30000; step++) {
		struct slot *x = &s[rand() % N];
		int op = rand() % 3;
		if (!x->p) {
			x->n = random_size();
			x->tag = (unsigned char)rand();
			x->p = op == 0 ? rb_calloc(1, x->n) : rb_malloc(x->n);
			ck_assert_ptr_nonnull(x->p);
			ck_assert_int_eq((uintptr_t)x->p % 16, 0);
			size_t i = 0;
			while (op == 0 && i < x->n && !x->p[i])
				i++;
			ck_assert(op != 0 || i == x->n);
			fill(x);
		} else if (op == 0) {
			check(x, x->n);
			rb_free(x->p);
			x->p = NULL;
		} else {
			size_t n = random_size();
			check(x, x->n);
			x->p = rb_realloc(x->p, n);
			ck_assert_ptr_nonnull(x->p);
			check(x, n < x->n ? n : x->n);
			x->n = n;
			fill(x);
		}
	}
	for (int i = 0; i < N; i++) {
		if (s[i].p)
			check(&s[i], s[i].n);
		rb_free(s[i].p);
		s[i].p = NULL;
	}
}
END_TEST

/* A buffer doubling to 8 MB, as the BTF and ELF readers grow theirs. */
START_TEST(growing_buffer_keeps_contents)
{
	struct slot s = {NULL, 0, 3};
	for (size_t n = 1; n <= (8u << 20); n *= 2) {
		s.p = rb_realloc(s.p, n);
		ck_assert_ptr_nonnull(s.p);
		check(&s, s.n);
		s.n = n;
		fill(&s);
	}
	check(&s, s.n);
	rb_free(s.p);
}
END_TEST

START_TEST(distinct_blocks_and_reuse)
{
	void *a = rb_malloc(0), *b = rb_malloc(0), *c = rb_malloc(24);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_ne(a, b);
	rb_free(c);
	ck_assert_ptr_eq(rb_malloc(20), c);      /* same class: the freed block again */
	rb_free(NULL);
	ck_assert_ptr_null(rb_malloc(SIZE_MAX - 8));
	ck_assert_ptr_null(rb_calloc(SIZE_MAX / 2, 3));
	void *big = rb_malloc(100000);
	ck_assert_ptr_eq(rb_realloc(big, 50), big);   /* shrinking keeps the block */
	rb_free(big);
	rb_free(a);
	rb_free(b);
}
END_TEST

/* The address space as large as it is now: the next arena's mmap fails. */
static void freeze_address_space(struct rlimit *old)
{
	unsigned long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fscanf(f, "%lu", &pages), 1);
	fclose(f);
	ck_assert_int_eq(getrlimit(RLIMIT_AS, old), 0);
	struct rlimit now = {(rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE), old->rlim_max};
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &now), 0);
}

START_TEST(failed_arena_map_leaves_heap_usable)
{
#ifdef __SANITIZE_ADDRESS__
	return;   /* ASan needs address space of its own to run at all */
#endif
	struct rlimit old;
	ck_assert_ptr_nonnull(rb_malloc(16));   /* an arena in use, as in a real run */
	freeze_address_space(&old);
	size_t n = 0;
	while (rb_malloc(16) != NULL && n < (1u << 20))
		n++;
	for (int i = 0; i < 4; i++)   /* used to carve a block at address 0 */
		ck_assert_ptr_null(rb_malloc(16));
	ck_assert_int_eq(setrlimit(RLIMIT_AS, &old), 0);
	char *p = rb_malloc(16);
	ck_assert_ptr_nonnull(p);
	memset(p, 0xab, 16);
	rb_free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("alloc");
	TCase *tc = tcase_create("alloc");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_sequences_keep_contents);
	tcase_add_test(tc, growing_buffer_keeps_contents);
	tcase_add_test(tc, distinct_blocks_and_reuse);
	tcase_add_test(tc, failed_arena_map_leaves_heap_usable);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
