/* report_json.c - records written again as JSON Lines, file paths
   shortened, every byte of their strings kept (json_bytes.h). */
#include "report_formats.h"
#include "exitcodes.h"
#include "json_bytes.h"
#include "detector/report/render_text.h"
#include "util.h"

#include <string.h>

/* Every "file" member under v shortened by the prefix. */
static void strip_files(json_t *v, const char *pfx)
{
    const char *key;
    json_t *item;
    size_t i;
    json_array_foreach(v, i, item) {
        strip_files(item, pfx);
    }
    json_object_foreach(v, key, item) {
        const char *s = json_string_value(item);
        if (s && strcmp(key, "file") == 0) {
            const char *t = rt_strip(s, pfx);
            if (t != s)
                json_string_setn_nocheck(item, t, json_string_length(item) - (size_t)(t - s));
        } else {
            strip_files(item, pfx);
        }
    }
}

void report_json(FILE *f, const char *pfx, const record_set *rs)
{
    for (size_t i = 0; i < rs->n; i++) {
        strip_files(rs->recs[i], pfx);
        if (jb_dumpf(rs->recs[i], f) != 0)
            cli_die(EXIT_FAIL, "report: a record of line %zu cannot be written as JSON", rs->lines[i]);
        fputc('\n', f);
    }
}
