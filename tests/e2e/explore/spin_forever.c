/*
 * spin_forever.c - a goroutine that never ends and never blocks while main
 * waits for it: the explore fork server's timeout must cut it
 * (tests/e2e/check_explore_server.py).  Also the "other program" whose
 * build-id a trace of publish_race.c does not match (check_explore.sh).
 */
#include <corace.h>
#include <stdio.h>

static volatile int stop;
static co_waitgroup wg;

static void spin(void *arg)
{
    (void)arg;
    while (!stop) {}
    co_waitgroup_done(&wg);
}

int main(void)
{
    printf("spinning\n");
    co_waitgroup_add(&wg, 1);
    co_go(spin, NULL);
    co_waitgroup_wait(&wg);
    printf("never\n");
    return 0;
}
