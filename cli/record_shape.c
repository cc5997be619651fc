/* record_shape.c - the shape checks of the checker's records. */
#include "record_shape.h"
#include "detector/report/record.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct checker {
    char *err;
    size_t errsize;
} checker;

/* What a member must be; a number is an integer or a real to jansson. */
typedef enum want { W_BOOL, W_NUM, W_STR, W_ARR, W_OBJ } want;

static bool bad(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool bad(checker *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errsize, fmt, ap);
    va_end(ap);
    return false;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static bool is(const json_t *v, want w)
{
    switch (w) {
    case W_BOOL: return json_is_boolean(v);
    case W_NUM: return json_is_number(v);
    case W_STR: return json_is_string(v);
    case W_ARR: return json_is_array(v);
    default: return json_is_object(v);
    }
}

/* Member key of o must exist with type t (optional: may be absent). */
static bool field(checker *c, const json_t *o, const char *where, const char *key, want t, bool optional)
{
    static const char *const names[] = { "a boolean", "a number", "a string", "an array", "an object" };
    const json_t *v = rec_get(o, key);
    if (!v) {
        if (optional)
            return true;
        return bad(c, "%s has no \"%s\"", where, key);
    }
    if (!is(v, t))
        return bad(c, "%s: \"%s\" is %s, want %s", where, key, type_name(v), names[t]);
    return true;
}

static bool is_hex(const char *s)
{
    if (s[0] != '0' || s[1] != 'x' || !s[2])
        return false;
    for (s += 2; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F')))
            return false;
    return true;
}

static bool hex_field(checker *c, const json_t *o, const char *where, const char *key, bool optional)
{
    if (!field(c, o, where, key, W_STR, optional))
        return false;
    if (rec_has(o, key) && !is_hex(rec_str(o, key)))
        return bad(c, "%s: \"%s\" is no hex address (\"0x...\")", where, key);
    return true;
}

/* An integer that fits in int64_t (goroutine ids, lines, sizes). */
static bool int_field(checker *c, const json_t *o, const char *where, const char *key, bool optional)
{
    if (!field(c, o, where, key, W_NUM, optional))
        return false;
    const json_t *v = rec_get(o, key);
    if (v && (!json_is_integer(v) || json_integer_value(v) < 0))
        return bad(c, "%s: \"%s\" is no non-negative integer", where, key);
    return true;
}

static bool check_stack(checker *c, const json_t *o, const char *where, const char *key, bool optional)
{
    if (!field(c, o, where, key, W_ARR, optional))
        return false;
    char w[128];
    for (size_t i = 0; i < rec_len(o, key); i++) {
        const json_t *fr = rec_at(o, key, i);
        snprintf(w, sizeof w, "%s: frame %zu of \"%s\"", where, i, key);
        if (!json_is_object(fr))
            return bad(c, "%s is %s, want an object", w, type_name(fr));
        if (!field(c, fr, w, "function", W_STR, false) || !field(c, fr, w, "file", W_STR, false) ||
            !int_field(c, fr, w, "line", false) || !field(c, fr, w, "inlined", W_BOOL, false) ||
            !hex_field(c, fr, w, "pc", true) || !hex_field(c, fr, w, "offset", true) ||
            !field(c, fr, w, "nosrc", W_BOOL, true))
            return false;
    }
    return true;
}

static bool check_degraded(checker *c, const json_t *r)
{
    if (!field(c, r, "the record", "degraded", W_ARR, true))
        return false;
    for (size_t i = 0; i < rec_len(r, "degraded"); i++)
        if (!json_is_string(rec_at(r, "degraded", i)))
            return bad(c, "\"degraded\" holds %s, want strings", type_name(rec_at(r, "degraded", i)));
    return true;
}

static bool check_op(checker *c, const json_t *o, const char *where, const char *key)
{
    const char *op = rec_str(o, key);
    if (strcmp(op, "read") != 0 && strcmp(op, "write") != 0)
        return bad(c, "%s: \"%s\" is \"%s\", want \"read\" or \"write\"", where, key, op);
    return true;
}

static bool check_race(checker *c, const json_t *r)
{
    if (!hex_field(c, r, "race", "addr", false) || !int_field(c, r, "race", "size", false) ||
        !field(c, r, "race", "accesses", W_ARR, false) || !field(c, r, "race", "goroutines", W_ARR, false))
        return false;
    size_t na = rec_len(r, "accesses"), ng = rec_len(r, "goroutines");
    if (na != 2)
        return bad(c, "race: \"accesses\" has %zu items, want 2", na);
    for (size_t i = 0; i < 2; i++) {
        const json_t *x = rec_at(r, "accesses", i);
        const char *w = i ? "race: previous access" : "race: current access";
        if (!json_is_object(x))
            return bad(c, "%s is %s, want an object", w, type_name(x));
        if (!int_field(c, x, w, "goroutine", false) || !field(c, x, w, "op", W_STR, false) ||
            !field(c, x, w, "atomic", W_BOOL, false) || !check_stack(c, x, w, "stack", false) ||
            !check_op(c, x, w, "op"))
            return false;
    }
    if (ng < 1 || ng > 2)
        return bad(c, "race: \"goroutines\" has %zu items, want 1 or 2", ng);
    for (size_t i = 0; i < ng; i++) {
        const json_t *x = rec_at(r, "goroutines", i);
        if (!json_is_object(x))
            return bad(c, "race: goroutine %zu is %s, want an object", i, type_name(x));
        if (!int_field(c, x, "race: goroutine", "id", false) || !field(c, x, "race: goroutine", "state", W_STR, false) ||
            !check_stack(c, x, "race: goroutine", "created", false))
            return false;
    }
    return check_degraded(c, r);
}

static bool check_copy(checker *c, const json_t *r)
{
    return field(c, r, "copy", "type", W_STR, false) && hex_field(c, r, "copy", "addr", false) &&
           hex_field(c, r, "copy", "original", false) && int_field(c, r, "copy", "goroutine", false) &&
           check_stack(c, r, "copy", "stack", true) && check_stack(c, r, "copy", "first_stack", true) &&
           check_degraded(c, r);
}

static bool check_lock(checker *c, const json_t *step, const char *where, const char *key)
{
    if (!field(c, step, where, key, W_OBJ, false))
        return false;
    const json_t *l = rec_get(step, key);
    char w[96];
    snprintf(w, sizeof w, "%s: \"%s\"", where, key);
    return hex_field(c, l, w, "addr", false) && field(c, l, w, "type", W_STR, false) &&
           field(c, l, w, "mode", W_STR, false) && check_stack(c, l, w, "stack", false) &&
           field(c, l, w, "class_site", W_STR, true) && int_field(c, l, w, "class_offset", true) &&
           check_op(c, l, w, "mode");
}

static bool check_cycle(checker *c, const json_t *r, const char *kind)
{
    bool wait = strcmp(kind, "wait-cycle") == 0, rec = strcmp(kind, "recursive-read") == 0;
    if (!field(c, r, kind, "classes", W_BOOL, false) || !field(c, r, kind, "steps", W_ARR, false))
        return false;
    size_t n = rec_len(r, "steps");
    if (rec ? n != 2 : n < 1)
        return bad(c, "%s: \"steps\" has %zu items", kind, n);
    for (size_t i = 0; i < n; i++) {
        const json_t *s = rec_at(r, "steps", i);
        char w[64];
        snprintf(w, sizeof w, "%s: step %zu", kind, i);
        if (!json_is_object(s))
            return bad(c, "%s is %s, want an object", w, type_name(s));
        if (!int_field(c, s, w, "goroutine", false))
            return false;
        if (wait && (!field(c, s, w, "waitreason", W_STR, false) || !field(c, s, w, "pending", W_BOOL, false)))
            return false;
        bool holds = !(wait && rec_bool(s, "pending")) && !(rec && i == 1);
        if ((holds && !check_lock(c, s, w, "holds")) || !check_lock(c, s, w, "wants"))
            return false;
    }
    return check_degraded(c, r);
}

static bool check_partial(checker *c, const json_t *r)
{
    const char *w = "partial-deadlock";
    if (!int_field(c, r, w, "goroutine", false) || !field(c, r, w, "waitreason", W_STR, false) ||
        !field(c, r, w, "objects", W_ARR, false) || !check_stack(c, r, w, "stack", false) ||
        !check_stack(c, r, w, "created", false) || !int_field(c, r, w, "created_by", false) ||
        !int_field(c, r, w, "victim", true) || !int_field(c, r, w, "victims", true))
        return false;
    for (size_t i = 0; i < rec_len(r, "objects"); i++) {
        const char *s = json_string_value(rec_at(r, "objects", i));
        if (!s || !is_hex(s))
            return bad(c, "%s: \"objects\" holds something other than hex addresses", w);
    }
    return check_degraded(c, r);
}

static bool check_leak(checker *c, const json_t *r)
{
    const char *w = "leak";
    if (!int_field(c, r, w, "goroutine", false) || !field(c, r, w, "state", W_STR, false) ||
        !field(c, r, w, "waitreason", W_STR, false) || !field(c, r, w, "when", W_STR, false) ||
        !check_stack(c, r, w, "stack", false) || !check_stack(c, r, w, "created", false) ||
        !int_field(c, r, w, "created_by", false))
        return false;
    const char *st = rec_str(r, "state");
    if (strcmp(st, "blocked") != 0 && strcmp(st, "runnable") != 0)
        return bad(c, "leak: \"state\" is \"%s\", want \"blocked\" or \"runnable\"", st);
    return check_degraded(c, r);
}

/* "deadlock", "runtime-error", "timeout": the program's death. */
static bool check_fatal(checker *c, const json_t *r, const char *kind)
{
    if (!field(c, r, kind, "message", W_STR, false) || !field(c, r, kind, "goroutines", W_ARR, false))
        return false;
    for (size_t i = 0; i < rec_len(r, "goroutines"); i++) {
        const json_t *x = rec_at(r, "goroutines", i);
        char w[64];
        snprintf(w, sizeof w, "%s: goroutine %zu", kind, i);
        if (!json_is_object(x))
            return bad(c, "%s is %s, want an object", w, type_name(x));
        if (!int_field(c, x, w, "id", false) || !field(c, x, w, "state", W_STR, false) ||
            !check_stack(c, x, w, "stack", false) || !check_stack(c, x, w, "created", false) ||
            !int_field(c, x, w, "created_by", false))
            return false;
    }
    return check_degraded(c, r);
}

bool record_shape_ok(const json_t *r, char *err, size_t errsize)
{
    checker c = { err, errsize };
    if (!json_is_object(r))
        return bad(&c, "a record must be a JSON object, this is %s", type_name(r));
    if (!field(&c, r, "the record", "kind", W_STR, false))
        return false;
    const char *k = rec_str(r, "kind");
    if (strcmp(k, "race") == 0)
        return check_race(&c, r);
    if (strcmp(k, "copy") == 0)
        return check_copy(&c, r);
    if (strcmp(k, "wait-cycle") == 0 || strcmp(k, "lock-order") == 0 || strcmp(k, "recursive-read") == 0)
        return check_cycle(&c, r, k);
    if (strcmp(k, "partial-deadlock") == 0)
        return check_partial(&c, r);
    if (strcmp(k, "leak") == 0)
        return check_leak(&c, r);
    if (strcmp(k, "deadlock") == 0 || strcmp(k, "runtime-error") == 0 || strcmp(k, "timeout") == 0)
        return check_fatal(&c, r, k);
    return bad(&c, "unknown record kind \"%s\"", k);
}
