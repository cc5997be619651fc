/* record_get.h - reading the members of a checked record (records.h).
 *
 * Header only, over jansson and libc, so that the renderers that use it
 * depend on nothing else of corace's.  The loader has checked each record's
 * shape; a member that is absent or of another type reads as "", 0 or
 * false. */
#ifndef CORACE_CLI_RECORD_GET_H
#define CORACE_CLI_RECORD_GET_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

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
