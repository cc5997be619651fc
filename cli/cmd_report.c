/* cmd_report.c - `corace report FILE... [--format text|json|sarif|junit|dot]
   [-o OUT] [--strip-path-prefix P]`: the checker's JSON Lines records
   (CORACE_OPTIONS=format=json, `corace run --format json -o FILE`) rendered
   again: as the checker's own text, as normalized JSON Lines, as SARIF 2.1.0
   for code scanning, as JUnit XML, or the deadlock cycles as Graphviz DOT.

   The text is what detector/report/report.c, cycle.c and
   detector/deadlock/partial.c print; the DOT graphs are cycle.c's. */
/* open_memstream: _GNU_SOURCE comes from the build (cli/CMakeLists.txt). */
#include "cmd.h"
#include "exitcodes.h"
#include "json_bytes.h"
#include "record_get.h"
#include "records.h"
#include "util.h"
#include "detector/report/kinds.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEP "==================\n"

static const char *strip_prefix = "";

void print_report_usage(FILE *f)
{
    fputs("usage: corace report [flags] FILE [FILE ...]\n"
          "\n"
          "Render the JSON Lines records a checked program wrote (CORACE_OPTIONS=format=json,\n"
          "or 'corace run --format json -o FILE') again.\n"
          "\n"
          "Flags:\n"
          "  --format text|json|sarif|junit|dot\n"
          "                           text: the checker's own report text (default);\n"
          "                           json: the records, one per line, normalized;\n"
          "                           sarif: SARIF 2.1.0 for code scanning;\n"
          "                           junit: JUnit XML, a testcase per FILE, a failure per finding;\n"
          "                           dot: the deadlock cycles as Graphviz graphs\n"
          "  -o, --out OUT            write to OUT instead of stdout\n"
          "  --strip-path-prefix P    shorten file paths (up to and including P); in SARIF the\n"
          "                           shortened paths are relative to the source root\n"
          "  -h, --help               this help\n"
          "\n"
          "Exit status: 0 when the records hold no findings, 66 when they do, 1 for a usage\n"
          "error or a file that cannot be read or parsed (one line naming FILE:LINE).\n",
          f);
}

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fflush(stdout);
    fputs("corace: report: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see 'corace report --help')\n", stderr);
    exit(EXIT_BAD_FLAGS);
}

/* TSan's StripPathPrefix, as the checker applies it: everything up to and
   including the first occurrence of the prefix goes, then a leading "./". */
static const char *strip(const char *file)
{
    const char *p = strip_prefix[0] ? strstr(file, strip_prefix) : NULL;
    if (p)
        file = p + strlen(strip_prefix);
    if (file[0] == '.' && file[1] == '/')
        file += 2;
    return file;
}

/* The array member key of o, with its length in *n. */
static const json_t *items(const json_t *o, const char *key, size_t *n)
{
    const json_t *v = rec_get(o, key);
    *n = json_array_size(v);
    return v;
}

/* ---- text ---- */

/* A stack as race reports print it. */
static void text_stack(FILE *f, const json_t *stack)
{
    for (size_t i = 0; i < json_array_size(stack); i++) {
        const json_t *fr = json_array_get(stack, i);
        fprintf(f, "  %s()\n", rec_str(fr, "function"));
        const char *file = strip(rec_str(fr, "file"));
        if (rec_bool(fr, "nosrc"))
            fprintf(f, "      %s+0x%" PRIxPTR "\n", file, rec_hex(fr, "offset"));
        else if (rec_bool(fr, "inlined") || !rec_has(fr, "offset"))
            fprintf(f, "      %s:%" PRId64 "\n", file, rec_int(fr, "line"));
        else
            fprintf(f, "      %s:%" PRId64 " +0x%" PRIxPTR "\n", file, rec_int(fr, "line"), rec_hex(fr, "offset"));
    }
}

/* A location as Go's traceback prints it (runtime/traceback/print.c). */
static void traceback_location(FILE *f, const json_t *fr, bool inlined)
{
    const char *file = strip(rec_str(fr, "file"));
    uintptr_t off = rec_hex(fr, "offset");
    if (rec_bool(fr, "nosrc"))
        fprintf(f, "\t%s+0x%" PRIxPTR "\n", file, off);
    else if (inlined || off == 0)
        fprintf(f, "\t%s:%" PRId64 "\n", file, rec_int(fr, "line"));
    else
        fprintf(f, "\t%s:%" PRId64 " +0x%" PRIxPTR "\n", file, rec_int(fr, "line"), off);
}

static void traceback(FILE *f, const json_t *stack)
{
    for (size_t i = 0; i < json_array_size(stack); i++) {
        const json_t *fr = json_array_get(stack, i);
        bool inl = rec_bool(fr, "inlined");
        fprintf(f, "%s(%s)\n", rec_str(fr, "function"), inl ? "..." : "");
        traceback_location(f, fr, inl);
    }
}

/* "file:line" of a stack's innermost frame, as report_site_line. */
static void site_line(const json_t *stack, char *buf, size_t size)
{
    if (json_array_size(stack) == 0) {
        snprintf(buf, size, "?");
        return;
    }
    const json_t *fr = json_array_get(stack, 0);
    if (rec_bool(fr, "nosrc"))
        snprintf(buf, size, "%s+0x%" PRIxPTR, strip(rec_str(fr, "file")), rec_hex(fr, "offset"));
    else
        snprintf(buf, size, "%s:%" PRId64, strip(rec_str(fr, "file")), rec_int(fr, "line"));
}

static void text_degraded(FILE *f, const json_t *r)
{
    size_t n;
    const json_t *d = items(r, "degraded", &n);
    if (n)
        fputc('\n', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "corace: detection degraded: %s\n", json_string_value(json_array_get(d, i)));
}

static const char *access_kind(const json_t *a, bool previous)
{
    bool w = strcmp(rec_str(a, "op"), "write") == 0, at = rec_bool(a, "atomic");
    if (previous)
        return at ? (w ? "Previous atomic write" : "Previous atomic read") : (w ? "Previous write" : "Previous read");
    return at ? (w ? "Atomic write" : "Atomic read") : (w ? "Write" : "Read");
}

static void text_race(FILE *f, const json_t *r)
{
    const json_t *a = rec_get(r, "accesses");
    uintptr_t addr = rec_hex(r, "addr");
    fputs(SEP "WARNING: DATA RACE\n", f);
    for (int i = 0; i < 2; i++) {
        if (i)
            fputc('\n', f);
        fprintf(f, "%s at 0x%012" PRIxPTR " by ", access_kind(json_array_get(a, i), i == 1), addr);
        int64_t g = rec_int(json_array_get(a, i), "goroutine");
        if (g == 1)
            fputs("main goroutine:\n", f);
        else
            fprintf(f, "goroutine %" PRId64 ":\n", g);
        text_stack(f, rec_get(json_array_get(a, i), "stack"));
    }
    /* The creation stacks of the goroutines other than main, the current
       access's first: the order of "goroutines". */
    size_t ng;
    const json_t *gs = items(r, "goroutines", &ng);
    for (size_t i = 0; i < ng; i++) {
        int64_t id = rec_int(json_array_get(gs, i), "id");
        if (id == 1)
            continue;
        fprintf(f, "\nGoroutine %" PRId64 " (%s) created at:\n", id, rec_str(json_array_get(gs, i), "state"));
        text_stack(f, rec_get(json_array_get(gs, i), "created"));
    }
    text_degraded(f, r);
    fputs(SEP, f);
}

static void text_copy(FILE *f, const json_t *r)
{
    fputs(SEP "WARNING: SYNC OBJECT COPIED AFTER FIRST USE\n", f);
    fprintf(f, "%s at 0x%012" PRIxPTR " is a copy of the one at 0x%012" PRIxPTR ", made after that one was used\n\n",
            rec_str(r, "type"), rec_hex(r, "addr"), rec_hex(r, "original"));
    int64_t g = rec_int(r, "goroutine");
    if (g == 1)
        fputs("Copy used by main goroutine:\n", f);
    else
        fprintf(f, "Copy used by goroutine %" PRId64 ":\n", g);
    text_stack(f, rec_get(r, "stack"));
    if (rec_has(r, "first_stack")) {
        fputs("\nOriginal first used at:\n", f);
        text_stack(f, rec_get(r, "first_stack"));
    }
    fputs(SEP, f);
}

static bool shared(const json_t *lock) { return strcmp(rec_str(lock, "mode"), "read") == 0; }

static void text_wait_cycle(FILE *f, const json_t *r)
{
    size_t n;
    const json_t *st = items(r, "steps", &n);
    char held[512], wants[512];
    fputs(SEP "WARNING: DEADLOCK (wait-for cycle)\n", f);
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(st, i), *h = rec_get(s, "holds"), *w = rec_get(s, "wants");
        site_line(rec_get(w, "stack"), wants, sizeof wants);
        if (rec_bool(s, "pending")) {
            fprintf(f, "goroutine %" PRId64 " waits for %s 0x%012" PRIxPTR " (Lock) at %s, and new readers queue behind it\n",
                    rec_int(s, "goroutine"), rec_str(w, "type"), rec_hex(w, "addr"), wants);
            continue;
        }
        site_line(rec_get(h, "stack"), held, sizeof held);
        fprintf(f, "goroutine %" PRId64 " holds %s 0x%012" PRIxPTR " (%s at %s) and waits for %s 0x%012" PRIxPTR
                   " (%s) at %s\n",
                rec_int(s, "goroutine"), rec_str(h, "type"), rec_hex(h, "addr"), shared(h) ? "read-locked" : "locked", held,
                rec_str(w, "type"), rec_hex(w, "addr"), shared(w) ? "RLock" : "Lock", wants);
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(st, i), *h = rec_get(s, "holds"), *w = rec_get(s, "wants");
        fprintf(f, "\ngoroutine %" PRId64 " [%s]:\n", rec_int(s, "goroutine"), rec_str(s, "waitreason"));
        text_stack(f, rec_get(w, "stack"));
        if (!rec_bool(s, "pending")) {
            fprintf(f, "%s 0x%012" PRIxPTR " %s at:\n", rec_str(h, "type"), rec_hex(h, "addr"),
                    shared(h) ? "read-locked" : "locked");
            text_stack(f, rec_get(h, "stack"));
        }
    }
    fputs("\nCoffman conditions (all four hold, so no goroutine of the cycle can go on):\n", f);
    fputs("  mutual exclusion: each lock admits one writer, or readers while no writer is queued\n", f);
    fputs("  hold and wait:    each goroutine keeps what it holds while it waits\n", f);
    fputs("  no preemption:    a lock is released only by an Unlock; nothing takes it away\n", f);
    fputs("  circular wait:    ", f);
    for (size_t i = 0; i <= n; i++)
        fprintf(f, "%sgoroutine %" PRId64, i ? " -> " : "", rec_int(json_array_get(st, i % n), "goroutine"));
    fputc('\n', f);
}

static void text_lock_order(FILE *f, const json_t *r)
{
    size_t n;
    const json_t *st = items(r, "steps", &n);
    bool classes = rec_bool(r, "classes");
    fputs(SEP "WARNING: POTENTIAL DEADLOCK (lock-order inversion)\n", f);
    fprintf(f, "%zu %s taken in a cycle:", n, classes ? "lock classes are" : "locks are");
    for (size_t i = 0; i < n; i++)
        fprintf(f, " 0x%012" PRIxPTR " ->", rec_hex(rec_get(json_array_get(st, i), "holds"), "addr"));
    fprintf(f, " 0x%012" PRIxPTR "\n", rec_hex(rec_get(json_array_get(st, 0), "holds"), "addr"));
    if (classes) {
        fputs("Lock classes (the order is between all locks allocated at one place, not these alone):\n", f);
        for (size_t i = 0; i < n; i++) {
            const json_t *l = rec_get(json_array_get(st, i), "holds");
            fprintf(f, "  %s 0x%012" PRIxPTR ": offset %" PRId64 " in a block allocated at %s\n", rec_str(l, "type"),
                    rec_hex(l, "addr"), rec_int(l, "class_offset"), rec_has(l, "class_site") ? rec_str(l, "class_site") : "?");
        }
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(st, i), *h = rec_get(s, "holds"), *w = rec_get(s, "wants");
        fprintf(f, "\ngoroutine %" PRId64 " took %s 0x%012" PRIxPTR "%s:\n", rec_int(s, "goroutine"), rec_str(h, "type"),
                rec_hex(h, "addr"), shared(h) ? " (read)" : "");
        text_stack(f, rec_get(h, "stack"));
        fprintf(f, "and then asked for %s 0x%012" PRIxPTR "%s:\n", rec_str(w, "type"), rec_hex(w, "addr"),
                shared(w) ? " (read)" : "");
        text_stack(f, rec_get(w, "stack"));
    }
    if (n == 2) {
        const json_t *a = json_array_get(st, 0), *b = json_array_get(st, 1);
        const json_t *ah = rec_get(a, "holds"), *aw = rec_get(a, "wants"), *bh = rec_get(b, "holds"), *bw = rec_get(b, "wants");
        uintptr_t a_wants = classes ? rec_hex(bh, "addr") : rec_hex(aw, "addr");
        uintptr_t b_wants = classes ? rec_hex(ah, "addr") : rec_hex(bw, "addr");
        fputs("\nPossible unsafe scenario:\n\n", f);
        fprintf(f, "       goroutine %-10" PRId64 "       goroutine %" PRId64 "\n", rec_int(a, "goroutine"),
                rec_int(b, "goroutine"));
        fputs("       ----                       ----\n", f);
        fprintf(f, "  %slock(0x%012" PRIxPTR ");\n", shared(ah) ? "r" : "", rec_hex(ah, "addr"));
        fprintf(f, "                                  %slock(0x%012" PRIxPTR ");\n", shared(bh) ? "r" : "",
                rec_hex(bh, "addr"));
        fprintf(f, "                                  %slock(0x%012" PRIxPTR ");\n", shared(bw) ? "r" : "", b_wants);
        fprintf(f, "  %slock(0x%012" PRIxPTR ");\n", shared(aw) ? "r" : "", a_wants);
        fputs("\n *** DEADLOCK ***\n", f);
    }
}

static void text_recursive_read(FILE *f, const json_t *r)
{
    const json_t *st = rec_get(r, "steps");
    const json_t *rh = rec_get(json_array_get(st, 0), "holds"), *rw = rec_get(json_array_get(st, 0), "wants"), *ww = rec_get(json_array_get(st, 1), "wants");
    int64_t rg = rec_int(json_array_get(st, 0), "goroutine"), wg = rec_int(json_array_get(st, 1), "goroutine");
    uintptr_t addr = rec_hex(rh, "addr");
    fputs(SEP "WARNING: POTENTIAL DEADLOCK (lock-order inversion)\n", f);
    fprintf(f, "goroutine %" PRId64 " read-locks %s 0x%012" PRIxPTR " while it holds it for reading, and goroutine %" PRId64
               " write-locks it:\na Lock between the two RLocks waits for the first, and the second waits for the Lock\n",
            rg, rec_str(rh, "type"), addr, wg);
    fprintf(f, "\ngoroutine %" PRId64 " took %s 0x%012" PRIxPTR " (read):\n", rg, rec_str(rh, "type"), addr);
    text_stack(f, rec_get(rh, "stack"));
    fputs("and then asked for it again (read):\n", f);
    text_stack(f, rec_get(rw, "stack"));
    fprintf(f, "\ngoroutine %" PRId64 " asked for it (write):\n", wg);
    text_stack(f, rec_get(ww, "stack"));
    fputs("\nPossible unsafe scenario:\n\n", f);
    fprintf(f, "       goroutine %-10" PRId64 "       goroutine %" PRId64 "\n", rg, wg);
    fputs("       ----                       ----\n", f);
    fprintf(f, "  rlock(0x%012" PRIxPTR ");\n", addr);
    fprintf(f, "                                  lock(0x%012" PRIxPTR ");\n", addr);
    fprintf(f, "  rlock(0x%012" PRIxPTR ");\n", addr);
    fputs("\n *** DEADLOCK ***\n", f);
}

static const char *partial_object_name(const char *wr)
{
    if (strcmp(wr, "sync.WaitGroup.Wait") == 0)
        return "the WaitGroup";
    if (strcmp(wr, "sync.Cond.Wait") == 0)
        return "the Cond";
    if (strcmp(wr, "select") == 0)
        return "any of its channels";
    return "the channel";
}

/* One goroutine of a partial-deadlock report; the header before the first
   of a report (victim 0), the closing line after the last. */
static void text_partial(FILE *f, const json_t *r)
{
    int64_t victim = rec_int(r, "victim"), victims = rec_has(r, "victims") ? rec_int(r, "victims") : 1;
    if (victim == 0)
        fputs(SEP "WARNING: PARTIAL DEADLOCK\n", f);
    else
        fputc('\n', f);
    const char *wr = rec_str(r, "waitreason");
    int64_t g = rec_int(r, "goroutine");
    size_t nobj;
    const json_t *obj = items(r, "objects", &nobj);
    fprintf(f, "goroutine %" PRId64 " is blocked forever on %s", g, wr);
    if (nobj == 0) {
        /* Blocked forever by itself: nil channels or an empty select. */
        fputs(strcmp(wr, "select (no cases)") == 0 ? ": a select with no cases never proceeds\n"
              : strcmp(wr, "select") == 0         ? ": every case's channel is nil\n"
                                                  : ": a nil channel is never ready\n", f);
    } else {
        const char *sep = strcmp(wr, "select") == 0 ? " over " : " ";
        for (size_t i = 0; i < nobj; i++) {
            fprintf(f, "%s0x%012" PRIxPTR, sep, (uintptr_t)strtoull(json_string_value(json_array_get(obj, i)), NULL, 16));
            sep = ", ";
        }
        fprintf(f, ": no running, runnable or timer-waiting goroutine can reach %s\n", partial_object_name(wr));
    }
    fprintf(f, "goroutine %" PRId64 " [%s]:\n", g, wr);
    traceback(f, rec_get(r, "stack"));
    size_t nc;
    const json_t *created = items(r, "created", &nc);
    if (g != 1 && nc) {
        fprintf(f, "created by %s in goroutine %" PRId64 "\n", rec_str(json_array_get(created, 0), "function"), rec_int(r, "created_by"));
        /* The offset belongs to the real function even when the name is an
           inlined one's. */
        traceback_location(f, json_array_get(created, 0), false);
    }
    if (victim + 1 >= victims) {
        text_degraded(f, r);
        fputs(SEP, f);
    }
}

/* A goroutine as Go's tracebacks show it: header, stack, creation. */
static void text_goroutine(FILE *f, int64_t id, const char *state, const json_t *stack, const json_t *g)
{
    fprintf(f, "goroutine %" PRId64 " [%s]:\n", id, state);
    traceback(f, stack);
    size_t nc;
    const json_t *created = items(g, "created", &nc);
    if (id != 1 && nc) {
        fprintf(f, "created by %s in goroutine %" PRId64 "\n", rec_str(json_array_get(created, 0), "function"), rec_int(g, "created_by"));
        traceback_location(f, json_array_get(created, 0), false);
    }
}

/* One leaked goroutine: the checker's block for it alone. */
static void text_leak(FILE *f, const json_t *r)
{
    bool blocked = strcmp(rec_str(r, "state"), "blocked") == 0;
    fputs(SEP "WARNING: GOROUTINE LEAK\n", f);
    if (blocked)
        fprintf(f, "1 goroutine still blocked when %s\n", rec_str(r, "when"));
    else
        fprintf(f, "1 goroutine still runnable when %s (lost work: it never finished)\n", rec_str(r, "when"));
    fputc('\n', f);
    text_goroutine(f, rec_int(r, "goroutine"), rec_str(r, "waitreason"), rec_get(r, "stack"), r);
    text_degraded(f, r);
    fputs(SEP, f);
}

/* The program's death, as the runtime printed it. */
static void text_fatal(FILE *f, const json_t *r)
{
    fprintf(f, "%s\n", rec_str(r, "message"));
    size_t n;
    const json_t *g = items(r, "goroutines", &n);
    for (size_t i = 0; i < n; i++) {
        fputc('\n', f);
        text_goroutine(f, rec_int(json_array_get(g, i), "id"), rec_str(json_array_get(g, i), "state"), rec_get(json_array_get(g, i), "stack"), json_array_get(g, i));
    }
}

static void render_text(FILE *f, const json_t *r)
{
    const char *k = rec_str(r, "kind");
    if (!strcmp(k, "leak")) {
        text_leak(f, r);
        return;
    }
    if (!strcmp(k, "deadlock") || !strcmp(k, "runtime-error") || !strcmp(k, "timeout")) {
        text_fatal(f, r);
        return;
    }
    if (!strcmp(k, "race")) {
        text_race(f, r);
        return;
    }
    if (!strcmp(k, "copy")) {
        text_copy(f, r);
        return;
    }
    if (!strcmp(k, "partial-deadlock")) {
        text_partial(f, r);
        return;
    }
    if (!strcmp(k, "wait-cycle"))
        text_wait_cycle(f, r);
    else if (!strcmp(k, "lock-order"))
        text_lock_order(f, r);
    else
        text_recursive_read(f, r);
    text_degraded(f, r);
    fputs(SEP, f);
}

void report_render_text(FILE *f, const json_t *r) { render_text(f, r); }

static unsigned count_kind(const record_set *rs, const char *kind)
{
    unsigned n = 0;
    for (size_t i = 0; i < rs->n; i++)
        n += strcmp(rec_str(rs->recs[i], "kind"), kind) == 0;
    return n;
}

static void out_text(FILE *f, const record_set *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        render_text(f, rs->recs[i]);
    unsigned races = count_kind(rs, "race");
    if (races)
        fprintf(f, "Found %u data race(s)\n", races);
}

/* A finding's text alone (for JUnit, SARIF's messages): a malloc'd string. */
static char *text_of(const json_t *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        cli_die(EXIT_FAIL, "report: out of memory");
    render_text(m, r);
    fclose(m);
    return buf;
}

/* ---- json ---- */

/* The records again, file paths stripped. */
static void strip_files(json_t *v)
{
    const char *key;
    json_t *item;
    size_t i;
    json_array_foreach(v, i, item) {
        strip_files(item);
    }
    json_object_foreach(v, key, item) {
        const char *s = json_string_value(item);
        if (s && strcmp(key, "file") == 0) {
            const char *t = strip(s);
            if (t != s)
                json_string_setn_nocheck(item, t, json_string_length(item) - (size_t)(t - s));
        } else {
            strip_files(item);
        }
    }
}

static void out_json(FILE *f, const record_set *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        strip_files(rs->recs[i]);
        if (jb_dumpf(rs->recs[i], f) != 0)
            cli_die(EXIT_FAIL, "report: a record of line %zu cannot be written as JSON", rs->lines[i]);
        fputc('\n', f);
    }
}

/* ---- dot (cycle.c's graphs) ---- */

static void dot_lock_node(FILE *f, const json_t *l)
{
    fprintf(f, "  \"l%" PRIxPTR "\" [shape=box, label=\"%s\\n0x%012" PRIxPTR "\"];\n", rec_hex(l, "addr"),
            rec_str(l, "type"), rec_hex(l, "addr"));
}

static const char *mode(const json_t *l) { return shared(l) ? "read" : "write"; }

/* A DOT string's contents: quotes and backslashes escaped. */
static void dot_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
}

static void dot_edge_label(FILE *f, const char *what, const json_t *l)
{
    char at[512];
    site_line(rec_get(l, "stack"), at, sizeof at);
    fprintf(f, "[label=\"%s (%s)\\n", what, mode(l));
    dot_escaped(f, at);
    fputc('"', f);
}

static void dot_classes(FILE *f, const json_t *st, size_t n)
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
        dot_edge_label(f, "taken by", h);
        fputs("];\n", f);
        fprintf(f, "  \"g%" PRId64 "_%zu\" -> \"c%zu\" ", g, i, (i + 1) % n);
        dot_edge_label(f, "then asks for", w);
        fputs(", color=red];\n", f);
    }
}

static void render_dot(FILE *f, const json_t *r)
{
    const char *k = rec_str(r, "kind");
    bool wait = !strcmp(k, "wait-cycle"), rec = !strcmp(k, "recursive-read"), classes = rec_bool(r, "classes");
    size_t n;
    const json_t *st = items(r, "steps", &n);
    fprintf(f, "digraph \"%s\" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
            wait ? "wait-for cycle" : classes ? "lock-order inversion between lock classes" : "lock-order inversion");
    if (classes) {
        dot_classes(f, st, n);
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
            dot_edge_label(f, "asks for", w);
            fputs(", color=red];\n", f);
            continue;
        }
        bool pending = rec_bool(s, "pending");
        if (!pending) {
            fprintf(f, "  \"l%" PRIxPTR "\" -> \"g%" PRId64 "_%zu\" ", rec_hex(h, "addr"), g, id);
            dot_edge_label(f, wait ? "held by" : "taken by", h);
            fputs("];\n", f);
        }
        fprintf(f, "  \"g%" PRId64 "_%zu\" -> \"l%" PRIxPTR "\" ", g, id, rec_hex(w, "addr"));
        dot_edge_label(f, wait ? (pending ? "queued first for" : "waits for") : "then asks for", w);
        fputs(", color=red];\n", f);
    }
    fputs("}\n", f);
}

static void out_dot(FILE *f, const record_set *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        const char *k = rec_str(rs->recs[i], "kind");
        if (!strcmp(k, "wait-cycle") || !strcmp(k, "lock-order") || !strcmp(k, "recursive-read"))
            render_dot(f, rs->recs[i]);
    }
}

/* ---- SARIF 2.1.0 ---- */

/* The loader accepts only the kinds of the table. */
static const char *rule_of(const json_t *r) { return finding_by_record(rec_str(r, "kind"))->rule; }

/* {"text": s} */
static json_t *sarif_text(const char *s) { return json_pack("{s:o}", "text", jb_string(s)); }

/* An artifact location: a relative path (after --strip-path-prefix) is a
   relative URI against %SRCROOT%; an absolute one a file: URI.  RFC 3986:
   everything but unreserved characters and '/' percent-encoded. */
static json_t *sarif_artifact(const char *file)
{
    bool abs = file[0] == '/';
    char *uri = xmalloc(strlen(file) * 3 + 8), *u = uri;
    if (abs)
        u += sprintf(u, "file://");
    for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '.' || *p == '_' || *p == '~' || *p == '/')
            *u++ = (char)*p;
        else
            u += sprintf(u, "%%%02X", *p);
    }
    *u = '\0';
    json_t *a = json_pack("{s:s}", "uri", uri);
    free(uri);
    if (!abs)
        json_object_set_new(a, "uriBaseId", json_string("%SRCROOT%"));
    return a;
}

/* A location for a frame; id < 0: none; message optional. */
static json_t *sarif_location(const json_t *fr, int id, const char *message)
{
    json_t *loc = json_object();
    if (id >= 0)
        json_object_set_new(loc, "id", json_integer(id));
    json_t *phys = json_pack("{s:o}", "artifactLocation", sarif_artifact(strip(rec_str(fr, "file"))));
    int64_t line = rec_int(fr, "line");
    if (line > 0 && !rec_bool(fr, "nosrc"))
        json_object_set_new(phys, "region", json_pack("{s:I}", "startLine", (json_int_t)line));
    json_object_set_new(loc, "physicalLocation", phys);
    json_object_set_new(loc, "logicalLocations",
                        json_pack("[{s:o,s:s}]", "name", jb_string(rec_str(fr, "function")), "kind", "function"));
    if (message)
        json_object_set_new(loc, "message", sarif_text(message));
    return loc;
}

/* The stacks of a finding, each with what it shows. */
typedef struct labeled {
    const json_t *stack;
    char what[160];
} labeled;

static size_t stacks_of(const json_t *r, labeled *out, size_t max)
{
    size_t n = 0;
    const char *k = rec_str(r, "kind");
#define ADD(st, ...)                                                         \
    do {                                                                     \
        const json_t *s_ = (st);                                                 \
        if (n < max && json_array_size(s_)) {                     \
            out[n].stack = s_;                                               \
            snprintf(out[n].what, sizeof out[n].what, __VA_ARGS__);          \
            n++;                                                             \
        }                                                                    \
    } while (0)
    if (!strcmp(k, "race")) {
        const json_t *a = rec_get(r, "accesses");
        for (int i = 0; i < 2; i++)
            ADD(rec_get(json_array_get(a, i), "stack"), "%s by goroutine %" PRId64, access_kind(json_array_get(a, i), i == 1),
                rec_int(json_array_get(a, i), "goroutine"));
        size_t ng;
        const json_t *gs = items(r, "goroutines", &ng);
        for (size_t i = 0; i < ng; i++)
            ADD(rec_get(json_array_get(gs, i), "created"), "goroutine %" PRId64 " created", rec_int(json_array_get(gs, i), "id"));
    } else if (!strcmp(k, "copy")) {
        ADD(rec_get(r, "stack"), "copy used by goroutine %" PRId64, rec_int(r, "goroutine"));
        ADD(rec_get(r, "first_stack"), "original first used");
    } else if (!strcmp(k, "partial-deadlock") || !strcmp(k, "leak")) {
        ADD(rec_get(r, "stack"), "goroutine %" PRId64 " [%s]", rec_int(r, "goroutine"), rec_str(r, "waitreason"));
        ADD(rec_get(r, "created"), "goroutine %" PRId64 " created", rec_int(r, "goroutine"));
    } else if (!strcmp(k, "deadlock") || !strcmp(k, "runtime-error") || !strcmp(k, "timeout")) {
        size_t ng;
        const json_t *gs = items(r, "goroutines", &ng);
        for (size_t i = 0; i < ng; i++)
            ADD(rec_get(json_array_get(gs, i), "stack"), "goroutine %" PRId64 " [%s]", rec_int(json_array_get(gs, i), "id"), rec_str(json_array_get(gs, i), "state"));
    } else {
        size_t ns;
        const json_t *st = items(r, "steps", &ns);
        for (size_t i = 0; i < ns; i++) {
            const json_t *h = rec_get(json_array_get(st, i), "holds"), *w = rec_get(json_array_get(st, i), "wants");
            int64_t g = rec_int(json_array_get(st, i), "goroutine");
            ADD(rec_get(w, "stack"), "goroutine %" PRId64 " asks for %s 0x%012" PRIxPTR " (%s)", g, rec_str(w, "type"),
                rec_hex(w, "addr"), mode(w));
            if (h)
                ADD(rec_get(h, "stack"), "goroutine %" PRId64 " holds %s 0x%012" PRIxPTR " (%s)", g, rec_str(h, "type"),
                    rec_hex(h, "addr"), mode(h));
        }
    }
#undef ADD
    return n;
}

/* The one-line message of a finding. */
static void summary(const json_t *r, char *buf, size_t size)
{
    const char *k = rec_str(r, "kind");
    if (!strcmp(k, "race")) {
        const json_t *a = rec_get(r, "accesses");
        snprintf(buf, size, "Data race at 0x%012" PRIxPTR ": %s by goroutine %" PRId64 " and %s by goroutine %" PRId64,
                 rec_hex(r, "addr"), access_kind(json_array_get(a, 0), false), rec_int(json_array_get(a, 0), "goroutine"),
                 access_kind(json_array_get(a, 1), true), rec_int(json_array_get(a, 1), "goroutine"));
    } else if (!strcmp(k, "copy")) {
        snprintf(buf, size, "%s at 0x%012" PRIxPTR " is a copy of the one at 0x%012" PRIxPTR
                            ", made after that one was used",
                 rec_str(r, "type"), rec_hex(r, "addr"), rec_hex(r, "original"));
    } else if (!strcmp(k, "partial-deadlock")) {
        snprintf(buf, size, "Partial deadlock: goroutine %" PRId64 " is blocked forever on %s",
                 rec_int(r, "goroutine"), rec_str(r, "waitreason"));
    } else if (!strcmp(k, "leak")) {
        snprintf(buf, size, "Goroutine leak: goroutine %" PRId64 " still %s (%s) when %s", rec_int(r, "goroutine"),
                 rec_str(r, "state"), rec_str(r, "waitreason"), rec_str(r, "when"));
    } else if (!strcmp(k, "deadlock") || !strcmp(k, "runtime-error") || !strcmp(k, "timeout")) {
        snprintf(buf, size, "%s", rec_str(r, "message"));
    } else {
        size_t n;
        items(r, "steps", &n);
        snprintf(buf, size, !strcmp(k, "wait-cycle") ? "Deadlock: %zu goroutines wait for each other's locks in a cycle"
                           : !strcmp(k, "lock-order") ? "Potential deadlock: lock-order inversion between %zu goroutines"
                                                      : "Potential deadlock: recursive read lock with a writer (%zu goroutines)",
                 n);
    }
}

/* A thread flow per stack, outermost frame first (execution order). */
static json_t *sarif_code_flows(const labeled *st, size_t ns)
{
    json_t *flows = json_array();
    for (size_t i = 0; i < ns; i++) {
        json_t *locs = json_array();
        size_t nf = json_array_size(st[i].stack);
        for (size_t j = 0; j < nf; j++) {
            const json_t *fr = json_array_get(st[i].stack, nf - 1 - j);
            json_array_append_new(locs, json_pack("{s:I,s:o}", "nestingLevel", (json_int_t)j, "location",
                                                  sarif_location(fr, -1, rec_str(fr, "function"))));
        }
        json_array_append_new(flows, json_pack("{s:o,s:o}", "message", sarif_text(st[i].what), "locations", locs));
    }
    return json_pack("[{s:o}]", "threadFlows", flows);
}

static json_t *sarif_result(const json_t *r)
{
    const char *rule = rule_of(r);
    labeled st[16];
    size_t ns = stacks_of(r, st, 16);
    char msg[512];
    summary(r, msg, sizeof msg);
    json_t *res = json_pack("{s:s,s:I,s:s,s:o}", "ruleId", rule, "ruleIndex", (json_int_t)finding_rule_index(rule),
                            "level", "error", "message", sarif_text(msg));
    json_t *locs = json_array();
    if (ns)
        json_array_append_new(locs, sarif_location(json_array_get(st[0].stack, 0), -1, NULL));
    json_object_set_new(res, "locations", locs);
    if (ns > 1) {
        json_t *rel = json_array();
        for (size_t i = 1; i < ns; i++)
            json_array_append_new(rel, sarif_location(json_array_get(st[i].stack, 0), (int)i, st[i].what));
        json_object_set_new(res, "relatedLocations", rel);
    }
    if (ns)
        json_object_set_new(res, "codeFlows", sarif_code_flows(st, ns));
    char *text = text_of(r);
    json_object_set_new(res, "properties", json_pack("{s:o,s:o}", "kind", jb_string(rec_str(r, "kind")), "report",
                                                     jb_string(text)));
    free(text);
    return res;
}

static json_t *sarif_driver(void)
{
    json_t *rules = json_array();
    for (size_t i = 0; i < finding_nrules; i++)
        json_array_append_new(rules, json_pack("{s:s,s:o,s:{s:s}}", "id", finding_rules[i].id, "shortDescription",
                                               sarif_text(finding_rules[i].description), "defaultConfiguration",
                                               "level", "error"));
    return json_pack("{s:s,s:s,s:s,s:o}", "name", "corace", "version", CORACE_VERSION, "informationUri",
                     "https://github.com/corace/corace", "rules", rules);
}

static void out_sarif(FILE *f, const record_set *rs)
{
    json_t *run = json_pack("{s:{s:o}}", "tool", "driver", sarif_driver());
    if (strip_prefix[0])
        json_object_set_new(run, "originalUriBaseIds",
                            json_pack("{s:{s:{s:s}}}", "%SRCROOT%", "description", "text",
                                      "The source root: file paths are relative to it (corace report "
                                      "--strip-path-prefix)"));
    json_t *results = json_array();
    for (size_t i = 0; i < rs->n; i++)
        json_array_append_new(results, sarif_result(rs->recs[i]));
    json_object_set_new(run, "results", results);
    json_t *doc = json_pack("{s:s,s:s,s:[o]}", "$schema",
                            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
                            "version", "2.1.0", "runs", run);
    if (!doc || jb_dumpf(doc, f) != 0)
        cli_die(EXIT_FAIL, "report: the SARIF document cannot be written");
    fputc('\n', f);
    json_decref(doc);
}

/* ---- JUnit XML ---- */

static void xml_escaped(FILE *f, const char *s, bool attr)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs(attr ? "&quot;" : "\"", f); break;
        case '\n': fputs(attr ? "&#10;" : "\n", f); break;
        case '\t': fputs(attr ? "&#9;" : "\t", f); break;
        case '\r': fputs("&#13;", f); break;
        default:
            /* XML 1.0 allows no other control characters at all. */
            if (*p < 0x20)
                fputc('?', f);
            else
                fputc(*p, f);
        }
    }
}

static void out_junit(FILE *f, const record_set *sets, char **files, int nfiles)
{
    size_t failures = 0;
    for (int i = 0; i < nfiles; i++)
        failures += sets[i].n;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites tests=\"%d\" failures=\"%zu\" errors=\"0\">\n"
               "  <testsuite name=\"corace\" tests=\"%d\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
            nfiles, failures, nfiles, failures);
    for (int i = 0; i < nfiles; i++) {
        fputs("    <testcase classname=\"corace\" name=\"", f);
        xml_escaped(f, files[i], true);
        fputs("\">\n", f);
        for (size_t j = 0; j < sets[i].n; j++) {
            const json_t *r = sets[i].recs[j];
            char msg[512];
            summary(r, msg, sizeof msg);
            fputs("      <failure type=\"", f);
            xml_escaped(f, rule_of(r), true);
            fputs("\" message=\"", f);
            xml_escaped(f, msg, true);
            fputs("\">", f);
            char *text = text_of(r);
            xml_escaped(f, text, false);
            free(text);
            fputs("</failure>\n", f);
        }
        fputs("    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
}

/* ---- the command ---- */

/* --flag VALUE or --flag=VALUE (short: -o VALUE); NULL when argv[*i] is not
   this flag. */
static const char *flag_value(int argc, char **argv, int *i, const char *name, const char *shortname)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!strncmp(a, name, n) && a[n] == '=')
        return a + n + 1;
    if (strcmp(a, name) != 0 && !(shortname && strcmp(a, shortname) == 0))
        return NULL;
    if (*i + 1 >= argc)
        usage_error("%s needs a value", a);
    return argv[++*i];
}

void report_write(const char *out_path, const char *format, const record_set *sets, char **names, int nsets)
{
    record_set all = { 0 };
    for (int i = 0; i < nsets; i++)
        all.n += sets[i].n;
    all.recs = xmalloc((all.n ? all.n : 1) * sizeof *all.recs);
    for (int i = 0, k = 0; i < nsets; i++)
        for (size_t j = 0; j < sets[i].n; j++)
            all.recs[k++] = sets[i].recs[j];
    FILE *f = stdout;
    if (out_path && !(f = fopen(out_path, "w")))
        cli_die(EXIT_FAIL, "report: cannot write %s: %s", out_path, strerror(errno));
    if (!strcmp(format, "text"))
        out_text(f, &all);
    else if (!strcmp(format, "json"))
        out_json(f, &all);
    else if (!strcmp(format, "sarif"))
        out_sarif(f, &all);
    else if (!strcmp(format, "junit"))
        out_junit(f, sets, names, nsets);
    else
        out_dot(f, &all);
    bool werr = fflush(f) != 0 || ferror(f);
    if (f != stdout && fclose(f) != 0)
        werr = true;
    if (werr)
        cli_die(EXIT_FAIL, "report: cannot write %s: %s", out_path ? out_path : "stdout", strerror(errno));
    free(all.recs);
}

int cmd_report(int argc, char **argv)
{
    const char *format = "text", *out_path = NULL, *v;
    char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0;
    bool flags_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (flags_done || a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = argv[i];
        } else if (!strcmp(a, "--")) {
            flags_done = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_report_usage(stdout);
            free(files);
            return EXIT_OK;
        } else if ((v = flag_value(argc, argv, &i, "--format", NULL))) {
            format = v;
        } else if ((v = flag_value(argc, argv, &i, "--out", "-o"))) {
            out_path = v;
        } else if ((v = flag_value(argc, argv, &i, "--strip-path-prefix", NULL))) {
            strip_prefix = v;
        } else {
            usage_error("unknown flag '%s'", a);
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "junit") &&
        strcmp(format, "dot"))
        usage_error("unknown format '%s' (text, json, sarif, junit or dot)", format);
    if (nfiles == 0)
        usage_error("%s", "no FILE of records given");

    record_set *sets = xmalloc((size_t)nfiles * sizeof *sets);
    size_t total = 0;
    for (int i = 0; i < nfiles; i++) {
        if (!records_load(!strcmp(files[i], "-") ? "/dev/stdin" : files[i], &sets[i])) {
            for (int j = 0; j < i; j++)
                records_free(&sets[j]);
            free(sets);
            free(files);
            return EXIT_FAIL;
        }
        total += sets[i].n;
    }
    report_write(out_path, format, sets, files, nfiles);
    int status = total ? EXIT_FINDINGS : EXIT_OK;
    for (int i = 0; i < nfiles; i++)
        records_free(&sets[i]);
    free(sets);
    free(files);
    return status;
}
