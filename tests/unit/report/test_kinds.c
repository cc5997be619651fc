/* The table of finding kinds (detector/report/kinds.inc): every tool's view
   of a kind agrees with it, and docs/findings.md lists every row. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/kinds.h"
#include "detector/report/kinds.h"
#include "detector/report/suppress.h"

static const char *const records[] = {"race", "copy", "wait-cycle", "lock-order", "recursive-read",
                                      "partial-deadlock", "leak", "deadlock", "runtime-error", "timeout"};

START_TEST(every_record_kind_has_a_row)
{
    ck_assert_int_eq(FINDING_NKINDS, sizeof records / sizeof records[0]);
    for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
        const finding_info *f = finding_by_record(records[i]);
        ck_assert_msg(f != NULL, "no row for %s", records[i]);
        ck_assert_str_eq(f->record, records[i]);
    }
    ck_assert_ptr_null(finding_by_record("data race"));
    ck_assert_ptr_null(finding_by_record(""));
    ck_assert_ptr_null(finding_of(FINDING_NKINDS));
}
END_TEST

START_TEST(suppression_kinds_parse_and_cover)
{
    for (int k = 0; k < FINDING_NKINDS; k++) {
        const finding_info *f = finding_of((enum finding_kind)k);
        if (f->suppress == SUPPRESS_NONE)
            continue;
        char text[64], err[128];
        snprintf(text, sizeof text, "%s:*\n", suppress_kind_name(f->suppress));
        suppress_list l = {0};
        ck_assert_msg(suppress_parse(text, strlen(text), &l, NULL, err, sizeof err), "%s: %s", text, err);
        ck_assert_uint_eq(l.n, 1);
        ck_assert(suppress_kind_covers(l.rules[0].kind, f->suppress));
        suppress_free(&l);
    }
    ck_assert_int_eq(finding_of(FINDING_RUNTIME_ERROR)->suppress, SUPPRESS_NONE);
    ck_assert_int_eq(finding_of(FINDING_PARTIAL)->suppress, SUPPRESS_PARTIAL);
}
END_TEST

START_TEST(every_rule_is_declared)
{
    for (int k = 0; k < FINDING_NKINDS; k++) {
        const char *rule = finding_of((enum finding_kind)k)->rule;
        size_t i = finding_rule_index(rule);
        ck_assert_msg(i < finding_nrules && strcmp(finding_rules[i].id, rule) == 0, "rule %s undeclared", rule);
    }
    ck_assert_str_eq(finding_by_record("race")->rule, "data-race");
    ck_assert_str_eq(finding_by_record("recursive-read")->rule, "lock-order");
}
END_TEST

/* What corace samples reads off a run is what the checker writes. */
START_TEST(expect_names_and_warning_lines)
{
    for (int k = 0; k < FINDING_NKINDS; k++) {
        const finding_info *f = finding_of((enum finding_kind)k);
        unsigned bit;
        char bad[32];
        ck_assert_msg(kinds_parse(f->expect, &bit, bad, sizeof bad), "expect name %s", f->expect);
        if (f->warning)
            ck_assert_str_eq(kinds_checker_line(bit), f->warning);
    }
    unsigned bit;
    char bad[32];
    ck_assert(kinds_parse("partial", &bit, bad, sizeof bad));
    ck_assert_str_eq(kinds_checker_line(bit), "WARNING: PARTIAL DEADLOCK");
    ck_assert(!kinds_parse("partial-deadlock", &bit, bad, sizeof bad));
}
END_TEST

START_TEST(docs_list_every_row)
{
    FILE *f = fopen(CORACE_SOURCE_DIR "/docs/findings.md", "r");
    ck_assert_msg(f != NULL, "docs/findings.md is missing");
    static char text[1 << 16];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    for (int k = 0; k < FINDING_NKINDS; k++) {
        const finding_info *fi = finding_of((enum finding_kind)k);
        char row[128];
        snprintf(row, sizeof row, "| `%s` | `%s` |", fi->record, fi->expect);
        ck_assert_msg(strstr(text, row) != NULL, "docs/findings.md has no row starting %s", row);
        ck_assert_msg(strstr(text, fi->rule) != NULL, "docs/findings.md does not name rule %s", fi->rule);
        if (fi->warning)
            ck_assert_msg(strstr(text, fi->warning) != NULL, "docs/findings.md lacks %s", fi->warning);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("kinds");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, every_record_kind_has_a_row);
    tcase_add_test(tc, suppression_kinds_parse_and_cover);
    tcase_add_test(tc, every_rule_is_declared);
    tcase_add_test(tc, expect_names_and_warning_lines);
    tcase_add_test(tc, docs_list_every_row);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
