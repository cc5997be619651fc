/*
 * pingpong: two goroutines bounce an int over two unbuffered channels.
 * Prints ns per round trip (main -> echo -> main).
 * Port of shared/anchors/go/pingpong: same size (N round trips, default 3e6,
 * optional argv[1]) and the same output line.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

struct echo_arg {
    co_chan *ping, *pong;
};

static void echo(void *p)
{
    struct echo_arg *a = p;
    int64_t v;
    while (co_chan_recv(a->ping, &v)) { /* for v := range ping */
        int64_t w = v + 1;
        co_chan_send(a->pong, &w);
    }
}

int main(int argc, char **argv)
{
    int64_t n = 3000000;
    if (argc > 1)
        n = strtoll(argv[1], NULL, 10);
    co_chan *ping = co_chan_make(sizeof(int64_t), 0);
    co_chan *pong = co_chan_make(sizeof(int64_t), 0);
    struct echo_arg a = {ping, pong};
    co_go(echo, &a);
    int64_t v = 0;
    int64_t start = co_now();
    for (int64_t i = 0; i < n; i++) {
        co_chan_send(ping, &v);
        co_chan_recv(pong, &v);
    }
    int64_t el = co_now() - start;
    co_chan_close(ping);
    if (v != n) {
        fprintf(stderr, "pingpong: wrong result\n");
        return 1;
    }
    printf("pingpong_p%d: %.1f ns/roundtrip\n", co_maxprocs(0), (double)el / (double)n);
    return 0;
}
