// expect: deadlock
/*
 * Seed 004 (Ardan Labs notes "Concurrency in Go", "Concurrency basics":
 * "If you forget to call Done in one of the goroutines, the program would
 * deadlock since the WaitGroup can't get back down to 0.  The Wait call
 * will block forever").
 *
 * Bug: the seed's lowercase/uppercase program with wg.Add(2), but the
 * uppercase goroutine's closure forgets wg.Done().  Both goroutines print
 * their alphabets three times and exit; the counter stays at 1 and main
 * blocks in wg.Wait() with nothing left to run:
 *   fatal error: all goroutines are asleep - deadlock!
 *
 *   goroutine 1 [sync.WaitGroup.Wait]:
 * "Terminating program" is never printed.
 *
 * Fix (forgotten_done_fixed.c): the uppercase closure calls wg.Done() like
 * the lowercase one.
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

static void upper_func(void *arg) /* go func() { uppercase() }() */
{
    (void)arg;
    uppercase();
    /* BUG: forgot co_waitgroup_done(&wg) */
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
