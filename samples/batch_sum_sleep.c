// expect: race
/*
 * Seed 003 (Go concurrency chapter, "WaitGroup": "we used a not-so-elegant
 * method to ensure that the Goroutine ended by making the main Goroutine
 * wait for a second").
 *
 * Bug: a goroutine writes batch1 while main computes batch2, then main
 * sleeps for a second and reads batch1.  time.Sleep is not synchronization:
 * there is no happens-before edge between the goroutine's write of batch1
 * and main's read, so they race (and on a slow enough machine main would
 * print 0).  Prints "5050 55" here (the seed uses log.Println, which also
 * prints a timestamp; printf keeps the output deterministic).
 *
 * Fix (batch_sum_sleep_fixed.c): the seed's WaitGroup: Add(1) before the go
 * statement, Done in the goroutine, Wait instead of the sleep.
 */
#include <corace.h>
#include <stdio.h>

static int batch1, batch2;

static int sum(int from_num, int to_num)
{
    int result = 0;
    for (int i = from_num; i <= to_num; i++)
        result += i;
    return result;
}

static void batch1_func(void *arg)
{
    (void)arg;
    batch1 = sum(1, 100); /* write... */
}

int main(void)
{
    co_go(batch1_func, NULL);
    batch2 = sum(1, 10);

    co_sleep(100 * CO_MILLISECOND); /* the seed sleeps time.Second */
    printf("%d %d\n", batch1, batch2); /* ...and unordered read */
    return 0;
}
