/* rb_glob_match against the C library's fnmatch(3) (no flags) as the oracle. */
#include <fnmatch.h>
#include <stdio.h>

#include "check_main.h"
#include "common/glob.h"

static const char *const patterns[] = {
	"", "*", "?", "**", "vfs_*", "*_read", "*read*", "vfs_?ead", "tcp_*_v?",
	"[a-c]*", "[!a-c]*", "[^a-c]*", "[]]x", "[!]]*", "[-a]*", "[a-]*", "x[0-9][0-9]",
	"[[:alpha:]]*", "[[:digit:][:upper:]]*", "[![:lower:]_]*", "*[[:punct:]]*", "[[:bogus:]]*",
	"[", "a[", "[a", "a[b", "\\*", "\\[a]", "*\\?", "*a*b*c*",
	"a*a*a*a*b", "*.[ch]", "?*?", "*?*?*", "[*]", "[?]*",
};

static const char *const names[] = {
	"", "a", "b", "_", "-", "]", "]x", "[", "a[", "a[b", "*", "?", "\\", "a\\",
	"vfs_read", "vfs_write", "vfs_", "tcp_v4_rcv", "tcp_sendmsg_v4", "x07", "x7", "Abc",
	"__x64_sys_read", "read", "aaaaaaab", "aaaaaaaa", "aXbYc", "acb", "f.c", "f.h", "f.o",
	"9lives", "[a]", "a]", "ab", "ba",
};

START_TEST(glob_matches_like_fnmatch)
{
	for (size_t i = 0; i < sizeof(patterns) / sizeof(*patterns); i++)
		for (size_t j = 0; j < sizeof(names) / sizeof(*names); j++) {
			bool want = fnmatch(patterns[i], names[j], 0) == 0;
			bool got = rb_glob_match(patterns[i], names[j]);
			if (got != want)
				ck_abort_msg("pattern '%s' name '%s': got %d, fnmatch says %d",
					     patterns[i], names[j], got, want);
		}
}
END_TEST

START_TEST(glob_star_backtracks_without_blowup)
{
	ck_assert(!rb_glob_match("*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
	ck_assert(rb_glob_match("*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
}
END_TEST

/* Where glibc (the oracle above) and musl (the shipped binary's libc) differ,
 * rb_glob_match does what musl's fnmatch does: a trailing backslash is
 * literal, a backslash in a set is a member, and a range's end is a member
 * even when the range is empty, and "[.a.]"/"[=a=]" hold nothing. */
START_TEST(glob_follows_musl_where_libcs_differ)
{
	ck_assert(rb_glob_match("a\\", "a\\"));
	ck_assert(!rb_glob_match("a\\", "a"));
	ck_assert(rb_glob_match("[\\]]", "\\]"));
	ck_assert(!rb_glob_match("[\\]]", "]"));
	ck_assert(rb_glob_match("[a-9]", "9"));
	ck_assert(!rb_glob_match("[a-9]", "5"));
	ck_assert(!rb_glob_match("[[.a.][=a=]b]", "a"));
	ck_assert(rb_glob_match("[[.a.][=a=]b]", "b"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("common");
	TCase *tc = tcase_create("glob");
	tcase_add_test(tc, glob_matches_like_fnmatch);
	tcase_add_test(tc, glob_star_backtracks_without_blowup);
	tcase_add_test(tc, glob_follows_musl_where_libcs_differ);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
