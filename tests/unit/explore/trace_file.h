/*
 * trace_file.h - decision traces read and written byte by byte for the
 * suites, from the format in decisions.c's header ("CORACETR", then
 * unsigned LEB128 numbers), and a way to run code that may exit in a child
 * whose status and stderr come back.
 */
#ifndef CORACE_TEST_EXPLORE_TRACE_FILE_H
#define CORACE_TEST_EXPLORE_TRACE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { TRACE_MAX = 256 };

/* The fields of a trace, as the format lists them. */
typedef struct trace {
    uint64_t version, identity, strategy, seed, depth, ksteps, nsteps;
    uint64_t nchange, change[TRACE_MAX];
    uint64_t nprio, prio[TRACE_MAX];
    uint64_t nyield, yield[TRACE_MAX];   /* absolute steps, not gaps */
} trace;

/* Bytes of a file under construction. */
typedef struct bytes {
    uint8_t b[4096];
    size_t n;
} bytes;

void bytes_raw(bytes *out, const void *p, size_t n);
void bytes_num(bytes *out, uint64_t v);
/* The whole trace t, yields written as gaps. */
void bytes_trace(bytes *out, const trace *t);

/* Reads path into t; false if it does not parse to its last byte. */
bool trace_read(const char *path, trace *t);
void bytes_save(const char *path, const bytes *b);
/* The contents of path (at most cap - 1 bytes, NUL-terminated); -1 if
   it cannot be read. */
long file_slurp(const char *path, char *buf, size_t cap);

/* This test program's identity as the checker records it: read from a
   trace the suite recorded. */
uint64_t own_identity(void);

/* A trace of this program with the given strategy and seed, depth 3,
   k 10000, no decisions. */
trace trace_of(uint64_t strategy, uint64_t seed, uint64_t nsteps);

/* Runs fn in a child; its exit status (fn returning is 0; a signal is
   128 + its number) and what it wrote to stderr. */
typedef struct child_result {
    int status;
    char err[1024];
} child_result;
child_result in_child(void (*fn)(void));

#endif
