/* explore.h - the state of `corace explore` (cmd_explore.c) and the parts
 * it is made of: the protocol with the program's fork server
 * (explore_protocol.c), the findings and their dedupe (explore_findings.c),
 * progress on stderr (explore_progress.c) and the closing summary
 * (explore_summary.c). */
#ifndef CORACE_CLI_EXPLORE_H
#define CORACE_CLI_EXPLORE_H

#include "records.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* How much of a schedule's stderr a crash without records shows. */
#define EXPLORE_ERR_TAIL_LINES 20
/* Progress on a terminal: a redraw at most this often (seconds). */
#define EXPLORE_TTY_REFRESH_S 0.1

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

/* One line of the server: a schedule that ended. */
struct result {
    uint64_t seed, steps, usec;
    int status, signal, timeout;
};

/* Why the exploration stopped. */
enum stop { STOP_DONE, STOP_FINDING, STOP_BUDGET };

/* explore_protocol.c */
/* Runs the program as a fork server over this shard's seeds until it is
   done, the budget is spent, or (without --keep-going) a schedule had a
   finding.  Returns the exit status. */
int explore_run(struct explore *ex);
/* A decimal number of at most 18 digits (so below 10^18 < 2^63). */
bool explore_parse_u64(const char *s, uint64_t *out);
/* "key=value ..." as the server writes it. */
bool explore_parse_result(const char *line, struct result *r);
/* Removes the files of seed under ex->dir, loading its records into *set
   and naming its stderr file in *err_path (the caller removes it).  False
   when a records file could not be read (records_load said why). */
bool explore_take_schedule_files(struct explore *ex, uint64_t seed, record_set *set, char **err_path);
/* The last lines of a file, for a crash that left no record. */
char *explore_file_tail(const char *path, int lines);

/* explore_findings.c */
/* One schedule's line: its records become findings.  True when the
   schedule had any finding. */
bool explore_schedule_done(struct explore *ex, const struct result *r);
/* The title a kind of finding is counted under ("data race", "crash"...). */
const char *explore_kind_title(const char *kind);
/* PCT's depth and steps into o, when the strategy is pct. */
void explore_add_pct(const struct explore *ex, json_t *o);
/* One JSON line of --format json; o is consumed. */
void explore_json_line(struct explore *ex, json_t *o);
/* Flushes f, dying with a message naming what when that fails. */
void explore_flush(FILE *f, const char *what);
void explore_findings_free(struct explore *ex);

/* explore_progress.c */
double explore_now(void);
/* The progress line (force: now, however recent the last one). */
void explore_progress(struct explore *ex, bool force);
/* The progress line off the terminal, before other output. */
void explore_progress_clear(struct explore *ex);

/* explore_summary.c */
/* What was explored and found, as text and (--format json) a JSON line. */
void explore_summary(struct explore *ex, enum stop why, double seconds, int status);

#endif
