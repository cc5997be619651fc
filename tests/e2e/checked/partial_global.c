/* expect: deadlock -- check_partial.sh asserts that a program in which
   every goroutine ends up blocked dies of the global deadlock (exit 2) with
   no partial-deadlock report, although one goroutine was blocked for good
   first. */
#include <corace.h>
#include <stdio.h>

static void stuck(void *arg)
{
    int v;
    co_chan_recv(arg, &v);
}

static void helper(void *arg) { (void)arg; }

int main(void)
{
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(stuck, c);
    co_go(helper, NULL);
    co_yield();
    co_chan *never = co_chan_make(sizeof(int), 0);
    int v;
    co_chan_recv(never, &v);
    printf("unreachable %p\n", (void *)c);
    return 0;
}
