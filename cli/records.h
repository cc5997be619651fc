/* records.h - the checker's JSON Lines records read back (`corace report`).
 *
 * A small JSON parser (RFC 8259: objects keep their keys in order, numbers
 * keep their text) and a loader that reads a file of records, one object per
 * line, checking each against the shape of its kind (race, copy, wait-cycle,
 * lock-order, recursive-read, partial-deadlock, leak, deadlock, runtime-error,
 * timeout) so that the renderers can
 * rely on the fields they use.
 */
#ifndef CORACE_CLI_RECORDS_H
#define CORACE_CLI_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ } jv_type;

typedef struct jv {
    jv_type t;
    bool b;             /* JV_BOOL */
    char *s;            /* JV_STR: the decoded bytes (NUL-terminated; len may
                           count embedded NULs); JV_NUM: the number's text */
    size_t len;         /* JV_STR: length of s */
    size_t n;           /* JV_ARR, JV_OBJ: number of items */
    struct jv *items;   /* JV_ARR, JV_OBJ: the values */
    char **keys;        /* JV_OBJ: the keys, in the order written */
} jv;

/* Parses one JSON value filling all of text[0..len); NULL on error, with a
   message (and the column, from 1) in err. */
jv *jv_parse(const char *text, size_t len, char *err, size_t errsize);
void jv_free(jv *v);

/* The member key of object o (NULL when o is no object or has no such key). */
const jv *jv_get(const jv *o, const char *key);
/* Convenience accessors for members that the loader has checked. */
const char *jv_str(const jv *o, const char *key);      /* "" when absent */
int64_t jv_int(const jv *o, const char *key);          /* 0 when absent */
bool jv_bool(const jv *o, const char *key);            /* false when absent */
/* A "0x..." member as a number (0 when absent). */
uintptr_t jv_hex(const jv *o, const char *key);

/* Writes v as compact JSON; strings are escaped as the checker escapes them. */
void jv_write(FILE *f, const jv *v);
void jv_write_str(FILE *f, const char *s, size_t len);

/* A file of records. */
typedef struct record_set {
    jv **recs;
    size_t *lines;      /* the line of each record, from 1 */
    size_t n;
} record_set;

/* Reads path: every non-blank line must be a record.  On an error prints one
   line "corace: report: PATH:LINE: MESSAGE" (or "corace: report: PATH:
   MESSAGE") and returns false. */
bool records_load(const char *path, record_set *out);
void records_free(record_set *rs);

#endif
