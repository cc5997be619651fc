// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", Coffman conditions): fixed twin
 * of narrow_lock_order.c.
 *
 * What changed: a transfer locks the account with the lower id first,
 * whether it is the source or the destination, so both transfers take
 * alice before bob.  With one global lock order no schedule can close a
 * circular wait, however the goroutines are preempted, and the checker
 * sees no inversion.  Prints "alice 8500, bob 11500" on every schedule.
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
    /* One global order: the lower id first, whichever way the money goes. */
    struct account *first = t->from->id < t->to->id ? t->from : t->to;
    struct account *second = first == t->from ? t->to : t->from;
    co_mutex_lock(&first->mu);
    co_mutex_lock(&second->mu);
    if (t->from->balance >= t->amount) {
        t->from->balance -= t->amount;
        t->to->balance += t->amount;
    }
    co_mutex_unlock(&second->mu);
    co_mutex_unlock(&first->mu);
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
