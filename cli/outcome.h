/* outcome.h - what a run of a sample showed, and whether that is what it expects. */
#ifndef CORACE_CLI_OUTCOME_H
#define CORACE_CLI_OUTCOME_H

#include "proc.h"

#include <stdbool.h>
#include <stddef.h>

enum found {
    FOUND_CLEAN,        /* exit 0 (or the race exit status 66 with races
                           reported), no "panic: "/"fatal error: " on stderr */
    FOUND_DEADLOCK,     /* exit 2 + "fatal error: all goroutines are asleep - deadlock!" */
    FOUND_PANIC,        /* exit 2 + stderr starts with "panic: " or "fatal error: " */
    FOUND_TIMEOUT,      /* still running at the time limit */
    FOUND_EXIT,         /* any other exit status (code) */
    FOUND_SIGNAL,       /* killed by a signal (code) */
    FOUND_BUILD_FAILED, /* never ran: it did not compile */
};

struct outcome {
    enum found found;
    int code;
    unsigned reported;  /* KINDS_CHECKER bits: the checker's WARNING lines seen */
    bool checked;       /* the sample was built for checking: races are visible */
};

enum verdict {
    VERDICT_OK,
    VERDICT_MISMATCH,
    VERDICT_NEEDS_CHECKER,
};

void outcome_classify(const struct proc_result *r, struct outcome *o);
/* "deadlock", "exit 3", "signal 11 (SIGSEGV)" ... */
void outcome_format(const struct outcome *o, char *buf, size_t size);
/* expect: a KIND_* set (0 = the sample's expect line is unusable). */
enum verdict outcome_verdict(unsigned expect, const struct outcome *o);
const char *verdict_name(enum verdict v);

#endif
