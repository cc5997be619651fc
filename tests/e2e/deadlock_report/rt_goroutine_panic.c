/*
 * A panic in a goroutine other than main: the trace names that goroutine
 * as [running], shows the function that panicked and the one that called
 * it, then "created by main in goroutine 1" and the co_go line.  As Go
 * does by default (GOTRACEBACK=single), only the panicking goroutine is
 * printed, not main (which is blocked in Wait).
 *
 * expect-exit: 2
 * expect-first-line: panic: worker 3 failed: code 42
 * expect-goroutines: 1
 * expect-goroutine: worker | running | fail     | err      | main | main | worker
 * expect-frame:     worker | worker            | failcall
 * expect-stdout: worker 3 starting
 */
#include <corace.h>
#include <stdio.h>

static co_waitgroup wg;

__attribute__((noinline)) static void fail(int id, int code)
{
    co_panic("worker %d failed: code %d", id, code); /* LINE:err */
}

static void worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    printf("worker %d starting\n", id);
    fail(id, 42); /* LINE:failcall */
    co_waitgroup_done(&wg);
}

int main(void)
{
    co_waitgroup_add(&wg, 1);
    printf("G main %lld\n", (long long)co_id());
    printf("G worker %lld\n", (long long)co_go(worker, (void *)(intptr_t)3)); /* GO:worker */
    fflush(stdout);
    co_waitgroup_wait(&wg);
    return 0;
}
