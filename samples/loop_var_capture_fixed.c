// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", Goroutines and closures): fixed
 * twin of loop_var_capture.c.
 *
 * What changed: co_go receives the value of the loop variable (the string
 * pointer, copied into the goroutine's argument when it is created) rather
 * than the variable's address - Go's
 *   go func(salutation string) { ... }(salutation)
 * Nothing is shared any more.  Prints hello, greetings, good day (one per
 * line, in the order the goroutines run).
 */
#include <corace.h>
#include <stdio.h>

static co_waitgroup wg;

static void greet(void *arg)
{
    const char *salutation = arg; /* this goroutine's own copy */
    printf("%s\n", salutation);
    co_waitgroup_done(&wg);
}

int main(void)
{
    static const char *const salutations[] = {"hello", "greetings", "good day"};

    for (size_t i = 0; i < sizeof salutations / sizeof salutations[0]; i++) {
        co_waitgroup_add(&wg, 1);
        co_go(greet, (void *)salutations[i]);
    }
    co_waitgroup_wait(&wg);
    return 0;
}
