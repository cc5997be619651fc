/*
 * rw_pool (race-work iv): fan-out/fan-in worker pool.  A feeder goroutine
 * sends N job ids on a jobs channel (cap 64) to 8 workers; each job allocates
 * a zeroed 1024-word buffer, fills it from an LCG seeded by the id, mixes it
 * in 4 passes and sends a checksum on a results channel (cap 64); a closer
 * goroutine waits for the workers (WaitGroup) and closes results; main
 * collects.
 * Port of shared/anchors/go/rw-pool (and c-pthread/rw-pool.c): same size, the
 * same optional argument (N jobs, default 1e5), the same output lines and the
 * same checksum.  As in the pthread twin the buffer is freed after each job.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

#define WORKERS 8
#define WORDS 1024
#define CHAN_CAP 64

static co_chan *jobs, *results;
static co_waitgroup wg;
static long n;

static uint32_t job(uint32_t id)
{
    uint32_t *buf = calloc(WORDS, sizeof(uint32_t)); /* make([]uint32, words) */
    if (!buf) {
        fprintf(stderr, "rw-pool: out of memory\n");
        exit(1);
    }
    uint32_t x = id * 2654435761u + 1;
    for (int i = 0; i < WORDS; i++) {
        x = x * 1664525u + 1013904223u;
        buf[i] = x;
    }
    for (int p = 0; p < 4; p++) {
        uint32_t acc = (uint32_t)p;
        for (int i = 0; i < WORDS; i++) {
            acc = acc * 31 + buf[i];
            buf[i] = acc ^ (buf[(i + p + 1) & (WORDS - 1)] >> 3);
        }
    }
    uint32_t h = 2166136261u;
    for (int i = 0; i < WORDS; i++)
        h = (h ^ buf[i]) * 16777619u;
    free(buf);
    return h;
}

static void feeder(void *p)
{
    (void)p;
    for (long i = 0; i < n; i++) {
        uint32_t id = (uint32_t)i;
        co_chan_send(jobs, &id);
    }
    co_chan_close(jobs);
}

static void worker(void *p)
{
    (void)p;
    uint32_t id;
    while (co_chan_recv(jobs, &id)) { /* for id := range jobs */
        uint32_t r = job(id);
        co_chan_send(results, &r);
    }
    co_waitgroup_done(&wg);
}

static void closer(void *p)
{
    (void)p;
    co_waitgroup_wait(&wg);
    co_chan_close(results);
}

int main(int argc, char **argv)
{
    n = 100000;
    if (argc > 1)
        n = strtol(argv[1], NULL, 10);
    jobs = co_chan_make(sizeof(uint32_t), CHAN_CAP);
    results = co_chan_make(sizeof(uint32_t), CHAN_CAP);
    int64_t start = co_now();
    co_go(feeder, NULL);
    for (int w = 0; w < WORKERS; w++) {
        co_waitgroup_add(&wg, 1);
        co_go(worker, NULL);
    }
    co_go(closer, NULL);
    uint64_t sum = 0;
    long cnt = 0;
    uint32_t r;
    while (co_chan_recv(results, &r)) {
        sum += r;
        cnt++;
    }
    int64_t el = co_now() - start;
    if (cnt != n) {
        fprintf(stderr, "rw-pool: wrong count\n");
        return 1;
    }
    printf("rw_pool: %.1f ns/job\n", (double)el / (double)n);
    printf("rw_pool_checksum: %llu sum\n", (unsigned long long)sum);
    return 0;
}
