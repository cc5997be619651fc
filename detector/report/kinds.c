/* kinds.c - lookups in the table of finding kinds (kinds.inc). */
#include "detector/report/kinds.h"

#include <string.h>

static const finding_info rows[FINDING_NKINDS] = {
#define FINDING(id, record, expect, warning, suppress, rule) \
    [FINDING_##id] = {record, expect, warning, SUPPRESS_##suppress, rule},
#include "detector/report/kinds.inc"
#undef FINDING
};

const finding_info *finding_of(enum finding_kind k)
{
    return (unsigned)k < FINDING_NKINDS ? &rows[k] : NULL;
}

const finding_info *finding_by_record(const char *record)
{
    for (size_t i = 0; i < FINDING_NKINDS; i++)
        if (strcmp(rows[i].record, record) == 0)
            return &rows[i];
    return NULL;
}

const finding_rule finding_rules[] = {
#define RULE(id, description) {id, description},
#include "detector/report/kinds.inc"
#undef RULE
};
const size_t finding_nrules = sizeof finding_rules / sizeof finding_rules[0];

size_t finding_rule_index(const char *id)
{
    for (size_t i = 0; i < finding_nrules; i++)
        if (strcmp(finding_rules[i].id, id) == 0)
            return i;
    return 0;
}
