/* explore_progress.c - corace explore's progress on stderr: one redrawn
   line on a terminal, otherwise a line now and then (CI logs). */
#include "explore.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

/* Off a terminal: a line per tenth of the schedules or per this many
   seconds, whichever comes first. */
#define LOG_EVERY_S 5.0

double explore_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void explore_progress_clear(struct explore *ex)
{
    if (ex->tty && ex->progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        ex->progress_shown = false;
    }
}

void explore_progress(struct explore *ex, bool force)
{
    double t = explore_now(), el = t - ex->start;
    double rate = el > 0 ? (double)ex->done / el : 0;
    if (ex->tty) {
        if (!force && t - ex->last_log < EXPLORE_TTY_REFRESH_S)
            return;
        enum { WIDTH = 20 };
        int filled = ex->count ? (int)(ex->done * WIDTH / ex->count) : WIDTH;
        char bar[WIDTH + 1];
        for (int i = 0; i < WIDTH; i++)
            bar[i] = i < filled ? '=' : i == filled ? '>' : ' ';
        bar[WIDTH] = '\0';
        fprintf(stderr, "\r[%s] %" PRIu64 "/%" PRIu64 " schedules, %zu finding%s, %.0f/s\033[K", bar, ex->done,
                ex->count, ex->nfound, ex->nfound == 1 ? "" : "s", rate);
        fflush(stderr);
        ex->progress_shown = true;
        ex->last_log = t;
        return;
    }
    /* Not a terminal (CI logs): a line per tenth, or every few seconds. */
    uint64_t tenth = ex->count / 10 ? ex->count / 10 : 1;
    bool step = ex->done / tenth != ex->last_log_done / tenth && ex->done != ex->count;
    if (!force && !step && t - ex->last_log < LOG_EVERY_S)
        return;
    if (ex->done == ex->last_log_done && !force)
        return;
    fprintf(stderr, "corace: explore: %" PRIu64 "/%" PRIu64 " schedules, %zu finding%s, %.0f/s\n", ex->done,
            ex->count, ex->nfound, ex->nfound == 1 ? "" : "s", rate);
    ex->last_log = t;
    ex->last_log_done = ex->done;
}
