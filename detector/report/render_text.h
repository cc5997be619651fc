/* render_text.h - findings as Go-format text, from their records
 * (record.h), and the pieces of it other renderings use.
 *
 * Pure functions of a record: they depend on jansson, the kinds table and
 * libc, nothing else of corace's, so that the checker (as it reports) and
 * corace report (over a file of records) print with the same code.  pfx is
 * a strip_path_prefix still to apply ("" or NULL: none; the checker's own
 * records have theirs applied already). */
#ifndef CORACE_REPORT_RENDER_TEXT_H
#define CORACE_REPORT_RENDER_TEXT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One record as the checker prints it (no "Found N data race(s)" line). */
void rt_render(FILE *f, const char *pfx, const json_t *r);
/* rt_render into a malloc'd string; NULL when out of memory. */
char *rt_text(const char *pfx, const json_t *r);
/* Every record, then "Found N data race(s)" when there were races. */
void rt_render_all(FILE *f, const char *pfx, json_t *const *recs, size_t n);
/* The one-line message of a finding (SARIF's message, JUnit's). */
void rt_summary(const json_t *r, char *buf, size_t size);

/* file shortened by the prefix, as the checker shortens it. */
const char *rt_strip(const char *file, const char *pfx);
/* "file:line" of a stack's innermost frame ("?" for none). */
void rt_site_line(const json_t *stack, const char *pfx, char *buf, size_t size);
/* "Read", "Previous atomic write"...: an access of a race record. */
const char *rt_access_kind(const json_t *access, bool previous);
/* A lock of a cycle step held or wanted for reading; its mode's name. */
bool rt_read_mode(const json_t *lock);
const char *rt_mode_name(const json_t *lock);

#endif
