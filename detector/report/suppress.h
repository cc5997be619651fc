/*
 * suppress.h - suppression files (TSan's spirit): parse and match, pure.
 *
 * A file is lines of KIND:GLOB; '#' starts a comment line; blank lines and
 * surrounding blanks are ignored.  KIND is one of race, deadlock,
 * lock-order, wait-cycle, partial, leak, copy ("deadlock" covers
 * lock-order, wait-cycle and partial).  GLOB is an fnmatch(3) pattern
 * without flags ('*' also matches '/'), matched whole against each
 * candidate string (function names and file paths of a finding's frames).
 *
 * No I/O and no global state: the runtime's loader is in suppressions.c.
 */
#ifndef CORACE_SUPPRESS_H
#define CORACE_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

enum suppress_kind {
    SUPPRESS_NONE = -1,    /* a finding no rule can hide (kinds.inc) */
    SUPPRESS_RACE,
    SUPPRESS_DEADLOCK,     /* in a file: any of the next three */
    SUPPRESS_LOCK_ORDER,
    SUPPRESS_WAIT_CYCLE,
    SUPPRESS_PARTIAL,
    SUPPRESS_LEAK,
    SUPPRESS_COPY,
    SUPPRESS_NKINDS
};

typedef struct suppress_rule {
    enum suppress_kind kind;
    char *glob;             /* malloc'd, NUL-terminated */
    unsigned line;          /* 1-based line of the file */
    unsigned long hits;     /* findings it suppressed (suppress_match counts) */
} suppress_rule;

typedef struct suppress_list {
    suppress_rule *rules;
    size_t n;
} suppress_list;

/* Parses len bytes of text (NULs included are an error) into *out, which
   it first empties.  Returns true, or false with *err_line the 1-based line
   at fault and a message (no file or line prefix) in err; *out is then
   empty.  err_line may be NULL. */
bool suppress_parse(const char *text, size_t len, suppress_list *out, unsigned *err_line, char *err,
                    size_t errlen);

/* Frees the rules; *l is empty afterwards. */
void suppress_free(suppress_list *l);

/* The kind's name as written in a file ("lock-order", ...). */
const char *suppress_kind_name(enum suppress_kind k);

/* Whether a rule of kind `rule` applies to a finding of kind `finding`. */
bool suppress_kind_covers(enum suppress_kind rule, enum suppress_kind finding);

/* The first rule (in file order) of a kind covering k whose glob matches
   one of the n strings (NULL entries skipped); its hits are incremented.
   NULL when none matches. */
suppress_rule *suppress_match(suppress_list *l, enum suppress_kind k, const char *const *strs, size_t n);

#endif
