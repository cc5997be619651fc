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

#include <stdio.h>

/* Prints the report to f when some goroutine other than the one exiting is
   blocked or never finished; returns how many goroutines it names. */
__attribute__((visibility("default"))) int co__leak_report(FILE *f);

int co__leak_report(FILE *f)
{
    int blocked = 0, lost = 0;
    for (g *gp = sched_first(); gp; gp = gp->allnext) {
        if (gp == sched_cur) continue;
        if (gp->status == G_WAITING) blocked++;
        else if (gp->status == G_RUNNABLE) lost++;
    }
    if (!blocked && !lost) return 0;
    fflush(stdout);
    fprintf(f, "==================\nWARNING: GOROUTINE LEAK\n");
    const char *when = sched_cur->id == 1 ? "when main returned" : "when the program exited";
    if (blocked)
        fprintf(f, "%d goroutine%s still blocked %s\n", blocked, blocked == 1 ? "" : "s", when);
    if (lost)
        fprintf(f, "%d goroutine%s still runnable %s (lost work: %s)\n", lost, lost == 1 ? "" : "s", when,
                lost == 1 ? "it never finished" : "they never finished");
    for (int pass = 0; pass < 2; pass++)
        for (g *gp = sched_first(); gp; gp = gp->allnext) {
            if (gp == sched_cur || gp->status != (pass == 0 ? G_WAITING : G_RUNNABLE)) continue;
            fputc('\n', f);
            fatal_print_goroutine(f, gp);
        }
    fprintf(f, "==================\n");
    fflush(f);
    return blocked + lost;
}
