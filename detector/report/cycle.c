/*
 * cycle.c - deadlock cycles rendered as text, JSON Lines or Graphviz DOT.
 *
 * Text opens with a fixed line, as every corace finding does, so tools can
 * find it the way they find "WARNING: DATA RACE":
 *
 *     WARNING: DEADLOCK (wait-for cycle)
 *     WARNING: POTENTIAL DEADLOCK (lock-order inversion)
 *
 * A DOT graph draws goroutines as ellipses and locks as boxes, "held by"
 * edges from a lock to its holder and "waits for" (or "then asks for")
 * edges from a goroutine to a lock.  With a log file (log_path=PATH), each
 * graph is also written next to it as PATH.pid.cycleN.dot.
 */
#define _GNU_SOURCE        /* asprintf */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detector/core/options.h"
#include "detector/report/kinds.h"
#include "report.h"
#include "suppressions.h"

#define SEP "==================\n"

static unsigned ncycles;

static const char *mode(const report_lockref *l)
{
    return l->shared ? "read" : "write";
}

static void line_of(const report_lockref *l, char *buf, size_t n)
{
    report_site_line(l->at.pc, l->at.frame, buf, n);
}

/* ---- text ---- */

static void text_wait_cycle(FILE *f, const report_cycle *c)
{
    char held[512], wants[512];
    fprintf(f, SEP "%s\n", finding_of(FINDING_WAIT_CYCLE)->warning);
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        line_of(&s->held, held, sizeof held);
        line_of(&s->wants, wants, sizeof wants);
        if (s->pending)
            fprintf(f, "goroutine %" PRId64 " waits for %s 0x%012" PRIxPTR " (Lock) at %s, and new readers queue behind it\n",
                    s->goid, s->wants.type, s->wants.addr, wants);
        else
            fprintf(f, "goroutine %" PRId64 " holds %s 0x%012" PRIxPTR " (%s at %s) and waits for %s 0x%012" PRIxPTR
                       " (%s) at %s\n",
                    s->goid, s->held.type, s->held.addr, s->held.shared ? "read-locked" : "locked", held,
                    s->wants.type, s->wants.addr, s->wants.shared ? "RLock" : "Lock", wants);
    }
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        fprintf(f, "\ngoroutine %" PRId64 " [%s]:\n", s->goid, s->waitreason);
        report_print_stack(f, s->wants.at.pc, s->wants.at.frame);
        if (!s->pending) {
            fprintf(f, "%s 0x%012" PRIxPTR " %s at:\n", s->held.type, s->held.addr,
                    s->held.shared ? "read-locked" : "locked");
            report_print_stack(f, s->held.at.pc, s->held.at.frame);
        }
    }
    fputs("\nCoffman conditions (all four hold, so no goroutine of the cycle can go on):\n", f);
    fputs("  mutual exclusion: each lock admits one writer, or readers while no writer is queued\n", f);
    fputs("  hold and wait:    each goroutine keeps what it holds while it waits\n", f);
    fputs("  no preemption:    a lock is released only by an Unlock; nothing takes it away\n", f);
    fputs("  circular wait:    ", f);
    for (unsigned i = 0; i <= c->n; i++)
        fprintf(f, "%sgoroutine %" PRId64, i ? " -> " : "", c->steps[i % c->n].goid);
    fputc('\n', f);
}

static void text_lock_order(FILE *f, const report_cycle *c)
{
    fprintf(f, SEP "%s\n", finding_of(FINDING_LOCK_ORDER)->warning);
    fprintf(f, "%u %s taken in a cycle:", c->n, c->classes ? "lock classes are" : "locks are");
    for (unsigned i = 0; i < c->n; i++) fprintf(f, " 0x%012" PRIxPTR " ->", c->steps[i].held.addr);
    fprintf(f, " 0x%012" PRIxPTR "\n", c->steps[0].held.addr);
    if (c->classes) {
        /* Per class: any lock of it stands for all (lockdep's classes). */
        char at[512];
        fputs("Lock classes (the order is between all locks allocated at one place, not these alone):\n", f);
        for (unsigned i = 0; i < c->n; i++) {
            const report_lockref *l = &c->steps[i].held;
            report_site_line(l->class_pc, 0, at, sizeof at);
            fprintf(f, "  %s 0x%012" PRIxPTR ": offset %zu in a block allocated at %s\n", l->type, l->addr,
                    l->class_off, at);
        }
    }
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        fprintf(f, "\ngoroutine %" PRId64 " took %s 0x%012" PRIxPTR "%s:\n", s->goid, s->held.type, s->held.addr,
                s->held.shared ? " (read)" : "");
        report_print_stack(f, s->held.at.pc, s->held.at.frame);
        fprintf(f, "and then asked for %s 0x%012" PRIxPTR "%s:\n", s->wants.type, s->wants.addr,
                s->wants.shared ? " (read)" : "");
        report_print_stack(f, s->wants.at.pc, s->wants.at.frame);
    }
    if (c->n == 2) {
        /* lockdep's picture, for the common two-lock case. */
        const report_step *a = &c->steps[0], *b = &c->steps[1];
        /* Between classes, any two locks of them will do: the ones taken. */
        uintptr_t a_wants = c->classes ? b->held.addr : a->wants.addr;
        uintptr_t b_wants = c->classes ? a->held.addr : b->wants.addr;
        fputs("\nPossible unsafe scenario:\n\n", f);
        fprintf(f, "       goroutine %-10" PRId64 "       goroutine %" PRId64 "\n", a->goid, b->goid);
        fputs("       ----                       ----\n", f);
        fprintf(f, "  %slock(0x%012" PRIxPTR ");\n", a->held.shared ? "r" : "", a->held.addr);
        fprintf(f, "                                  %slock(0x%012" PRIxPTR ");\n", b->held.shared ? "r" : "",
                b->held.addr);
        fprintf(f, "                                  %slock(0x%012" PRIxPTR ");\n", b->wants.shared ? "r" : "",
                b_wants);
        fprintf(f, "  %slock(0x%012" PRIxPTR ");\n", a->wants.shared ? "r" : "", a_wants);
        fputs("\n *** DEADLOCK ***\n", f);
    }
}

static void text_recursive_read(FILE *f, const report_cycle *c)
{
    const report_step *r = &c->steps[0], *w = &c->steps[1];
    fprintf(f, SEP "%s\n", finding_of(FINDING_RECURSIVE_READ)->warning);
    fprintf(f, "goroutine %" PRId64 " read-locks %s 0x%012" PRIxPTR " while it holds it for reading, and goroutine %" PRId64
               " write-locks it:\na Lock between the two RLocks waits for the first, and the second waits for the Lock\n",
            r->goid, r->held.type, r->held.addr, w->goid);
    fprintf(f, "\ngoroutine %" PRId64 " took %s 0x%012" PRIxPTR " (read):\n", r->goid, r->held.type, r->held.addr);
    report_print_stack(f, r->held.at.pc, r->held.at.frame);
    fprintf(f, "and then asked for it again (read):\n");
    report_print_stack(f, r->wants.at.pc, r->wants.at.frame);
    fprintf(f, "\ngoroutine %" PRId64 " asked for it (write):\n", w->goid);
    report_print_stack(f, w->wants.at.pc, w->wants.at.frame);
    fputs("\nPossible unsafe scenario:\n\n", f);
    fprintf(f, "       goroutine %-10" PRId64 "       goroutine %" PRId64 "\n", r->goid, w->goid);
    fputs("       ----                       ----\n", f);
    fprintf(f, "  rlock(0x%012" PRIxPTR ");\n", r->held.addr);
    fprintf(f, "                                  lock(0x%012" PRIxPTR ");\n", r->held.addr);
    fprintf(f, "  rlock(0x%012" PRIxPTR ");\n", r->held.addr);
    fputs("\n *** DEADLOCK ***\n", f);
}

static void render_text(FILE *f, const report_cycle *c)
{
    switch (c->kind) {
    case REPORT_WAIT_CYCLE: text_wait_cycle(f, c); break;
    case REPORT_LOCK_ORDER: text_lock_order(f, c); break;
    case REPORT_RECURSIVE_READ: text_recursive_read(f, c); break;
    }
    report_text_degraded(f);
    fputs(SEP, f);
}

/* ---- JSON ---- */

static const finding_info *kind_of(const report_cycle *c)
{
    return finding_of(c->kind == REPORT_WAIT_CYCLE   ? FINDING_WAIT_CYCLE
                      : c->kind == REPORT_LOCK_ORDER ? FINDING_LOCK_ORDER
                                                     : FINDING_RECURSIVE_READ);
}

static void json_lock(FILE *f, const char *key, const report_lockref *l, bool classes)
{
    fprintf(f, "\"%s\":{\"addr\":\"0x%012" PRIxPTR "\",\"type\":\"%s\",\"mode\":\"%s\",\"stack\":", key, l->addr,
            l->type, mode(l));
    report_json_stack(f, l->at.pc, l->at.frame);
    if (classes) {
        /* The lock's class: where its block was allocated, and its offset. */
        char at[512];
        report_site_line(l->class_pc, 0, at, sizeof at);
        fputs(",\"class_site\":", f);
        report_json_str(f, at);
        fprintf(f, ",\"class_offset\":%zu", l->class_off);
    }
    fputc('}', f);
}

static void render_json(FILE *f, const report_cycle *c)
{
    fprintf(f, "{\"kind\":\"%s\",\"classes\":%s,\"steps\":[", kind_of(c)->record, c->classes ? "true" : "false");
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        fprintf(f, "%s{\"goroutine\":%" PRId64 ",", i ? "," : "", s->goid);
        if (c->kind == REPORT_WAIT_CYCLE) fprintf(f, "\"waitreason\":\"%s\",\"pending\":%s,", s->waitreason,
                                                  s->pending ? "true" : "false");
        /* A pending writer holds nothing: it is queued first for the lock. */
        if ((c->kind != REPORT_RECURSIVE_READ || i == 0) && !s->pending) {
            json_lock(f, "holds", &s->held, c->classes);
            fputc(',', f);
        }
        json_lock(f, "wants", &s->wants, false);
        fputc('}', f);
    }
    fputc(']', f);
    report_json_degraded(f);
    fputs("}\n", f);
}

/* ---- DOT ---- */

static void dot_lock_node(FILE *f, const report_lockref *l)
{
    fprintf(f, "  \"l%" PRIxPTR "\" [shape=box, label=\"%s\\n0x%012" PRIxPTR "\"];\n", l->addr, l->type, l->addr);
}

/* Between lock classes the picture has a node per class: step i's held
   lock stands for class i, and what it asks for is of class i + 1. */
static void dot_classes(FILE *f, const report_cycle *c)
{
    char at[512], held[512], wants[512];
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        report_site_line(s->held.class_pc, 0, at, sizeof at);
        fprintf(f, "  \"c%u\" [shape=box, label=\"%s class\\nallocated at %s\\noffset %zu\"];\n", i, s->held.type, at,
                s->held.class_off);
        fprintf(f, "  \"g%" PRId64 "_%u\" [shape=ellipse, label=\"goroutine %" PRId64 "\"];\n", s->goid, i, s->goid);
    }
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        line_of(&s->held, held, sizeof held);
        line_of(&s->wants, wants, sizeof wants);
        fprintf(f, "  \"c%u\" -> \"g%" PRId64 "_%u\" [label=\"taken by (%s)\\n%s\"];\n", i, s->goid, i, mode(&s->held), held);
        fprintf(f, "  \"g%" PRId64 "_%u\" -> \"c%u\" [label=\"then asks for (%s)\\n%s\", color=red];\n", s->goid, i,
                (i + 1) % c->n, mode(&s->wants), wants);
    }
}

static void render_dot(FILE *f, const report_cycle *c)
{
    char held[512], wants[512];
    bool wait = c->kind == REPORT_WAIT_CYCLE;
    fprintf(f, "digraph \"%s\" {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n",
            wait ? "wait-for cycle" : c->classes ? "lock-order inversion between lock classes" : "lock-order inversion");
    if (c->classes) {
        dot_classes(f, c);
        fputs("}\n", f);
        return;
    }
    /* A lock appears in two steps: declared once. */
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        fprintf(f, "  \"g%" PRId64 "_%u\" [shape=ellipse, label=\"goroutine %" PRId64 "\"];\n", s->goid,
                wait ? 0 : i, s->goid);
        dot_lock_node(f, &s->wants);
    }
    if (c->kind == REPORT_RECURSIVE_READ) dot_lock_node(f, &c->steps[0].held);
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        line_of(&s->held, held, sizeof held);
        line_of(&s->wants, wants, sizeof wants);
        unsigned id = wait ? 0 : i;
        if (c->kind == REPORT_RECURSIVE_READ && i == 1) {
            fprintf(f, "  \"g%" PRId64 "_%u\" -> \"l%" PRIxPTR "\" [label=\"asks for (write)\\n%s\", color=red];\n",
                    s->goid, id, s->wants.addr, wants);
            continue;
        }
        if (!s->pending)
            fprintf(f, "  \"l%" PRIxPTR "\" -> \"g%" PRId64 "_%u\" [label=\"%s (%s)\\n%s\"];\n", s->held.addr, s->goid, id,
                    wait ? "held by" : "taken by", mode(&s->held), held);
        fprintf(f, "  \"g%" PRId64 "_%u\" -> \"l%" PRIxPTR "\" [label=\"%s (%s)\\n%s\", color=red];\n", s->goid, id,
                s->wants.addr, wait ? (s->pending ? "queued first for" : "waits for") : "then asks for", mode(&s->wants),
                wants);
    }
    fputs("}\n", f);
}

/* ---- the finding ---- */

static void dot_file_next_to_log(const report_cycle *c)
{
    const char *path = corace_opts.log_path;
    if (!path[0] || !strcmp(path, "stderr") || !strcmp(path, "stdout") || corace_opts.format == CORACE_FORMAT_DOT)
        return;
    char *name = NULL;
    if (asprintf(&name, "%s.%d.cycle%u.dot", path, (int)getpid(), ncycles) < 0) return;
    FILE *f = fopen(name, "w");
    if (f) {
        render_dot(f, c);
        fclose(f);
    } else {
        fprintf(stderr, "corace: cannot write %s: %m\n", name);
    }
    free(name);
}

/* Suppressed when a frame of any step's stacks (where each lock was taken
   and where each is asked for) matches a wait-cycle or lock-order rule. */
static bool cycle_suppressed(const report_cycle *c)
{
    if (!suppressions_active())
        return false;
    enum suppress_kind k = kind_of(c)->suppress;
    for (unsigned i = 0; i < c->n; i++) {
        const report_site sites[2] = { c->steps[i].held.at, c->steps[i].wants.at };
        if (report_suppressed(k, sites, 2))
            return true;
    }
    return false;
}

void report_cycle_found(const report_cycle *c)
{
    if (cycle_suppressed(c))
        return;
    fflush(stdout);
    ncycles++;
    FILE *f;
    switch (corace_opts.format) {
    case CORACE_FORMAT_DOT:
        f = report_log();
        render_dot(f, c);
        /* Readable too: the text goes to stderr unless the graph does. */
        if (f != stderr) render_text(stderr, c);
        break;
    case CORACE_FORMAT_JSON:
        f = report_stream();
        render_json(f, c);
        break;
    default:
        f = report_stream();
        render_text(f, c);
        break;
    }
    fflush(f);
    fflush(stderr);
    dot_file_next_to_log(c);
    report_other_findings(1);
}
