/*
 * suppressions.h - the checked program's suppressions (CORACE_OPTIONS
 * suppressions=FILE): loaded once, asked before each finding is printed.
 * The file's format and the matcher are suppress.h's.
 */
#ifndef CORACE_SUPPRESSIONS_H
#define CORACE_SUPPRESSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.h"
#include "suppress.h"

/* Reads the file of the suppressions option, once (later calls do
   nothing).  A file that cannot be read or a malformed line prints
   "corace: FILE: ..." or "corace: FILE:LINE: ..." to stderr and exits 1. */
void suppressions_init(void);

/* Whether any rule is loaded (after suppressions_init). */
bool suppressions_active(void);

/* Whether a finding of kind k whose stacks are these sites (pc and depot
   context, as report_print_stack takes them) is suppressed: some frame's
   function name, file path or file path after strip_path_prefix matches a
   rule covering k.  Counts it when it is. */
bool report_suppressed(enum suppress_kind k, const report_site *sites, size_t n);

/* The same for raw stacks of return addresses (pcs[0] innermost). */
bool report_suppressed_pcs(enum suppress_kind k, const uintptr_t *pcs, size_t n);

/* Findings suppressed so far. */
unsigned long suppressions_count(void);

/* For verbosity>=1 at exit: each rule with how many findings it matched,
   then the rules that matched nothing. */
void suppressions_print_stats(FILE *f);

/* Match against the loaded rules (see suppress_match); NULL when none. */
suppress_rule *suppressions_match(enum suppress_kind k, const char *const *strs, size_t n);

/* Back to no rules and not loaded (tests). */
void suppressions_reset(void);

#endif
