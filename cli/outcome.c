/* outcome.c - classify a sample's run from its exit status and stderr; judge it. */
#include "outcome.h"

#include "kinds.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#define DEADLOCK_LINE "fatal error: all goroutines are asleep - deadlock!"
/* The checker's default exit status when it reported races (exitcode=). */
#define RACE_EXIT 66

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Does text hold line as a whole line? */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p += n) {
        bool at_start = p == text || p[-1] == '\n';
        bool at_end = p[n] == '\0' || p[n] == '\n' || (p[n] == '\r' && p[n + 1] == '\n');
        if (at_start && at_end)
            return true;
    }
    return false;
}

/* Any line starting with "panic: " or "fatal error: "? */
static bool has_runtime_error(const char *text)
{
    for (const char *p = text; *p;) {
        if (starts_with(p, "panic: ") || starts_with(p, "fatal error: "))
            return true;
        const char *nl = strchr(p, '\n');
        if (!nl)
            break;
        p = nl + 1;
    }
    return false;
}

static const char *signal_name(int sig)
{
    static const struct {
        int sig;
        const char *name;
    } names[] = {
        {SIGSEGV, "SIGSEGV"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
        {SIGILL, "SIGILL"},   {SIGKILL, "SIGKILL"}, {SIGTERM, "SIGTERM"}, {SIGINT, "SIGINT"},
        {SIGTRAP, "SIGTRAP"}, {SIGPIPE, "SIGPIPE"}, {SIGSYS, "SIGSYS"},   {SIGQUIT, "SIGQUIT"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].sig == sig)
            return names[i].name;
    return NULL;
}

void outcome_classify(const struct proc_result *r, struct outcome *o)
{
    o->code = r->code;
    switch (r->end) {
    case PROC_TIMEOUT:
        o->found = FOUND_TIMEOUT;
        return;
    case PROC_SIGNALED:
        o->found = FOUND_SIGNAL;
        return;
    case PROC_SPAWN_FAILED:
        o->found = FOUND_BUILD_FAILED;
        return;
    case PROC_EXITED:
        break;
    }
    const char *err = r->err ? r->err : "";
    o->reported = 0;
    for (unsigned k = 1; k <= KINDS_CHECKER; k <<= 1)
        if ((k & KINDS_CHECKER) && has_line(err, kinds_checker_line(k))) o->reported |= k;
    if (r->code == 2 && has_line(err, DEADLOCK_LINE))
        o->found = FOUND_DEADLOCK;
    else if (r->code == 2 && (starts_with(err, "panic: ") || starts_with(err, "fatal error: ")))
        o->found = FOUND_PANIC;
    else if ((r->code == 0 || (o->reported && r->code == RACE_EXIT)) &&
             !has_runtime_error(err))
        o->found = FOUND_CLEAN;
    else
        o->found = FOUND_EXIT;
}

void outcome_format(const struct outcome *o, char *buf, size_t size)
{
    switch (o->found) {
    case FOUND_CLEAN:
    case FOUND_DEADLOCK: {
        char kinds[160];
        kinds_format(o->reported | (o->found == FOUND_DEADLOCK ? KIND_DEADLOCK : 0), kinds, sizeof kinds);
        snprintf(buf, size, "%s", kinds[0] ? kinds : "clean");
        break;
    }
    case FOUND_PANIC:
        snprintf(buf, size, "panic");
        break;
    case FOUND_TIMEOUT:
        snprintf(buf, size, "timeout");
        break;
    case FOUND_EXIT:
        snprintf(buf, size, "exit %d", o->code);
        break;
    case FOUND_SIGNAL: {
        const char *name = signal_name(o->code);
        if (name)
            snprintf(buf, size, "signal %s", name);
        else
            snprintf(buf, size, "signal %d", o->code);
        break;
    }
    case FOUND_BUILD_FAILED:
        snprintf(buf, size, "compile error");
        break;
    }
}

enum verdict outcome_verdict(unsigned expect, const struct outcome *o)
{
    if (expect == 0)
        return VERDICT_MISMATCH;
    /* Races are seen when the sample ran checked; a sample with no race
       expected must not report one in any case. */
    unsigned visible = KINDS_RUNTIME | (o->checked ? KINDS_CHECKER : 0);
    unsigned want = expect & visible;
    if (o->reported & ~expect)
        return VERDICT_MISMATCH;
    if (want == 0) {
        /* Only kinds this run cannot see: the program must run to its end. */
        return o->found == FOUND_CLEAN ? VERDICT_NEEDS_CHECKER : VERDICT_MISMATCH;
    }
    unsigned seen = o->reported;
    switch (o->found) {
    case FOUND_CLEAN:
        if (!seen) seen = KIND_CLEAN;
        break;
    case FOUND_DEADLOCK:
        seen |= KIND_DEADLOCK;
        break;
    case FOUND_PANIC:
        seen |= KIND_PANIC;
        break;
    default:
        return VERDICT_MISMATCH;
    }
    return want == seen ? VERDICT_OK : VERDICT_MISMATCH;
}

const char *verdict_name(enum verdict v)
{
    switch (v) {
    case VERDICT_OK:
        return "ok";
    case VERDICT_MISMATCH:
        return "MISMATCH";
    case VERDICT_NEEDS_CHECKER:
        return "needs checker";
    }
    return "?";
}
