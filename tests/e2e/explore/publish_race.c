/*
 * publish_race.c - a race only some interleavings show (tests/e2e/check_explore.sh).
 *
 * The publisher writes data, then sets ready under the mutex; the reader
 * takes the mutex and, if ready is set, reads data: ordered by the mutex,
 * no race.  If the reader gets the mutex first (ready still 0) it writes
 * data itself, with nothing ordering that write and the publisher's: a
 * race.  Without preemption the publisher, created first, runs to the end
 * before the reader starts: no race.  argv[1] (default 1) readers.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

static co_mutex mu;
static co_waitgroup wg;
static int ready;
static int data;

static void publisher(void *arg)
{
    (void)arg;
    data = 42;
    co_mutex_lock(&mu);
    ready = 1;
    co_mutex_unlock(&mu);
    co_waitgroup_done(&wg);
}

static void reader(void *arg)
{
    int id = (int)(long)arg;
    co_mutex_lock(&mu);
    int r = ready;
    co_mutex_unlock(&mu);
    if (r) {
        printf("reader %d saw %d\n", id, data);
    } else {
        data = 7 + id;
        printf("reader %d came first\n", id);
    }
    co_waitgroup_done(&wg);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1;
    printf("start\n");
    co_waitgroup_add(&wg, 1 + n);
    co_go(publisher, NULL);
    for (int i = 0; i < n; i++) co_go(reader, (void *)(long)i);
    co_waitgroup_wait(&wg);
    printf("data %d\n", data);
    return 0;
}
