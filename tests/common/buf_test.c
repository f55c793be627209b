#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

static void write_file(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (size_t i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), f);
	fclose(f);
}

/* Sized from fstat for regular files, grown for /proc files (size 0), a
 * file one byte over max_size refused, and the data NUL-terminated. */
START_TEST(read_file_sizes)
{
	char path[] = "/tmp/rawbpf-buf-test-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	size_t sizes[] = {0, 1, 4095, 4096, 65536, 65537, 300000};
	for (size_t i = 0; i < RB_ARRAY_SIZE(sizes); i++) {
		write_file(path, sizes[i]);
		struct rb_buf b = {0};
		ck_assert_int_eq(rb_read_file(path, sizes[i], &b), 0);
		ck_assert_uint_eq(b.len, sizes[i]);
		ck_assert(b.len == 0 || (b.data[0] == 'a' && b.data[b.len - 1] == 'a' + (int)((b.len - 1) % 26)));
		ck_assert(!b.data || b.data[b.len] == 0);
		rb_buf_free(&b);
		if (sizes[i]) {
			ck_assert_int_eq(rb_read_file(path, sizes[i] - 1, &b), -EFBIG);
			rb_buf_free(&b);
		}
	}
	unlink(path);
	struct rb_buf b = {0};
	ck_assert_int_eq(rb_read_file(path, 100, &b), -ENOENT);
	rb_buf_free(&b);
	/* /proc/self/maps reports size 0 and is longer than one small read */
	ck_assert_int_eq(rb_read_file("/proc/self/maps", 1u << 26, &b), 0);
	ck_assert_uint_gt(b.len, 0);
	ck_assert_uint_eq(strlen(b.data), b.len);
	ck_assert_int_eq(b.data[b.len - 1], '\n');
	rb_buf_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("buf");
	tcase_add_test(tc, buf_appends_and_grows);
	tcase_add_test(tc, range_check_rejects_overflow);
	tcase_add_test(tc, err_keeps_first_and_prefixes);
	tcase_add_test(tc, read_file_sizes);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
