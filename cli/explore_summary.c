/* explore_summary.c - what corace explore ran and found, at its end: as
   text, and as the JSON summary line that shards merge by. */
#include "explore.h"
#include "json_bytes.h"
#include "util.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

void explore_summary(struct explore *ex, enum stop why, double seconds, int status)
{
    double rate = seconds > 0 ? (double)ex->done / seconds : 0;
    /* Distinct findings by kind, in the order first found. */
    struct argv_buf kinds = {0};
    size_t counts[64] = {0};
    for (size_t i = 0; i < ex->nfound; i++) {
        size_t k = 0;
        while (k < kinds.n && strcmp(kinds.v[k], ex->found[i].kind))
            k++;
        if (k == kinds.n && k < 64)
            argv_push(&kinds, ex->found[i].kind);
        if (k < 64)
            counts[k]++;
    }
    FILE *t = ex->text ? ex->text : stderr;
    fprintf(t, "corace: explore: %" PRIu64 " of %" PRIu64 " schedules run (strategy %s", ex->done, ex->count,
            ex->strategy);
    if (!strcmp(ex->strategy, "pct"))
        fprintf(t, ", depth %" PRIu64 ", steps %" PRIu64, ex->depth, ex->steps ? ex->steps : ex->calibrated);
    fprintf(t, ", seeds %" PRIu64, ex->seed0);
    if (ex->stride > 1)
        fprintf(t, " + k*%" PRIu64, ex->stride);
    else if (ex->count > 1)
        fprintf(t, "..%" PRIu64, ex->seed0 + ex->count - 1);
    fprintf(t, ") in %.1f s, %.0f schedules/s", seconds, rate);
    if (ex->done)
        fprintf(t, ", %" PRIu64 " steps per schedule on average", ex->steps_sum / ex->done);
    fputc('\n', t);
    if (ex->nfound == 0) {
        fputs("corace: explore: no findings\n", t);
    } else {
        fprintf(t, "corace: explore: %zu distinct finding%s:", ex->nfound, ex->nfound == 1 ? "" : "s");
        for (size_t k = 0; k < kinds.n; k++)
            fprintf(t, "%s %zu %s", k ? "," : "", counts[k], explore_kind_title(kinds.v[k]));
        fputc('\n', t);
    }
    if (why == STOP_FINDING)
        fputs("corace: explore: stopped at the first schedule with a finding (--keep-going explores on)\n", t);
    else if (why == STOP_BUDGET)
        fprintf(t, "corace: explore: stopped by --time-budget %s\n", ex->budget_text);
    explore_flush(t, t == stdout ? "stdout" : t == stderr ? "stderr" : ex->out_path);
    if (ex->json) {
        const char *prog = ex->nsrc ? ex->sources[0] : ex->prog;
        json_t *o = json_pack("{s:s,s:o,s:s}", "kind", "summary", "program", jb_string(prog), "strategy", ex->strategy);
        explore_add_pct(ex, o);
        char shard[48];
        snprintf(shard, sizeof shard, "%" PRIu64 "/%" PRIu64, ex->shard_i, ex->shard_n);
        json_t *found = json_object();
        for (size_t k = 0; k < kinds.n; k++)
            json_object_set_new(found, kinds.v[k], json_integer((json_int_t)counts[k]));
        /* Seconds to the millisecond, the rate to a tenth: more is noise. */
        json_object_update_new(o, json_pack("{s:s,s:I,s:I,s:I,s:I,s:f,s:f,s:s,s:i,s:o}", "shard", shard, "first_seed",
                                        (json_int_t)ex->seed0, "stride", (json_int_t)ex->stride, "planned",
                                        (json_int_t)ex->count, "schedules", (json_int_t)ex->done, "seconds",
                                        round(seconds * 1000) / 1000, "schedules_per_second", round(rate * 10) / 10,
                                        "stopped",
                                        why == STOP_FINDING ? "finding" : why == STOP_BUDGET ? "time-budget" : "done",
                                        "status", status, "findings", found));
        explore_json_line(ex, o);
    }
    argv_free(&kinds);
}
