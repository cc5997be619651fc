/* flags.c - one table of corace's flags, parsed with getopt_long. */
#include "flags.h"
#include "exitcodes.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct option table[] = {
    {"help", no_argument, NULL, FLAG_HELP},
    {"out", required_argument, NULL, FLAG_OUT},
    {"format", required_argument, NULL, FLAG_FORMAT},
    {"seed", required_argument, NULL, FLAG_SEED},
    {"strategy", required_argument, NULL, FLAG_STRATEGY},
    {"depth", required_argument, NULL, FLAG_DEPTH},
    {"steps", required_argument, NULL, FLAG_STEPS},
    {"timeout", required_argument, NULL, FLAG_TIMEOUT},
    {"strip-path-prefix", required_argument, NULL, FLAG_STRIP_PATH_PREFIX},
    {"schedules", required_argument, NULL, FLAG_SCHEDULES},
    {"shard", required_argument, NULL, FLAG_SHARD},
    {"keep-going", no_argument, NULL, FLAG_KEEP_GOING},
    {"time-budget", required_argument, NULL, FLAG_TIME_BUDGET},
    {"record", required_argument, NULL, FLAG_RECORD},
    {"replay", required_argument, NULL, FLAG_REPLAY},
    {"exitcode", required_argument, NULL, FLAG_EXITCODE},
    {"halt-on-error", no_argument, NULL, FLAG_HALT_ON_ERROR},
    {"suppressions", required_argument, NULL, FLAG_SUPPRESSIONS},
    {"no-color", no_argument, NULL, FLAG_NO_COLOR},
};
#define NTABLE (sizeof table / sizeof *table)

/* The short spellings: -h, -o FILE, -q and -v, which have no long one. */
static const struct {
    enum flag id;
    int has_arg;
} shorts[] = {
    {FLAG_HELP, no_argument}, {FLAG_OUT, required_argument}, {FLAG_QUIET, no_argument}, {FLAG_VERBOSE, no_argument},
};

void flags_init(struct flags *f, const char *cmd, int argc, char **argv, const enum flag *accepted, size_t n,
                enum flags_order order)
{
    memset(f, 0, sizeof *f);
    f->cmd = cmd;
    f->argc = argc;
    f->argv = argv;
    /* '+': stop at the first operand; '-': return operands in order (both
       whatever POSIXLY_CORRECT says); ':': a missing value is told apart. */
    char *o = f->optstring;
    *o++ = order == FLAGS_FIRST ? '+' : '-';
    *o++ = ':';
    size_t nl = 0;
    for (size_t i = 0; i < n && nl < FLAGS_MAX; i++) {
        for (size_t k = 0; k < NTABLE; k++)
            if (table[k].val == (int)accepted[i])
                f->longopts[nl++] = table[k];
        for (size_t k = 0; k < sizeof shorts / sizeof *shorts; k++) {
            if (shorts[k].id != accepted[i])
                continue;
            *o++ = (char)shorts[k].id;
            if (shorts[k].has_arg == required_argument)
                *o++ = ':';
        }
    }
    *o = '\0';
    /* optind 0: glibc starts afresh, so that argv can be parsed again. */
    optind = 0;
    opterr = 0;
}

const char *flags_name(enum flag id)
{
    static char name[40];
    for (size_t k = 0; k < NTABLE; k++)
        if (table[k].val == (int)id) {
            snprintf(name, sizeof name, "--%s", table[k].name);
            return name;
        }
    snprintf(name, sizeof name, "-%c", (char)id);
    return name;
}

/* The flag getopt_long stopped at, as it was written. */
static const char *written(const struct flags *f)
{
    int i = optind > 0 && optind <= f->argc ? optind - 1 : 0;
    return f->argv[i];
}

int flags_next(struct flags *f, const char **value)
{
    int index = -1;
    int c = getopt_long(f->argc, f->argv, f->optstring, f->longopts, &index);
    *value = optarg;
    if (c == -1)
        return FLAG_END;
    if (c == ':') {
        snprintf(f->err, sizeof f->err, "%s needs a value", written(f));
        return FLAG_BAD;
    }
    if (c == '?') {
        /* getopt_long's optopt: the flag given a value it does not take, a
           short flag it does not know, or 0 for a long one it does not know
           (or an ambiguous prefix). */
        const char *w = written(f);
        if (optopt >= FLAG_FORMAT)
            snprintf(f->err, sizeof f->err, "%s takes no value", flags_name(optopt));
        else if (optopt && w[1] != '-')
            snprintf(f->err, sizeof f->err, "unknown flag '-%c'", optopt);
        else
            snprintf(f->err, sizeof f->err, "unknown flag '%s'", w);
        return FLAG_BAD;
    }
    return c;
}

int flags_operands(const struct flags *f) { return optind > f->argc ? f->argc : optind; }

_Noreturn void flags_usage_error(const char *cmd, const char *fmt, ...)
{
    fflush(stdout);
    fprintf(stderr, "corace: %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'corace %s --help')\n", cmd);
    exit(EXIT_BAD_FLAGS);
}

uint64_t flags_depth(const char *cmd, const char *v)
{
    uint64_t d;
    if (!parse_u64(v, &d) || d < 1 || d > 64)
        flags_usage_error(cmd, "--depth wants an integer from 1 to 64, not '%s'", v);
    return d;
}

const char *flags_file(const char *cmd, enum flag id, const char *v)
{
    if (!v[0])
        flags_usage_error(cmd, "%s: an empty file name", flags_name(id));
    return v;
}
