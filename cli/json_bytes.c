/* json_bytes.c - raw bytes across jansson as private-use stand-ins. */
#include "json_bytes.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The stand-in of byte B is U+10FF00+B: F4 8F BE|BF xx in UTF-8. */
#define STANDIN_FIRST 0x10ff80u
#define JB_LOAD_FLAGS (JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)
#define JB_DUMP_FLAGS (JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15))

/* The length of the well-formed UTF-8 sequence at s[0..n) (RFC 3629: no
   overlong forms, no surrogates, nothing past U+10FFFF), with its code
   point in *cp; 0 when there is none. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
    uint32_t min = len == 4 ? 0x10000 : len == 3 ? 0x800 : 0x80;
    if (s[0] < 0xc2 || s[0] > 0xf4 || n < len)
        return 0;
    uint32_t c = s[0] & (0x7f >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c < 0xe000))
        return 0;
    *cp = c;
    return len;
}

/* s[0..n) with every byte that is no UTF-8 (or part of a stand-in code
   point) replaced by its stand-in; malloc'd and NUL-terminated. */
static char *encode(const char *s, size_t n, size_t *outlen)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char *out = malloc(n * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = p[i] < 0x80 ? 1 : utf8_seq(p + i, n - i, &cp);
        if (len == 1 || (len > 1 && cp < STANDIN_FIRST)) {
            memcpy(o, p + i, len);
            o += len;
            i += len;
            continue;
        }
        *o++ = 0xf4;
        *o++ = 0x8f;
        *o++ = p[i] < 0xc0 ? 0xbe : 0xbf;
        *o++ = (unsigned char)(0x80 | (p[i] & 0x3f));
        i++;
    }
    *o = '\0';
    *outlen = (size_t)(o - out);
    return (char *)out;
}

/* The stand-ins in s[0..n) back to their bytes, in place; the new length. */
static size_t decode(char *s, size_t n)
{
    unsigned char *p = (unsigned char *)s, *o = p;
    for (size_t i = 0; i < n;) {
        if (i + 3 < n && p[i] == 0xf4 && p[i + 1] == 0x8f && (p[i + 2] == 0xbe || p[i + 2] == 0xbf) &&
            (p[i + 3] & 0xc0) == 0x80) {
            *o++ = (unsigned char)((p[i + 2] == 0xbe ? 0x80 : 0xc0) | (p[i + 3] & 0x3f));
            i += 4;
        } else {
            *o++ = p[i++];
        }
    }
    if (o < p + n)
        *o = '\0';
    return (size_t)(o - p);
}

/* Every string under v: to raw bytes (raw) or to stand-ins (!raw). */
static bool convert(json_t *v, bool raw)
{
    if (json_is_string(v)) {
        size_t n = json_string_length(v);
        char *s;
        if (raw) {
            s = malloc(n + 1);
            if (!s)
                return false;
            memcpy(s, json_string_value(v), n + 1);
            n = decode(s, n);
        } else if (!(s = encode(json_string_value(v), n, &n))) {
            return false;
        }
        int rc = json_string_setn_nocheck(v, s, n);
        free(s);
        return rc == 0;
    }
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++)
            if (!convert(json_array_get(v, i), raw))
                return false;
        return true;
    }
    const char *key;
    json_t *item;
    json_object_foreach(v, key, item) {
        if (!convert(item, raw))
            return false;
    }
    return true;
}

json_t *jb_load(const char *text, size_t len, json_error_t *e)
{
    size_t n;
    char *enc = encode(text, len, &n);
    if (!enc) {
        memset(e, 0, sizeof *e);
        snprintf(e->text, sizeof e->text, "out of memory");
        return NULL;
    }
    json_t *v = json_loadb(enc, n, JB_LOAD_FLAGS, e);
    free(enc);
    if (!v) {
        decode(e->text, strlen(e->text));
        return NULL;
    }
    if (!convert(v, true)) {
        json_decref(v);
        memset(e, 0, sizeof *e);
        snprintf(e->text, sizeof e->text, "out of memory");
        return NULL;
    }
    return v;
}

char *jb_dumps(const json_t *v)
{
    json_t *copy = json_deep_copy(v);
    char *text = copy && convert(copy, false) ? json_dumps(copy, JB_DUMP_FLAGS) : NULL;
    json_decref(copy);
    if (text)
        decode(text, strlen(text));
    return text;
}

int jb_dumpf(const json_t *v, FILE *f)
{
    char *text = jb_dumps(v);
    if (!text)
        return -1;
    int rc = fputs(text, f) < 0 ? -1 : 0;
    free(text);
    return rc;
}

json_t *jb_string(const char *s) { return json_stringn_nocheck(s, strlen(s)); }
