/* records.c - the loader of the checker's records: a line, a record. */
#include "records.h"
#include "json_bytes.h"
#include "record_shape.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The line [b, e) is "==================" (a CR allowed at its end). */
static bool is_sep(const char *b, const char *e)
{
    if (e > b && e[-1] == '\r')
        e--;
    return e - b == 18 && strncmp(b, "==================", 18) == 0;
}

/* The end of the line that starts at p (its '\n', or end). */
static char *line_end(char *p, char *end)
{
    char *nl = memchr(p, '\n', (size_t)(end - p));
    return nl ? nl : end;
}

/* A report the checker writes as text even with format=json (a goroutine
   leak): *p is at its opening line; moves *p past its closing line, false
   when there is none. */
static bool skip_text_report(char **p, char *end, size_t *line)
{
    char *eol = line_end(*p, end);
    *p = eol < end ? eol + 1 : end;
    while (*p < end) {
        eol = line_end(*p, end);
        ++*line;
        bool closed = is_sep(*p, eol);
        *p = eol < end ? eol + 1 : end;
        if (closed)
            return true;
    }
    return false;
}

/* One line's record, shape-checked; NULL with the reason in err. */
static json_t *parse_record(const char *b, const char *e, char *err, size_t errsize)
{
    json_error_t je;
    json_t *v = jb_load(b, (size_t)(e - b), &je);
    if (!v) {
        snprintf(err, errsize, "%s at column %d", je.text, je.column);
        return NULL;
    }
    if (!record_shape_ok(v, err, errsize)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static void push(record_set *out, size_t *cap, json_t *v, size_t line)
{
    if (out->n == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        out->recs = xrealloc(out->recs, *cap * sizeof *out->recs);
        out->lines = xrealloc(out->lines, *cap * sizeof *out->lines);
    }
    out->recs[out->n] = v;
    out->lines[out->n++] = line;
}

/* Every record of text[0..len); false after saying what is wrong. */
static bool load_lines(const char *path, char *text, size_t len, record_set *out)
{
    size_t cap = 0, line = 0;
    char err[256];
    for (char *p = text, *end = text + len; p < end;) {
        char *eol = line_end(p, end);
        line++;
        if (is_sep(p, eol)) {
            size_t first = line;
            if (!skip_text_report(&p, end, &line)) {
                cli_error("report: %s:%zu: a text report ('==================') that is never closed", path, first);
                return false;
            }
            continue;
        }
        /* Blank lines (spaces, tabs, a CR) hold no record. */
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t' || *q == '\r'))
            q++;
        if (q < eol) {
            json_t *v = parse_record(p, eol, err, sizeof err);
            if (!v) {
                cli_error("report: %s:%zu: %s", path, line, err);
                return false;
            }
            push(out, &cap, v, line);
        }
        p = eol < end ? eol + 1 : end;
    }
    return true;
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
    bool ok = load_lines(path, text, len, out);
    free(text);
    if (!ok) {
        records_free(out);
        return false;
    }
    if (out->n == 0) {
        cli_error("report: %s: no records (write them with 'corace run --format json -o FILE')", path);
        return false;
    }
    return true;
}

void records_free(record_set *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        json_decref(rs->recs[i]);
    free(rs->recs);
    free(rs->lines);
    memset(rs, 0, sizeof *rs);
}

void records_take(record_set *to, record_set *from)
{
    to->recs = xrealloc(to->recs, (to->n + from->n + 1) * sizeof *to->recs);
    to->lines = xrealloc(to->lines, (to->n + from->n + 1) * sizeof *to->lines);
    memcpy(to->recs + to->n, from->recs, from->n * sizeof *from->recs);
    memcpy(to->lines + to->n, from->lines, from->n * sizeof *from->lines);
    to->n += from->n;
    free(from->recs);
    free(from->lines);
    memset(from, 0, sizeof *from);
}
