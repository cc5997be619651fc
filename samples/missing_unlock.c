// expect: deadlock
/*
 * Seed 002 (notes on "Concurrency in Go", Mutex and RWMutex: "we always
 * call Unlock within a defer statement ... to ensure the call always
 * happens ... Failing to do so will probably cause your program to
 * deadlock").
 *
 * Bug: withdraw() locks the account's mutex and has an early return on
 * its error path ("insufficient funds") that skips the Unlock; C has no
 * defer.  Three customers withdraw 80, 30 and 30 from a balance of 50:
 * whatever order the schedule gives them, one of the first two
 * withdrawals fails (80 never fits; after one 30, nothing else does) and
 * leaves the mutex locked, so the last customer blocks in Lock forever (or
 * the last two do) and main blocks in wg.Wait():
 *   fatal error: all goroutines are asleep - deadlock!
 *   goroutine 1 [sync.WaitGroup.Wait]:
 *   goroutine 3 [sync.Mutex.Lock]:
 *
 * Fix (missing_unlock_fixed.c): withdraw() has a single exit that unlocks
 * (the C stand-in for `defer mu.Unlock()`), so every path releases the
 * mutex.
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
    co_mutex_lock(&a->mu);
    if (a->balance < amount)
        return false; /* BUG: returns with the mutex still locked */
    a->balance -= amount;
    co_mutex_unlock(&a->mu);
    return true;
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
