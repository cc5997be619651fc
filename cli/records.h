/* records.h - the checker's JSON Lines records read back (`corace report`).
 *
 * A loader that reads a file of records, one JSON object per line (parsed
 * by jansson, any bytes in strings kept: json_bytes.h), checking each
 * against the shape of its kind (race, copy, wait-cycle, lock-order,
 * recursive-read, partial-deadlock, leak, deadlock, runtime-error, timeout:
 * record_shape.h) so that the renderers can rely on the fields they use
 * (record_get.h reads them).
 */
#ifndef CORACE_CLI_RECORDS_H
#define CORACE_CLI_RECORDS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* A file of records. */
typedef struct record_set {
    json_t **recs;
    size_t *lines;      /* the line of each record, from 1 */
    size_t n;
} record_set;

/* Reads path: every non-blank line must be a record.  On an error prints one
   line "corace: report: PATH:LINE: MESSAGE" (or "corace: report: PATH:
   MESSAGE") and returns false. */
bool records_load(const char *path, record_set *out);
void records_free(record_set *rs);
/* Moves the records of from to the end of to (from is left empty). */
void records_take(record_set *to, record_set *from);

#endif
