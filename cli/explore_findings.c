/* explore_findings.c - the findings of corace explore: the records of each
   schedule, deduplicated by where their stacks start, printed once with the
   `corace run` command that replays them (as text and as JSON lines). */
/* open_memstream: _GNU_SOURCE comes from the build (cli/CMakeLists.txt). */
#include "explore.h"
#include "cache.h"
#include "exitcodes.h"
#include "detector/report/record.h"
#include "detector/report/render_text.h"
#include "util.h"
#include "detector/report/kinds.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A stack is an array whose first item is a frame (an object with "pc"). */
static void collect_pcs(const json_t *v, struct argv_buf *pcs)
{
    const json_t *first = json_array_get(v, 0);
    if (rec_has(first, "pc") && rec_has(first, "function"))
        argv_push(pcs, rec_str(first, "pc"));
    const char *key;
    json_t *item;
    size_t i;
    json_array_foreach(v, i, item) {
        collect_pcs(item, pcs);
    }
    json_object_foreach((json_t *)v, key, item) {
        collect_pcs(item, pcs);
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The pcs that identify a record, as one bug shows from schedule to
   schedule:
   - a race: the pair of its accesses' pcs (Go's and TSan's rule), not the
     goroutines' creation sites, which differ with the goroutines involved;
   - a leak: where the goroutine was created, the function it runs (its
     stack's last frame) and what it waits for, not where in that function
     it happens to be parked, which differs with the schedule;
   - the rest (cycles: where each lock was taken and asked for; partial
     deadlocks, dumps): where each of its stacks starts. */
static void record_pcs(const json_t *r, struct argv_buf *pcs)
{
    const finding_info *k = finding_by_record(rec_str(r, "kind"));
    if (k == finding_of(FINDING_RACE)) {
        for (size_t i = 0; i < rec_len(r, "accesses"); i++)
            argv_push(pcs, rec_str(json_array_get(rec_get(rec_at(r, "accesses", i), "stack"), 0), "pc"));
    } else if (k == finding_of(FINDING_LEAK)) {
        const json_t *stack = rec_get(r, "stack");
        argv_push(pcs, rec_str(json_array_get(rec_get(r, "created"), 0), "pc"));
        argv_push(pcs, rec_str(json_array_get(stack, json_array_size(stack) - 1), "function"));
        argv_push(pcs, rec_str(r, "waitreason"));
    } else {
        collect_pcs(r, pcs);
    }
}

/* The finding's identity: its kind and its records' pcs (record_pcs),
   sorted, so that a race seen from either side (or a cycle entered at
   another goroutine) is the same finding.  With address randomization off
   the pcs are the same in every schedule. */
static char *finding_key(const char *kind, json_t *const *recs, size_t n, const char *extra)
{
    struct argv_buf pcs = {0};
    if (extra)
        argv_push(&pcs, extra);
    for (size_t i = 0; i < n; i++)
        record_pcs(recs[i], &pcs);
    if (pcs.n)
        qsort(pcs.v, pcs.n, sizeof *pcs.v, cmp_str);
    size_t len = strlen(kind) + 1;
    for (size_t i = 0; i < pcs.n; i++)
        len += strlen(pcs.v[i]) + 1;
    char *key = xmalloc(len + 1);
    strcpy(key, kind);
    for (size_t i = 0; i < pcs.n; i++) {
        strcat(key, i ? "," : ":");
        strcat(key, pcs.v[i]);
    }
    argv_free(&pcs);
    return key;
}

/* A short stable id of a key for the JSON lines (merged shards dedup on it). */
static uint64_t key_id(const char *key)
{
    struct hasher h;
    hash_init(&h);
    hash_str(&h, key);
    return h.h;
}

/* The kind a finding is counted and named under: the record's, except
   that a schedule that ran out of time is a livelock candidate. */
static const char *finding_kind(const char *record_kind)
{
    return finding_by_record(record_kind) == finding_of(FINDING_TIMEOUT) ? "livelock" : record_kind;
}

/* The program died: a kind no suppression can hide (kinds.inc), or one of
   explore's own, which no record names. */
static bool kind_is_fatal(const char *kind)
{
    const finding_info *info = finding_by_record(kind);
    return !info || info->suppress == SUPPRESS_NONE;
}

const char *explore_kind_title(const char *kind)
{
    if (!strcmp(kind, "livelock"))
        return "livelock or starvation candidate";
    if (!strcmp(kind, "signal"))
        return "crash";
    if (finding_by_record(kind) == finding_of(FINDING_RACE))
        return "data race";
    return kind;
}

/* s as one shell word: as is when it has only safe characters, else in
   single quotes. */
static void shell_word(FILE *f, const char *s)
{
    if (s[0] && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+=./,:@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

static void write_replay(struct explore *ex, FILE *f, uint64_t seed, const char *kind)
{
    fprintf(f, "corace run --seed %" PRIu64 " --strategy %s", seed, ex->strategy);
    if (!strcmp(ex->strategy, "pct"))
        fprintf(f, " --depth %" PRIu64 " --steps %" PRIu64, ex->depth, ex->steps ? ex->steps : ex->calibrated);
    /* Replaying a schedule that never ended needs the same limit. */
    if (!strcmp(kind, "livelock") && ex->timeout_s > 0) {
        fputs(" --timeout ", f);
        shell_word(f, ex->timeout_text);
    }
    for (int i = 0; i < ex->nsrc; i++) {
        fputc(' ', f);
        shell_word(f, ex->sources[i]);
    }
    if (!ex->nsrc) {
        fputc(' ', f);
        shell_word(f, ex->prog);
    }
    if (ex->nargs)
        fputs(" --", f);
    for (int i = 0; i < ex->nargs; i++) {
        fputc(' ', f);
        shell_word(f, ex->args[i]);
    }
}

static char *replay_command(struct explore *ex, uint64_t seed, const char *kind)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        cli_die(EXIT_CANNOT_RUN, "explore: out of memory");
    write_replay(ex, m, seed, kind);
    fclose(m);
    return buf;
}

void explore_flush(FILE *f, const char *what)
{
    if (f && (fflush(f) != 0 || ferror(f)))
        cli_die(EXIT_CANNOT_RUN, "explore: cannot write %s: %s", what, strerror(errno));
}

/* The key's id as 16 hex digits (a static buffer). */
static const char *id_text(const char *key)
{
    static char id[17];
    snprintf(id, sizeof id, "%016" PRIx64, key_id(key));
    return id;
}

void explore_add_pct(const struct explore *ex, json_t *o)
{
    if (strcmp(ex->strategy, "pct"))
        return;
    json_object_set_new(o, "depth", json_integer((json_int_t)ex->depth));
    json_object_set_new(o, "steps", json_integer((json_int_t)(ex->steps ? ex->steps : ex->calibrated)));
}

void explore_json_line(struct explore *ex, json_t *o)
{
    if (!o || json_dumpf(o, ex->json, CLI_JSON_DUMP) != 0)
        cli_die(EXIT_CANNOT_RUN, "explore: a finding cannot be written as JSON");
    fputc('\n', ex->json);
    json_decref(o);
    explore_flush(ex->json, ex->out_path ? ex->out_path : "stdout");
}

/* A finding of schedule seed: recs[0..n) (NULL, 0 for a timeout or crash
   without records, with note saying what happened).  Printed when new. */
static void finding(struct explore *ex, uint64_t seed, const char *kind, json_t *const *recs, size_t n,
                    const char *note, const char *extra_key)
{
    ex->any_finding = true;
    if (kind_is_fatal(kind))
        ex->any_fatal = true;
    char *key = finding_key(kind, recs, n, extra_key);
    for (size_t i = 0; i < ex->nfound; i++) {
        if (!strcmp(ex->found[i].key, key)) {
            free(key);
            return;
        }
    }
    ex->found = xrealloc(ex->found, (ex->nfound + 1) * sizeof *ex->found);
    ex->found[ex->nfound++] = (struct finding){key, xstrdup(kind), seed};
    char *replay = replay_command(ex, seed, kind);
    explore_progress_clear(ex);
    if (ex->text) {
        fprintf(ex->text, "corace: explore: finding %zu, %s, in the schedule of seed %" PRIu64 ":\n", ex->nfound,
                explore_kind_title(kind), seed);
        if (note)
            fprintf(ex->text, "%s", note);
        for (size_t i = 0; i < n; i++)
            rt_render(ex->text, "", recs[i]);
        fprintf(ex->text, "replay: %s\n\n", replay);
        explore_flush(ex->text, ex->text == stdout ? "stdout" : ex->out_path);
    }
    if (ex->json) {
        json_t *o = json_pack("{s:o,s:s,s:I,s:s}", "kind", rec_new_str(kind), "id", id_text(key),
                              "seed", (json_int_t)seed, "strategy", ex->strategy);
        explore_add_pct(ex, o);
        json_object_set_new(o, "replay", rec_new_str(replay));
        json_object_set(o, "record", n ? recs[0] : json_null());
        if (n > 1) {
            /* A partial deadlock of several goroutines is a record per goroutine. */
            json_t *all = json_array();
            for (size_t i = 0; i < n; i++)
                json_array_append(all, recs[i]);
            json_object_set_new(o, "records", all);
        }
        if (note)
            json_object_set_new(o, "note", rec_new_str(note));
        explore_json_line(ex, o);
    }
    free(replay);
}

bool explore_schedule_done(struct explore *ex, const struct result *r)
{
    record_set set;
    char *err_path;
    if (!explore_take_schedule_files(ex, r->seed, &set, &err_path))
        cli_error("explore: the records of seed %" PRIu64 " could not be read; that schedule is skipped", r->seed);
    bool any = false, livelock = false;
    for (size_t i = 0; i < set.n;) {
        const json_t *rec = set.recs[i];
        const char *kind = finding_kind(rec_str(rec, "kind"));
        size_t n = 1;
        /* A partial deadlock is one report of `victims` records. */
        if (!strcmp(kind, "partial-deadlock") && rec_int(rec, "victim") == 0) {
            int64_t victims = rec_int(rec, "victims");
            while (i + n < set.n && (int64_t)n < victims &&
                   !strcmp(rec_str(set.recs[i + n], "kind"), "partial-deadlock") &&
                   rec_int(set.recs[i + n], "victim") == (int64_t)n)
                n++;
        }
        livelock |= !strcmp(kind, "livelock");
        finding(ex, r->seed, kind, set.recs + i, n, NULL, NULL);
        any = true;
        i += n;
    }
    if (r->timeout && !livelock) {
        /* Killed before the runtime could print its dump. */
        char *note = xasprintf("the schedule did not end within %s nor answer SIGQUIT; it was killed\n",
                               ex->timeout_text);
        finding(ex, r->seed, "livelock", NULL, 0, note, NULL);
        free(note);
        any = true;
    } else if (r->signal && !r->timeout && set.n == 0) {
        /* A crash the runtime did not turn into a record: its stderr is all
           there is. */
        char *tail = err_path ? explore_file_tail(err_path, EXPLORE_ERR_TAIL_LINES) : xstrdup("");
        char *note = xasprintf("the program was killed by signal %d (%s); the end of its stderr:\n%s", r->signal,
                               strsignal(r->signal), tail);
        /* Keyed by the signal: a record-less crash has no stacks. */
        char sigkey[16];
        snprintf(sigkey, sizeof sigkey, "%d", r->signal);
        finding(ex, r->seed, "signal", NULL, 0, note, sigkey);
        free(note);
        free(tail);
        any = true;
    }
    if (err_path) {
        unlink(err_path);
        free(err_path);
    }
    records_free(&set);
    return any;
}

void explore_findings_free(struct explore *ex)
{
    for (size_t k = 0; k < ex->nfound; k++) {
        free(ex->found[k].key);
        free(ex->found[k].kind);
    }
    free(ex->found);
    ex->found = NULL;
    ex->nfound = 0;
}
