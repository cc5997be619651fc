/* duration.h - Go's time.ParseDuration syntax, for `corace run --timeout`. */
#ifndef CORACE_CLI_DURATION_H
#define CORACE_CLI_DURATION_H

#include <stdbool.h>

/* Parses s as Go writes durations: one or more decimal numbers, each with
   an optional fraction and a unit ns, us (or µs), ms, s, m, h, e.g. "300ms",
   "1.5s", "2m", "1h30m"; "0" alone is zero.  No sign (a timeout is never
   negative).  Returns true with *seconds set, false (and *seconds left
   alone) when s is NULL, empty, or not a duration.  Pure: no allocation,
   no locale. */
bool duration_parse(const char *s, double *seconds);

#endif
