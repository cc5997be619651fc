/* cli_suite.h - running a suite of the cli/ unit tests (Check, fork mode:
   each test in its own child, so getopt's and the files' state start
   fresh). */
#ifndef CORACE_TEST_CLI_SUITE_H
#define CORACE_TEST_CLI_SUITE_H

#include <check.h>
#include <stdlib.h>

/* A suite of one test case, name, holding what add adds; the exit status
   of main. */
static inline int cli_suite_run(const char *name, void (*add)(TCase *tc))
{
    Suite *s = suite_create(name);
    TCase *tc = tcase_create(name);
    add(tc);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
