/* render_dot.c - a deadlock cycle's record as a Graphviz digraph: the one
   drawing, used by the checker (format=dot, and the .dot file beside a log)
   and by corace report --format dot. */
#include "render_dot.h"
#include "record.h"
#include "render_text.h"

#include <inttypes.h>
#include <string.h>

static void dot_lock_node(FILE *f, const json_t *l)
{
    fprintf(f, "  \"l%" PRIxPTR "\" [shape=box, label=\"%s\\n0x%012" PRIxPTR "\"];\n", rec_hex(l, "addr"),
            rec_str(l, "type"), rec_hex(l, "addr"));
}

/* A DOT string's contents: quotes and backslashes escaped. */
static void dot_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
}

static void dot_edge_label(FILE *f, const char *pfx, const char *what, const json_t *l)
{
    char at[512];
    rt_site_line(rec_get(l, "stack"), pfx, at, sizeof at);
    fprintf(f, "[label=\"%s (%s)\\n", what, rt_mode_name(l));
    dot_escaped(f, at);
    fputc('"', f);
}

static void dot_classes(FILE *f, const char *pfx, const json_t *st, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const json_t *h = rec_get(json_array_get(st, i), "holds");
        int64_t g = rec_int(json_array_get(st, i), "goroutine");
        fprintf(f, "  \"c%zu\" [shape=box, label=\"%s class\\nallocated at ", i, rec_str(h, "type"));
        dot_escaped(f, rec_has(h, "class_site") ? rec_str(h, "class_site") : "?");
        fprintf(f, "\\noffset %" PRId64 "\"];\n", rec_int(h, "class_offset"));
        fprintf(f, "  \"g%" PRId64 "_%zu\" [shape=ellipse, label=\"goroutine %" PRId64 "\"];\n", g, i, g);
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *h = rec_get(json_array_get(st, i), "holds"), *w = rec_get(json_array_get(st, i), "wants");
        int64_t g = rec_int(json_array_get(st, i), "goroutine");
        fprintf(f, "  \"c%zu\" -> \"g%" PRId64 "_%zu\" ", i, g, i);
        dot_edge_label(f, pfx, "taken by", h);
        fputs("];\n", f);
        fprintf(f, "  \"g%" PRId64 "_%zu\" -> \"c%zu\" ", g, i, (i + 1) % n);
        dot_edge_label(f, pfx, "then asks for", w);
        fputs(", color=red];\n", f);
    }
}

void rd_render(FILE *f, const char *pfx, const json_t *r)
{
    const char *k = rec_str(r, "kind");
    bool wait = !strcmp(k, "wait-cycle"), rec = !strcmp(k, "recursive-read"), classes = rec_bool(r, "classes");
    size_t n;
    const json_t *st = rec_items(r, "steps", &n);
    fprintf(f, "digraph \"%s\" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
            wait ? "wait-for cycle" : classes ? "lock-order inversion between lock classes" : "lock-order inversion");
    if (classes) {
        dot_classes(f, pfx, st, n);
        fputs("}\n", f);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int64_t g = rec_int(json_array_get(st, i), "goroutine");
        fprintf(f, "  \"g%" PRId64 "_%zu\" [shape=ellipse, label=\"goroutine %" PRId64 "\"];\n", g, wait ? 0 : i, g);
        dot_lock_node(f, rec_get(json_array_get(st, i), "wants"));
    }
    if (rec)
        dot_lock_node(f, rec_get(json_array_get(st, 0), "holds"));
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(st, i), *h = rec_get(s, "holds"), *w = rec_get(s, "wants");
        int64_t g = rec_int(s, "goroutine");
        size_t id = wait ? 0 : i;
        if (rec && i == 1) {
            fprintf(f, "  \"g%" PRId64 "_%zu\" -> \"l%" PRIxPTR "\" ", g, id, rec_hex(w, "addr"));
            dot_edge_label(f, pfx, "asks for", w);
            fputs(", color=red];\n", f);
            continue;
        }
        bool pending = rec_bool(s, "pending");
        if (!pending) {
            fprintf(f, "  \"l%" PRIxPTR "\" -> \"g%" PRId64 "_%zu\" ", rec_hex(h, "addr"), g, id);
            dot_edge_label(f, pfx, wait ? "held by" : "taken by", h);
            fputs("];\n", f);
        }
        fprintf(f, "  \"g%" PRId64 "_%zu\" -> \"l%" PRIxPTR "\" ", g, id, rec_hex(w, "addr"));
        dot_edge_label(f, pfx, wait ? (pending ? "queued first for" : "waits for") : "then asks for", w);
        fputs(", color=red];\n", f);
    }
    fputs("}\n", f);
}
