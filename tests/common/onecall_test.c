/* common/onecall.h against the C library: the same struct stat for files,
 * directories, pipes, devices and symbolic links (stat follows them), the same
 * errno for failures, and clock readings between two of the library's. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "common/onecall.h"

static void same_stat(const struct stat *a, const struct stat *b)
{
	ck_assert_uint_eq(a->st_dev, b->st_dev);
	ck_assert_uint_eq(a->st_ino, b->st_ino);
	ck_assert_uint_eq(a->st_mode, b->st_mode);
	ck_assert_uint_eq(a->st_nlink, b->st_nlink);
	ck_assert_uint_eq(a->st_uid, b->st_uid);
	ck_assert_uint_eq(a->st_rdev, b->st_rdev);
	ck_assert_int_eq(a->st_size, b->st_size);
	ck_assert_int_eq(a->st_blocks, b->st_blocks);
	ck_assert_int_eq(a->st_mtim.tv_sec, b->st_mtim.tv_sec);
	ck_assert_int_eq(a->st_mtim.tv_nsec, b->st_mtim.tv_nsec);
}

START_TEST(stat_matches_libc)
{
	static const char *paths[] = {"/", "/proc/self/exe", "/dev/null", "/proc/self/status",
				      "/etc/passwd", "/proc/self"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		struct stat a, b;
		memset(&a, 0x55, sizeof(a));
		memset(&b, 0xaa, sizeof(b));
		ck_assert_int_eq(stat(paths[i], &a), 0);
		ck_assert_int_eq(rb_stat(paths[i], &b), 0);
		same_stat(&a, &b);
		int fd = open(paths[i], O_RDONLY);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(fstat(fd, &a), 0);
		ck_assert_int_eq(rb_fstat(fd, &b), 0);
		same_stat(&a, &b);
		close(fd);
	}
	int p[2];
	struct stat a, b;
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fstat(p[0], &a), 0);
	ck_assert_int_eq(rb_fstat(p[0], &b), 0);
	same_stat(&a, &b);
	ck_assert(S_ISFIFO(b.st_mode));
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(failures_match_libc)
{
	struct stat st;
	static const char *bad[] = {"/nonexistent/x", "", "/etc/passwd/x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		errno = 0;
		ck_assert_int_eq(stat(bad[i], &st), -1);
		int want = errno;
		errno = 0;
		ck_assert_int_eq(rb_stat(bad[i], &st), -1);
		ck_assert_int_eq(errno, want);
	}
	errno = 0;
	ck_assert_int_eq(rb_fstat(-1, &st), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(rb_clock_gettime((clockid_t)-99, &(struct timespec){0}), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

START_TEST(clocks_between_libc_readings)
{
	static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME};
	for (size_t i = 0; i < sizeof(clocks) / sizeof(*clocks); i++) {
		struct timespec before, ours, after;
		ck_assert_int_eq(clock_gettime(clocks[i], &before), 0);
		ck_assert_int_eq(rb_clock_gettime(clocks[i], &ours), 0);
		ck_assert_int_eq(clock_gettime(clocks[i], &after), 0);
		ck_assert_int_le(ns(&before), ns(&ours));
		ck_assert_int_le(ns(&ours), ns(&after));
		ck_assert_int_lt(ours.tv_nsec, 1000000000);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("onecall");
	TCase *tc = tcase_create("onecall");
	tcase_add_test(tc, stat_matches_libc);
	tcase_add_test(tc, failures_match_libc);
	tcase_add_test(tc, clocks_between_libc_readings);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
