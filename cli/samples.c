/* samples.c - scan the samples directory and parse each sample's header comment. */
#include "samples.h"

#include "kinds.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define EXPECT_PREFIX "// expect: "
#define EXPLORE_PREFIX "// explore: "
#define SUMMARY_MAX 400

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The first sentence after "Bug:" in the comment block [block, end), with the
   " * " line prefixes removed and white space collapsed.  A sentence ends at
   '.', '!' or '?' followed by white space, or at an empty comment line. */
static char *bug_sentence(const char *block, const char *end)
{
    const char *p = NULL;
    for (const char *q = block; q + 4 <= end; q++) {
        if (memcmp(q, "Bug:", 4) == 0) {
            p = q + 4;
            break;
        }
    }
    if (!p)
        return NULL;
    char *out = xmalloc(SUMMARY_MAX + 4);
    size_t n = 0;
    bool pending_space = false;
    while (p < end && n < SUMMARY_MAX) {
        char c = *p;
        if (c == '\n') {
            /* Skip the next line's indentation and its leading '*'. */
            p++;
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            if (p < end && *p == '*' && !(p + 1 < end && p[1] == '/'))
                p++;
            const char *r = p;
            while (r < end && (*r == ' ' || *r == '\t' || *r == '\r'))
                r++;
            if (r >= end || *r == '\n')
                break; /* an empty comment line ends the paragraph */
            pending_space = true;
            continue;
        }
        if (is_space(c)) {
            pending_space = true;
            p++;
            continue;
        }
        if (pending_space && n > 0)
            out[n++] = ' ';
        pending_space = false;
        out[n++] = c;
        p++;
        if ((c == '.' || c == '!' || c == '?') && (p >= end || is_space(*p)))
            break;
        if (c == ':') {
            /* A colon at the end of a line introduces a quoted block. */
            const char *r = p;
            while (r < end && (*r == ' ' || *r == '\t' || *r == '\r'))
                r++;
            if (r >= end || *r == '\n') {
                out[n - 1] = '.';
                break;
            }
        }
    }
    if (n >= SUMMARY_MAX) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
    if (n == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* A copy of the line starting at p, without its line break and trailing white space. */
static char *line_at(const char *p)
{
    size_t n = strcspn(p, "\n");
    char *line = xmalloc(n + 1);
    memcpy(line, p, n);
    line[n] = '\0';
    while (n > 0 && is_space(line[n - 1]))
        line[--n] = '\0';
    return line;
}

/* Line 2 may be "// explore: <kinds>": what `corace explore` must find in a
   sample whose bug needs a particular interleaving.  Absent, explore_csv
   stays NULL. */
static void parse_explore_line(struct sample *s, const char *text)
{
    const char *nl = strchr(text, '\n');
    if (!nl)
        return;
    char *line = line_at(nl + 1);
    if (strncmp(line, EXPLORE_PREFIX, strlen(EXPLORE_PREFIX)) == 0) {
        const char *csv = line + strlen(EXPLORE_PREFIX);
        char bad[64];
        unsigned set;
        if (kinds_parse(csv, &set, bad, sizeof bad) && !(set & KIND_CLEAN)) {
            s->explore_csv = xstrdup(csv);
            s->explore = set;
        } else if (!s->problem) {
            s->problem = bad[0] ? xasprintf("unknown kind '%s' on the explore line", bad)
                                : xstrdup("the explore line names no kind to find ('clean' is not one)");
            /* As a malformed expect line: the sample is unusable, and
               `corace samples check` says why. */
            s->expect = 0;
        }
    }
    free(line);
}

static void parse_sample(struct sample *s)
{
    size_t len;
    char *text = read_file(s->path, &len);
    s->expect_csv = xstrdup("?");
    if (!text) {
        s->problem = xasprintf("cannot read %s: %s", s->path, strerror(errno));
        s->summary = xstrdup(s->fixed ? "fixed twin" : "?");
        return;
    }
    /* Line 1: "// expect: <kinds>". */
    char *line = line_at(text);
    if (strncmp(line, EXPECT_PREFIX, strlen(EXPECT_PREFIX)) != 0) {
        s->problem = xstrdup("first line is not '// expect: <kinds>'");
    } else {
        const char *csv = line + strlen(EXPECT_PREFIX);
        char bad[64];
        unsigned set;
        if (kinds_parse(csv, &set, bad, sizeof bad)) {
            free(s->expect_csv);
            s->expect_csv = xstrdup(csv);
            s->expect = set;
        } else {
            s->problem = xasprintf("unknown kind '%s' on the expect line", bad);
        }
    }
    free(line);
    parse_explore_line(s, text);

    if (s->fixed) {
        s->summary = xstrdup("fixed twin");
    } else {
        const char *open = strstr(text, "/*");
        const char *close = open ? strstr(open + 2, "*/") : NULL;
        char *sentence = close ? bug_sentence(open + 2, close) : NULL;
        s->summary = sentence ? sentence : xstrdup("(no Bug: line in the comment block)");
    }
    free(text);
}

static int by_name(const void *a, const void *b)
{
    const struct sample *x = a, *y = b;
    return strcmp(x->name, y->name);
}

int catalogue_load(struct catalogue *c, const char *dir)
{
    memset(c, 0, sizeof *c);
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    size_t cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (nm[0] == '.' || !has_suffix(nm, ".c") || strlen(nm) <= 2)
            continue;
        char *path = xasprintf("%s/%s", dir, nm);
        if (!is_regular_file(path)) {
            free(path);
            continue;
        }
        if (c->n == cap)
            c->v = xrealloc(c->v, (cap = cap ? 2 * cap : 64) * sizeof *c->v);
        struct sample *s = &c->v[c->n++];
        memset(s, 0, sizeof *s);
        s->path = path;
        s->name = xstrdup(nm);
        s->name[strlen(s->name) - 2] = '\0';
        s->fixed = has_suffix(s->name, "_fixed");
    }
    closedir(d);
    if (c->n)
        qsort(c->v, c->n, sizeof *c->v, by_name);
    for (size_t i = 0; i < c->n; i++)
        parse_sample(&c->v[i]);
    c->dir = xstrdup(dir);
    return 0;
}

void catalogue_free(struct catalogue *c)
{
    for (size_t i = 0; i < c->n; i++) {
        struct sample *s = &c->v[i];
        free(s->name);
        free(s->path);
        free(s->expect_csv);
        free(s->explore_csv);
        free(s->problem);
        free(s->summary);
    }
    free(c->v);
    free(c->dir);
    c->v = NULL;
    c->n = 0;
    c->dir = NULL;
}

const struct sample *catalogue_find(const struct catalogue *c, const char *name)
{
    size_t n = strlen(name);
    if (has_suffix(name, ".c"))
        n -= 2;
    for (size_t i = 0; i < c->n; i++) {
        if (strlen(c->v[i].name) == n && strncmp(c->v[i].name, name, n) == 0)
            return &c->v[i];
    }
    return NULL;
}

const struct sample *catalogue_twin(const struct catalogue *c, const struct sample *s)
{
    if (s->fixed)
        return NULL;
    char *twin = xasprintf("%s_fixed", s->name);
    const struct sample *t = catalogue_find(c, twin);
    free(twin);
    return t;
}
