/* Built against an installed corace, once through pkg-config and once
   through find_package: checks the installed header, library and the two
   package descriptions together. */
#include <corace.h>
#include <stdio.h>

static void producer(void *arg)
{
    co_chan *c = arg;
    for (int i = 1; i <= 3; i++) co_chan_send(c, &i);
    co_chan_close(c);
}

int main(void)
{
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(producer, c);
    int v, sum = 0;
    while (co_chan_recv(c, &v)) sum += v;
    co_chan_free(c);
    printf("sum %d\n", sum);
    return sum == 6 ? 0 : 1;
}
