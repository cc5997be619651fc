/*
 * fuzz_records.c - libFuzzer target for the JSON Lines record parser of
 * `corace report` (cli/records.c): records_load on the input as a file, and
 * jv_parse on the input as one JSON value.
 *
 * Besides the sanitizers' findings it checks that a value jv_parse accepts
 * is written by jv_write as JSON that parses again and is written the same
 * way (a fixed point after one round).  records_load reports a bad file on
 * stderr; run.sh passes -close_fd_mask=2, which keeps the sanitizers' and
 * libFuzzer's output.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli/records.h"

static char *write_json(const jv *v, size_t *len)
{
    char *buf = NULL;
    FILE *m = open_memstream(&buf, len);
    if (!m)
        abort();
    jv_write(m, v);
    if (fclose(m) != 0)
        abort();
    return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz_records", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    record_set rs;
    if (records_load(path, &rs)) {
        if (rs.n == 0)
            abort();
        for (size_t i = 0; i < rs.n; i++)
            if (rs.recs[i] == NULL || rs.lines[i] < 1 || (i > 0 && rs.lines[i] <= rs.lines[i - 1]))
                abort();
    }
    records_free(&rs);

    char err[256];
    jv *v = jv_parse((const char *)data, size, err, sizeof err);
    if (!v) {
        if (err[0] == '\0')
            abort();
        return 0;
    }
    size_t len1, len2;
    char *first = write_json(v, &len1);
    jv *w = jv_parse(first, len1, err, sizeof err);
    if (!w) {
        fprintf(stderr, "jv_write wrote JSON that does not parse: %s\n", err);
        abort();
    }
    char *second = write_json(w, &len2);
    if (len1 != len2 || memcmp(first, second, len1) != 0) {
        fprintf(stderr, "jv_write is not a fixed point after one round\n");
        abort();
    }
    free(second);
    free(first);
    jv_free(w);
    jv_free(v);
    return 0;
}
