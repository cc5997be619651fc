/*
 * mutex: 4 goroutines increment one counter under a co_mutex, N increments in
 * total (contended), then one goroutine does M lock+unlock pairs alone
 * (uncontended).  Prints ns per op for both.
 * Port of shared/anchors/go/mutex: N default 4e7 (argv[1]), M default 1e8 (argv[2]).
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

enum { WORKERS = 4 };

struct shared {
    co_mutex mu;
    co_waitgroup wg;
    int64_t counter; /* guarded by mu */
    int64_t per_worker;
};

static void worker(void *p)
{
    struct shared *s = p;
    for (int64_t i = 0; i < s->per_worker; i++) {
        co_mutex_lock(&s->mu);
        s->counter++;
        co_mutex_unlock(&s->mu);
    }
    co_waitgroup_done(&s->wg); /* defer wg.Done() */
}

int main(int argc, char **argv)
{
    int64_t n = 40000000;  /* contended, total over 4 goroutines */
    int64_t m = 100000000; /* uncontended */
    if (argc > 1)
        n = strtoll(argv[1], NULL, 10);
    if (argc > 2)
        m = strtoll(argv[2], NULL, 10);
    static struct shared s; /* zero value: mutex and waitgroup ready */
    s.per_worker = n / WORKERS;
    int64_t start = co_now();
    for (int w = 0; w < WORKERS; w++) {
        co_waitgroup_add(&s.wg, 1);
        co_go(worker, &s);
    }
    co_waitgroup_wait(&s.wg);
    int64_t el = co_now() - start;
    if (s.counter != n / WORKERS * WORKERS) {
        fprintf(stderr, "mutex: wrong count\n");
        return 1;
    }
    printf("mutex_contended4: %.1f ns/op\n", (double)el / (double)s.counter);

    static co_mutex mu2;
    int64_t x = 0;
    start = co_now();
    for (int64_t i = 0; i < m; i++) {
        co_mutex_lock(&mu2);
        x++;
        co_mutex_unlock(&mu2);
    }
    el = co_now() - start;
    if (x != m) {
        fprintf(stderr, "mutex: wrong uncontended count\n");
        return 1;
    }
    printf("mutex_uncontended: %.1f ns/op\n", (double)el / (double)m);
    return 0;
}
