/*
 * bench_shadow.c - not a test: what the detector core costs.
 *   ns per race_write, sequential 8-byte writes over 64 MiB (warm pass);
 *   ns per race_write at random granules of the same span;
 *   ns per race_read of a location read by one goroutine at a time;
 *   ns per race_acquire of a sync object with a clock, and of one without
 *   (the sync-object lookup of every lock, unlock and atomic);
 *   ns per race_go_create with 100,000 goroutines alive.
 * Links the core with the fake depot and report sink (fakes.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "detector/race/race.h"
#include "detector/race/vclock.h"
#include "fakes.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

enum { SYNCS = 4096, ROUNDS = 2000 };

/* ns per race_acquire, over objs[0..SYNCS) in turn, ROUNDS times. */
static double acquire_ns(int *objs)
{
    double t = now();
    for (int r = 0; r < ROUNDS; r++)
        for (int i = 0; i < SYNCS; i++)
            race_acquire(&objs[i]);
    return (now() - t) / ((double)ROUNDS * SYNCS);
}

int main(void)
{
    enum { SPAN = 64 << 20, GOS = 100000 };
    race_g *m = race_main();
    char *buf = aligned_alloc(4096, SPAN);
    size_t n = SPAN / 8;

    for (size_t i = 0; i < n; i++)   /* first pass: maps and faults shadow */
        race_write(buf + 8 * i, 8, 0x100);
    double t = now();
    for (int pass = 0; pass < 4; pass++)
        for (size_t i = 0; i < n; i++)
            race_write(buf + 8 * i, 8, 0x100);
    printf("race_write sequential: %.2f ns\n", (now() - t) / (4.0 * n));

    unsigned *idx = malloc(n * sizeof *idx);
    unsigned s = 12345;
    for (size_t i = 0; i < n; i++)
        idx[i] = (unsigned)(rand_r(&s) % n);
    t = now();
    for (size_t i = 0; i < n; i++)
        race_write(buf + 8 * (size_t)idx[i], 8, 0x101);
    printf("race_write random:     %.2f ns\n", (now() - t) / n);

    t = now();
    for (size_t i = 0; i < n; i++)
        race_read(buf + 8 * i, 4, 0x102);
    printf("race_read sequential (after own write, same epoch): %.2f ns\n", (now() - t) / n);

    /* Released once, so each has a clock; then acquired over and over:
       the lookup and a join that changes nothing. */
    static int held[SYNCS], fresh[SYNCS];
    for (int i = 0; i < SYNCS; i++)
        race_release(&held[i]);
    printf("race_acquire, %d sync objects with a clock: %.2f ns\n", SYNCS, acquire_ns(held));
    printf("race_acquire, %d sync objects never released: %.2f ns\n", SYNCS, acquire_ns(fresh));

    static race_g *gs[GOS];
    t = now();
    for (int i = 0; i < GOS; i++)
        gs[i] = race_go_create(m, 2 + i, 0x200);
    double create = (now() - t) / GOS;
    int wg;
    t = now();
    for (int i = 0; i < GOS; i++) {
        race_switch(gs[i]);
        race_write(buf + 8 * (size_t)i, 8, 0x300);
        race_release_merge(&wg);
    }
    double run = (now() - t) / GOS;
    race_switch(m);
    t = now();
    race_acquire(&wg);
    double acq = now() - t;
    printf("race_go_create with up to %d live: %.1f ns each\n", GOS, create);
    printf("per goroutine write+release_merge: %.1f ns; main's acquire of all: %.1f us\n",
           run, acq / 1e3);
    for (int i = 0; i < GOS; i++)
        race_go_exit(gs[i]);
    t = now();
    for (int i = 0; i < GOS; i++)
        gs[i] = race_go_create(m, 2 + GOS + i, 0x200);
    printf("race_go_create again, memory recycled from the exited: %.1f ns each\n",
           (now() - t) / GOS);
    printf("detector memory mapped (pools, large blocks): %zu MiB; reports %u\n",
           race_mem_mapped() >> 20, fake_nreports);
    return 0;
}
