/*
 * leak.c - goroutines left behind when the program ends.
 *
 * Go ends every goroutine when main returns; a goroutine still blocked then
 * waited for something that never came (goleak's finding), and one that
 * never ran at all was work the program meant to do and lost (the seeds'
 * "main exits before its worker ran").  The checker asks for this report at
 * exit; the runtime renders it, since only it knows its goroutines.
 */
#include "corace.h"
#include "fatal.h"
#include "scheduler.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* Prints the report to f when some goroutine other than the one exiting is
   blocked or never finished; returns how many goroutines it names.  When
   skip is given, a goroutine it returns true for (the checker's leak
   suppressions) is left out of the report and the counts. */
__attribute__((visibility("default"))) int co__leak_report(FILE *f, bool (*skip)(g *gp));

int co__leak_report(FILE *f, bool (*skip)(g *gp))
{
    /* The leaked goroutines, blocked ones first; skip asked once each. */
    size_t n = 0, cap = 0;
    g **leaks = NULL;
    int blocked = 0, lost = 0;
    for (int pass = 0; pass < 2; pass++)
        for (g *gp = sched_first(); gp; gp = gp->allnext) {
            if (gp == sched_cur || gp->status != (pass == 0 ? G_WAITING : G_RUNNABLE)) continue;
            if (skip && skip(gp)) continue;
            if (n == cap) {
                size_t ncap = cap ? 2 * cap : 16;
                g **nl = realloc(leaks, ncap * sizeof *nl);
                if (!nl) break;   /* out of memory: report what fits */
                leaks = nl;
                cap = ncap;
            }
            leaks[n++] = gp;
            if (pass == 0) blocked++;
            else lost++;
        }
    if (!n) {
        free(leaks);
        return 0;
    }
    fflush(stdout);
    fprintf(f, "==================\nWARNING: GOROUTINE LEAK\n");
    const char *when = sched_cur->id == 1 ? "when main returned" : "when the program exited";
    if (blocked)
        fprintf(f, "%d goroutine%s still blocked %s\n", blocked, blocked == 1 ? "" : "s", when);
    if (lost)
        fprintf(f, "%d goroutine%s still runnable %s (lost work: %s)\n", lost, lost == 1 ? "" : "s", when,
                lost == 1 ? "it never finished" : "they never finished");
    for (size_t i = 0; i < n; i++) {
        fputc('\n', f);
        fatal_print_goroutine(f, leaks[i]);
    }
    fprintf(f, "==================\n");
    fflush(f);
    free(leaks);
    return blocked + lost;
}
