/* A goroutine read-locks an RWMutex it already holds for reading while a
   writer asks for it: a Lock between the two RLocks blocks the second, and
   the writer waits for the first.  The three calls are back to back, so
   only a preemption point at each sync operation reaches that order. */
#include <corace.h>
#include <stdio.h>

static co_rwmutex m;
static co_waitgroup wg;

static void reader(void *x)
{
    (void)x;
    co_rwmutex_rlock(&m);
    co_rwmutex_rlock(&m);
    co_rwmutex_runlock(&m);
    co_rwmutex_runlock(&m);
    co_waitgroup_done(&wg);
}

static void writer(void *x)
{
    (void)x;
    co_rwmutex_lock(&m);
    co_rwmutex_unlock(&m);
    co_waitgroup_done(&wg);
}

int main(void)
{
    co_waitgroup_add(&wg, 2);
    co_go(reader, NULL);
    co_go(writer, NULL);
    co_waitgroup_wait(&wg);
    printf("ok\n");
    return 0;
}
