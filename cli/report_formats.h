/* report_formats.h - the renderings of records other than the text
 * (report_text.h): JSON Lines, SARIF, JUnit XML and Graphviz DOT.  pfx is
 * --strip-path-prefix ("" or NULL: none).  Each exits with a message when
 * out of memory or when a value cannot be encoded. */
#ifndef CORACE_CLI_REPORT_FORMATS_H
#define CORACE_CLI_REPORT_FORMATS_H

#include "records.h"

#include <stdio.h>

/* The records again, one per line, their "file" members shortened. */
void report_json(FILE *f, const char *pfx, const record_set *rs);
/* One SARIF 2.1.0 document with a result per record. */
void report_sarif(FILE *f, const char *pfx, const record_set *rs);
/* A testsuite with a testcase per set (named by files), a failure per record. */
void report_junit(FILE *f, const char *pfx, const record_set *sets, char **files, int nfiles);
/* A digraph per wait-for cycle and lock-order inversion. */
void report_dot(FILE *f, const char *pfx, const record_set *rs);

#endif
