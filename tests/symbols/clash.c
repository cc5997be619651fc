/* A program that uses corace and also defines names the runtime and the
   checker use inside: its own `ev`, `fatal_panic` and `sched_park`.  It must
   link against every installed library and keep its own meaning of each. */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

int ev = 7;                      /* the runtime's event sink is called ev inside */
int fatal_calls;

void fatal_panic(const char *why) /* so is the runtime's panic */
{
    fatal_calls++;
    fprintf(stderr, "clash: own fatal_panic: %s\n", why);
}

int sched_park(int x) /* and a scheduler function */
{
    return x * 3;
}

static void add(void *arg)
{
    co_chan *c = arg;
    for (int i = 1; i <= 4; i++)
        co_chan_send(c, &i);
    co_chan_close(c);
}

int main(void)
{
    co_chan *c = co_chan_make(sizeof(int), 1);
    co_go(add, c);
    int v, sum = 0;
    while (co_chan_recv(c, &v))
        sum += v;
    co_chan_free(c);
    fatal_panic("called by the program");
    printf("sum %d ev %d park %d fatal %d\n", sum, ev, sched_park(2), fatal_calls);
    return sum == 10 && ev == 7 && sched_park(2) == 6 && fatal_calls == 1 ? 0 : 1;
}
