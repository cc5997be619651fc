/*
 * test_suppress.c - the suppression file's parser and matcher
 * (detector/report/suppress.c) and `corace run --timeout`'s duration
 * parser (cli/duration.c): both pure, so tested alone.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "cli/duration.h"
#include "detector/report/suppress.h"

static bool parse(const char *text, suppress_list *l, unsigned *line, char *err)
{
    return suppress_parse(text, strlen(text), l, line, err, 256);
}

START_TEST(parse_kinds_comments_blanks)
{
    suppress_list l = { 0 };
    unsigned line = 99;
    char err[256];
    const char *text = "# a comment\n"
                       "\n"
                       "race:update_*\n"
                       "   deadlock : */vendor/*.c  \r\n"
                       "lock-order:a\n"
                       "\t# indented comment\n"
                       "wait-cycle:b\n"
                       "partial:c\n"
                       "leak:d\n"
                       "copy:e";   /* no final newline */
    ck_assert_msg(parse(text, &l, &line, err), "%s", err);
    ck_assert_uint_eq(l.n, 7);
    ck_assert_int_eq(l.rules[0].kind, SUPPRESS_RACE);
    ck_assert_str_eq(l.rules[0].glob, "update_*");
    ck_assert_uint_eq(l.rules[0].line, 3);
    ck_assert_int_eq(l.rules[1].kind, SUPPRESS_DEADLOCK);
    ck_assert_str_eq(l.rules[1].glob, "*/vendor/*.c");
    ck_assert_uint_eq(l.rules[1].line, 4);
    ck_assert_int_eq(l.rules[2].kind, SUPPRESS_LOCK_ORDER);
    ck_assert_int_eq(l.rules[3].kind, SUPPRESS_WAIT_CYCLE);
    ck_assert_uint_eq(l.rules[3].line, 7);
    ck_assert_int_eq(l.rules[4].kind, SUPPRESS_PARTIAL);
    ck_assert_int_eq(l.rules[5].kind, SUPPRESS_LEAK);
    ck_assert_int_eq(l.rules[6].kind, SUPPRESS_COPY);
    ck_assert_str_eq(l.rules[6].glob, "e");
    ck_assert_uint_eq(l.rules[6].line, 10);
    suppress_free(&l);
    ck_assert_uint_eq(l.n, 0);

    ck_assert(parse("", &l, &line, err));
    ck_assert_uint_eq(l.n, 0);
    ck_assert(parse("\n\n# only\n", &l, &line, err));
    ck_assert_uint_eq(l.n, 0);
}
END_TEST

START_TEST(parse_errors_name_the_line)
{
    static const struct {
        const char *text;
        unsigned line;
        const char *msg;
    } bad[] = {
        { "race:a\nnocolon\n", 2, "want KIND:PATTERN" },
        { "# c\n\nrcae:foo\n", 3, "unknown kind 'rcae'" },
        { "race:\n", 1, "'race:' needs a pattern" },
        { "leak:   \n", 1, "'leak:' needs a pattern" },
        { ":foo\n", 1, "unknown kind ''" },
        { "Race:foo\n", 1, "unknown kind 'Race'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        suppress_list l = { 0 };
        unsigned line = 0;
        char err[256];
        ck_assert_msg(!parse(bad[i].text, &l, &line, err), "accepted %s", bad[i].text);
        ck_assert_uint_eq(line, bad[i].line);
        ck_assert_msg(strstr(err, bad[i].msg), "'%s' lacks '%s'", err, bad[i].msg);
        ck_assert_uint_eq(l.n, 0);
    }
    /* A NUL inside a line. */
    suppress_list l = { 0 };
    unsigned line = 0;
    char err[256];
    ck_assert(!suppress_parse("race:a\nrace:b\0c\n", 15, &l, &line, err, sizeof err));
    ck_assert_uint_eq(line, 2);
    /* A parse replaces what the list held, also on failure. */
    ck_assert(parse("race:x\n", &l, &line, err));
    ck_assert_uint_eq(l.n, 1);
    ck_assert(!parse("bad\n", &l, &line, err));
    ck_assert_uint_eq(l.n, 0);
    /* A tiny err buffer is still NUL-terminated. */
    char small[4];
    ck_assert(!suppress_parse("bad", 3, &l, &line, small, sizeof small));
    ck_assert_uint_eq(strlen(small), 3);
}
END_TEST

START_TEST(match_kinds_globs_counts)
{
    suppress_list l = { 0 };
    unsigned line;
    char err[256];
    ck_assert(parse("race:update_*\n"
                    "race:*/lib/*.c\n"
                    "deadlock:locker\n"
                    "leak:worker\n"
                    "copy:never\n",
                    &l, &line, err));
    const char *race_frames[] = { "main", "/src/app/main.c", "update_foo", NULL };
    suppress_rule *r = suppress_match(&l, SUPPRESS_RACE, race_frames, 4);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(r->glob, "update_*");
    ck_assert_uint_eq(r->hits, 1);
    /* The glob is matched whole: no substring match. */
    const char *partial_name[] = { "do_update_foo" };
    ck_assert_ptr_null(suppress_match(&l, SUPPRESS_RACE, partial_name, 1));
    /* '*' also crosses '/'. */
    const char *files[] = { "helper", "/home/u/src/lib/deep/x.c" };
    r = suppress_match(&l, SUPPRESS_RACE, files, 2);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(r->line, 2);
    /* Kinds: a race rule does not hide a leak; deadlock covers three. */
    const char *worker[] = { "worker" };
    ck_assert_ptr_null(suppress_match(&l, SUPPRESS_RACE, worker, 1));
    ck_assert_ptr_nonnull(suppress_match(&l, SUPPRESS_LEAK, worker, 1));
    const char *locker[] = { "locker" };
    ck_assert_ptr_nonnull(suppress_match(&l, SUPPRESS_LOCK_ORDER, locker, 1));
    ck_assert_ptr_nonnull(suppress_match(&l, SUPPRESS_WAIT_CYCLE, locker, 1));
    ck_assert_ptr_nonnull(suppress_match(&l, SUPPRESS_PARTIAL, locker, 1));
    ck_assert_ptr_null(suppress_match(&l, SUPPRESS_LEAK, locker, 1));
    ck_assert_ptr_null(suppress_match(&l, SUPPRESS_COPY, locker, 1));
    ck_assert_uint_eq(l.rules[2].hits, 3);
    ck_assert_uint_eq(l.rules[4].hits, 0);
    ck_assert_ptr_null(suppress_match(&l, SUPPRESS_RACE, NULL, 0));
    suppress_free(&l);
}
END_TEST

START_TEST(kind_names)
{
    ck_assert_str_eq(suppress_kind_name(SUPPRESS_LOCK_ORDER), "lock-order");
    ck_assert_str_eq(suppress_kind_name(SUPPRESS_WAIT_CYCLE), "wait-cycle");
    ck_assert(suppress_kind_covers(SUPPRESS_DEADLOCK, SUPPRESS_PARTIAL));
    ck_assert(!suppress_kind_covers(SUPPRESS_PARTIAL, SUPPRESS_DEADLOCK));
    ck_assert(!suppress_kind_covers(SUPPRESS_DEADLOCK, SUPPRESS_RACE));
}
END_TEST

/* ---- durations ---- */

START_TEST(duration_good)
{
    static const struct {
        const char *s;
        double want;
    } good[] = {
        { "300ms", 0.3 },   { "1.5s", 1.5 },   { "2m", 120 },      { "1h30m", 5400 },
        { "0", 0 },         { "10s", 10 },     { "1h", 3600 },     { "500us", 0.0005 },
        { "100ns", 1e-7 },  { "2\xc2\xb5s", 2e-6 }, { ".5s", 0.5 }, { "1.s", 1 },
        { "1m30.5s", 90.5 }, { "0s", 0 },       { "1h1m1s1ms", 3661.001 },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double v = -1;
        ck_assert_msg(duration_parse(good[i].s, &v), "refused %s", good[i].s);
        ck_assert_msg(fabs(v - good[i].want) < 1e-9 * (1 + good[i].want), "%s: %g, want %g", good[i].s, v,
                      good[i].want);
    }
}
END_TEST

START_TEST(duration_bad)
{
    static const char *const bad[] = { "", "5", "s", "1x", "-1s", "+1s", "1.5", "ms", "1s ", " 1s",
                                       "1 s", ".s", "1..5s", "1sm5", "10S", "1e3s", "1mss", "1h-5m" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 42;
        ck_assert_msg(!duration_parse(bad[i], &v), "accepted '%s'", bad[i]);
        ck_assert(v == 42);
    }
    double v = 42;
    ck_assert(!duration_parse(NULL, &v));
}
END_TEST

static Suite *suppress_suite(void)
{
    Suite *s = suite_create("suppress");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, parse_kinds_comments_blanks);
    tcase_add_test(tc, parse_errors_name_the_line);
    tcase_add_test(tc, match_kinds_globs_counts);
    tcase_add_test(tc, kind_names);
    suite_add_tcase(s, tc);
    tc = tcase_create("duration");
    tcase_add_test(tc, duration_good);
    tcase_add_test(tc, duration_bad);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suppress_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
