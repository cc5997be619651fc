// expect: lock-order
// explore: deadlock,lock-order,wait-cycle
/*
 * Seed 002 (notes on "Concurrency in Go", Deadlocks, Livelocks, and
 * Starvation: the Coffman conditions; "in practice these conditions can be
 * hard to reason about").  abba_deadlock.c made to hang on every run; this
 * is the same bug as it usually lives in real code, where it almost never
 * hangs.
 *
 * Bug: two bank transfers take the two account mutexes in opposite orders
 * (the source account first, then the destination), but they rarely
 * overlap, so the program nearly always finishes.  Each transfer spends
 * most of its time preparing outside any lock (audit() below), and its
 * critical section is short: lock the source, check the funds, lock the
 * destination.  The circular wait closes only if one goroutine is
 * preempted in the narrow window between its first and second Lock while
 * the other takes its first: then alice_to_bob holds alice and waits for
 * bob, bob_to_alice holds bob and waits for alice, and main waits in
 * wg.Wait():
 *   fatal error: all goroutines are asleep - deadlock!
 * The window holds no function call, so `corace run` (which preempts at
 * function entries) never splits it: every run finishes and reports only
 * the inconsistent order alice->bob / bob->alice (lock-order).  `corace
 * explore` also preempts at memory accesses and sync operations, and finds
 * the schedule that hangs (deadlock, with the wait-for cycle).
 *
 * Fix (narrow_lock_order_fixed.c): every transfer locks the two accounts
 * in one global order (by account id), whichever is the source; one order
 * breaks the circular-wait condition on every schedule.
 */
#include <corace.h>
#include <stdio.h>

struct account {
    int id;
    co_mutex mu;  /* guards balance */
    long balance; /* in cents */
};

struct transfer {
    struct account *from, *to;
    long amount;
    long checksum; /* this transfer's own audit work, read by nobody else */
};

static struct account alice = {1, {0}, 10000}, bob = {2, {0}, 10000};
static co_waitgroup wg;

/* The slow part of a transfer, done before any lock is taken: some
   function calls (where `corace run` preempts) and no shared state. */
static long audit_step(long x, int i)
{
    return (x * 31 + i) % 1000003;
}

static long audit(long amount)
{
    long x = amount;
    for (int i = 0; i < 64; i++)
        x = audit_step(x, i);
    return x;
}

static void transfer(void *arg)
{
    struct transfer *t = arg;
    t->checksum = audit(t->amount);
    co_mutex_lock(&t->from->mu);
    /* The window: this goroutine holds one account and has not yet asked
       for the other.  No call in it, only the read of the balance. */
    if (t->from->balance >= t->amount) {
        co_mutex_lock(&t->to->mu); /* BUG: the other transfer takes these in the opposite order */
        t->from->balance -= t->amount;
        t->to->balance += t->amount;
        co_mutex_unlock(&t->to->mu);
    }
    co_mutex_unlock(&t->from->mu);
    co_waitgroup_done(&wg);
}

int main(void)
{
    struct transfer alice_to_bob = {&alice, &bob, 2500, 0};
    struct transfer bob_to_alice = {&bob, &alice, 1000, 0};
    co_waitgroup_add(&wg, 2);
    co_go(transfer, &alice_to_bob);
    co_go(transfer, &bob_to_alice);
    co_waitgroup_wait(&wg);
    printf("alice %ld, bob %ld\n", alice.balance, bob.balance);
    return 0;
}
