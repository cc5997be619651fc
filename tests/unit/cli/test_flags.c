/* test_flags.c - cli/flags.c: the one table of corace's flags, parsed with
   getopt_long for run and explore (flags before the program only) and
   report (flags anywhere). */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/flags.h"
#include "one_case_suite.h"

/* The flags every test accepts: what run, explore and report share. */
static const enum flag shared[] = {
    FLAG_HELP, FLAG_OUT, FLAG_FORMAT, FLAG_SEED, FLAG_STRATEGY, FLAG_DEPTH, FLAG_STEPS, FLAG_TIMEOUT,
    FLAG_STRIP_PATH_PREFIX, FLAG_KEEP_GOING, FLAG_QUIET, FLAG_VERBOSE,
};
#define NSHARED (sizeof shared / sizeof *shared)

static struct flags fl;
static char *args[32];
static int nargs;

/* argv from a NULL-terminated list, "cmd" first. */
static void start(enum flags_order order, const char *first, ...)
{
    va_list ap;
    nargs = 0;
    args[nargs++] = "cmd";
    va_start(ap, first);
    for (const char *a = first; a; a = va_arg(ap, const char *))
        args[nargs++] = (char *)a;
    va_end(ap);
    args[nargs] = NULL;
    flags_init(&fl, "cmd", nargs, args, shared, NSHARED, order);
}

/* The next flag must be id with value want (NULL: none). */
static void next_is(int id, const char *want)
{
    const char *v = NULL;
    int c = flags_next(&fl, &v);
    ck_assert_msg(c == id, "flag %d, want %d (%s)", c, id, c == FLAG_BAD ? fl.err : "");
    if (want)
        ck_assert_str_eq(v, want);
}

static void bad_is(const char *message)
{
    const char *v;
    ck_assert_int_eq(flags_next(&fl, &v), FLAG_BAD);
    ck_assert_str_eq(fl.err, message);
}

START_TEST(every_shared_flag_both_spellings)
{
    static const struct {
        const char *name;
        enum flag id;
        const char *value;
    } cases[] = {
        {"--out", FLAG_OUT, "f.txt"},       {"--format", FLAG_FORMAT, "json"},
        {"--seed", FLAG_SEED, "42"},        {"--strategy", FLAG_STRATEGY, "pct"},
        {"--depth", FLAG_DEPTH, "3"},       {"--steps", FLAG_STEPS, "100"},
        {"--timeout", FLAG_TIMEOUT, "2s"},  {"--strip-path-prefix", FLAG_STRIP_PATH_PREFIX, "/src/"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char joined[64];
        snprintf(joined, sizeof joined, "%s=%s", cases[i].name, cases[i].value);
        start(FLAGS_FIRST, cases[i].name, cases[i].value, joined, "prog.c", NULL);
        next_is(cases[i].id, cases[i].value);
        next_is(cases[i].id, cases[i].value);
        next_is(FLAG_END, NULL);
        ck_assert_int_eq(flags_operands(&fl), 4);
        ck_assert_str_eq(flags_name(cases[i].id), cases[i].name);
    }
}
END_TEST

START_TEST(short_forms)
{
    start(FLAGS_FIRST, "-o", "a", "-ob", "-qv", "-h", "--keep-going", "--help", "x.c", NULL);
    next_is(FLAG_OUT, "a");
    next_is(FLAG_OUT, "b");
    next_is(FLAG_QUIET, NULL);
    next_is(FLAG_VERBOSE, NULL);
    next_is(FLAG_HELP, NULL);
    next_is(FLAG_KEEP_GOING, NULL);
    next_is(FLAG_HELP, NULL);
    next_is(FLAG_END, NULL);
    ck_assert_int_eq(flags_operands(&fl), 8);
}
END_TEST

/* A value is the next argument whatever it looks like (--seed -3 is for the
   command to refuse, not a flag -3). */
START_TEST(value_taken_as_is)
{
    start(FLAGS_FIRST, "--seed", "-3", "--format", "", "--out=", "p", NULL);
    next_is(FLAG_SEED, "-3");
    next_is(FLAG_FORMAT, "");
    next_is(FLAG_OUT, "");
    next_is(FLAG_END, NULL);
}
END_TEST

START_TEST(missing_value)
{
    start(FLAGS_FIRST, "--seed", NULL);
    bad_is("--seed needs a value");
    start(FLAGS_FIRST, "--keep-going", "-o", NULL);
    next_is(FLAG_KEEP_GOING, NULL);
    bad_is("-o needs a value");
    start(FLAGS_ANYWHERE, "f.jsonl", "--format", NULL);
    next_is(FLAG_OPERAND, "f.jsonl");
    bad_is("--format needs a value");
}
END_TEST

START_TEST(unknown_flag)
{
    start(FLAGS_FIRST, "--no-such-flag", "x.c", NULL);
    bad_is("unknown flag '--no-such-flag'");
    start(FLAGS_FIRST, "--no-such=3", "x.c", NULL);
    bad_is("unknown flag '--no-such=3'");
    start(FLAGS_FIRST, "-x", "x.c", NULL);
    bad_is("unknown flag '-x'");
    start(FLAGS_FIRST, "-qz", "x.c", NULL);
    next_is(FLAG_QUIET, NULL);
    bad_is("unknown flag '-z'");
    start(FLAGS_FIRST, "--keep-going=yes", "x.c", NULL);
    bad_is("--keep-going takes no value");
    /* A flag the command does not take is unknown to it. */
    static const enum flag report_only[] = {FLAG_FORMAT};
    nargs = 3;
    args[1] = "--seed";
    args[2] = "1";
    args[3] = NULL;
    flags_init(&fl, "report", nargs, args, report_only, 1, FLAGS_ANYWHERE);
    bad_is("unknown flag '--seed'");
}
END_TEST

/* run and explore: what follows the program is the program's own. */
START_TEST(stop_at_the_program)
{
    start(FLAGS_FIRST, "--seed", "1", "prog.c", "--seed", "2", "-v", NULL);
    next_is(FLAG_SEED, "1");
    next_is(FLAG_END, NULL);
    ck_assert_int_eq(flags_operands(&fl), 3);
    ck_assert_str_eq(args[flags_operands(&fl)], "prog.c");
    start(FLAGS_FIRST, "./prog", "-q", NULL);
    next_is(FLAG_END, NULL);
    ck_assert_int_eq(flags_operands(&fl), 1);
    /* "--" ends the flags; "-" is an operand. */
    start(FLAGS_FIRST, "-q", "--", "-v", NULL);
    next_is(FLAG_QUIET, NULL);
    next_is(FLAG_END, NULL);
    ck_assert_str_eq(args[flags_operands(&fl)], "-v");
    start(FLAGS_FIRST, "-", "-q", NULL);
    next_is(FLAG_END, NULL);
    ck_assert_int_eq(flags_operands(&fl), 1);
    start(FLAGS_FIRST, NULL);
    next_is(FLAG_END, NULL);
    ck_assert_int_eq(flags_operands(&fl), 1);
}
END_TEST

/* report: files and flags in any order, in order. */
START_TEST(operands_anywhere)
{
    start(FLAGS_ANYWHERE, "a.jsonl", "--format", "sarif", "-", "-o", "out", "--", "--format", NULL);
    next_is(FLAG_OPERAND, "a.jsonl");
    next_is(FLAG_FORMAT, "sarif");
    next_is(FLAG_OPERAND, "-");
    next_is(FLAG_OUT, "out");
    next_is(FLAG_END, NULL);
    ck_assert_int_eq(flags_operands(&fl), 8);
    ck_assert_str_eq(args[8], "--format");
}
END_TEST

/* The parser starts afresh each time (getopt's state is global). */
START_TEST(parse_twice)
{
    for (int i = 0; i < 2; i++) {
        start(FLAGS_FIRST, "-qv", "--seed", "7", "p.c", NULL);
        next_is(FLAG_QUIET, NULL);
        next_is(FLAG_VERBOSE, NULL);
        next_is(FLAG_SEED, "7");
        next_is(FLAG_END, NULL);
    }
}
END_TEST

START_TEST(depth_and_file_values)
{
    ck_assert_uint_eq(flags_depth("cmd", "1"), 1);
    ck_assert_uint_eq(flags_depth("cmd", "64"), 64);
    ck_assert_str_eq(flags_file("cmd", FLAG_OUT, "x"), "x");
}
END_TEST

START_TEST(depth_out_of_range_exits_1) { flags_depth("cmd", "65"); }
END_TEST

START_TEST(empty_file_name_exits_1) { flags_file("cmd", FLAG_OUT, ""); }
END_TEST

static void add_tests(TCase *tc)
{
    tcase_add_test(tc, every_shared_flag_both_spellings);
    tcase_add_test(tc, short_forms);
    tcase_add_test(tc, value_taken_as_is);
    tcase_add_test(tc, missing_value);
    tcase_add_test(tc, unknown_flag);
    tcase_add_test(tc, stop_at_the_program);
    tcase_add_test(tc, operands_anywhere);
    tcase_add_test(tc, parse_twice);
    tcase_add_test(tc, depth_and_file_values);
    tcase_add_exit_test(tc, depth_out_of_range_exits_1, 1);
    tcase_add_exit_test(tc, empty_file_name_exits_1, 1);
}

int main(void) { return one_case_suite_run("flags", add_tests); }
