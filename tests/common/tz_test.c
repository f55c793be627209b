/* common/tz.h against glibc's localtime_r for TZif files, POSIX zone strings
 * and the fall-backs, at random times and around every hour of some years. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "common/tz.h"

static void same_at(const char *tz, time_t t)
{
	struct tm want, got;
	ck_assert_ptr_nonnull(localtime_r(&t, &want));
	ck_assert_ptr_nonnull(rb_localtime(&t, &got));
	ck_assert_msg(want.tm_year == got.tm_year && want.tm_mon == got.tm_mon && want.tm_mday == got.tm_mday &&
			      want.tm_hour == got.tm_hour && want.tm_min == got.tm_min && want.tm_sec == got.tm_sec &&
			      want.tm_wday == got.tm_wday && want.tm_yday == got.tm_yday &&
			      want.tm_isdst == got.tm_isdst && want.tm_gmtoff == got.tm_gmtoff,
		      "TZ=%s t=%lld: %d-%02d-%02d %02d:%02d:%02d wday %d yday %d dst %d off %ld, "
		      "libc %d-%02d-%02d %02d:%02d:%02d wday %d yday %d dst %d off %ld",
		      tz ? tz : "(unset)", (long long)t, got.tm_year + 1900, got.tm_mon + 1, got.tm_mday,
		      got.tm_hour, got.tm_min, got.tm_sec, got.tm_wday, got.tm_yday, got.tm_isdst, got.tm_gmtoff,
		      want.tm_year + 1900, want.tm_mon + 1, want.tm_mday, want.tm_hour, want.tm_min, want.tm_sec,
		      want.tm_wday, want.tm_yday, want.tm_isdst, want.tm_gmtoff);
}

/* glibc applies a POSIX string's rules to years after 1970 only; musl (the
 * release build's libc, which rb_localtime follows) to every year: compare
 * those zones from 1970 on (posix_rules_before_1970 checks the rest). */
static void same_for(const char *tz, bool before_1970)
{
	if (tz)
		setenv("TZ", tz, 1);
	else
		unsetenv("TZ");
	tzset();
	srand(5);
	for (int i = 0; i < 2000; i++)
		same_at(tz, (time_t)(((int64_t)rand() << 4) - (before_1970 ? (int64_t)1 << 34 : 0)));
	/* Every half hour of 2024 and 2041 (past the files' tables). */
	for (time_t t = 1704067200; t < 1735689600; t += 1800)
		same_at(tz, t);
	for (time_t t = 2240524800; t < 2272060800; t += 1800)
		same_at(tz, t);
	for (time_t t = before_1970 ? -100000 : 0; t < 100000; t += 997)
		same_at(tz, t);
}

START_TEST(zone_files_match_libc)
{
	static const char *const zones[] = {"Europe/Berlin", ":America/New_York", "Australia/Sydney",
					    "/usr/share/zoneinfo/Asia/Kolkata", "America/Sao_Paulo",
					    "Pacific/Chatham", "Europe/London", "Africa/Casablanca",
					    "America/St_Johns", "Etc/GMT+5", "UTC",
					    /* names without an offset are files, not POSIX strings */
					    "Japan", "Singapore", "EST", "CET"};
	if (access("/usr/share/zoneinfo/Europe/Berlin", R_OK) != 0)
		return;   /* no tzdata on this machine: the POSIX strings still run */
	for (size_t i = 0; i < sizeof(zones) / sizeof(*zones); i++)
		same_for(zones[i], true);
}
END_TEST

START_TEST(posix_strings_match_libc)
{
	static const char *const zones[] = {"", "UTC0", "EST5EDT,M3.2.0,M11.1.0", "CET-1CEST,M3.5.0,M10.5.0/3",
					    "<+0330>-3:30", "NZST-12NZDT,M9.5.0,M4.1.0/3",
					    "AEST-10AEDT,M10.1.0,M4.1.0/3", "IST-5:30", "XXX3YYY,J60/1,J300/23",
					    "AAA+2BBB+1,59/0,301/1:30:15", "<-03>3<-02>,M3.5.0/-2,M10.5.0/-1",
					    "ABC-14", "WET0WEST,M3.5.0/1,M10.5.0", "PST8PDT7,M3.2.0/2:00:00,M11.1.0/2:00:00"};
	for (size_t i = 0; i < sizeof(zones) / sizeof(*zones); i++)
		same_for(zones[i], zones[i][0] == 0 || !strchr(zones[i], ','));
}
END_TEST

/* Values from musl's localtime_r (the release build before rb_localtime). */
START_TEST(posix_rules_before_1970)
{
	setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
	time_t t = -7739682384;
	struct tm tm;
	ck_assert_ptr_nonnull(rb_localtime(&t, &tm));
	ck_assert_int_eq(tm.tm_year, 1724 - 1900);
	ck_assert_int_eq(tm.tm_hour, 4);
	ck_assert_int_eq(tm.tm_isdst, 1);
	ck_assert_int_eq(tm.tm_gmtoff, -14400);
}
END_TEST

START_TEST(unset_tz_is_etc_localtime)
{
	same_for(NULL, true);
}
END_TEST

/* TZ=:DIR/zoneN, with the file's path in path */
static void use_zone_file(const char *dir, size_t n, char *path, size_t psize, char *tz, size_t tzsize)
{
	snprintf(path, psize, "%s/zone%zu", dir, n);
	snprintf(tz, tzsize, ":%s", path);
	setenv("TZ", tz, 1);
}

START_TEST(bad_files_and_huge_times)
{
	char dir[] = "/tmp/tz_test.XXXXXX", path[64], tz[80];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	static const char *const junk[] = {"", "TZif", "TZif2\n", "not a zone file at all, but long enough to pass"};
	/* a new file name each time: rb_localtime keeps the last TZ's file */
	for (size_t i = 0; i < sizeof(junk) / sizeof(*junk); i++) {
		use_zone_file(dir, i, path, sizeof(path), tz, sizeof(tz));
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		fputs(junk[i], f);
		fclose(f);
		time_t t = 86400 + 3600;
		struct tm tm;
		ck_assert_ptr_nonnull(rb_localtime(&t, &tm));   /* UTC */
		ck_assert_int_eq(tm.tm_hour, 1);
		ck_assert_int_eq(tm.tm_gmtoff, 0);
		unlink(path);
	}
	/* A real file cut short anywhere is refused, never read past its end. */
	FILE *in = fopen("/usr/share/zoneinfo/Europe/Berlin", "rb");
	if (in) {
		unsigned char data[8192];
		size_t n = fread(data, 1, sizeof(data), in);
		fclose(in);
		for (size_t cut = 0; cut < n; cut += 7) {
			use_zone_file(dir, 100 + cut, path, sizeof(path), tz, sizeof(tz));
			FILE *f = fopen(path, "wb");
			fwrite(data, 1, cut, f);
			fclose(f);
			time_t t = 1700000000;
			struct tm tm;
			ck_assert_ptr_nonnull(rb_localtime(&t, &tm));
			unlink(path);
		}
	}
	rmdir(dir);
	time_t big = (time_t)1 << 60;
	struct tm tm;
	errno = 0;
	ck_assert_ptr_null(rb_localtime(&big, &tm));
	ck_assert_int_eq(errno, EOVERFLOW);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tz");
	TCase *tc = tcase_create("tz");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, zone_files_match_libc);
	tcase_add_test(tc, posix_strings_match_libc);
	tcase_add_test(tc, posix_rules_before_1970);
	tcase_add_test(tc, unset_tz_is_etc_localtime);
	tcase_add_test(tc, bad_files_and_huge_times);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
