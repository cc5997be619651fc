/*
 * rw_pipeline (race-work ii): a source goroutine allocates small structs and
 * passes pointers through 4 stage goroutines (each rewrites the struct in
 * place, handing ownership on) to the sink (main), over channels of capacity
 * 64.  N structs a round, R rounds.  Race-free: a struct is touched by one
 * stage at a time, ordered by the channels.
 * Port of shared/anchors/go/rw-pipeline (and c-pthread/rw-pipeline.c): same
 * sizes, the same optional arguments (N per round, default 2e5; rounds,
 * default 15), the same output lines and the same checksum.  As in the pthread
 * twin the sink frees each struct (Go leaves it to the collector).
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    int64_t id;
    double x, y;
    uint32_t tag, hops;
} item;

#define CHAN_CAP 64

static long n;

static void die(const char *msg)
{
    fprintf(stderr, "%s\n", msg);
    exit(1);
}

static void source(void *p)
{
    co_chan *out = p;
    for (long i = 0; i < n; i++) {
        item *it = malloc(sizeof *it);
        if (!it)
            die("rw-pipeline: out of memory");
        *it = (item){.id = i, .x = (double)i, .y = 1, .tag = (uint32_t)i};
        co_chan_send(out, &it);
    }
    co_chan_close(out);
}

struct stage_arg {
    int k;
    co_chan *in, *out;
};

static void stage(void *p)
{
    struct stage_arg *a = p;
    item *it;
    while (co_chan_recv(a->in, &it)) { /* for it := range in */
        it->x = it->x * 1.000001 + (double)a->k;
        it->y += it->x * 0.5;
        it->tag = it->tag * 31 + (uint32_t)a->k;
        it->hops++;
        co_chan_send(a->out, &it);
    }
    co_chan_close(a->out);
}

int main(int argc, char **argv)
{
    n = 200000;
    long rounds = 15;
    if (argc > 1)
        n = strtol(argv[1], NULL, 10);
    if (argc > 2)
        rounds = strtol(argv[2], NULL, 10);
    double sum = 0;
    uint64_t tags = 0;
    struct stage_arg sa[4];
    int64_t start = co_now();
    for (long r = 0; r < rounds; r++) {
        co_chan *chans[5];
        for (int i = 0; i < 5; i++)
            chans[i] = co_chan_make(sizeof(item *), CHAN_CAP);
        co_go(source, chans[0]);
        for (int s = 0; s < 4; s++) {
            sa[s] = (struct stage_arg){s + 1, chans[s], chans[s + 1]};
            co_go(stage, &sa[s]);
        }
        long cnt = 0;
        item *it;
        while (co_chan_recv(chans[4], &it)) {
            if (it->hops != 4)
                die("rw-pipeline: wrong hops");
            sum += it->y;
            tags += it->tag;
            cnt++;
            free(it);
        }
        if (cnt != n)
            die("rw-pipeline: wrong count");
        /* chans[4] closed: every stage has returned from its last channel call. */
        for (int i = 0; i < 5; i++)
            co_chan_free(chans[i]);
    }
    int64_t el = co_now() - start;
    printf("rw_pipeline: %.1f ns/struct\n", (double)el / (double)(n * rounds));
    printf("rw_pipeline_checksum: %.6e sum %llu tags\n", sum, (unsigned long long)tags);
    return 0;
}
