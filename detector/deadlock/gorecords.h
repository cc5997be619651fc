/*
 * gorecords.h - goroutine leaks and the program's death as JSON records
 * (format=json), beside the runtime's own text.
 */
#ifndef CORACE_GORECORDS_H
#define CORACE_GORECORDS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "runtime/introspect.h"

/* One "leak" record per goroutine still blocked or runnable at exit, but
   those skip returns true for; returns how many. */
int gorecords_leaks(FILE *f, bool (*skip)(intro_g *gp));

/* The runtime's ev->fatal: a "deadlock", "runtime-error" or "timeout"
   record with the goroutines concerned. */
void gorecords_fatal(const char *kind, const char *message, const uintptr_t *pcs, int npcs);

#endif
