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

#include "detector/core/depot.h"
#include "detector/core/options.h"
#include "detector/report/kinds.h"
#include "detector/report/report.h"
#include "runtime/traceback/stack.h"
#include "partial.h"

static const char *state_of(const intro_g *gp)
{
    return intro_status(gp) == INTRO_WAITING ? intro_waitreason_str(intro_waitreason(gp))
         : intro_status(gp) == INTRO_RUNNABLE ? "runnable" : "running";
}

/* gp's stack; for the running goroutine the trace given, if any. */
static void stack_of(FILE *f, intro_g *gp, const uintptr_t *pcs, int n)
{
    bool running = gp == intro_current();
    if (running && pcs && n > 0) {
        uint32_t ctx = 0;
        for (int i = n - 1; i >= 1; i--) ctx = depot_push(ctx, pcs[i]);
        report_json_stack(f, pcs[0], ctx);
    } else if (!running && !intro_saved_sp(gp)) {
        /* Never ran: its entry function, as Go shows it. */
        report_json_stack(f, intro_entry_fn(gp) + 1, 0);
    } else {
        partial_json_stack(f, gp);
    }
}

static void created_of(FILE *f, const intro_g *gp)
{
    bool main = intro_id(gp) == 1;
    if (main)
        fputs("[]", f);
    else
        report_json_stack(f, intro_created_pc(gp), 0);
    fprintf(f, ",\"created_by\":%" PRId64, main ? (int64_t)0 : intro_parent_id(gp));
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
            fprintf(f, "{\"kind\":\"%s\",\"goroutine\":%" PRId64 ",\"state\":\"%s\",\"waitreason\":",
                    finding_of(FINDING_LEAK)->record, intro_id(gp), pass == 0 ? "blocked" : "runnable");
            report_json_str(f, state_of(gp));
            fprintf(f, ",\"when\":\"%s\",\"stack\":", when);
            stack_of(f, gp, NULL, 0);
            fputs(",\"created\":", f);
            created_of(f, gp);
            report_json_degraded(f);
            fputs("}\n", f);
            n++;
        }
    fflush(f);
    return n;
}

void gorecords_fatal(const char *kind, const char *message, const uintptr_t *pcs, int npcs)
{
    if (corace_opts.format != CORACE_FORMAT_JSON) return;
    FILE *f = report_stream();
    fprintf(f, "{\"kind\":\"%s\",\"message\":", kind);
    report_json_str(f, message);
    fputs(",\"goroutines\":[", f);
    /* A panic concerns the goroutine that made it; a deadlock or a
       timeout every goroutine, as Go's dumps show them. */
    bool all = finding_by_record(kind) != finding_of(FINDING_RUNTIME_ERROR);
    const char *sep = "";
    for (intro_g *gp = intro_first(); gp; gp = intro_next(gp)) {
        bool running = gp == intro_current();
        if (!all && !running) continue;
        fprintf(f, "%s{\"id\":%" PRId64 ",\"state\":", sep, intro_id(gp));
        report_json_str(f, running && !all ? "running" : state_of(gp));
        fputs(",\"stack\":", f);
        stack_of(f, gp, pcs, npcs);
        fputs(",\"created\":", f);
        created_of(f, gp);
        fputc('}', f);
        sep = ",";
    }
    fputc(']', f);
    report_json_degraded(f);
    fputs("}\n", f);
    fflush(f);
}
