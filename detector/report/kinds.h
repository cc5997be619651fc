/* kinds.h - the kinds of finding (the table is kinds.inc). */
#ifndef CORACE_REPORT_KINDS_H
#define CORACE_REPORT_KINDS_H

#include <stddef.h>

#include "detector/report/suppress.h"

enum finding_kind {
#define FINDING(id, record, expect, warning, suppress, rule) FINDING_##id,
#include "detector/report/kinds.inc"
#undef FINDING
    FINDING_NKINDS
};

typedef struct finding_info {
    const char *record;   /* the JSON record's "kind" */
    const char *expect;   /* the name on an "// expect:" line */
    const char *warning;  /* "WARNING: ..." opening its text; NULL: the runtime's own text */
    enum suppress_kind suppress;   /* SUPPRESS_NONE: cannot be suppressed */
    const char *rule;     /* SARIF rule id, JUnit failure type */
} finding_info;

const finding_info *finding_of(enum finding_kind k);
/* The row whose record kind is `record`; NULL for an unknown kind. */
const finding_info *finding_by_record(const char *record);

typedef struct finding_rule {
    const char *id, *description;
} finding_rule;

/* SARIF's rules, in their order. */
extern const finding_rule finding_rules[];
extern const size_t finding_nrules;
/* The index of rule id in finding_rules (0 when unknown). */
size_t finding_rule_index(const char *id);

#endif
