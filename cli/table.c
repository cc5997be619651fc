/* table.c - print aligned columns (UTF-8 aware enough for summaries) and footnotes. */
#include "table.h"

#include "kinds.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define BUG_WIDTH 52 /* the table's bug column; `samples list` shows it all */

/* Characters, not bytes: UTF-8 continuation bytes do not count. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xC0) != 0x80;
    return w;
}

/* s cut to at most max characters, ending in "..." when cut. */
static char *clip(const char *s, size_t max)
{
    if (width(s) <= max)
        return xstrdup(s);
    size_t w = 0;
    const char *p = s;
    for (; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80) {
            if (w == max - 3)
                break;
            w++;
        }
    }
    size_t bytes = (size_t)(p - s);
    while (bytes > 0 && s[bytes - 1] == ' ')
        bytes--;
    return xasprintf("%.*s...", (int)bytes, s);
}

static void cell(FILE *f, const char *s, size_t w, bool last)
{
    fputs(s, f);
    if (last)
        return;
    for (size_t k = width(s); k < w + 2; k++)
        fputc(' ', f);
}

#define NCOL 5
#define FOOTNOTE_WIDTH 88

/* text + ".", broken at spaces into lines of at most w characters, the
   continuation lines indented by two spaces. */
static void print_wrapped(FILE *f, const char *text, size_t w)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        size_t word = strcspn(p, " ");
        if (col > 0 && col + 1 + word > w) {
            fputs("\n  ", f);
            col = 2;
        } else if (col > 0) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, word, f);
        col += word;
        p += word;
        p += strspn(p, " ");
    }
    fputs(".\n", f);
}

void table_print(FILE *f, const struct row *rows, size_t n, double seconds)
{
    static const char *const head[NCOL] = {"SAMPLE", "BUG", "EXPECTED", "FOUND", "VERDICT"};
    char ***cells = xmalloc(n * sizeof *cells);
    size_t w[NCOL];
    for (int c = 0; c < NCOL; c++)
        w[c] = width(head[c]);
    size_t count[3] = {0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        char **cl = cells[i] = xmalloc(NCOL * sizeof *cl);
        cl[0] = xstrdup(r->sample->name);
        cl[1] = clip(r->sample->summary, BUG_WIDTH);
        cl[2] = xstrdup(r->sample->expect_csv);
        cl[3] = xstrdup(r->found);
        cl[4] = xstrdup(verdict_name(r->verdict));
        for (int c = 0; c < NCOL; c++)
            if (width(cl[c]) > w[c])
                w[c] = width(cl[c]);
        count[r->verdict]++;
    }
    for (int c = 0; c < NCOL; c++)
        cell(f, head[c], w[c], c == NCOL - 1);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        for (int c = 0; c < NCOL; c++) {
            cell(f, cells[i][c], w[c], c == NCOL - 1);
            free(cells[i][c]);
        }
        fputc('\n', f);
        free(cells[i]);
    }
    free(cells);

    fprintf(f, "\n%zu samples: %zu ok, %zu needs checker, %zu MISMATCH (CO_SEED=1, %.1f s in all).\n", n,
            count[VERDICT_OK], count[VERDICT_NEEDS_CHECKER], count[VERDICT_MISMATCH], seconds);
    fputs("found: what this run showed: race, leak, copy, lock-order, wait-cycle and partial (the\n"
          "  checker's WARNING lines), deadlock, panic (a Go-worded panic or fatal error), clean (exit 0), timeout,\n"
          "  exit N, signal, compile error.  Samples are built for checking when this build has\n"
          "  the checker runtime.\n"
          "needs checker: in a build without the checker runtime (sanitizer builds) the checker's\n"
          "  kinds cannot be seen; a sample that expects only those is checked to run to its end.\n",
          f);
    char *note = xstrdup("ok rows with kinds this run cannot see:");
    size_t partial = 0;
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        unsigned unseen = r->outcome.checked ? 0u : r->sample->expect & KINDS_CHECKER;
        if (r->verdict != VERDICT_OK || !unseen)
            continue;
        char kinds[160];
        kinds_format(unseen, kinds, sizeof kinds);
        char *more = xasprintf("%s%s %s (%s)", note, partial ? "," : "", r->sample->name, kinds);
        free(note);
        note = more;
        partial++;
    }
    if (partial)
        print_wrapped(f, note, FOOTNOTE_WIDTH);
    free(note);
}

void list_print(FILE *f, const struct sample *v, size_t n)
{
    size_t w0 = 0, w1 = 0;
    for (size_t i = 0; i < n; i++) {
        if (width(v[i].name) > w0)
            w0 = width(v[i].name);
        if (width(v[i].expect_csv) > w1)
            w1 = width(v[i].expect_csv);
    }
    for (size_t i = 0; i < n; i++) {
        cell(f, v[i].name, w0, false);
        cell(f, v[i].expect_csv, w1, false);
        fprintf(f, "%s\n", v[i].summary);
    }
}
