/* records.c - a small JSON parser and the loader of the checker's records. */
#include "records.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- the parser ---- */

#define JV_MAX_DEPTH 64

typedef struct parser {
    const char *p, *start, *end;
    char *err;
    size_t errsize;
    bool failed;
} parser;

static bool fail(parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(parser *ps, const char *fmt, ...)
{
    if (ps->failed)
        return false;
    ps->failed = true;
    char msg[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(ps->err, ps->errsize, "%s at column %zu", msg, (size_t)(ps->p - ps->start) + 1);
    return false;
}

static void skip_ws(parser *ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
        ps->p++;
}

static bool literal(parser *ps, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail(ps, "invalid literal");
    ps->p += n;
    return true;
}

/* A growable byte buffer for strings. */
typedef struct buf {
    char *s;
    size_t n, cap;
} buf;

static void buf_put(buf *b, char c)
{
    if (b->n + 1 >= b->cap) {
        b->cap = b->cap ? b->cap * 2 : 32;
        b->s = xrealloc(b->s, b->cap);
    }
    b->s[b->n++] = c;
    b->s[b->n] = '\0';
}

static void buf_utf8(buf *b, uint32_t cp)
{
    if (cp < 0x80) {
        buf_put(b, (char)cp);
    } else if (cp < 0x800) {
        buf_put(b, (char)(0xc0 | (cp >> 6)));
        buf_put(b, (char)(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
        buf_put(b, (char)(0xe0 | (cp >> 12)));
        buf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        buf_put(b, (char)(0x80 | (cp & 0x3f)));
    } else {
        buf_put(b, (char)(0xf0 | (cp >> 18)));
        buf_put(b, (char)(0x80 | ((cp >> 12) & 0x3f)));
        buf_put(b, (char)(0x80 | ((cp >> 6) & 0x3f)));
        buf_put(b, (char)(0x80 | (cp & 0x3f)));
    }
}

static bool hex4(parser *ps, uint32_t *out)
{
    if (ps->end - ps->p < 4)
        return fail(ps, "truncated \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        char c = *ps->p++;
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (uint32_t)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (uint32_t)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (uint32_t)(c - 'A' + 10);
        else return fail(ps, "bad \\u escape");
    }
    *out = v;
    return true;
}

/* After the opening quote.  Bytes >= 0x80 pass through (the checker writes
   file names byte for byte). */
static bool parse_string(parser *ps, char **out, size_t *len)
{
    buf b = { 0 };
    buf_put(&b, 'x');   /* allocate; reset below */
    b.n = 0;
    b.s[0] = '\0';
    for (;;) {
        if (ps->p >= ps->end) {
            free(b.s);
            return fail(ps, "unterminated string");
        }
        unsigned char c = (unsigned char)*ps->p++;
        if (c == '"')
            break;
        if (c < 0x20) {
            ps->p--;
            free(b.s);
            return fail(ps, "control character in string");
        }
        if (c != '\\') {
            buf_put(&b, (char)c);
            continue;
        }
        if (ps->p >= ps->end) {
            free(b.s);
            return fail(ps, "unterminated string");
        }
        char e = *ps->p++;
        uint32_t cp;
        switch (e) {
        case '"': buf_put(&b, '"'); break;
        case '\\': buf_put(&b, '\\'); break;
        case '/': buf_put(&b, '/'); break;
        case 'b': buf_put(&b, '\b'); break;
        case 'f': buf_put(&b, '\f'); break;
        case 'n': buf_put(&b, '\n'); break;
        case 'r': buf_put(&b, '\r'); break;
        case 't': buf_put(&b, '\t'); break;
        case 'u':
            if (!hex4(ps, &cp)) {
                free(b.s);
                return false;
            }
            if (cp >= 0xd800 && cp < 0xdc00 && ps->end - ps->p >= 6 && ps->p[0] == '\\' && ps->p[1] == 'u') {
                const char *save = ps->p;
                uint32_t lo;
                ps->p += 2;
                if (!hex4(ps, &lo)) {
                    free(b.s);
                    return false;
                }
                if (lo >= 0xdc00 && lo < 0xe000)
                    cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                else
                    ps->p = save;
            }
            buf_utf8(&b, cp);
            break;
        default:
            ps->p--;
            free(b.s);
            return fail(ps, "bad escape '\\%c'", e);
        }
    }
    *out = b.s;
    *len = b.n;
    return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static bool parse_number(parser *ps, jv *v)
{
    const char *s = ps->p;
    if (ps->p < ps->end && *ps->p == '-')
        ps->p++;
    if (ps->p >= ps->end || !is_digit(*ps->p))
        return fail(ps, "bad number");
    if (*ps->p == '0')
        ps->p++;
    else
        while (ps->p < ps->end && is_digit(*ps->p))
            ps->p++;
    if (ps->p < ps->end && *ps->p == '.') {
        ps->p++;
        if (ps->p >= ps->end || !is_digit(*ps->p))
            return fail(ps, "bad number");
        while (ps->p < ps->end && is_digit(*ps->p))
            ps->p++;
    }
    if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
        ps->p++;
        if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
            ps->p++;
        if (ps->p >= ps->end || !is_digit(*ps->p))
            return fail(ps, "bad number");
        while (ps->p < ps->end && is_digit(*ps->p))
            ps->p++;
    }
    v->t = JV_NUM;
    v->len = (size_t)(ps->p - s);
    v->s = xmalloc(v->len + 1);
    memcpy(v->s, s, v->len);
    v->s[v->len] = '\0';
    return true;
}

static void jv_clear(jv *v);

static bool parse_value(parser *ps, jv *v, int depth)
{
    memset(v, 0, sizeof *v);
    skip_ws(ps);
    if (ps->p >= ps->end)
        return fail(ps, "unexpected end of line");
    if (depth > JV_MAX_DEPTH)
        return fail(ps, "nested too deeply");
    char c = *ps->p;
    if (c == '{' || c == '[') {
        bool obj = c == '{';
        char close = obj ? '}' : ']';
        v->t = obj ? JV_OBJ : JV_ARR;
        ps->p++;
        skip_ws(ps);
        if (ps->p < ps->end && *ps->p == close) {
            ps->p++;
            return true;
        }
        size_t cap = 0;
        for (;;) {
            if (v->n == cap) {
                cap = cap ? cap * 2 : 4;
                v->items = xrealloc(v->items, cap * sizeof *v->items);
                if (obj)
                    v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
            }
            if (obj) {
                skip_ws(ps);
                if (ps->p >= ps->end || *ps->p != '"')
                    return fail(ps, "expected a string key");
                ps->p++;
                size_t klen;
                if (!parse_string(ps, &v->keys[v->n], &klen))
                    return false;
                skip_ws(ps);
                if (ps->p >= ps->end || *ps->p != ':') {
                    free(v->keys[v->n]);
                    return fail(ps, "expected ':'");
                }
                ps->p++;
            }
            bool ok = parse_value(ps, &v->items[v->n], depth + 1);
            v->n++;   /* freed by jv_clear either way */
            if (!ok)
                return false;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == ',') {
                ps->p++;
                continue;
            }
            if (ps->p < ps->end && *ps->p == close) {
                ps->p++;
                return true;
            }
            return fail(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
        }
    }
    if (c == '"') {
        ps->p++;
        v->t = JV_STR;
        return parse_string(ps, &v->s, &v->len);
    }
    if (c == 't') {
        v->t = JV_BOOL;
        v->b = true;
        return literal(ps, "true");
    }
    if (c == 'f') {
        v->t = JV_BOOL;
        return literal(ps, "false");
    }
    if (c == 'n') {
        v->t = JV_NULL;
        return literal(ps, "null");
    }
    if (c == '-' || is_digit(c))
        return parse_number(ps, v);
    return fail(ps, "unexpected character '%c'", c >= 0x20 && c < 0x7f ? c : '?');
}

static void jv_clear(jv *v)
{
    if (v->t == JV_ARR || v->t == JV_OBJ) {
        for (size_t i = 0; i < v->n; i++) {
            jv_clear(&v->items[i]);
            if (v->keys)
                free(v->keys[i]);
        }
        free(v->items);
        free(v->keys);
    }
    free(v->s);
    memset(v, 0, sizeof *v);
}

jv *jv_parse(const char *text, size_t len, char *err, size_t errsize)
{
    parser ps = { text, text, text + len, err, errsize, false };
    jv *v = xmalloc(sizeof *v);
    bool ok = parse_value(&ps, v, 0);
    if (ok) {
        skip_ws(&ps);
        if (ps.p != ps.end)
            ok = fail(&ps, "trailing characters after the value");
    }
    if (!ok) {
        jv_clear(v);
        free(v);
        return NULL;
    }
    return v;
}

void jv_free(jv *v)
{
    if (!v)
        return;
    jv_clear(v);
    free(v);
}

/* ---- access ---- */

const jv *jv_get(const jv *o, const char *key)
{
    if (!o || o->t != JV_OBJ)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->keys[i], key) == 0)
            return &o->items[i];
    return NULL;
}

const char *jv_str(const jv *o, const char *key)
{
    const jv *v = jv_get(o, key);
    return v && v->t == JV_STR ? v->s : "";
}

int64_t jv_int(const jv *o, const char *key)
{
    const jv *v = jv_get(o, key);
    return v && v->t == JV_NUM ? (int64_t)strtoll(v->s, NULL, 10) : 0;
}

bool jv_bool(const jv *o, const char *key)
{
    const jv *v = jv_get(o, key);
    return v && v->t == JV_BOOL && v->b;
}

uintptr_t jv_hex(const jv *o, const char *key)
{
    const jv *v = jv_get(o, key);
    return v && v->t == JV_STR ? (uintptr_t)strtoull(v->s, NULL, 16) : 0;
}

/* ---- writing ---- */

void jv_write_str(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            if (c < 0x20 || c == 0x7f)
                fprintf(f, "\\u%04x", c);
            else
                fputc(c, f);
        }
    }
    fputc('"', f);
}

void jv_write(FILE *f, const jv *v)
{
    switch (v->t) {
    case JV_NULL: fputs("null", f); break;
    case JV_BOOL: fputs(v->b ? "true" : "false", f); break;
    case JV_NUM: fputs(v->s, f); break;
    case JV_STR: jv_write_str(f, v->s, v->len); break;
    case JV_ARR:
    case JV_OBJ:
        fputc(v->t == JV_OBJ ? '{' : '[', f);
        for (size_t i = 0; i < v->n; i++) {
            if (i)
                fputc(',', f);
            if (v->t == JV_OBJ) {
                jv_write_str(f, v->keys[i], strlen(v->keys[i]));
                fputc(':', f);
            }
            jv_write(f, &v->items[i]);
        }
        fputc(v->t == JV_OBJ ? '}' : ']', f);
        break;
    }
}

/* ---- the shapes of the records ---- */

typedef struct checker {
    char *err;
    size_t errsize;
} checker;

static bool bad(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool bad(checker *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, c->errsize, fmt, ap);
    va_end(ap);
    return false;
}

static const char *type_name(jv_type t)
{
    static const char *const n[] = { "null", "a boolean", "a number", "a string", "an array", "an object" };
    return n[t];
}

/* Member key of o must exist with type t (optional: may be absent). */
static bool field(checker *c, const jv *o, const char *where, const char *key, jv_type t, bool optional)
{
    const jv *v = jv_get(o, key);
    if (!v) {
        if (optional)
            return true;
        return bad(c, "%s has no \"%s\"", where, key);
    }
    if (v->t != t)
        return bad(c, "%s: \"%s\" is %s, want %s", where, key, type_name(v->t), type_name(t));
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

static bool hex_field(checker *c, const jv *o, const char *where, const char *key, bool optional)
{
    if (!field(c, o, where, key, JV_STR, optional))
        return false;
    const jv *v = jv_get(o, key);
    if (v && !is_hex(v->s))
        return bad(c, "%s: \"%s\" is no hex address (\"0x...\")", where, key);
    return true;
}

/* An integer that fits in int64_t (goroutine ids, lines, sizes). */
static bool int_field(checker *c, const jv *o, const char *where, const char *key, bool optional)
{
    if (!field(c, o, where, key, JV_NUM, optional))
        return false;
    const jv *v = jv_get(o, key);
    if (!v)
        return true;
    char *end;
    errno = 0;
    long long x = strtoll(v->s, &end, 10);
    if (*end || errno || x < 0)
        return bad(c, "%s: \"%s\" is no non-negative integer", where, key);
    return true;
}

static bool check_stack(checker *c, const jv *o, const char *where, const char *key, bool optional)
{
    if (!field(c, o, where, key, JV_ARR, optional))
        return false;
    const jv *s = jv_get(o, key);
    if (!s)
        return true;
    char w[128];
    for (size_t i = 0; i < s->n; i++) {
        const jv *fr = &s->items[i];
        snprintf(w, sizeof w, "%s: frame %zu of \"%s\"", where, i, key);
        if (fr->t != JV_OBJ)
            return bad(c, "%s is %s, want an object", w, type_name(fr->t));
        if (!field(c, fr, w, "function", JV_STR, false) || !field(c, fr, w, "file", JV_STR, false) ||
            !int_field(c, fr, w, "line", false) || !field(c, fr, w, "inlined", JV_BOOL, false) ||
            !hex_field(c, fr, w, "pc", true) || !hex_field(c, fr, w, "offset", true) ||
            !field(c, fr, w, "nosrc", JV_BOOL, true))
            return false;
    }
    return true;
}

static bool check_degraded(checker *c, const jv *r)
{
    if (!field(c, r, "the record", "degraded", JV_ARR, true))
        return false;
    const jv *d = jv_get(r, "degraded");
    for (size_t i = 0; d && i < d->n; i++)
        if (d->items[i].t != JV_STR)
            return bad(c, "\"degraded\" holds %s, want strings", type_name(d->items[i].t));
    return true;
}

static bool check_race(checker *c, const jv *r)
{
    if (!hex_field(c, r, "race", "addr", false) || !int_field(c, r, "race", "size", false) ||
        !field(c, r, "race", "accesses", JV_ARR, false) || !field(c, r, "race", "goroutines", JV_ARR, false))
        return false;
    const jv *a = jv_get(r, "accesses"), *g = jv_get(r, "goroutines");
    if (a->n != 2)
        return bad(c, "race: \"accesses\" has %zu items, want 2", a->n);
    for (size_t i = 0; i < 2; i++) {
        const jv *x = &a->items[i];
        const char *w = i ? "race: previous access" : "race: current access";
        if (x->t != JV_OBJ)
            return bad(c, "%s is %s, want an object", w, type_name(x->t));
        if (!int_field(c, x, w, "goroutine", false) || !field(c, x, w, "op", JV_STR, false) ||
            !field(c, x, w, "atomic", JV_BOOL, false) || !check_stack(c, x, w, "stack", false))
            return false;
        const char *op = jv_str(x, "op");
        if (strcmp(op, "read") != 0 && strcmp(op, "write") != 0)
            return bad(c, "%s: \"op\" is \"%s\", want \"read\" or \"write\"", w, op);
    }
    if (g->n < 1 || g->n > 2)
        return bad(c, "race: \"goroutines\" has %zu items, want 1 or 2", g->n);
    for (size_t i = 0; i < g->n; i++) {
        const jv *x = &g->items[i];
        if (x->t != JV_OBJ)
            return bad(c, "race: goroutine %zu is %s, want an object", i, type_name(x->t));
        if (!int_field(c, x, "race: goroutine", "id", false) || !field(c, x, "race: goroutine", "state", JV_STR, false) ||
            !check_stack(c, x, "race: goroutine", "created", false))
            return false;
    }
    return check_degraded(c, r);
}

static bool check_copy(checker *c, const jv *r)
{
    return field(c, r, "copy", "type", JV_STR, false) && hex_field(c, r, "copy", "addr", false) &&
           hex_field(c, r, "copy", "original", false) && int_field(c, r, "copy", "goroutine", false) &&
           check_stack(c, r, "copy", "stack", true) && check_stack(c, r, "copy", "first_stack", true) &&
           check_degraded(c, r);
}

static bool check_lock(checker *c, const jv *step, const char *where, const char *key)
{
    if (!field(c, step, where, key, JV_OBJ, false))
        return false;
    const jv *l = jv_get(step, key);
    char w[96];
    snprintf(w, sizeof w, "%s: \"%s\"", where, key);
    if (!hex_field(c, l, w, "addr", false) || !field(c, l, w, "type", JV_STR, false) ||
        !field(c, l, w, "mode", JV_STR, false) || !check_stack(c, l, w, "stack", false) ||
        !field(c, l, w, "class_site", JV_STR, true) || !int_field(c, l, w, "class_offset", true))
        return false;
    const char *m = jv_str(l, "mode");
    if (strcmp(m, "read") != 0 && strcmp(m, "write") != 0)
        return bad(c, "%s: \"mode\" is \"%s\", want \"read\" or \"write\"", w, m);
    return true;
}

static bool check_cycle(checker *c, const jv *r, const char *kind)
{
    bool wait = strcmp(kind, "wait-cycle") == 0, rec = strcmp(kind, "recursive-read") == 0;
    if (!field(c, r, kind, "classes", JV_BOOL, false) || !field(c, r, kind, "steps", JV_ARR, false))
        return false;
    const jv *steps = jv_get(r, "steps");
    if (rec ? steps->n != 2 : steps->n < 1)
        return bad(c, "%s: \"steps\" has %zu items", kind, steps->n);
    for (size_t i = 0; i < steps->n; i++) {
        const jv *s = &steps->items[i];
        char w[64];
        snprintf(w, sizeof w, "%s: step %zu", kind, i);
        if (s->t != JV_OBJ)
            return bad(c, "%s is %s, want an object", w, type_name(s->t));
        if (!int_field(c, s, w, "goroutine", false))
            return false;
        if (wait && (!field(c, s, w, "waitreason", JV_STR, false) || !field(c, s, w, "pending", JV_BOOL, false)))
            return false;
        bool holds = !(wait && jv_bool(s, "pending")) && !(rec && i == 1);
        if ((holds && !check_lock(c, s, w, "holds")) || !check_lock(c, s, w, "wants"))
            return false;
    }
    return check_degraded(c, r);
}

static bool check_partial(checker *c, const jv *r)
{
    const char *w = "partial-deadlock";
    if (!int_field(c, r, w, "goroutine", false) || !field(c, r, w, "waitreason", JV_STR, false) ||
        !field(c, r, w, "objects", JV_ARR, false) || !check_stack(c, r, w, "stack", false) ||
        !check_stack(c, r, w, "created", false) || !int_field(c, r, w, "created_by", false) ||
        !int_field(c, r, w, "victim", true) || !int_field(c, r, w, "victims", true))
        return false;
    const jv *o = jv_get(r, "objects");
    for (size_t i = 0; i < o->n; i++)
        if (o->items[i].t != JV_STR || !is_hex(o->items[i].s))
            return bad(c, "%s: \"objects\" holds something other than hex addresses", w);
    return check_degraded(c, r);
}

static bool check_leak(checker *c, const jv *r)
{
    const char *w = "leak";
    if (!int_field(c, r, w, "goroutine", false) || !field(c, r, w, "state", JV_STR, false) ||
        !field(c, r, w, "waitreason", JV_STR, false) || !field(c, r, w, "when", JV_STR, false) ||
        !check_stack(c, r, w, "stack", false) || !check_stack(c, r, w, "created", false) ||
        !int_field(c, r, w, "created_by", false))
        return false;
    const char *st = jv_str(r, "state");
    if (strcmp(st, "blocked") != 0 && strcmp(st, "runnable") != 0)
        return bad(c, "leak: \"state\" is \"%s\", want \"blocked\" or \"runnable\"", st);
    return check_degraded(c, r);
}

/* "deadlock", "runtime-error", "timeout": the program's death. */
static bool check_fatal(checker *c, const jv *r, const char *kind)
{
    if (!field(c, r, kind, "message", JV_STR, false) || !field(c, r, kind, "goroutines", JV_ARR, false))
        return false;
    const jv *g = jv_get(r, "goroutines");
    for (size_t i = 0; i < g->n; i++) {
        const jv *x = &g->items[i];
        char w[64];
        snprintf(w, sizeof w, "%s: goroutine %zu", kind, i);
        if (x->t != JV_OBJ)
            return bad(c, "%s is %s, want an object", w, type_name(x->t));
        if (!int_field(c, x, w, "id", false) || !field(c, x, w, "state", JV_STR, false) ||
            !check_stack(c, x, w, "stack", false) || !check_stack(c, x, w, "created", false) ||
            !int_field(c, x, w, "created_by", false))
            return false;
    }
    return check_degraded(c, r);
}

static bool check_record(const jv *r, char *err, size_t errsize)
{
    checker c = { err, errsize };
    if (r->t != JV_OBJ)
        return bad(&c, "a record must be a JSON object, this is %s", type_name(r->t));
    if (!field(&c, r, "the record", "kind", JV_STR, false))
        return false;
    const char *k = jv_str(r, "kind");
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

/* ---- the file ---- */

/* The line [b, e) is "==================" (a CR allowed at its end). */
static bool is_sep(const char *b, const char *e)
{
    if (e > b && e[-1] == '\r')
        e--;
    return e - b == 18 && strncmp(b, "==================", 18) == 0;
}

bool records_load(const char *path, record_set *out)
{
    memset(out, 0, sizeof *out);
    size_t len;
    char *text = read_file(path, &len);
    if (!text) {
        cli_error("report: %s: %s", path, strerror(errno));
        return false;
    }
    if (memchr(text, '\0', len)) {
        cli_error("report: %s: binary data, not JSON Lines", path);
        free(text);
        return false;
    }
    size_t cap = 0, line = 0;
    char err[256];
    for (char *p = text, *end = text + len; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        line++;
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (is_sep(p, eol)) {
            /* A report the checker writes as text even with format=json (a
               goroutine leak): skipped up to its closing line. */
            size_t first = line;
            bool closed = false;
            p = nl ? nl + 1 : end;
            while (p < end && !closed) {
                char *nl2 = memchr(p, '\n', (size_t)(end - p));
                char *eol2 = nl2 ? nl2 : end;
                line++;
                closed = is_sep(p, eol2);
                p = nl2 ? nl2 + 1 : end;
            }
            if (!closed) {
                cli_error("report: %s:%zu: a text report ('==================') that is never closed", path, first);
                free(text);
                records_free(out);
                return false;
            }
            continue;
        }
        if (q < eol) {
            jv *v = jv_parse(p, (size_t)(eol - p), err, sizeof err);
            if (v && !check_record(v, err, sizeof err)) {
                jv_free(v);
                v = NULL;
            }
            if (!v) {
                cli_error("report: %s:%zu: %s", path, line, err);
                free(text);
                records_free(out);
                return false;
            }
            if (out->n == cap) {
                cap = cap ? cap * 2 : 16;
                out->recs = xrealloc(out->recs, cap * sizeof *out->recs);
                out->lines = xrealloc(out->lines, cap * sizeof *out->lines);
            }
            out->recs[out->n] = v;
            out->lines[out->n++] = line;
        }
        p = eol + (nl ? 1 : 0);
    }
    free(text);
    if (out->n == 0) {
        cli_error("report: %s: no records (write them with 'corace run --format json -o FILE')", path);
        return false;
    }
    return true;
}

void records_free(record_set *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        jv_free(rs->recs[i]);
    free(rs->recs);
    free(rs->lines);
    memset(rs, 0, sizeof *rs);
}
