/*
 * record.h - findings as JSON records: jansson values, built by the checker
 * and read by the renderers (render_text.h) in the checker and in corace
 * report alike.
 *
 * Every record the checker writes (format=json: one object per line, the
 * shapes of docs/race-report-format.md) is built with the rec_new_* and
 * rec_set functions and written by rec_write, so there is one JSON writer
 * and one escaping.  Strings are made valid UTF-8 on the way in: a function
 * name or file path with stray bytes would otherwise make jansson refuse the
 * whole record, and a report must never be lost to its spelling.
 *
 * The readers (rec_get, rec_str, ...) are inline, over jansson and libc
 * alone.  A record's shape has been checked by whoever hands it over (the
 * checker built it; corace report's loader checks each kind); a member that
 * is absent or of another type reads as "", 0 or false.
 */
#ifndef CORACE_REPORT_RECORD_H
#define CORACE_REPORT_RECORD_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

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

/* ---- reading ---- */

static inline const json_t *rec_get(const json_t *o, const char *key)
{
    return json_is_object(o) ? json_object_get(o, key) : NULL;
}

static inline bool rec_has(const json_t *o, const char *key) { return rec_get(o, key) != NULL; }

static inline const char *rec_str(const json_t *o, const char *key)
{
    const char *s = json_string_value(rec_get(o, key));
    return s ? s : "";
}

static inline int64_t rec_int(const json_t *o, const char *key)
{
    return (int64_t)json_integer_value(rec_get(o, key));
}

static inline bool rec_bool(const json_t *o, const char *key) { return json_is_true(rec_get(o, key)); }

/* A "0x..." member as a number. */
static inline uintptr_t rec_hex(const json_t *o, const char *key)
{
    const char *s = json_string_value(rec_get(o, key));
    return s ? (uintptr_t)strtoull(s, NULL, 16) : 0;
}

/* The items of an array member (0 when it is absent or no array). */
static inline size_t rec_len(const json_t *o, const char *key) { return json_array_size(rec_get(o, key)); }

/* An array member, with its length in *n. */
static inline const json_t *rec_items(const json_t *o, const char *key, size_t *n)
{
    const json_t *v = rec_get(o, key);
    *n = json_array_size(v);
    return v;
}

static inline const json_t *rec_at(const json_t *o, const char *key, size_t i)
{
    return json_array_get(rec_get(o, key), i);
}


#endif
