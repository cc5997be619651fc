/*
 * suite_main.h - what the explore suites' main functions share: run the
 * suites (each test in its own process, Check's fork mode) and turn the
 * failures into the exit status ctest reads.
 */
#ifndef CORACE_TEST_EXPLORE_SUITE_MAIN_H
#define CORACE_TEST_EXPLORE_SUITE_MAIN_H

#include <check.h>

/* One suite of one case, the given timeout (seconds) per test. */
static inline Suite *one_case_suite(const char *suite, const char *tcase, TCase **t, double timeout)
{
    Suite *s = suite_create(suite);
    *t = tcase_create(tcase);
    tcase_set_timeout(*t, timeout);
    suite_add_tcase(s, *t);
    return s;
}

/* more may be NULL. */
static inline int run_suites(Suite *s, Suite *more)
{
    SRunner *r = srunner_create(s);
    if (more) srunner_add_suite(r, more);
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? 1 : 0;
}

#endif
