/*
 * rw_rwmap (race-work iii): an int64 -> int64 map guarded by a RWMutex
 * (co_rwmutex, writer-preferring as Go's sync.RWMutex), hammered by 8
 * goroutines, 70% reads (RLock) / 30% writes (Lock), keys uniform over 65536
 * (the map is filled first, so it does not grow during the run).  N operations
 * in total.  As in the pthread twin (c-pthread/rw-rwmap.c) the map is an
 * open-addressing table of 2^17 slots, with the same hash and the same
 * xorshift key stream as the Go anchor (shared/anchors/go/rw-rwmap).
 * Same optional argument (N, default 1.6e7) and output lines as the Go anchor;
 * the checksum depends on the interleaving, as Go's does.  After the timed
 * section (and not in the Go anchor) the program checks the map itself: the
 * values must sum to sum(0..65535) + the number of writes, and len to 65536.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

#define KEYS (1 << 16)
#define SLOTS (1 << 17)
#define WORKERS 8

typedef struct {
    int64_t key, val;
    int used;
} slot;

static slot table[SLOTS];
static long table_len; /* len(m) */
static co_rwmutex mu;
static co_waitgroup wg;
static long per;
static int64_t sums[WORKERS * 8];   /* padded per-worker slots */
static int64_t writes[WORKERS * 8]; /* writes per worker: for the final check only */

static inline size_t hash(int64_t k)
{
    return (size_t)(((uint64_t)k * 0x9E3779B97F4A7C15ULL) >> (64 - 17));
}

static slot *find(int64_t k, int insert)
{
    size_t h = hash(k);
    for (;;) {
        slot *s = &table[h];
        if (s->used && s->key == k)
            return s;
        if (!s->used) {
            if (!insert)
                return NULL;
            s->used = 1;
            s->key = k;
            s->val = 0;
            table_len++;
            return s;
        }
        h = (h + 1) & (SLOTS - 1);
    }
}

static void worker(void *arg)
{
    long w = (long)(intptr_t)arg;
    uint64_t s = (uint64_t)w * 0x9E3779B97F4A7C15ULL + 1;
    int64_t local = 0, nw = 0;
    for (long i = 0; i < per; i++) {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        int64_t k = (int64_t)(s & (KEYS - 1));
        if ((s >> 32) % 10 < 7) {
            co_rwmutex_rlock(&mu);
            slot *e = find(k, 0);
            local += e ? e->val : 0;
            co_rwmutex_runlock(&mu);
        } else {
            co_rwmutex_lock(&mu);
            slot *e = find(k, 1);
            e->val = e->val + 1;
            co_rwmutex_unlock(&mu);
            nw++;
        }
    }
    sums[w * 8] = local;
    writes[w * 8] = nw;
    co_waitgroup_done(&wg);
}

int main(int argc, char **argv)
{
    long n = 16000000;
    if (argc > 1)
        n = strtol(argv[1], NULL, 10);
    for (int64_t k = 0; k < KEYS; k++)
        find(k, 1)->val = k;
    per = n / WORKERS;
    int64_t start = co_now();
    for (long w = 0; w < WORKERS; w++) {
        co_waitgroup_add(&wg, 1);
        co_go(worker, (void *)(intptr_t)w);
    }
    co_waitgroup_wait(&wg);
    int64_t el = co_now() - start;
    int64_t total = 0;
    for (int w = 0; w < WORKERS; w++)
        total += sums[w * 8];
    /* Not in the Go anchor, outside the timed section: every write added 1 to
       one value, so the values now sum to sum(0..KEYS-1) + writes. */
    int64_t vals = 0, want = (int64_t)KEYS * (KEYS - 1) / 2;
    for (int w = 0; w < WORKERS; w++)
        want += writes[w * 8];
    for (long i = 0; i < SLOTS; i++)
        if (table[i].used)
            vals += table[i].val;
    if (vals != want || table_len != KEYS) {
        fprintf(stderr, "rw-rwmap: wrong map total %lld, want %lld (len %ld)\n",
                (long long)vals, (long long)want, table_len);
        return 1;
    }
    printf("rw_rwmap: %.1f ns/op\n", (double)el / (double)(per * WORKERS));
    printf("rw_rwmap_checksum: %lld sum %ld len\n", (long long)total, table_len);
    return 0;
}
