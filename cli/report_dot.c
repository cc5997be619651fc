/* report_dot.c - corace report --format dot: the deadlock cycles of a set
   of records, each drawn by the checker's own renderer (render_dot.h). */
#include "report_formats.h"
#include "detector/report/record.h"
#include "detector/report/render_dot.h"

#include <string.h>

void report_dot(FILE *f, const char *pfx, const record_set *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        const char *k = rec_str(rs->recs[i], "kind");
        if (!strcmp(k, "wait-cycle") || !strcmp(k, "lock-order") || !strcmp(k, "recursive-read"))
            rd_render(f, pfx, rs->recs[i]);
    }
}
