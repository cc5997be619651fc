/* report_junit.c - records as JUnit XML: a testcase per file of records,
   a failure per record with the checker's text as its body. */
#include "report_formats.h"
#include "exitcodes.h"
#include "detector/report/record.h"
#include "detector/report/render_text.h"
#include "util.h"
#include "detector/report/kinds.h"

#include <stdlib.h>

static void xml_escaped(FILE *f, const char *s, bool attr)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs(attr ? "&quot;" : "\"", f); break;
        case '\n': fputs(attr ? "&#10;" : "\n", f); break;
        case '\t': fputs(attr ? "&#9;" : "\t", f); break;
        case '\r': fputs("&#13;", f); break;
        default:
            /* XML 1.0 allows no other control characters at all. */
            if (*p < 0x20)
                fputc('?', f);
            else
                fputc(*p, f);
        }
    }
}

void report_junit(FILE *f, const char *pfx, const record_set *sets, char **files, int nfiles)
{
    size_t failures = 0;
    for (int i = 0; i < nfiles; i++)
        failures += sets[i].n;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites tests=\"%d\" failures=\"%zu\" errors=\"0\">\n"
               "  <testsuite name=\"corace\" tests=\"%d\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
            nfiles, failures, nfiles, failures);
    for (int i = 0; i < nfiles; i++) {
        fputs("    <testcase classname=\"corace\" name=\"", f);
        xml_escaped(f, files[i], true);
        fputs("\">\n", f);
        for (size_t j = 0; j < sets[i].n; j++) {
            const json_t *r = sets[i].recs[j];
            char msg[512];
            rt_summary(r, msg, sizeof msg);
            fputs("      <failure type=\"", f);
            xml_escaped(f, finding_by_record(rec_str(r, "kind"))->rule, true);
            fputs("\" message=\"", f);
            xml_escaped(f, msg, true);
            fputs("\">", f);
            char *text = rt_text(pfx, r);
            if (!text)
                cli_die(EXIT_FAIL, "report: out of memory");
            xml_escaped(f, text, false);
            free(text);
            fputs("</failure>\n", f);
        }
        fputs("    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
}
