/*
 * Not a deadlock: a goroutine asleep in co_sleep, or waiting on a timer
 * channel, will wake up, so while one is pending the runtime must keep
 * waiting even when every goroutine is blocked (Go: time.Sleep, time.After,
 * time.Ticker).  Runs to completion with exit status 0.
 *
 * expect-exit: 0
 * expect-no-stderr: fatal error
 * expect-no-stderr: panic:
 * expect-stdout: got 42
 * expect-stdout: after fired
 * expect-stdout: select timed out
 * expect-stdout: sleepers done
 * expect-stdout: 3 ticks
 */
#include <corace.h>
#include <stdio.h>

static co_waitgroup wg;

static void sleeper(void *arg)
{
    co_chan *c = arg;
    int v = 42;
    co_sleep(30 * CO_MILLISECOND);
    co_chan_send(c, &v);
}

static void short_sleeper(void *arg)
{
    co_sleep((int64_t)(intptr_t)arg * CO_MILLISECOND);
    co_waitgroup_done(&wg);
}

int main(void)
{
    /* main blocked on a channel, the only other goroutine asleep */
    co_chan *c = co_chan_make(sizeof(int), 0);
    int v = 0;
    co_go(sleeper, c);
    co_chan_recv(c, &v);
    printf("got %d\n", v);

    /* main alone, waiting on a timer channel (time.After) */
    int64_t when = 0;
    co_chan_recv(co_after(20 * CO_MILLISECOND), &when);
    printf("after fired\n");

    /* select with a timeout case on a channel nobody sends on */
    co_chan *never = co_chan_make(sizeof(int), 0);
    co_case cases[2];
    cases[0] = CO_RECV(never, &v, NULL);
    cases[1] = CO_RECV(co_after(10 * CO_MILLISECOND), &when, NULL);
    if (co_select(cases, 2, false) == 1)
        printf("select timed out\n");

    /* main in WaitGroup.Wait while the goroutines sleep */
    co_waitgroup_add(&wg, 2);
    co_go(short_sleeper, (void *)(intptr_t)10);
    co_go(short_sleeper, (void *)(intptr_t)20);
    co_waitgroup_wait(&wg);
    printf("sleepers done\n");

    /* a ticker */
    co_ticker *t = co_ticker_make(5 * CO_MILLISECOND);
    int ticks = 0;
    while (ticks < 3 && co_chan_recv(co_ticker_chan(t), &when))
        ticks++;
    co_ticker_stop(t);
    printf("%d ticks\n", ticks);
    return 0;
}
