/*
 * spawn: start N goroutines that each call wg.Done(), then wg.Wait().
 * Prints ns per goroutine spawn+exit.
 * Port of shared/anchors/go/spawn: N default 2e6, optional argv[1].
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

static void done(void *p)
{
    co_waitgroup_done(p);
}

int main(int argc, char **argv)
{
    int64_t n = 2000000;
    if (argc > 1)
        n = strtoll(argv[1], NULL, 10);
    static co_waitgroup wg; /* zero value ready */
    int64_t start = co_now();
    co_waitgroup_add(&wg, (int)n);
    for (int64_t i = 0; i < n; i++)
        co_go(done, &wg);
    co_waitgroup_wait(&wg);
    int64_t el = co_now() - start;
    printf("spawn: %.1f ns/goroutine\n", (double)el / (double)n);
    return 0;
}
