/*
 * report.c - races and sync values copied after first use, as records
 * (record.h) rendered by render_text.c or written as JSON Lines; the stacks
 * they hold; their deduplication and their count toward the exit status.
 *
 * A stack is the access's own pc followed by the depot's chain of return
 * addresses, trimmed as runtime/traceback/print.c trims a traceback: leading
 * runtime frames (co_* functions, files in corace's runtime/ or detector/)
 * are dropped, and the stack ends before a co__* frame (the goroutine entry
 * trampoline) or with main().  If that leaves nothing, every frame is shown.
 *
 * Each race is reported once per pair of pcs, in either order (TSan's
 * suppress_equal_stacks compares pairs the same way), and once per 8-byte
 * granule of memory (suppress_equal_addresses), as Go's race detector does.  A report is rendered
 * into memory first and written with one fwrite and a flush, so reports from
 * processes sharing stderr do not interleave line by line.
 */
#define _GNU_SOURCE        /* asprintf */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/traceback/stack.h"
#include "detector/core/depot.h"
#include "detector/core/options.h"
#include "detector/report/kinds.h"
#include "record.h"
#include "render_text.h"
#include "report.h"
#include "suppressions.h"

#define REPORT_SEP "==================\n"

static FILE *out;              /* the log: stderr, stdout or PATH.pid */
static pid_t out_pid;          /* the process out was opened by */
static unsigned nraces;        /* reports printed */
static unsigned nduplicates;   /* races not printed: same pcs or granule as a printed one */
static unsigned nother;        /* other findings (leaks, copies): exit status as races */
static bool finished;

#define MAX_DEGRADED 8
static const char *degraded[MAX_DEGRADED];
static int ndegraded;

/* ---- the log ---- */

/* The stream reports go to, opened at the first report (a program without
   races leaves no file behind) and again in a forked child, which writes to
   its own PATH.pid as Go's children do. */
static FILE *log_stream(void)
{
    options_init();
    pid_t pid = getpid();
    if (out && out_pid == pid)
        return out;
    if (out && out != stderr && out != stdout)
        fclose(out);    /* the parent's: flushed after every report */
    out_pid = pid;
    const char *path = corace_opts.log_path;
    if (!path[0] || strcmp(path, "stderr") == 0) {
        out = stderr;
    } else if (strcmp(path, "stdout") == 0) {
        out = stdout;
    } else {
        char *name = NULL;
        if (asprintf(&name, "%s.%d", path, (int)pid) < 0)
            name = NULL;
        out = name ? fopen(name, "w") : NULL;
        if (out) {
            setvbuf(out, NULL, _IOLBF, 0);
        } else {
            fprintf(stderr, "corace: cannot open log_path %s: %m; reporting to stderr\n",
                    name ? name : path);
            out = stderr;
        }
        free(name);
    }
    return out;
}

/* ---- stacks ---- */

typedef struct frame {
    st_frame fr;
    uintptr_t pc;
} frame;

typedef struct stack {
    frame *f;
    int n, cap;
} stack;

static bool has_prefix(const char *s, const char *p)
{
    return strncmp(s, p, strlen(p)) == 0;
}

static void push_frame(stack *s, const st_frame *fr, uintptr_t pc)
{
    if (s->n == s->cap) {
        int ncap = s->cap ? s->cap * 2 : 32;
        frame *nf = realloc(s->f, (size_t)ncap * sizeof *nf);
        if (!nf)
            return;
        s->f = nf;
        s->cap = ncap;
    }
    s->f[s->n++] = (frame){ *fr, pc };
}

/* The frames of pc, then of depot context ctx, inlined calls expanded and
   corace's trimmed by the rule of every trace (st_trim_top): inside, a
   goroutine's trace taken within corace; else a site of the program's.
   Every pc is a return address. */
static stack collect(uintptr_t pc, uint32_t ctx, bool inside)
{
    int depth = depot_depth(ctx);
    uintptr_t *pcs = malloc(((size_t)depth + 1) * sizeof *pcs);
    stack all = { 0 }, s = { 0 };
    if (!pcs)
        return s;
    pcs[0] = pc;
    int n = 1 + depot_stack(ctx, pcs + 1, depth);
    st_frame fr[ST_MAX_INLINE];
    /* Nothing past main() or the goroutine entry is shown: those frames
       are not symbolized either (libc's, with its debug information
       installed, would cost a decompression per process). */
    bool end = false;
    for (int i = 0; i < n && !end; i++) {
        int k = st_symbolize(pcs[i], true, fr, ST_MAX_INLINE);
        for (int j = 0; j < k; j++) {
            push_frame(&all, &fr[j], pcs[i]);
            if (has_prefix(fr[j].func, "co__") || (!fr[j].inlined && strcmp(fr[j].func, "main") == 0))
                end = true;
        }
    }
    free(pcs);

    st_frame *flat = malloc(((size_t)all.n + 1) * sizeof *flat);
    int i = 0;
    if (flat) {
        for (int j = 0; j < all.n; j++)
            flat[j] = all.f[j].fr;
        i = st_trim_top(flat, all.n, inside);
        free(flat);
    }
    for (; i < all.n; i++) {
        const st_frame *f = &all.f[i].fr;
        if (has_prefix(f->func, "co__"))
            break;
        push_frame(&s, f, all.f[i].pc);
        if (!f->inlined && strcmp(f->func, "main") == 0)
            break;
    }
    if (s.n == 0) {
        free(s.f);
        return all;
    }
    free(all.f);
    return s;
}

/* TSan's StripPathPrefix: everything up to and including the first
   occurrence of the prefix goes, then a leading "./". */
static const char *strip(const char *file)
{
    const char *pre = corace_opts.strip_path_prefix;
    const char *p = pre[0] ? strstr(file, pre) : NULL;
    if (p)
        file = p + strlen(pre);
    if (file[0] == '.' && file[1] == '/')
        file += 2;
    return file;
}

/* ---- JSON ---- */

static json_t *json_frames(stack s)
{
    json_t *a = json_array();
    for (int i = 0; a && i < s.n; i++) {
        const st_frame *fr = &s.f[i].fr;
        json_t *o = json_object();
        if (!o)
            break;
        rec_set(o, "function", rec_new_str(fr->func));
        rec_set(o, "file", rec_new_str(strip(fr->file)));
        rec_set(o, "line", json_integer(fr->line));
        rec_set(o, "pc", rec_new_hex(s.f[i].pc, 0));
        rec_set(o, "inlined", json_boolean(fr->inlined));
        /* offset: as the text's "+0xOFF" (pc - the real function's start;
           without line information, the module-relative address). */
        rec_set(o, "offset", rec_new_hex(fr->off, 0));
        if (!fr->has_src)
            rec_set(o, "nosrc", json_true());
        json_array_append_new(a, o);
    }
    free(s.f);
    return a;
}

json_t *report_json_stack(uintptr_t pc, uint32_t ctx) { return json_frames(collect(pc, ctx, false)); }

json_t *report_json_trace(uintptr_t pc, uint32_t ctx) { return json_frames(collect(pc, ctx, true)); }

static json_t *json_access(const report_access *a)
{
    json_t *o = json_object();
    rec_set(o, "goroutine", json_integer(a->goid));
    rec_set(o, "op", json_string(a->write ? "write" : "read"));
    rec_set(o, "atomic", json_boolean(a->atomic));
    rec_set(o, "stack", report_json_stack(a->pc, a->frame));
    return o;
}

/* Main has no creation stack: its "created" is empty. */
static json_t *json_goroutine(const report_access *a)
{
    json_t *o = json_object();
    rec_set(o, "id", json_integer(a->goid));
    rec_set(o, "state", json_string(a->finished ? "finished" : "running"));
    rec_set(o, "created", a->goid == 1 ? json_array() : report_json_stack(a->created_pc, a->created_frame));
    return o;
}

static json_t *race_record(const report_race *r)
{
    json_t *rec = json_object();
    if (!rec)
        return NULL;
    rec_set(rec, "kind", json_string(finding_of(FINDING_RACE)->record));
    rec_set(rec, "addr", rec_new_hex(r->addr, 1));
    rec_set(rec, "size", json_integer((json_int_t)r->size));
    json_t *acc = json_array(), *gs = json_array();
    json_array_append_new(acc, json_access(&r->cur));
    json_array_append_new(acc, json_access(&r->prev));
    json_array_append_new(gs, json_goroutine(&r->cur));
    if (r->prev.goid != r->cur.goid)
        json_array_append_new(gs, json_goroutine(&r->prev));
    rec_set(rec, "accesses", acc);
    rec_set(rec, "goroutines", gs);
    report_json_degraded(rec);
    return rec;
}

void report_emit(FILE *f, json_t *rec)
{
    if (!rec)
        return;
    if (corace_opts.format == CORACE_FORMAT_JSON) {
        rec_write(f, rec);
        return;
    }
    rt_render(f, "", rec);   /* the record's files are stripped already */
    json_decref(rec);
}

void report_render(FILE *f, const report_race *r) { report_emit(f, race_record(r)); }

void report_json_degraded(json_t *rec)
{
    if (!depot_degraded() && !ndegraded)
        return;
    json_t *a = json_array();
    if (depot_degraded())
        json_array_append_new(a, json_string("the stack depot ran out of memory, stacks may be truncated"));
    for (int i = 0; i < ndegraded; i++)
        json_array_append_new(a, rec_new_str(degraded[i]));
    rec_set(rec, "degraded", a);
}

void report_site_line(uintptr_t pc, uint32_t frame, char *buf, size_t size)
{
    stack s = collect(pc, frame, false);
    if (s.n == 0)
        snprintf(buf, size, "0x%" PRIxPTR, pc);
    else if (!s.f[0].fr.has_src)
        snprintf(buf, size, "%s+0x%" PRIxPTR, strip(s.f[0].fr.file), s.f[0].fr.off);
    else
        snprintf(buf, size, "%s:%d", strip(s.f[0].fr.file), s.f[0].fr.line);
    free(s.f);
}

/* ---- suppressions ---- */

/* Whether some frame of s matches a rule covering k: its function, its
   file as symbolized and as printed (after strip_path_prefix). */
static bool stack_suppressed(enum suppress_kind k, const stack *s)
{
    for (int i = 0; i < s->n; i++) {
        const st_frame *fr = &s->f[i].fr;
        const char *strs[3] = { fr->func, fr->file, strip(fr->file) };
        if (suppressions_match(k, strs, 3))
            return true;
    }
    return false;
}

bool report_suppressed(enum suppress_kind k, const report_site *sites, size_t n)
{
    if (!suppressions_active())
        return false;
    for (size_t i = 0; i < n; i++) {
        if (!sites[i].pc)
            continue;
        stack s = collect(sites[i].pc, sites[i].frame, false);
        bool hit = stack_suppressed(k, &s);
        free(s.f);
        if (hit)
            return true;
    }
    return false;
}

bool report_suppressed_pcs(enum suppress_kind k, const uintptr_t *pcs, size_t n)
{
    if (!suppressions_active() || n == 0)
        return false;
    uint32_t ctx = 0;
    for (size_t i = n - 1; i >= 1; i--)
        ctx = depot_push(ctx, pcs[i]);
    return report_suppressed(k, &(report_site){ .frame = ctx, .pc = pcs[0] }, 1);
}

/* ---- a sync value copied after first use ---- */

static bool pair_seen(uintptr_t x, uintptr_t y);
static bool pair_add(uintptr_t x, uintptr_t y);
/* Keeps copy pairs apart from race pairs in the one set. */
#define COPY_TAG ((uintptr_t)1 << 63)

void report_copy_found(const report_copy *c)
{
    options_init();
    /* One report per pair of places (the copy's use, the original's first
       use), as races are per pair of pcs. */
    if (pair_seen(c->pc, c->first_pc ^ COPY_TAG))
        return;
    pair_add(c->pc, c->first_pc ^ COPY_TAG);
    const report_site copy_sites[2] = { { c->frame, c->pc }, { c->first_frame, c->first_pc } };
    if (report_suppressed(finding_of(FINDING_COPY)->suppress, copy_sites, 2))
        return;
    json_t *rec = json_object();
    if (rec) {
        rec_set(rec, "kind", json_string(finding_of(FINDING_COPY)->record));
        rec_set(rec, "type", rec_new_str(c->type));
        rec_set(rec, "addr", rec_new_hex(c->addr, 0));
        rec_set(rec, "original", rec_new_hex(c->original, 0));
        rec_set(rec, "goroutine", json_integer(c->goid));
        rec_set(rec, "stack", report_json_stack(c->pc, c->frame));
        /* The original's first use, when known. */
        if (c->first_pc)
            rec_set(rec, "first_stack", report_json_stack(c->first_pc, c->first_frame));
        report_json_degraded(rec);
    }
    FILE *f = report_stream();
    report_emit(f, rec);
    fflush(f);
    report_other_findings(1);
}

/* ---- deduplication: a set of unordered pc pairs ---- */

/* Not an address map (detector/core/addrmap.h): the key is two words. */
typedef struct pair {
    uintptr_t a, b;       /* a <= b */
    bool used;
} pair;

static pair *seen;
static size_t seen_cap, seen_used;   /* cap a power of two */

static size_t pair_slot(uintptr_t a, uintptr_t b)
{
    uint64_t h = ((uint64_t)a * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)b * 0xff51afd7ed558ccdull);
    return (size_t)(h ^ (h >> 29)) & (seen_cap - 1);
}

static pair *pair_find(uintptr_t a, uintptr_t b)
{
    for (size_t i = pair_slot(a, b);; i = (i + 1) & (seen_cap - 1))
        if (!seen[i].used || (seen[i].a == a && seen[i].b == b))
            return &seen[i];
}

static bool pair_seen(uintptr_t x, uintptr_t y)
{
    uintptr_t a = x < y ? x : y, b = x < y ? y : x;
    return seen_cap && pair_find(a, b)->used;
}

/* Adds the pair; returns false if it was there.  Out of memory, a race may
   be reported twice, which is better than not at all. */
static bool pair_add(uintptr_t x, uintptr_t y)
{
    uintptr_t a = x < y ? x : y, b = x < y ? y : x;
    if ((seen_used + 1) * 2 > seen_cap) {
        size_t ocap = seen_cap, ncap = seen_cap ? seen_cap * 2 : 64;
        pair *nt = calloc(ncap, sizeof *nt), *old = seen;
        if (!nt)
            return true;
        seen = nt;
        seen_cap = ncap;
        for (size_t i = 0; i < ocap; i++)
            if (old[i].used)
                *pair_find(old[i].a, old[i].b) = old[i];
        free(old);
    }
    pair *p = pair_find(a, b);
    if (p->used)
        return false;
    *p = (pair){ a, b, true };
    seen_used++;
    return true;
}

/* ---- findings ---- */

void report_degraded(const char *reason)
{
    for (int i = 0; i < ndegraded; i++)
        if (strcmp(degraded[i], reason) == 0)
            return;
    if (ndegraded < MAX_DEGRADED)
        degraded[ndegraded++] = reason;
}

bool report_race_found(const report_race *r)
{
    options_init();
    if (!corace_opts.report_atomic_races && (r->cur.atomic || r->prev.atomic))
        return false;
    /* As TSan's suppress_equal_stacks and suppress_equal_addresses, both on
       for Go: one report per pair of pcs, and one per 8-byte granule. */
    uintptr_t granule = r->addr & ~(uintptr_t)7;
    if (pair_seen(r->cur.pc, r->prev.pc) || pair_seen(granule, UINTPTR_MAX)) {
        nduplicates++;
        return false;
    }
    pair_add(r->cur.pc, r->prev.pc);
    pair_add(granule, UINTPTR_MAX);
    /* Every stack of the report, as TSan matches race suppressions. */
    const report_site race_sites[4] = {
        { r->cur.frame, r->cur.pc },
        { r->prev.frame, r->prev.pc },
        { r->cur.created_frame, r->cur.goid != 1 ? r->cur.created_pc : 0 },
        { r->prev.created_frame, r->prev.goid != 1 ? r->prev.created_pc : 0 },
    };
    if (report_suppressed(finding_of(FINDING_RACE)->suppress, race_sites, 4))
        return false;
    FILE *f = report_stream();
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (m) {
        report_render(m, r);
        fclose(m);
        fwrite(buf, 1, len, f);
        free(buf);
    } else {
        report_render(f, r);
    }
    fflush(f);
    nraces++;
    if (corace_opts.halt_on_error) {
        report_finish();
        _exit(corace_opts.exitcode);
    }
    return true;
}

unsigned report_race_count(void)
{
    return nraces;
}

FILE *report_stream(void)
{
    options_init();
    /* DOT holds the cycles alone; everything else stays readable. */
    return corace_opts.format == CORACE_FORMAT_DOT ? stderr : log_stream();
}

FILE *report_log(void)
{
    return log_stream();
}

void report_other_findings(unsigned n)
{
    nother += n;
    if (n && corace_opts.halt_on_error) {
        report_finish();
        _exit(corace_opts.exitcode);
    }
}

void (*report_finish_hook)(void);

void report_finish(void)
{
    if (finished)
        return;
    finished = true;
    if (report_finish_hook)
        report_finish_hook();
    options_init();
    if (corace_opts.verbosity >= 1)
        fprintf(stderr, "corace: %u data race(s) reported, %u more not reported again "
                "(same pair of pcs or same 8-byte granule), %" PRIu32 " call contexts in the stack depot\n",
                nraces, nduplicates, depot_size());
    if (corace_opts.verbosity >= 1)
        suppressions_print_stats(stderr);
    if (nraces == 0 && nother == 0)
        return;
    FILE *f = report_stream();
    if (nraces && corace_opts.format != CORACE_FORMAT_JSON)
        fprintf(f, "Found %u data race(s)\n", nraces);
    fflush(NULL);
    if (corace_opts.exitcode != 0)
        _exit(corace_opts.exitcode);
}
