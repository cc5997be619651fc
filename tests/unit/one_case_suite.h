/* one_case_suite.h - running a unit suite of one test case (Check, fork
   mode: each test in its own child, so global state starts fresh). */
#ifndef CORACE_TEST_ONE_CASE_SUITE_H
#define CORACE_TEST_ONE_CASE_SUITE_H

#include <check.h>
#include <stdlib.h>

/* A suite of one test case, name, holding what add adds; the exit status
   of main. */
static inline int one_case_suite_run(const char *name, void (*add)(TCase *tc))
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
