/*
 * record.h - findings as JSON records, built as jansson values.
 *
 * Every record the checker writes (format=json: one object per line, the
 * shapes of docs/race-report-format.md) is built with these and written by
 * rec_write, so there is one JSON writer and one escaping.  Strings are
 * made valid UTF-8 on the way in: a function name or file path with stray
 * bytes would otherwise make jansson refuse the whole record, and a report
 * must never be lost to its spelling.
 */
#ifndef CORACE_REPORT_RECORD_H
#define CORACE_REPORT_RECORD_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

/* A JSON string of s, each byte that is not part of valid UTF-8 replaced
   by U+FFFD. */
json_t *rec_new_str(const char *s);
/* "0x" and v in lower-case hex: zero-padded to 12 digits when padded, as
   Go prints addresses. */
json_t *rec_new_hex(uintptr_t v, int padded);
/* rec[key] = v, v's reference taken over (a NULL v, out of memory, is
   skipped: the record goes out without that member rather than not at all). */
void rec_set(json_t *rec, const char *key, json_t *v);
/* rec as one compact line on f; rec's reference is released. */
void rec_write(FILE *f, json_t *rec);

#endif
