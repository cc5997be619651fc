/*
 * gorecords.c - the findings the runtime prints itself (goroutine leaks at
 * exit, and the program's death: a global deadlock, a panic, a fatal error
 * or fault, a timeout's SIGQUIT) as JSON Lines records, when the checker's
 * format is json.  The runtime's text still goes to stderr; these records
 * let `corace report` and the SARIF/JUnit outputs see every finding.
 *
 *   {"kind":"leak","goroutine":5,"state":"blocked","waitreason":"chan receive",
 *    "when":"main returned","stack":[...],"created":[...],"created_by":1}
 *   {"kind":"deadlock"|"runtime-error"|"timeout","message":"fatal error: ...",
 *    "goroutines":[{"id":1,"state":"chan send","stack":[...],"created":[...],
 *    "created_by":0}, ...]}
 */
#include "gorecords.h"

#include <inttypes.h>
#include <string.h>

#include "detector/core/depot.h"
#include "detector/core/options.h"
#include "detector/report/kinds.h"
#include "detector/report/record.h"
#include "detector/report/report.h"
#include "runtime/traceback/stack.h"
#include "partial.h"

static const char *state_of(const intro_g *gp)
{
    return intro_status(gp) == INTRO_WAITING ? intro_waitreason_str(intro_waitreason(gp))
         : intro_status(gp) == INTRO_RUNNABLE ? "runnable" : "running";
}

/* gp's stack; for the running goroutine the trace given, if any. */
static json_t *stack_of(intro_g *gp, const uintptr_t *pcs, int n)
{
    bool running = gp == intro_current();
    if (running && pcs && n > 0) {
        uint32_t ctx = 0;
        for (int i = n - 1; i >= 1; i--) ctx = depot_push(ctx, pcs[i]);
        return report_json_stack(pcs[0], ctx);
    }
    if (!running && !intro_saved_sp(gp))
        return report_json_stack(intro_entry_fn(gp) + 1, 0);   /* never ran: its entry, as Go shows it */
    return partial_json_stack(gp);
}

/* o.created and o.created_by: main has neither stack nor parent. */
static void created_of(json_t *o, const intro_g *gp)
{
    bool main = intro_id(gp) == 1;
    rec_set(o, "created", main ? json_array() : report_json_stack(intro_created_pc(gp), 0));
    rec_set(o, "created_by", json_integer(main ? 0 : intro_parent_id(gp)));
}

int gorecords_leaks(FILE *f, bool (*skip)(intro_g *gp))
{
    intro_g *cur = intro_current();
    const char *when = intro_id(cur) == 1 ? "main returned" : "the program exited";
    int n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (intro_g *gp = intro_first(); gp; gp = intro_next(gp)) {
            if (gp == cur || intro_status(gp) != (pass == 0 ? INTRO_WAITING : INTRO_RUNNABLE)) continue;
            if (skip && skip(gp)) continue;
            json_t *rec = json_object();
            if (!rec) continue;
            rec_set(rec, "kind", json_string(finding_of(FINDING_LEAK)->record));
            rec_set(rec, "goroutine", json_integer(intro_id(gp)));
            rec_set(rec, "state", json_string(pass == 0 ? "blocked" : "runnable"));
            rec_set(rec, "waitreason", rec_new_str(state_of(gp)));
            rec_set(rec, "when", json_string(when));
            rec_set(rec, "stack", stack_of(gp, NULL, 0));
            created_of(rec, gp);
            report_json_degraded(rec);
            rec_write(f, rec);
            n++;
        }
    fflush(f);
    return n;
}

void gorecords_fatal(const char *kind, const char *message, const uintptr_t *pcs, int npcs)
{
    if (corace_opts.format != CORACE_FORMAT_JSON) return;
    json_t *rec = json_object(), *gs = json_array();
    if (!rec) return;
    rec_set(rec, "kind", json_string(kind));   /* a finding kind the runtime names (events.h) */
    rec_set(rec, "message", rec_new_str(message));
    /* A panic concerns the goroutine that made it; a deadlock or a
       timeout every goroutine, as Go's dumps show them. */
    bool all = strcmp(kind, finding_of(FINDING_RUNTIME_ERROR)->record) != 0;
    for (intro_g *gp = intro_first(); gp; gp = intro_next(gp)) {
        bool running = gp == intro_current();
        if (!all && !running) continue;
        json_t *o = json_object();
        rec_set(o, "id", json_integer(intro_id(gp)));
        rec_set(o, "state", rec_new_str(running && !all ? "running" : state_of(gp)));
        rec_set(o, "stack", stack_of(gp, pcs, npcs));
        created_of(o, gp);
        json_array_append_new(gs, o);
    }
    rec_set(rec, "goroutines", gs);
    report_json_degraded(rec);
    FILE *f = report_stream();
    rec_write(f, rec);
    fflush(f);
}
