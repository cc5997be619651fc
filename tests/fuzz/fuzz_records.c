/*
 * fuzz_records.c - libFuzzer target for `corace report`'s reading of
 * records (cli/records.c with its shape checks, cli/record_shape.c) and for
 * the renderers that trust those checks (detector/report/render_text.c,
 * render_dot.c): records_load on the input as a file, then every record it
 * accepts rendered as text, as a one-line summary and, for cycles, as DOT.
 *
 * Besides the sanitizers' findings it checks the loader's contract: an
 * accepted file has at least one record, each with its line, in order.
 * records_load reports a bad file on stderr; run.sh passes
 * -close_fd_mask=2, which keeps the sanitizers' and libFuzzer's output.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/records.h"
#include "detector/report/render_dot.h"
#include "detector/report/render_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    static FILE *sink;
    if (fd < 0) {
        fd = memfd_create("fuzz_records", 0);
        sink = fopen("/dev/null", "w");
        if (fd < 0 || !sink)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    record_set rs;
    if (!records_load(path, &rs))
        return 0;
    if (rs.n == 0)
        abort();
    for (size_t i = 0; i < rs.n; i++) {
        if (rs.recs[i] == NULL || rs.lines[i] < 1 || (i > 0 && rs.lines[i] <= rs.lines[i - 1]))
            abort();
        char summary[512];
        rt_render(sink, "./", rs.recs[i]);
        rt_summary(rs.recs[i], summary, sizeof summary);
        rd_render(sink, "", rs.recs[i]);
    }
    records_free(&rs);
    return 0;
}
