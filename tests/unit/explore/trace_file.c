/* trace_file.c - see trace_file.h. */
#include "trace_file.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "start.h"

void bytes_raw(bytes *out, const void *p, size_t n)
{
    ck_assert_uint_le(out->n + n, sizeof out->b);
    memcpy(out->b + out->n, p, n);
    out->n += n;
}

void bytes_num(bytes *out, uint64_t v)
{
    do {
        uint8_t c = (uint8_t)(v & 0x7f);
        v >>= 7;
        if (v) c |= 0x80;
        bytes_raw(out, &c, 1);
    } while (v);
}

void bytes_trace(bytes *out, const trace *t)
{
    bytes_raw(out, "CORACETR", 8);
    const uint64_t head[] = {t->version, t->identity, t->strategy, t->seed, t->depth, t->ksteps, t->nsteps};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++) bytes_num(out, head[i]);
    bytes_num(out, t->nchange);
    for (uint64_t i = 0; i < t->nchange; i++) bytes_num(out, t->change[i]);
    bytes_num(out, t->nprio);
    for (uint64_t i = 0; i < t->nprio; i++) bytes_num(out, t->prio[i]);
    bytes_num(out, t->nyield);
    for (uint64_t i = 0; i < t->nyield; i++) bytes_num(out, t->yield[i] - (i ? t->yield[i - 1] : 0));
}

static bool read_num(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
    *v = 0;
    for (unsigned sh = 0; sh < 64 && *p < end; sh += 7) {
        uint8_t c = *(*p)++;
        *v |= (uint64_t)(c & 0x7f) << sh;
        if (!(c & 0x80)) return true;
    }
    return false;
}

static bool read_list(const uint8_t **p, const uint8_t *end, uint64_t *n, uint64_t *list)
{
    if (!read_num(p, end, n) || *n > TRACE_MAX) return false;
    for (uint64_t i = 0; i < *n; i++)
        if (!read_num(p, end, &list[i])) return false;
    return true;
}

bool trace_read(const char *path, trace *t)
{
    static uint8_t buf[1 << 16];
    FILE *f = fopen(path, "rb");
    if (!f) return false;
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    const uint8_t *p = buf + 8, *end = buf + n;
    if (n < 8 || memcmp(buf, "CORACETR", 8) != 0) return false;
    uint64_t *head[] = {&t->version, &t->identity, &t->strategy, &t->seed, &t->depth, &t->ksteps, &t->nsteps};
    for (size_t i = 0; i < sizeof head / sizeof head[0]; i++)
        if (!read_num(&p, end, head[i])) return false;
    if (!read_list(&p, end, &t->nchange, t->change) || !read_list(&p, end, &t->nprio, t->prio) ||
        !read_list(&p, end, &t->nyield, t->yield))
        return false;
    for (uint64_t i = 1; i < t->nyield; i++) t->yield[i] += t->yield[i - 1];
    return p == end;
}

void bytes_save(const char *path, const bytes *b)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(b->b, 1, b->n, f), b->n);
    ck_assert_int_eq(fclose(f), 0);
}

long file_slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return (long)n;
}

static void record_nothing(void)
{
    start("strategy=random record=identity.trace", "1");
    explore_finish();
}

uint64_t own_identity(void)
{
    child_result r = in_child(record_nothing);
    ck_assert_int_eq(r.status, 0);
    trace t;
    ck_assert(trace_read("identity.trace", &t));
    unlink("identity.trace");
    return t.identity;
}

trace trace_of(uint64_t strategy, uint64_t seed, uint64_t nsteps)
{
    trace t = {.version = 1, .identity = own_identity(), .strategy = strategy, .seed = seed,
               .depth = 3, .ksteps = 10000, .nsteps = nsteps};
    return t;
}

child_result in_child(void (*fn)(void))
{
    child_result r = {0};
    char errpath[64];
    snprintf(errpath, sizeof errpath, "stderr.%d", (int)getpid());
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || dup2(fd, 2) < 0) _exit(99);
        fn();
        fflush(NULL);
        _exit(0);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    ck_assert_int_ge(file_slurp(errpath, r.err, sizeof r.err), 0);
    unlink(errpath);
    return r;
}
