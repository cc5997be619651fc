/* cmd_explore.c - `corace explore [flags] prog.c|./prog [-- ARGS]`: run a
   checked program under many schedules and print each distinct finding with
   the `corace run` command that replays it.

   The program is started once with CORACE_EXPLORE set; its runtime becomes a
   fork server (docs/explore.md, "How it runs"): for each seed it forks a
   child that runs main under that seed, writes the child's JSON records to
   DIR/s<SEED>.<PID> and its stderr to DIR/s<SEED>.err, and reports one line
   per schedule on a pipe:

       seed=S status=X signal=G timeout=0|1 steps=K usec=U

   (for pct without --steps, first `calibration steps=K`).  Forking after the
   runtime's start-up costs far less than exec'ing the program a thousand
   times, and the records files are the same ones `corace report` reads. */
#include "cache.h"
#include "cmd.h"
#include "duration.h"
#include "exitcodes.h"
#include "paths.h"
#include "proc.h"
#include "json_bytes.h"
#include "record_get.h"
#include "records.h"
#include "run_build.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define DEFAULT_SCHEDULES 1000
#define DEFAULT_TIMEOUT_S 10.0
#define DEFAULT_DEPTH 3
/* The descriptor number the server writes its lines to. */
#define SERVER_FD 3
/* Seeds stay below 2^63 so that every runtime and shell reads them back. */
#define MAX_SEED ((uint64_t)INT64_MAX)
/* Progress: a redraw on a terminal at most this often; otherwise a line per
   tenth of the schedules or per this many seconds, whichever comes first. */
#define TTY_REFRESH_S 0.1
#define LOG_EVERY_S 5.0
/* How much of a schedule's stderr a crash without records shows. */
#define ERR_TAIL_LINES 20

void print_explore_usage(FILE *f)
{
    fputs("usage: corace explore [flags] prog.c [more.c ...] [-- args]\n"
          "       corace explore [flags] ./prog [args]\n"
          "\n"
          "Build the program for checking (as 'corace run' does) and run it under many\n"
          "schedules, one seed each, with a strategy that preempts goroutines at memory\n"
          "accesses and sync operations.  Each distinct finding is printed once, as the\n"
          "checker's text, with the 'corace run' command that replays it.  Stops at the\n"
          "first schedule with a finding unless --keep-going.\n"
          "\n"
          "Flags:\n"
          "  --schedules N            how many schedules (seeds) in all (default 1000)\n"
          "  --strategy random|pct    random preemption (default) or PCT (docs/explore.md)\n"
          "  --depth D                PCT's bug depth d (default 3)\n"
          "  --steps K                PCT's step estimate k (default: counted by one\n"
          "                           calibration run of the program)\n"
          "  --seed S                 the first seed (default 1): seeds S, S+1, ...\n"
          "  --shard I/N              this job's share: seeds S+I, S+I+N, ... (0 <= I < N)\n"
          "  --keep-going             explore every schedule, printing each new finding\n"
          "  --time-budget DURATION   start no schedule after DURATION (e.g. 30s, 5m)\n"
          "  --timeout DURATION       per schedule (default 10s; 0: none); a schedule that\n"
          "                           runs longer is a livelock or starvation candidate\n"
          "  --format text|json       json: a JSON object per distinct finding and a summary\n"
          "                           object, one per line (shards merge with cat)\n"
          "  -o, --out FILE           write the findings (in that format) to FILE\n"
          "  -h, --help               this help\n"
          "\n"
          "Progress goes to stderr.  Exit status: 0 nothing found; 66 findings; 2 when a\n"
          "schedule deadlocked, panicked, crashed or timed out; 1 usage error; 125 the\n"
          "program could not be built or run.\n",
          f);
}

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fflush(stdout);
    fputs("corace: explore: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see 'corace explore --help')\n", stderr);
    exit(EXIT_BAD_FLAGS);
}

/* --name VALUE or --name=VALUE (short -o VALUE): the value, advancing *i;
   NULL when argv[*i] is not this flag. */
static const char *flag_value(int argc, char **argv, int *i, const char *name, const char *shortname)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!strncmp(a, name, n) && a[n] == '=')
        return a + n + 1;
    if (strcmp(a, name) != 0 && !(shortname && strcmp(a, shortname) == 0))
        return NULL;
    if (*i + 1 >= argc)
        usage_error("flag %s needs a value", a);
    return argv[++*i];
}

/* A decimal number of at most 18 digits (so below 10^18 < 2^63). */
static bool parse_u64(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
        return false;
    *out = strtoull(s, NULL, 10);
    return true;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- the replay command ---- */

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

/* ---- state ---- */

struct finding {
    char *key;    /* kind, then the sorted pcs of its stacks' first frames */
    char *kind;   /* the record kind, or "livelock", "signal" */
    uint64_t seed;
};

struct explore {
    /* flags */
    const char *strategy;
    uint64_t depth, steps;
    uint64_t first, schedules, shard_i, shard_n;
    double timeout_s, budget_s;
    const char *timeout_text, *budget_text;
    bool keep_going;
    const char *format, *out_path;
    /* the program */
    char **sources;
    int nsrc;
    char *prog;       /* the binary as given (./ added without a slash) */
    char **args;
    int nargs;
    /* the run */
    uint64_t count, stride, seed0; /* this shard's schedules: seed0 + i*stride */
    char *dir;
    FILE *text;       /* where findings go as text (NULL: nowhere) */
    FILE *json;       /* where they go as JSON (NULL: not asked for) */
    bool tty;         /* progress as one redrawn line */
    bool progress_shown;
    uint64_t done, steps_sum, calibrated;
    bool have_calibration;
    double start, last_log;
    uint64_t last_log_done;
    struct finding *found;
    size_t nfound;
    bool any_finding, any_fatal;
};

/* ---- progress ---- */

static void progress_clear(struct explore *ex)
{
    if (ex->tty && ex->progress_shown) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        ex->progress_shown = false;
    }
}

static void progress(struct explore *ex, bool force)
{
    double t = now_s(), el = t - ex->start;
    double rate = el > 0 ? (double)ex->done / el : 0;
    if (ex->tty) {
        if (!force && t - ex->last_log < TTY_REFRESH_S)
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

/* ---- findings ---- */

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

/* The finding's identity: its kind and the pcs where its stacks start,
   sorted, so that a race seen from either side (or a cycle entered at
   another goroutine) is the same finding.  With address randomization off
   the pcs are the same in every schedule. */
static char *finding_key(const char *kind, json_t *const *recs, size_t n, const char *extra)
{
    struct argv_buf pcs = {0};
    if (extra)
        argv_push(&pcs, extra);
    for (size_t i = 0; i < n; i++)
        collect_pcs(recs[i], &pcs);
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

/* The kind a finding is counted and named under. */
static const char *finding_kind(const char *record_kind)
{
    return !strcmp(record_kind, "timeout") ? "livelock" : record_kind;
}

static bool kind_is_fatal(const char *kind)
{
    return !strcmp(kind, "deadlock") || !strcmp(kind, "runtime-error") || !strcmp(kind, "livelock") ||
           !strcmp(kind, "signal");
}

static const char *kind_title(const char *kind)
{
    if (!strcmp(kind, "livelock"))
        return "livelock or starvation candidate";
    if (!strcmp(kind, "signal"))
        return "crash";
    if (!strcmp(kind, "race"))
        return "data race";
    return kind;
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

static void out_flush(FILE *f, const char *what)
{
    if (f && (fflush(f) != 0 || ferror(f)))
        cli_die(EXIT_CANNOT_RUN, "explore: cannot write %s: %s", what, strerror(errno));
}

/* The key's id as 16 hex digits. */
static const char *id_text(const char *key)
{
    static char id[17];
    snprintf(id, sizeof id, "%016" PRIx64, key_id(key));
    return id;
}

/* PCT's parameters, for a line of a pct exploration. */
static void add_pct(const struct explore *ex, json_t *o)
{
    if (strcmp(ex->strategy, "pct"))
        return;
    json_object_set_new(o, "depth", json_integer((json_int_t)ex->depth));
    json_object_set_new(o, "steps", json_integer((json_int_t)(ex->steps ? ex->steps : ex->calibrated)));
}

/* One JSON line of --format json; o is consumed. */
static void json_line(struct explore *ex, json_t *o)
{
    if (!o || jb_dumpf(o, ex->json) != 0)
        cli_die(EXIT_CANNOT_RUN, "explore: a finding cannot be written as JSON");
    fputc('\n', ex->json);
    json_decref(o);
    out_flush(ex->json, ex->out_path ? ex->out_path : "stdout");
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
    progress_clear(ex);
    if (ex->text) {
        fprintf(ex->text, "corace: explore: finding %zu, %s, in the schedule of seed %" PRIu64 ":\n", ex->nfound,
                kind_title(kind), seed);
        if (note)
            fprintf(ex->text, "%s", note);
        for (size_t i = 0; i < n; i++)
            report_render_text(ex->text, recs[i]);
        fprintf(ex->text, "replay: %s\n\n", replay);
        out_flush(ex->text, ex->text == stdout ? "stdout" : ex->out_path);
    }
    if (ex->json) {
        json_t *o = json_pack("{s:o,s:s,s:I,s:s}", "kind", jb_string(kind), "id", id_text(key),
                              "seed", (json_int_t)seed, "strategy", ex->strategy);
        add_pct(ex, o);
        json_object_set_new(o, "replay", jb_string(replay));
        json_object_set(o, "record", n ? recs[0] : json_null());
        if (n > 1) {
            /* A partial deadlock of several goroutines is a record per goroutine. */
            json_t *all = json_array();
            for (size_t i = 0; i < n; i++)
                json_array_append(all, recs[i]);
            json_object_set_new(o, "records", all);
        }
        if (note)
            json_object_set_new(o, "note", jb_string(note));
        json_line(ex, o);
    }
    free(replay);
}

/* The last lines of a file, for a crash that left no record. */
static char *file_tail(const char *path, int lines)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return xstrdup("");
    size_t start = len;
    int seen = 0;
    if (start && text[start - 1] == '\n')
        start--;
    while (start > 0) {
        if (text[start - 1] == '\n' && ++seen >= lines)
            break;
        start--;
    }
    char *tail = xasprintf("%s%s", text + start, len && text[len - 1] != '\n' ? "\n" : "");
    free(text);
    return tail;
}

struct result {
    uint64_t seed, steps, usec;
    int status, signal, timeout;
};

/* "key=value ..." as the server writes it; keys it does not know are
   ignored, so that a newer runtime can say more. */
static bool parse_result(const char *line, struct result *r)
{
    unsigned have = 0;
    char *copy = xstrdup(line);
    bool ok = true;
    for (char *save = NULL, *w = strtok_r(copy, " ", &save); w && ok; w = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(w, '=');
        if (!eq) {
            ok = false;
            break;
        }
        *eq = '\0';
        const char *v = eq + 1;
        char *end;
        errno = 0;
        long long sv = strtoll(v, &end, 10);
        bool num = *v && !*end && errno == 0;
        if (!strcmp(w, "seed") && num && sv >= 0) {
            r->seed = (uint64_t)sv, have |= 1;
        } else if (!strcmp(w, "status") && num && sv >= -1 && sv <= 255) {
            r->status = (int)sv, have |= 2;
        } else if (!strcmp(w, "signal") && num && sv >= 0 && sv < 128) {
            r->signal = (int)sv, have |= 4;
        } else if (!strcmp(w, "timeout") && num && (sv == 0 || sv == 1)) {
            r->timeout = (int)sv, have |= 8;
        } else if (!strcmp(w, "steps") && num && sv >= 0) {
            r->steps = (uint64_t)sv, have |= 16;
        } else if (!strcmp(w, "usec") && num && sv >= 0) {
            r->usec = (uint64_t)sv, have |= 32;
        } else if (!strcmp(w, "seed") || !strcmp(w, "status") || !strcmp(w, "signal") || !strcmp(w, "timeout") ||
                   !strcmp(w, "steps") || !strcmp(w, "usec")) {
            ok = false;
        }
    }
    free(copy);
    return ok && have == 63;
}

/* Remove everything under ex->dir that belongs to seed (s<seed>.*), and
   load its records into *set.  Returns false when a file could not be read
   (records_load said why). */
static bool take_schedule_files(struct explore *ex, uint64_t seed, record_set *set, char **err_path)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "s%" PRIu64 ".", seed);
    size_t plen = strlen(prefix);
    DIR *d = opendir(ex->dir);
    if (!d)
        cli_die(EXIT_CANNOT_RUN, "explore: %s: %s", ex->dir, strerror(errno));
    bool ok = true;
    struct dirent *e;
    memset(set, 0, sizeof *set);
    *err_path = NULL;
    struct argv_buf names = {0};
    while ((e = readdir(d)) != NULL)
        if (!strncmp(e->d_name, prefix, plen))
            argv_push(&names, xstrdup(e->d_name));
    closedir(d);
    /* Processes in the order of their pids' text: a schedule's own records
       come before those of the programs it started, as far as that goes. */
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_str);
    for (size_t i = 0; i < names.n; i++) {
        char *path = xasprintf("%s/%s", ex->dir, names.v[i]);
        if (!strcmp(names.v[i] + plen, "err")) {
            *err_path = path; /* read by the caller, then removed */
            free(names.v[i]);
            continue;
        }
        struct stat st;
        record_set one;
        const char *rest = names.v[i] + plen;
        if (strspn(rest, "0123456789") != strlen(rest)) {
            /* not DIR/s<seed>.<pid>: the checker's side files (its deadlock
               cycles as .dot graphs) */
        } else if (stat(path, &st) == 0 && st.st_size == 0) {
            /* a process with nothing to report */
        } else if (records_load(path, &one)) {
            records_take(set, &one);
        } else {
            ok = false;
        }
        unlink(path);
        free(path);
        free(names.v[i]);
    }
    argv_free(&names);
    return ok;
}

/* One schedule's line: its records become findings.  Returns true when the
   schedule had any finding. */
static bool schedule_done(struct explore *ex, const struct result *r)
{
    record_set set;
    char *err_path;
    if (!take_schedule_files(ex, r->seed, &set, &err_path))
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
        char *tail = err_path ? file_tail(err_path, ERR_TAIL_LINES) : xstrdup("");
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

/* ---- the server ---- */

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig) { interrupted = sig; }

/* Every file left in dir (an unfinished schedule's), then dir. */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            char *p = xasprintf("%s/%s", dir, e->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

/* The server's whole process group: it and the schedule it is running. */
static void stop_server(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

enum stop { STOP_DONE, STOP_FINDING, STOP_BUDGET };

static void summary(struct explore *ex, enum stop why, double seconds, int status)
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
            fprintf(t, "%s %zu %s", k ? "," : "", counts[k], kind_title(kinds.v[k]));
        fputc('\n', t);
    }
    if (why == STOP_FINDING)
        fputs("corace: explore: stopped at the first schedule with a finding (--keep-going explores on)\n", t);
    else if (why == STOP_BUDGET)
        fprintf(t, "corace: explore: stopped by --time-budget %s\n", ex->budget_text);
    out_flush(t, t == stdout ? "stdout" : t == stderr ? "stderr" : ex->out_path);
    if (ex->json) {
        const char *prog = ex->nsrc ? ex->sources[0] : ex->prog;
        json_t *o = json_pack("{s:s,s:o,s:s}", "kind", "summary", "program", jb_string(prog), "strategy", ex->strategy);
        add_pct(ex, o);
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
        json_line(ex, o);
    }
    argv_free(&kinds);
}

/* Start the server and read its lines until it is done, the budget is
   spent, or (without --keep-going) a schedule had a finding.  Returns the
   exit status. */
static int explore_run(struct explore *ex)
{
    char *dirt = make_temp_dir("explore");
    if (!dirt)
        cli_die(EXIT_CANNOT_RUN, "explore: cannot create a temporary directory: %s", strerror(errno));
    ex->dir = dirt;

    /* The strategy's options after the user's own, so that they win. */
    const char *old = getenv("CORACE_OPTIONS");
    char *opts = xasprintf("%s%sstrategy=%s", old && old[0] ? old : "", old && old[0] ? " " : "", ex->strategy);
    if (!strcmp(ex->strategy, "pct")) {
        char *more = xasprintf("%s pct_depth=%" PRIu64 " pct_steps=%" PRIu64, opts, ex->depth, ex->steps);
        free(opts);
        opts = more;
    }
    char *spec = xasprintf("fd=%d,first=%" PRIu64 ",count=%" PRIu64 ",stride=%" PRIu64 ",timeout_ms=%" PRIu64
                           ",dir=%s",
                           SERVER_FD, ex->seed0, ex->count, ex->stride, (uint64_t)(ex->timeout_s * 1000 + 0.5), ex->dir);
    char **env1 = env_with("CORACE_OPTIONS", opts);
    char **saved = environ;
    environ = env1;
    char **env = env_with("CORACE_EXPLORE", spec);
    environ = saved;

    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        cli_die(EXIT_CANNOT_RUN, "explore: pipe: %s", strerror(errno));
    /* The write end must not be SERVER_FD already: dup2 onto itself would
       leave it close-on-exec. */
    int wfd = fcntl(p[1], F_DUPFD_CLOEXEC, SERVER_FD + 1);
    if (wfd < 0)
        cli_die(EXIT_CANNOT_RUN, "explore: %s", strerror(errno));
    close(p[1]);
    char *server_err = xasprintf("%s/server.err", ex->dir);

    struct argv_buf args = {0};
    argv_push(&args, ex->prog);
    for (int i = 0; i < ex->nargs; i++)
        argv_push(&args, ex->args[i]);

    struct sigaction sa, old_int, old_term, old_hup;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);

    fflush(stdout);
    fflush(stderr);
    proc_set_no_aslr(true);
    ex->start = ex->last_log = now_s();
    int pid = proc_spawn_server(args.v, env, wfd, SERVER_FD, server_err);
    int spawn_errno = errno;
    close(wfd);
    if (pid < 0) {
        remove_dir(ex->dir);
        cli_die(EXIT_CANNOT_RUN, "explore: cannot start %s: %s", ex->prog, strerror(spawn_errno));
    }

    enum stop why = STOP_DONE;
    bool protocol_error = false;
    char *bad_line = NULL;
    size_t blen = 0, bcap = 4096;
    char *buf = xmalloc(bcap);
    double deadline = ex->budget_s > 0 ? ex->start + ex->budget_s : 0;
    bool eof = false, stop = false;
    while (!eof && !stop) {
        if (interrupted)
            break;
        double t = now_s();
        if (deadline && t >= deadline) {
            why = STOP_BUDGET;
            break;
        }
        double wait = ex->tty ? TTY_REFRESH_S : 1.0;
        if (deadline && deadline - t < wait)
            wait = deadline - t;
        struct pollfd pf = {.fd = p[0], .events = POLLIN};
        int pr = poll(&pf, 1, (int)(wait * 1000) + 1);
        if (pr < 0 && errno != EINTR)
            cli_die(EXIT_CANNOT_RUN, "explore: poll: %s", strerror(errno));
        if (pr > 0) {
            if (blen + 1024 > bcap)
                buf = xrealloc(buf, bcap *= 2);
            ssize_t n = read(p[0], buf + blen, bcap - blen - 1);
            if (n < 0 && errno != EINTR && errno != EAGAIN)
                cli_die(EXIT_CANNOT_RUN, "explore: reading the server's pipe: %s", strerror(errno));
            if (n == 0)
                eof = true;
            if (n > 0)
                blen += (size_t)n;
        }
        /* Every whole line. */
        char *line = buf, *nl;
        while (!stop && (nl = memchr(line, '\n', blen - (size_t)(line - buf))) != NULL) {
            *nl = '\0';
            uint64_t k;
            struct result r = {0};
            if (!strncmp(line, "calibration steps=", 18) && !ex->have_calibration && ex->done == 0 &&
                parse_u64(line + 18, &k)) {
                ex->calibrated = k;
                ex->have_calibration = true;
            } else if (parse_result(line, &r) && ex->done < ex->count && r.seed == ex->seed0 + ex->done * ex->stride &&
                       (ex->have_calibration || ex->steps || strcmp(ex->strategy, "pct"))) {
                ex->done++;
                ex->steps_sum += r.steps;
                bool had = schedule_done(ex, &r);
                if (had && !ex->keep_going) {
                    why = STOP_FINDING;
                    stop = true;
                }
            } else {
                protocol_error = true;
                bad_line = xstrdup(line);
                stop = true;
            }
            line = nl + 1;
        }
        blen -= (size_t)(line - buf);
        memmove(buf, line, blen);
        progress(ex, false);
    }
    bool early = !eof;
    if (early)
        stop_server(pid);
    close(p[0]);
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    double seconds = now_s() - ex->start;
    progress_clear(ex);
    if (!ex->tty && ex->done != ex->last_log_done && why == STOP_DONE && !protocol_error && !interrupted)
        progress(ex, true);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    free(buf);

    int status = EXIT_OK;
    if (interrupted) {
        remove_dir(ex->dir);
        proc_die_of_signal(interrupted);
    }
    if (protocol_error) {
        cli_error("explore: %s: unexpected line from the fork server: '%s'", ex->prog, bad_line);
        status = EXIT_CANNOT_RUN;
    } else if (eof && ex->done < ex->count) {
        /* The server ended before its last schedule: the program did not
           become a fork server, or its runtime stopped it. */
        char *tail = file_tail(server_err, ERR_TAIL_LINES);
        fputs(tail, stderr);
        free(tail);
        if (ex->done == 0 && WIFEXITED(wstatus))
            cli_error("explore: %s did not run as a fork server (exit status %d): was it built with this "
                      "corace's runtime?",
                      ex->prog, WEXITSTATUS(wstatus));
        else if (WIFSIGNALED(wstatus))
            cli_error("explore: the fork server was killed by signal %d (%s) after %" PRIu64 " of %" PRIu64
                      " schedules",
                      WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)), ex->done, ex->count);
        else
            cli_error("explore: the fork server exited with status %d after %" PRIu64 " of %" PRIu64 " schedules",
                      WEXITSTATUS(wstatus), ex->done, ex->count);
        status = EXIT_CANNOT_RUN;
    } else {
        status = ex->any_fatal ? EXIT_FATAL : ex->any_finding ? EXIT_FINDINGS : EXIT_OK;
    }
    if (status != EXIT_CANNOT_RUN)
        summary(ex, why, seconds, status);
    remove_dir(ex->dir);
    free(bad_line);
    free(server_err);
    free(spec);
    free(opts);
    env_free(env);
    env_free(env1);
    argv_free(&args);
    return status;
}

int cmd_explore(int argc, char **argv)
{
    struct explore ex = {
        .strategy = "random", .depth = DEFAULT_DEPTH, .first = 1, .schedules = DEFAULT_SCHEDULES,
        .shard_i = 0, .shard_n = 1, .timeout_s = DEFAULT_TIMEOUT_S, .timeout_text = "10s", .format = "text",
    };
    bool depth_given = false;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i], *v;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_explore_usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--keep-going")) {
            ex.keep_going = true;
        } else if ((v = flag_value(argc, argv, &i, "--schedules", NULL))) {
            if (!parse_u64(v, &ex.schedules) || ex.schedules == 0)
                usage_error("--schedules wants a positive integer, not '%s'", v);
        } else if ((v = flag_value(argc, argv, &i, "--strategy", NULL))) {
            if (strcmp(v, "random") && strcmp(v, "pct"))
                usage_error("--strategy wants random or pct, not '%s'", v);
            ex.strategy = v;
        } else if ((v = flag_value(argc, argv, &i, "--depth", NULL))) {
            if (!parse_u64(v, &ex.depth) || ex.depth < 1 || ex.depth > 64)
                usage_error("--depth wants an integer from 1 to 64, not '%s'", v);
            depth_given = true;
        } else if ((v = flag_value(argc, argv, &i, "--steps", NULL))) {
            if (!parse_u64(v, &ex.steps) || ex.steps == 0)
                usage_error("--steps wants a positive integer, not '%s'", v);
            depth_given = true;
        } else if ((v = flag_value(argc, argv, &i, "--seed", NULL))) {
            if (!parse_u64(v, &ex.first))
                usage_error("--seed wants a non-negative integer, not '%s'", v);
        } else if ((v = flag_value(argc, argv, &i, "--shard", NULL))) {
            const char *slash = strchr(v, '/');
            char num[32];
            if (!slash || (size_t)(slash - v) >= sizeof num)
                usage_error("--shard wants I/N with 0 <= I < N, not '%s'", v);
            memcpy(num, v, (size_t)(slash - v));
            num[slash - v] = '\0';
            if (!parse_u64(num, &ex.shard_i) || !parse_u64(slash + 1, &ex.shard_n) || ex.shard_n == 0 ||
                ex.shard_i >= ex.shard_n)
                usage_error("--shard wants I/N with 0 <= I < N, not '%s'", v);
        } else if ((v = flag_value(argc, argv, &i, "--time-budget", NULL))) {
            if (!duration_parse(v, &ex.budget_s) || ex.budget_s <= 0)
                usage_error("--time-budget wants a positive duration such as 30s, 5m or 1h30m, not '%s'", v);
            ex.budget_text = v;
        } else if ((v = flag_value(argc, argv, &i, "--timeout", NULL))) {
            if (!duration_parse(v, &ex.timeout_s))
                usage_error("--timeout wants a duration such as 300ms, 1.5s or 2m (0: none), not '%s'", v);
            if (ex.timeout_s > 0 && ex.timeout_s < 0.001)
                usage_error("--timeout wants at least 1ms, not '%s'", v);
            ex.timeout_text = v;
        } else if ((v = flag_value(argc, argv, &i, "--format", NULL))) {
            if (strcmp(v, "text") && strcmp(v, "json"))
                usage_error("--format wants text or json, not '%s'", v);
            ex.format = v;
        } else if ((v = flag_value(argc, argv, &i, "--out", "-o"))) {
            if (!v[0])
                usage_error("%s: an empty file name", "--out");
            ex.out_path = v;
        } else {
            usage_error("unknown flag '%s'", a);
        }
    }
    if (i >= argc)
        usage_error("missing program: %s", "a .c file or a program built with 'corace cc'");
    if (depth_given && strcmp(ex.strategy, "pct"))
        usage_error("%s", "--depth and --steps apply to --strategy pct only");
    /* This shard's seeds: first + shard_i + k*shard_n below first + schedules. */
    ex.seed0 = ex.first + ex.shard_i;
    ex.stride = ex.shard_n;
    ex.count = ex.shard_i < ex.schedules ? (ex.schedules - ex.shard_i + ex.shard_n - 1) / ex.shard_n : 0;
    if (ex.first > MAX_SEED - ex.schedules)
        usage_error("%s", "--seed and --schedules: the seeds would pass 2^63");
    if (ex.count == 0)
        usage_error("%s", "--shard: this shard has no schedules (I >= --schedules)");

    int nsrc = 0;
    while (i + nsrc < argc && has_suffix(argv[i + nsrc], ".c"))
        nsrc++;
    if (nsrc > 0) {
        for (int k = 0; k < nsrc; k++)
            run_must_exist(argv[i + k], true);
        ex.sources = argv + i;
        ex.nsrc = nsrc;
        i += nsrc;
    } else {
        run_check_binary(argv[i]);
        ex.prog = strchr(argv[i], '/') ? xstrdup(argv[i]) : xasprintf("./%s", argv[i]);
        i++;
    }
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    ex.args = argv + i;
    ex.nargs = argc - i;

    struct cache cache = {0};
    if (nsrc > 0) {
        struct corace_paths paths;
        paths_resolve(&paths);
        if (cache_open(&cache) != 0)
            cli_die(EXIT_CANNOT_RUN, "cannot create a cache or temporary directory: %s", strerror(errno));
        int st = run_build(&paths, &cache, ex.sources, nsrc, &ex.prog);
        paths_free(&paths);
        if (st != 0) {
            cli_error("building %s%s failed; not run", ex.sources[0], nsrc > 1 ? " ..." : "");
            return EXIT_CANNOT_RUN;
        }
    }

    FILE *out = NULL;
    if (ex.out_path && !(out = fopen(ex.out_path, "w")))
        cli_die(EXIT_CANNOT_RUN, "explore: cannot write %s: %s", ex.out_path, strerror(errno));
    bool json = !strcmp(ex.format, "json");
    /* -o FILE takes the chosen format; the text goes to stdout unless JSON
       has it. */
    ex.json = json ? (out ? out : stdout) : NULL;
    ex.text = !json ? (out ? out : stdout) : (out ? stdout : NULL);
    ex.tty = isatty(STDERR_FILENO) == 1;

    int status = explore_run(&ex);
    if (out && fclose(out) != 0)
        cli_die(EXIT_CANNOT_RUN, "explore: cannot write %s: %s", ex.out_path, strerror(errno));
    for (size_t k = 0; k < ex.nfound; k++) {
        free(ex.found[k].key);
        free(ex.found[k].kind);
    }
    free(ex.found);
    free(ex.dir);
    free(ex.prog);
    if (nsrc > 0)
        cache_close(&cache);
    cache_cleanup();
    return status;
}
