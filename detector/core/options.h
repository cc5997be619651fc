/*
 * options.h - CORACE_OPTIONS, the checker's knobs (GORACE / TSAN_OPTIONS).
 *
 * Every option is one line of options.inc; this header, the parser, the
 * --help text and the docs page are generated from it.  The syntax is
 * TSan's: name=value pairs separated by spaces or colons (also tabs,
 * newlines and commas); a value may be quoted with ' or " to hold a
 * separator.  A later pair overrides an earlier one.
 */
#ifndef CORACE_OPTIONS_H
#define CORACE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum corace_format {
    CORACE_FORMAT_TEXT,    /* Go's race report */
    CORACE_FORMAT_JSON,    /* JSON Lines: one object per finding */
    CORACE_FORMAT_DOT,     /* Graphviz: the deadlock cycles; other findings as text on stderr */
} corace_format;

/* The C type of each option type of options.inc. */
#define OPTION_CTYPE_int int
#define OPTION_CTYPE_bool bool
#define OPTION_CTYPE_uint64 uint64_t
#define OPTION_CTYPE_string const char *
#define OPTION_CTYPE_format corace_format

/* The options in effect: defaults until options_init. */
struct corace_options {
#define OPTION(type, name, def, help) OPTION_CTYPE_##type name;
#include "options.inc"
#undef OPTION
};
extern struct corace_options corace_opts;

/* Which options CORACE_OPTIONS (or options_parse) gave explicitly: seed,
   for one, only takes effect when given. */
struct corace_options_set {
#define OPTION(type, name, def, help) bool name;
#include "options.inc"
#undef OPTION
};
extern struct corace_options_set corace_opts_set;

/* Reads CORACE_OPTIONS once (later calls do nothing).  On an unknown option
   or a bad value prints one line, e.g.
       corace: CORACE_OPTIONS: unknown option 'x'
   to stderr and exits with status 2.  help=1 prints the table to stderr,
   verbosity>=1 the options in effect. */
void options_init(void);

/* Applies the pairs of s over the current options.  On error returns false
   with the message (without the "corace: CORACE_OPTIONS: " prefix) in err;
   pairs before the bad one stay applied. */
bool options_parse(const char *s, char *err, size_t errlen);

/* Back to the defaults, nothing given (tests). */
void options_reset(void);

/* The table for `corace --help`: one line per option, name=default and
   what it does. */
void options_print_help(FILE *f);

/* The same table in Markdown, as docs/options.md holds it. */
void options_print_markdown(FILE *f);

/* The options in effect, as one CORACE_OPTIONS string (no newline). */
void options_print_values(FILE *f);

#endif
