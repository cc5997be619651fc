/* record_shape.h - the shape of each kind of the checker's records: the
   members the renderers read, with their types (docs/findings.md). */
#ifndef CORACE_CLI_RECORD_SHAPE_H
#define CORACE_CLI_RECORD_SHAPE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* True when r is a record of a known kind with every member its kind needs;
   otherwise false with what is wrong in err. */
bool record_shape_ok(const json_t *r, char *err, size_t errsize);

#endif
