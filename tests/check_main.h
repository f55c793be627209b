/* Each tests/<module>/<name>_test.c is its own Check binary:
 *     static Suite *suite(void) { ... }
 *     RB_CHECK_MAIN(suite)
 * Output ends with Check's "NN%: Checks: N, Failures: F, Errors: E" line,
 * which scripts/run-tests.sh adds up. */
#ifndef RAWBPF_TESTS_CHECK_MAIN_H
#define RAWBPF_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

#define RB_CHECK_MAIN(suite_fn)                                        \
	int main(void)                                                 \
	{                                                              \
		SRunner *sr = srunner_create(suite_fn());              \
		srunner_run_all(sr, CK_NORMAL);                        \
		int failed = srunner_ntests_failed(sr);                \
		srunner_free(sr);                                      \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;           \
	}

#endif
