/* kinds.h - the report kinds a sample's "// expect:" line names, as a bit set. */
#ifndef CORACE_CLI_KINDS_H
#define CORACE_CLI_KINDS_H

#include <stdbool.h>
#include <stddef.h>

enum {
    KIND_RACE = 1u << 0,
    KIND_DEADLOCK = 1u << 1,
    KIND_LEAK = 1u << 2,
    KIND_LOCK_ORDER = 1u << 3,
    KIND_PANIC = 1u << 4,
    KIND_COPY = 1u << 5,
    KIND_CLEAN = 1u << 6,
    KIND_WAIT_CYCLE = 1u << 7,
    KIND_PARTIAL = 1u << 8,
};

/* What the runtime alone decides (exit status and its fatal-error text)... */
#define KINDS_RUNTIME (KIND_DEADLOCK | KIND_PANIC | KIND_CLEAN)
/* ...and what only the checker reports. */
#define KINDS_CHECKER (KIND_RACE | KIND_LEAK | KIND_LOCK_ORDER | KIND_COPY | KIND_WAIT_CYCLE | KIND_PARTIAL)

/* Parse "deadlock,lock-order" into a bit set.  Returns false on an empty
   list or an unknown name (the first unknown name is copied to bad). */
bool kinds_parse(const char *csv, unsigned *out, char *bad, size_t bad_size);
/* The line that opens the checker's report of a checker kind (one bit),
   NULL for the runtime's kinds. */
const char *kinds_checker_line(unsigned kind);
/* "deadlock,lock-order", in the canonical order above. */
void kinds_format(unsigned kinds, char *buf, size_t size);

#endif
