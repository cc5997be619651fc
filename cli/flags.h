/* flags.h - the flags of corace run, explore and report: one table of every
 * flag, parsed with getopt_long.
 *
 * A command names the flags it accepts; the spellings are getopt_long's:
 * --flag VALUE, --flag=VALUE, a long flag's unambiguous prefix, -o VALUE,
 * -oVALUE, short flags together (-qv), and "--" ending the flags. */
#ifndef CORACE_CLI_FLAGS_H
#define CORACE_CLI_FLAGS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every flag; the short ones are their letter. */
enum flag {
    FLAG_END = -1,          /* no more flags (flags_next) */
    FLAG_BAD = -2,          /* a malformed flag; flags.err says what */
    FLAG_OPERAND = 1,       /* an operand among the flags (FLAGS_ANYWHERE) */
    FLAG_HELP = 'h',
    FLAG_OUT = 'o',
    FLAG_QUIET = 'q',
    FLAG_VERBOSE = 'v',
    FLAG_FORMAT = 0x100,
    FLAG_SEED,
    FLAG_STRATEGY,
    FLAG_DEPTH,
    FLAG_STEPS,
    FLAG_TIMEOUT,
    FLAG_STRIP_PATH_PREFIX,
    FLAG_SCHEDULES,
    FLAG_SHARD,
    FLAG_KEEP_GOING,
    FLAG_TIME_BUDGET,
    FLAG_RECORD,
    FLAG_REPLAY,
    FLAG_EXITCODE,
    FLAG_HALT_ON_ERROR,
    FLAG_SUPPRESSIONS,
    FLAG_NO_COLOR,
};

/* Where operands may be: before the first one only (run, explore: what
   follows the program is the program's), or anywhere (report's files). */
enum flags_order { FLAGS_FIRST, FLAGS_ANYWHERE };

#define FLAGS_MAX 24

struct flags {
    const char *cmd;        /* "run", "explore", "report": for messages */
    int argc;
    char **argv;            /* argv[0] is the command's name */
    struct option longopts[FLAGS_MAX + 1];
    char optstring[2 * FLAGS_MAX + 4];
    char err[200];          /* after FLAG_BAD */
};

/* Parsing argv[1..argc) for cmd, accepting the n flags of accepted. */
void flags_init(struct flags *f, const char *cmd, int argc, char **argv, const enum flag *accepted, size_t n,
                enum flags_order order);
/* The next flag (its value, if it takes one, in *value), FLAG_OPERAND
   with the operand in *value, FLAG_END, or FLAG_BAD. */
int flags_next(struct flags *f, const char **value);
/* After FLAG_END: the index in argv of the first operand (argc: none). */
int flags_operands(const struct flags *f);
/* The name a flag is spelled with ("--seed", "-o"). */
const char *flags_name(enum flag id);

/* "corace: CMD: MESSAGE (see 'corace CMD --help')" on stderr, and exit
   with EXIT_BAD_FLAGS. */
_Noreturn void flags_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Checks of values more than one command takes. */
/* --depth: PCT's bug depth, 1 to 64; exits with a usage error otherwise. */
uint64_t flags_depth(const char *cmd, const char *v);
/* A file name, which must not be empty. */
const char *flags_file(const char *cmd, enum flag id, const char *v);

#endif
