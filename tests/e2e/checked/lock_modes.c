/* expect: per case (argv[1]) -- check_wait_cycle.sh runs every case under seeds 1..20 and
   asserts the lock-order report (or its absence) against the L:name markers below.
   Every case runs its goroutines one after the other, so no run hangs:
     rw_w           RLock(A) then Lock(B); later Lock(B) then Lock(A): reported (the
                    writer of A waits for the reader, who waits for B)
     rw_r           RLock(A) then Lock(B); later Lock(B) then RLock(A), no writer of A: the
                    cycle enters A by a read request and leaves it by a read hold: not reported
     reread_writer  RLock(A) twice in one goroutine, later Lock(A) in another: reported
     writer_reread  Lock(A) in one goroutine, later RLock(A) twice in another: reported
     reread_only    RLock(A) twice, no goroutine ever write-locks A: not reported
   Each goroutine prints "g ROLE ID" and each lock "lock NAME ADDRESS" on stdout. */
#include <corace.h>
#include <stdio.h>
#include <string.h>

static co_rwmutex a;
static co_mutex b;
static co_waitgroup wg;
static int shared_value;

static void one_after_another(const char *role1, co_fn f1, const char *role2, co_fn f2)
{
    printf("lock a %p\nlock b %p\n", (void *)&a, (void *)&b);
    co_waitgroup_add(&wg, 1);
    printf("g %s %lld\n", role1, (long long)co_go(f1, NULL));
    co_waitgroup_wait(&wg);
    co_waitgroup_add(&wg, 1);
    printf("g %s %lld\n", role2, (long long)co_go(f2, NULL));
    co_waitgroup_wait(&wg);
}

/* RLock(A), then Lock(B). */
static void ra_wb(void *arg)
{
    (void)arg;
    co_rwmutex_rlock(&a); /* L:rw_ra */
    co_mutex_lock(&b);    /* L:rw_wb */
    shared_value++;
    co_mutex_unlock(&b);
    co_rwmutex_runlock(&a);
    co_waitgroup_done(&wg);
}

/* Lock(B), then Lock(A). */
static void wb_wa(void *arg)
{
    (void)arg;
    co_mutex_lock(&b);    /* L:rw_b */
    co_rwmutex_lock(&a);  /* L:rw_a */
    shared_value++;
    co_rwmutex_unlock(&a);
    co_mutex_unlock(&b);
    co_waitgroup_done(&wg);
}

/* Lock(B), then RLock(A). */
static void wb_ra(void *arg)
{
    (void)arg;
    co_mutex_lock(&b);
    co_rwmutex_rlock(&a);
    shared_value++;
    co_rwmutex_runlock(&a);
    co_mutex_unlock(&b);
    co_waitgroup_done(&wg);
}

static void reread(void *arg)
{
    (void)arg;
    co_rwmutex_rlock(&a); /* L:rr_1 */
    co_rwmutex_rlock(&a); /* L:rr_2 */
    printf("read %d\n", shared_value);
    co_rwmutex_runlock(&a);
    co_rwmutex_runlock(&a);
    co_waitgroup_done(&wg);
}

static void writer(void *arg)
{
    (void)arg;
    co_rwmutex_lock(&a); /* L:rr_w */
    shared_value++;
    co_rwmutex_unlock(&a);
    co_waitgroup_done(&wg);
}

int main(int argc, char **argv)
{
    const char *c = argc > 1 ? argv[1] : "";
    if (!strcmp(c, "rw_w")) one_after_another("first", ra_wb, "second", wb_wa);
    else if (!strcmp(c, "rw_r")) one_after_another("first", ra_wb, "second", wb_ra);
    else if (!strcmp(c, "reread_writer")) one_after_another("reader", reread, "writer", writer);
    else if (!strcmp(c, "writer_reread")) one_after_another("writer", writer, "reader", reread);
    else if (!strcmp(c, "reread_only")) one_after_another("reader", reread, "reader2", reread);
    else {
        fprintf(stderr, "usage: lock_modes CASE\n");
        return 3;
    }
    printf("ok %s\n", c);
    return 0;
}
