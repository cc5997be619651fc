/*
 * decisions.c - a schedule's decisions, recorded (record=FILE) and followed
 * (replay=FILE).
 *
 * Format, version 1: the 8 bytes "CORACETR", then unsigned LEB128 varints
 * (7 bits a byte, low first, high bit = more follows):
 *
 *   version        1
 *   identity       64-bit FNV-1a hash of the executable's GNU build-id, or
 *                  lacking one of the executable file's bytes
 *   strategy       0 entry, 1 random, 2 pct
 *   seed           the scheduling seed (CO_SEED) the run used
 *   depth          pct's d (as configured; 1..64)
 *   ksteps         pct's k
 *   nsteps         steps (preemption points) the run took in all
 *   nchange, then nchange change points (pct; absolute steps, ascending)
 *   nprio, then nprio priorities (pct; in the order they were handed out)
 *   nyield, then nyield gaps: the step of each yield minus the step of the
 *                  previous one (the first from 0).  A run of gap-1 "no"
 *                  bits then a "yes" bit: the yield/no-yield decisions run-
 *                  length coded.
 *
 * Replaying, entry and random yield exactly at the recorded steps; pct takes
 * its priorities and change points from the trace and checks that its own
 * yields fall on the recorded steps.  The run diverges (one line, exit 1)
 * when it goes past nsteps, ends before it, needs a priority the trace lacks
 * or, under pct, would switch where the trace did not (or not where it did).
 *
 * Buffers live in mmap'd memory, never the program's heap: recording must not
 * move the program's allocations, or the addresses in its reports.
 */
#define _GNU_SOURCE
#include "explore.h"

#include <errno.h>
#include <fcntl.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "detector/core/gate.h"
#include "detector/core/options.h"

#define TRACE_MAGIC "CORACETR"
enum { TRACE_VERSION = 1 };

/* ---- buffers ---- */

static void buf_put(explore_buf *b, uint64_t v)
{
    if (b->n + 10 > b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 1 << 16;
        void *p = b->p ? mremap(b->p, b->cap, ncap, MREMAP_MAYMOVE)
                       : mmap(NULL, ncap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) {
            fputs("corace: record: out of memory for the trace\n", stderr);
            _exit(2);
        }
        b->p = p;
        b->cap = ncap;
    }
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        b->p[b->n++] = c | (v ? 0x80 : 0);
    } while (v);
}

/* ---- the program's identity ---- */

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    uint64_t *h = data;
    /* The first object is the executable. */
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE) continue;
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *nh = (const void *)p;
            const uint8_t *name = p + sizeof *nh;
            const uint8_t *desc = name + ((nh->n_namesz + 3) & ~3u);
            if (nh->n_type == NT_GNU_BUILD_ID && nh->n_namesz == 4 && memcmp(name, "GNU", 4) == 0 &&
                desc + nh->n_descsz <= end) {
                *h = fnv(0xcbf29ce484222325ull, desc, nh->n_descsz);
                return 1;
            }
            p = desc + ((nh->n_descsz + 3) & ~3u);
        }
    }
    return 1;
}

static uint64_t program_identity(void)
{
    uint64_t h = 0;
    dl_iterate_phdr(find_build_id, &h);
    if (h) return h;
    h = 0xcbf29ce484222325ull;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return h;
    uint8_t buf[16384];
    ssize_t k;
    while ((k = read(fd, buf, sizeof buf)) > 0) h = fnv(h, buf, (size_t)k);
    close(fd);
    return h;
}

/* ---- recording ---- */

static explore_buf rec_prios, rec_yields;
static uint64_t rec_nprio, rec_nyield, rec_last_yield;
static uint64_t rec_cps[64];
static unsigned rec_ncps;

bool decisions_recording(void) { return corace_opts.record[0] != '\0'; }

void decisions_rec_reset(void)
{
    rec_prios.n = rec_yields.n = 0;
    rec_nprio = rec_nyield = rec_last_yield = 0;
    rec_ncps = 0;
}

void decisions_rec_yield(uint64_t step)
{
    buf_put(&rec_yields, step - rec_last_yield);
    rec_last_yield = step;
    rec_nyield++;
}

void decisions_rec_prio(uint64_t prio)
{
    buf_put(&rec_prios, prio);
    rec_nprio++;
}

void decisions_rec_changepoint(uint64_t step)
{
    if (rec_ncps < sizeof rec_cps / sizeof rec_cps[0]) rec_cps[rec_ncps++] = step;
}

static bool write_all(int fd, const void *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        p = (const char *)p + k;
        n -= (size_t)k;
    }
    return true;
}

bool decisions_write(const char *path, uint64_t nsteps)
{
    race_abi_ignore_begin();
    explore_buf h = {0};
    buf_put(&h, TRACE_VERSION);
    buf_put(&h, program_identity());
    buf_put(&h, explore_st.strategy);
    buf_put(&h, explore_st.seed);
    buf_put(&h, explore_st.depth);
    buf_put(&h, explore_st.ksteps);
    buf_put(&h, nsteps);
    buf_put(&h, rec_ncps);
    for (unsigned i = 0; i < rec_ncps; i++) buf_put(&h, rec_cps[i]);
    buf_put(&h, rec_nprio);
    explore_buf y = {0};
    buf_put(&y, rec_nyield);
    bool ok = false;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd >= 0) {
        ok = write_all(fd, TRACE_MAGIC, 8) && write_all(fd, h.p, h.n) && write_all(fd, rec_prios.p, rec_prios.n) &&
             write_all(fd, y.p, y.n) && write_all(fd, rec_yields.p, rec_yields.n);
        int e = errno;
        if (close(fd) != 0 && ok) ok = false;
        else errno = e;
    }
    int e = errno;
    munmap(h.p, h.cap);
    munmap(y.p, y.cap);
    errno = e;
    race_abi_ignore_end();
    return ok;
}

/* ---- replaying ---- */

static const char *rp_path;
static const uint8_t *rp_end;
static uint64_t rp_nsteps;
static uint64_t rp_cps[64];
static unsigned rp_ncps;
static const uint8_t *rp_prio;       /* cursor in the priorities */
static uint64_t rp_nprio, rp_prio_i;
static const uint8_t *rp_yield;      /* cursor in the gaps */
static uint64_t rp_nyield, rp_yield_i, rp_next;

bool decisions_replaying(void) { return rp_path != NULL; }
uint64_t decisions_nsteps(void) { return rp_nsteps; }

_Noreturn void decisions_diverged(const char *fmt, ...)
{
    fflush(stdout);
    fprintf(stderr, "corace: replay %s: ", rp_path ? rp_path : corace_opts.replay);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    _exit(1);
}

/* A varint at *p, or a diagnosis of the file if it is cut short. */
static uint64_t get(const uint8_t **p)
{
    uint64_t v = 0;
    for (unsigned sh = 0; sh < 64; sh += 7) {
        if (*p >= rp_end) decisions_diverged("not a corace trace (truncated)");
        uint8_t c = *(*p)++;
        /* The tenth byte holds bit 63 alone: anything more is no uint64. */
        if (sh == 63 && (c & 0x7e))
            break;
        v |= (uint64_t)(c & 0x7f) << sh;
        if (!(c & 0x80)) return v;
    }
    decisions_diverged("not a corace trace (bad number)");
}

static void skip(const uint8_t **p, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) (void)get(p);
}

void decisions_load(const char *path)
{
    race_abi_ignore_begin();
    rp_path = path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) decisions_diverged("%s", strerror(errno));
    if (st.st_size < 8) decisions_diverged("not a corace trace");
    const uint8_t *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) decisions_diverged("%s", strerror(errno));
    rp_end = p + st.st_size;
    if (memcmp(p, TRACE_MAGIC, 8) != 0) decisions_diverged("not a corace trace");
    p += 8;
    uint64_t v = get(&p);
    if (v != TRACE_VERSION) decisions_diverged("trace version %llu, this program reads version %d", (unsigned long long)v,
                                           TRACE_VERSION);
    if (get(&p) != program_identity())
        decisions_diverged("recorded from a different program (build-id or executable differs)");
    uint64_t s = get(&p);
    if (s > EXPLORE_PCT) decisions_diverged("not a corace trace (strategy %llu)", (unsigned long long)s);
    explore_st.strategy = (enum explore_strategy)s;
    explore_st.seed = get(&p);
    uint64_t d = get(&p);
    if (d < 1 || d > 64) decisions_diverged("not a corace trace (depth %llu)", (unsigned long long)d);
    explore_st.depth = (uint32_t)d;
    explore_st.ksteps = get(&p);
    rp_nsteps = get(&p);
    uint64_t nc = get(&p);
    if (nc > 64) decisions_diverged("not a corace trace (%llu change points)", (unsigned long long)nc);
    rp_ncps = (unsigned)nc;
    for (unsigned i = 0; i < rp_ncps; i++) rp_cps[i] = get(&p);
    rp_nprio = get(&p);
    rp_prio = p;
    skip(&p, rp_nprio);
    rp_nyield = get(&p);
    rp_yield = p;
    /* Every gap must be a step on: check the whole list now, so that a bad
       file is a bad file and not a divergence halfway. */
    uint64_t at = 0;
    for (uint64_t i = 0; i < rp_nyield; i++) {
        uint64_t gap = get(&p);
        if (gap == 0 || (at += gap) > rp_nsteps) decisions_diverged("not a corace trace (yield past the end)");
    }
    if (p != rp_end) decisions_diverged("not a corace trace (trailing bytes)");
    rp_yield_i = 0;
    rp_next = rp_nyield ? get(&rp_yield) : UINT64_MAX;
    race_abi_ignore_end();
}

uint64_t decisions_next_yield(void) { return rp_next; }

void decisions_take_yield(void)
{
    if (++rp_yield_i < rp_nyield) rp_next += get(&rp_yield);
    else rp_next = UINT64_MAX;
}

bool decisions_prio(size_t i, uint64_t *prio)
{
    if (i != rp_prio_i || rp_prio_i >= rp_nprio) return false;
    *prio = get(&rp_prio);
    rp_prio_i++;
    return true;
}

bool decisions_changepoint(size_t i, uint64_t *step)
{
    if (i >= rp_ncps) return false;
    *step = rp_cps[i];
    return true;
}
