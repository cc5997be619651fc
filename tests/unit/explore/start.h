/*
 * start.h - starting detector/explore as race_start does, for the suites:
 * CORACE_OPTIONS given as a string, CO_SEED set (or absent when NULL);
 * CORACE_EXPLORE, if the suite set it, makes it the fork server.
 */
#ifndef CORACE_TEST_EXPLORE_START_H
#define CORACE_TEST_EXPLORE_START_H

#include <check.h>
#include <stdlib.h>

#include "detector/core/options.h"
#include "detector/explore/explore.h"
#include "fakes.h"

static inline void start(const char *options, const char *co_seed)
{
    fake_reset();
    options_reset();
    char err[256];
    ck_assert_msg(options_parse(options, err, sizeof err), "%s", err);
    if (co_seed) {
        setenv("CO_SEED", co_seed, 1);
        fake_seed = strtoull(co_seed, NULL, 10);
    } else {
        unsetenv("CO_SEED");
    }
    explore_start();
}

/* n preemption points of the program's own code (accesses, or function
   entries under entry). */
static inline void accesses(unsigned n)
{
    for (unsigned i = 0; i < n; i++) explore_access();
}

static inline void entries(unsigned n)
{
    for (unsigned i = 0; i < n; i++) explore_entry();
}

/* The run yielded exactly at these steps. */
static inline void assert_yields(const uint64_t *want, size_t n)
{
    ck_assert_uint_eq(fake_nyields, n);
    for (size_t i = 0; i < n; i++) ck_assert_uint_eq(fake_yields[i], want[i]);
}

#endif
