/* json_bytes.h - JSON text that may carry any bytes, through jansson.
 *
 * The checker writes strings (file and function names) byte for byte: only
 * '"', '\\' and control characters are escaped (detector/report/report.c),
 * so a record may hold bytes that are no UTF-8.  Jansson reads and writes
 * UTF-8 only, so such bytes cross it as stand-ins: each byte B of an invalid
 * sequence becomes the code point U+10FF00+B (U+10FF80..U+10FFFF, private
 * use, never written by the checker).  A genuine code point of that range
 * is carried as its four bytes' stand-ins, so that the mapping is one to
 * one and every string reads back and writes out as the bytes it held.
 *
 * Strings in the json_t values jb_load gives hold the raw bytes (made with
 * json_stringn_nocheck); keys stay in their stand-in form, which jb_dump
 * turns back.  Values to be written may hold raw bytes too (jb_string).
 */
#ifndef CORACE_CLI_JSON_BYTES_H
#define CORACE_CLI_JSON_BYTES_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

/* Parses one JSON value filling text[0..len).  NULL on error, with
   jansson's message (its raw bytes restored) in e. */
json_t *jb_load(const char *text, size_t len, json_error_t *e);

/* v as compact JSON text (malloc'd, NUL-terminated), raw bytes restored;
   NULL when out of memory. */
char *jb_dumps(const json_t *v);
/* v as compact JSON on f; -1 when it cannot be encoded or written. */
int jb_dumpf(const json_t *v, FILE *f);

/* A string value holding s byte for byte (NULL: out of memory). */
json_t *jb_string(const char *s);

#endif
