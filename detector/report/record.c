/*
 * record.c - findings as JSON records (record.h).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

/* The length of the valid UTF-8 sequence at p (RFC 3629: no overlong
   forms, no surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *p)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (n == 0 || c > 0xf4)
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) ||
        (c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] > 0x8f))
        return 0;
    return n;
}

json_t *rec_new_str(const char *s)
{
    json_t *v = json_string(s);
    if (v)
        return v;
    size_t n = strlen(s);
    char *fixed = malloc(3 * n + 1);     /* each byte at worst U+FFFD */
    if (!fixed)
        return NULL;
    char *o = fixed;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t k = utf8_len(p);
        if (k) {
            memcpy(o, p, k);
            o += k;
            p += k;
        } else {
            memcpy(o, "\xef\xbf\xbd", 3);
            o += 3;
            p++;
        }
    }
    *o = '\0';
    v = json_string(fixed);
    free(fixed);
    return v;
}

json_t *rec_new_hex(uintptr_t v, int padded)
{
    char buf[2 + 2 * sizeof v + 1];
    snprintf(buf, sizeof buf, padded ? "0x%012" PRIxPTR : "0x%" PRIxPTR, v);
    return json_string(buf);
}

void rec_set(json_t *rec, const char *key, json_t *v)
{
    if (v)
        json_object_set_new(rec, key, v);
}

void rec_write(FILE *f, json_t *rec)
{
    if (!rec)
        return;
    json_dumpf(rec, f, JSON_COMPACT);
    fputc('\n', f);
    json_decref(rec);
}
