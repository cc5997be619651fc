// expect: race
/*
 * Seed 003 (Go concurrency chapter, "Race conditions"); the same program as
 * go-reference/race_next.go.
 *
 * Bug: next(v) reads *v and writes *v+1 in two steps with no lock, and
 * three goroutines call it on the same variable a.  The read-modify-write
 * is not atomic and nothing orders the goroutines among themselves, so an
 * update can be lost ("a holds 3, or 2, or 1").  The WaitGroup orders
 * every next() before main's final read, but not the next() calls with one
 * another: `go run -race` reports a DATA RACE between next's read (line of
 * `c := *v`) and another goroutine's write (`*v = c + 1`).  On corace's
 * cooperative scheduler each next() runs without interruption, so it
 * prints 3, like Go did.
 *
 * Fix (next_lost_update_fixed.c): a mutex around the read-modify-write.
 */
#include <corace.h>
#include <stdio.h>

static co_waitgroup wg;

static void next(int *v)
{
    int c = *v;
    *v = c + 1;
}

static void worker(void *arg) /* go func() { next(&a); wg.Done() }() */
{
    next(arg);
    co_waitgroup_done(&wg);
}

int main(void)
{
    int a = 0;
    for (int i = 0; i < 3; i++) {
        co_waitgroup_add(&wg, 1);
        co_go(worker, &a);
    }
    co_waitgroup_wait(&wg);
    printf("%d\n", a);
    return 0;
}
