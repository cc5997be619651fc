/* expect: leak -- check_leak.sh asserts the report: one goroutine blocked
   on a channel, one that never ran, their stacks and creation sites, exit 66. */
#include <corace.h>
#include <stdio.h>

static co_chan *never;

static void stuck(void *arg)
{
    (void)arg;
    int v;
    co_chan_recv(never, &v); /* LINE:stuck */
}

static void idle(void *arg)
{
    (void)arg;
    printf("idle ran\n");
}

int main(void)
{
    never = co_chan_make(sizeof(int), 0);
    co_go(stuck, NULL); /* LINE:go_stuck */
    co_yield();
    co_go(idle, NULL); /* LINE:go_idle */
    printf("main returns\n");
    return 0;
}
