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
#include "detector/report/report.h"
#include "runtime/traceback/stack.h"
#include "partial.h"
#include "runtime/scheduler.h"

static const char *state_of(const g *gp)
{
    return gp->status == G_WAITING ? waitreason_str[gp->waitreason]
         : gp->status == G_RUNNABLE ? "runnable" : "running";
}

/* gp's stack; for the running goroutine the trace given, if any. */
static void stack_of(FILE *f, g *gp, const uintptr_t *pcs, int n)
{
    if (gp == sched_cur && pcs && n > 0) {
        uint32_t ctx = 0;
        for (int i = n - 1; i >= 1; i--) ctx = depot_push(ctx, pcs[i]);
        report_json_stack(f, pcs[0], ctx);
    } else if (gp != sched_cur && !gp->sp) {
        /* Never ran: its entry function, as Go shows it. */
        report_json_stack(f, (uintptr_t)gp->fn + 1, 0);
    } else {
        partial_json_stack(f, gp);
    }
}

static void created_of(FILE *f, const g *gp)
{
    if (gp->id == 1)
        fputs("[]", f);
    else
        report_json_stack(f, gp->created_pc, 0);
    fprintf(f, ",\"created_by\":%" PRId64, gp->id == 1 ? (int64_t)0 : gp->parent_id);
}

int gorecords_leaks(FILE *f, bool (*skip)(g *gp))
{
    const char *when = sched_cur->id == 1 ? "main returned" : "the program exited";
    int n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (g *gp = sched_first(); gp; gp = gp->allnext) {
            if (gp == sched_cur || gp->status != (pass == 0 ? G_WAITING : G_RUNNABLE)) continue;
            if (skip && skip(gp)) continue;
            fprintf(f, "{\"kind\":\"leak\",\"goroutine\":%" PRId64 ",\"state\":\"%s\",\"waitreason\":", gp->id,
                    pass == 0 ? "blocked" : "runnable");
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
    bool all = strcmp(kind, "runtime-error") != 0;
    const char *sep = "";
    for (g *gp = sched_first(); gp; gp = gp->allnext) {
        if (!all && gp != sched_cur) continue;
        fprintf(f, "%s{\"id\":%" PRId64 ",\"state\":", sep, gp->id);
        report_json_str(f, gp == sched_cur && !all ? "running" : state_of(gp));
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
