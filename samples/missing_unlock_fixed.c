// expect: clean
/*
 * Seed 002 (notes on "Concurrency in Go", Mutex: "call Unlock within a
 * defer statement"): fixed twin of missing_unlock.c.
 *
 * What changed: withdraw() computes its result and leaves through one exit
 * that always calls co_mutex_unlock, the C equivalent of
 * `mu.Lock(); defer mu.Unlock()`.  Prints, on the plain runtime's
 * schedule (others change the order of the first three lines, never the
 * balance: one 30 is withdrawn):
 *   insufficient funds for 80
 *   withdrew 30
 *   insufficient funds for 30
 *   balance 20
 */
#include <corace.h>
#include <stdio.h>

struct account {
    co_mutex mu;
    int balance;
};

static struct account acct = {.balance = 50};
static co_waitgroup wg;

static bool withdraw(struct account *a, int amount)
{
    bool ok = false;
    co_mutex_lock(&a->mu);
    if (a->balance >= amount) {
        a->balance -= amount;
        ok = true;
    }
    co_mutex_unlock(&a->mu); /* every path unlocks */
    return ok;
}

static void customer(void *arg)
{
    int amount = (int)(intptr_t)arg;
    if (withdraw(&acct, amount))
        printf("withdrew %d\n", amount);
    else
        printf("insufficient funds for %d\n", amount);
    co_waitgroup_done(&wg);
}

int main(void)
{
    co_waitgroup_add(&wg, 3);
    co_go(customer, (void *)(intptr_t)80);
    co_go(customer, (void *)(intptr_t)30);
    co_go(customer, (void *)(intptr_t)30);
    co_waitgroup_wait(&wg);
    printf("balance %d\n", acct.balance);
    return 0;
}
