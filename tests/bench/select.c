/*
 * select: 4 producers each feed their own unbuffered channel; one consumer
 * goroutine (main) selects over the 4 channels until it has N items.
 * Prints ns per select (one item received).
 * Port of shared/anchors/go/select: N default 4e6, optional argv[1].
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

struct producer_arg {
    co_chan *c;
    int64_t k;
};

static void producer(void *p)
{
    struct producer_arg *a = p;
    int64_t one = 1;
    for (int64_t j = 0; j < a->k; j++)
        co_chan_send(a->c, &one);
}

int main(int argc, char **argv)
{
    int64_t n = 4000000;
    if (argc > 1)
        n = strtoll(argv[1], NULL, 10);
    n = n / 4 * 4;
    co_chan *cs[4];
    static struct producer_arg pa[4];
    for (int i = 0; i < 4; i++) {
        cs[i] = co_chan_make(sizeof(int64_t), 0);
        pa[i].c = cs[i];
        pa[i].k = n / 4;
        co_go(producer, &pa[i]);
    }
    int64_t start = co_now();
    int64_t got[4] = {0, 0, 0, 0};
    int64_t v;
    for (int64_t i = 0; i < n; i++) {
        co_case cases[4] = {
            CO_RECV(cs[0], &v, NULL),
            CO_RECV(cs[1], &v, NULL),
            CO_RECV(cs[2], &v, NULL),
            CO_RECV(cs[3], &v, NULL),
        };
        int k = co_select(cases, 4, false);
        if (k < 0 || k > 3) {
            fprintf(stderr, "select: bad case index %d\n", k);
            return 1;
        }
        got[k] += v;
    }
    int64_t el = co_now() - start;
    if (got[0] + got[1] + got[2] + got[3] != n) {
        fprintf(stderr, "select: wrong count\n");
        return 1;
    }
    printf("select4: %.1f ns/op\n", (double)el / (double)n);
    return 0;
}
