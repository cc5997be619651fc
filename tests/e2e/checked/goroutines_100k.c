/* expect: no race, "live 100000" and the sum (asserted by the e2e test in ../CMakeLists.txt). */
/*
 * goroutines_100k.c - 100,000 goroutines live at once under the checker,
 * each writing its own slot, all joined through a WaitGroup: the checker
 * must keep up (memory is its only limit) and report nothing.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>
enum { N = 100000 };
static int *slots;
static co_waitgroup started, done;
static co_chan *gate;
static void worker(void *arg)
{
    int i = (int)(long)arg;
    slots[i] = i;           /* each goroutine writes its own slot */
    co_waitgroup_done(&started);
    co_chan_recv(gate, NULL);   /* all 100,000 live at once */
    co_waitgroup_done(&done);
}
int main(void)
{
    slots = calloc(N, sizeof *slots);
    gate = co_chan_make(0, 0);
    co_waitgroup_add(&started, N);
    co_waitgroup_add(&done, N);
    for (int i = 0; i < N; i++) co_go(worker, (void *)(long)i);
    co_waitgroup_wait(&started);
    printf("live %d\n", co_num_goroutine() - 1);
    co_chan_close(gate);
    co_waitgroup_wait(&done);
    long sum = 0;
    for (int i = 0; i < N; i++) sum += slots[i];
    printf("sum %ld\n", sum);
    return sum == (long)N * (N - 1) / 2 ? 0 : 1;
}
