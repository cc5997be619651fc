/* expect: clean; with -DSECOND lock-order -- a lock-order cycle needs a
   distinct goroutine on each of its edges (lockorder.c).
   - Gates: goroutine 1 locks gates its workers unlock (a locked Mutex
     belongs to no goroutine, as in Go) and waits for each job by locking
     its gate again, so it takes the two gates in both orders.
   - a and b: goroutine 1 alone takes a then b, and later b then a.
   Neither is reported: one goroutine waits for one lock at a time.  With
   -DSECOND another goroutine also takes b then a, which can deadlock
   against goroutine 1's a then b: that edge's second goroutine closes the
   cycle, and the report shows the two goroutines. */
#include <corace.h>
#include <stdio.h>

static co_mutex gates[2], a, b;

static void unlock_gate(void *arg) { co_mutex_unlock(arg); }

static void b_then_a(void)
{
    co_mutex_lock(&b); /* LINE:b_then_a_b */
    co_mutex_lock(&a); /* LINE:b_then_a_a */
    co_mutex_unlock(&a);
    co_mutex_unlock(&b);
}

#ifdef SECOND
static co_waitgroup wg;

static void second(void *arg)
{
    (void)arg;
    b_then_a();
    co_waitgroup_done(&wg);
}
#endif

int main(void)
{
    for (int j = 0; j < 2; j++) {
        co_mutex_lock(&gates[j]);
        co_go(unlock_gate, &gates[j]);
    }
    for (int j = 0; j < 2; j++) {
        co_mutex_lock(&gates[j]);
        co_mutex_unlock(&gates[j]);
    }
    co_mutex_lock(&a); /* LINE:a_then_b_a */
    co_mutex_lock(&b); /* LINE:a_then_b_b */
    co_mutex_unlock(&b);
    co_mutex_unlock(&a);
    b_then_a();
#ifdef SECOND
    co_waitgroup_add(&wg, 1);
    co_go(second, NULL);
    co_waitgroup_wait(&wg);
#endif
    printf("done\n");
    return 0;
}
