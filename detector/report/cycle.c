/*
 * cycle.c - deadlock cycles as records (record.h): rendered as text
 * (render_text.c), written as JSON Lines, or drawn as Graphviz DOT
 * (render_dot.c).
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
#include "record.h"
#include "render_dot.h"
#include "render_text.h"
#include "report.h"
#include "suppressions.h"

static unsigned ncycles;

static const char *mode(const report_lockref *l)
{
    return l->shared ? "read" : "write";
}

/* ---- the record ---- */

static const finding_info *kind_of(const report_cycle *c)
{
    return finding_of(c->kind == REPORT_WAIT_CYCLE   ? FINDING_WAIT_CYCLE
                      : c->kind == REPORT_LOCK_ORDER ? FINDING_LOCK_ORDER
                                                     : FINDING_RECURSIVE_READ);
}

static json_t *json_lock(const report_lockref *l, bool classes)
{
    json_t *o = json_object();
    rec_set(o, "addr", rec_new_hex(l->addr, 1));
    rec_set(o, "type", rec_new_str(l->type));
    rec_set(o, "mode", json_string(mode(l)));
    rec_set(o, "stack", report_json_stack(l->at.pc, l->at.frame));
    if (classes) {
        /* The lock's class: where its block was allocated, and its offset. */
        char at[512];
        report_site_line(l->class_pc, 0, at, sizeof at);
        rec_set(o, "class_site", rec_new_str(at));
        rec_set(o, "class_offset", json_integer((json_int_t)l->class_off));
    }
    return o;
}

static json_t *cycle_record(const report_cycle *c)
{
    json_t *rec = json_object(), *steps = json_array();
    if (!rec)
        return NULL;
    rec_set(rec, "kind", json_string(kind_of(c)->record));
    rec_set(rec, "classes", json_boolean(c->classes));
    for (unsigned i = 0; i < c->n; i++) {
        const report_step *s = &c->steps[i];
        json_t *o = json_object();
        rec_set(o, "goroutine", json_integer(s->goid));
        if (c->kind == REPORT_WAIT_CYCLE) {
            rec_set(o, "waitreason", rec_new_str(s->waitreason));
            rec_set(o, "pending", json_boolean(s->pending));
        }
        /* A pending writer holds nothing: it is queued first for the lock. */
        if ((c->kind != REPORT_RECURSIVE_READ || i == 0) && !s->pending)
            rec_set(o, "holds", json_lock(&s->held, c->classes));
        rec_set(o, "wants", json_lock(&s->wants, false));
        json_array_append_new(steps, o);
    }
    rec_set(rec, "steps", steps);
    report_json_degraded(rec);
    return rec;
}

/* ---- the finding ---- */

static void dot_file_next_to_log(const json_t *rec)
{
    const char *path = corace_opts.log_path;
    if (!path[0] || !strcmp(path, "stderr") || !strcmp(path, "stdout") || corace_opts.format == CORACE_FORMAT_DOT)
        return;
    char *name = NULL;
    if (asprintf(&name, "%s.%d.cycle%u.dot", path, (int)getpid(), ncycles) < 0) return;
    FILE *f = fopen(name, "w");
    if (f) {
        rd_render(f, "", rec);
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
    json_t *rec = cycle_record(c);
    if (!rec)
        return;
    FILE *f;
    switch (corace_opts.format) {
    case CORACE_FORMAT_DOT:
        f = report_log();
        rd_render(f, "", rec);
        /* Readable too: the text goes to stderr unless the graph does. */
        if (f != stderr) rt_render(stderr, "", rec);
        break;
    case CORACE_FORMAT_JSON:
        f = report_stream();
        rec_write(f, json_incref(rec));
        break;
    default:
        f = report_stream();
        rt_render(f, "", rec);
        break;
    }
    fflush(f);
    fflush(stderr);
    dot_file_next_to_log(rec);
    json_decref(rec);
    report_other_findings(1);
}
