// expect: clean
/*
 * Seed 004 (Ardan Labs notes "Concurrency in Go", "Concurrency basics"):
 * fixed twin of forgotten_done.c - the seed's program as written.
 *
 * What changed: the uppercase goroutine calls wg.Done() after uppercase(),
 * as the lowercase one does, so the counter set by wg.Add(2) reaches zero,
 * wg.Wait() returns and "Terminating program" is printed.  With
 * GOMAXPROCS(1) (co_maxprocs(1)) and corace's FIFO scheduler the output is
 * the lowercase alphabet three times, then the uppercase one three times.
 */
#include <corace.h>
#include <stdio.h>

static co_waitgroup wg;

/* lowercase displays the set of lowercase letters three times. */
static void lowercase(void)
{
    for (int count = 0; count < 3; count++)
        for (char r = 'a'; r <= 'z'; r++)
            printf("%c\n", r);
}

/* uppercase displays the set of uppercase letters three times. */
static void uppercase(void)
{
    for (int count = 0; count < 3; count++)
        for (char r = 'A'; r <= 'Z'; r++)
            printf("%c\n", r);
}

static void lower_func(void *arg) /* go func() { lowercase(); wg.Done() }() */
{
    (void)arg;
    lowercase();
    co_waitgroup_done(&wg);
}

static void upper_func(void *arg) /* go func() { uppercase(); wg.Done() }() */
{
    (void)arg;
    uppercase();
    co_waitgroup_done(&wg);
}

int main(void)
{
    /* Allocate one logical processor for the scheduler to use. */
    co_maxprocs(1);

    /* The Add method is called to set the WaitGroup to 2. */
    co_waitgroup_add(&wg, 2);

    printf("Starting goroutines\n");
    co_go(lower_func, NULL);
    co_go(upper_func, NULL);

    printf("Waiting to finish\n");
    co_waitgroup_wait(&wg);

    printf("Terminating program\n");
    return 0;
}
