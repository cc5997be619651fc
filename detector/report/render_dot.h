/* render_dot.h - deadlock cycles (wait-cycle, lock-order and
 * recursive-read records) as Graphviz digraphs: one lock per box, one
 * goroutine per ellipse, the edges that close the cycle in red.  A pure
 * function of the record, like render_text.h; pfx as there. */
#ifndef CORACE_REPORT_RENDER_DOT_H
#define CORACE_REPORT_RENDER_DOT_H

#include <jansson.h>
#include <stdio.h>

void rd_render(FILE *f, const char *pfx, const json_t *r);

#endif
