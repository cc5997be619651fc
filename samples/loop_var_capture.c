// expect: race
/*
 * Seed 002 (notes on "Concurrency in Go", Goroutines: "Closures close
 * around the lexical scope they are created in, thereby capturing
 * variables ... goroutines execute within the same address space they
 * were created in").  The book's example:
 *   for _, salutation := range []string{"hello", "greetings", "good day"} {
 *       wg.Add(1)
 *       go func() { defer wg.Done(); fmt.Println(salutation) }()
 *   }
 * (before Go 1.22 the loop variable is one variable shared by all
 * iterations).
 *
 * Bug: every goroutine gets a pointer to the same loop variable, which
 * main keeps overwriting after the go statement.  main's writes and the
 * goroutines' reads are unordered: a data race.  On corace's FIFO
 * scheduler the goroutines run only once main blocks in Wait, after the
 * loop, so each prints "good day" (the book's output).
 *
 * Fix (loop_var_capture_fixed.c): each goroutine receives its own copy of
 * the value (the string pointer itself), not the address of the shared
 * loop variable - Go's `go func(salutation string) {...}(salutation)`.
 */
#include <corace.h>
#include <stdio.h>

static co_waitgroup wg;

static void greet(void *arg)
{
    const char *const *salutation = arg;
    printf("%s\n", *salutation); /* reads the shared loop variable */
    co_waitgroup_done(&wg);
}

int main(void)
{
    static const char *const salutations[] = {"hello", "greetings", "good day"};
    const char *salutation; /* the loop variable: one for all iterations */

    for (size_t i = 0; i < sizeof salutations / sizeof salutations[0]; i++) {
        salutation = salutations[i]; /* written after the previous go statement */
        co_waitgroup_add(&wg, 1);
        co_go(greet, &salutation);
    }
    co_waitgroup_wait(&wg);
    return 0;
}
