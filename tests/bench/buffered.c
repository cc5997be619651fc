/*
 * buffered: one producer (main), one consumer over a channel of capacity 128,
 * N items.  Prints ns per item.
 * Port of shared/anchors/go/buffered: N default 2e7, optional argv[1].
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

struct consumer_arg {
    co_chan *c, *done;
};

static void consumer(void *p)
{
    struct consumer_arg *a = p;
    int64_t sum = 0, v;
    while (co_chan_recv(a->c, &v)) /* for v := range c */
        sum += v;
    co_chan_send(a->done, &sum);
}

int main(int argc, char **argv)
{
    int64_t n = 20000000;
    if (argc > 1)
        n = strtoll(argv[1], NULL, 10);
    co_chan *c = co_chan_make(sizeof(int64_t), 128);
    co_chan *done = co_chan_make(sizeof(int64_t), 0);
    struct consumer_arg a = {c, done};
    co_go(consumer, &a);
    int64_t start = co_now();
    for (int64_t i = 0; i < n; i++)
        co_chan_send(c, &i);
    co_chan_close(c);
    int64_t sum = 0;
    co_chan_recv(done, &sum);
    int64_t el = co_now() - start;
    if (sum != n * (n - 1) / 2) {
        fprintf(stderr, "buffered: wrong sum\n");
        return 1;
    }
    printf("buffered: %.1f ns/item\n", (double)el / (double)n);
    return 0;
}
