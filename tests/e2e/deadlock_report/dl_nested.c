/*
 * Deeper stacks in a deadlock report: both blocked goroutines wait inside a
 * helper function, so the trace must show the helper (with the line of the
 * blocking call) and then its caller (with the line of the call).  The
 * waiter was created by a goroutine that has since exited, and a second
 * goroutine has finished: finished goroutines are not listed.
 *
 * expect-exit: 2
 * expect-first-line: fatal error: all goroutines are asleep - deadlock!
 * expect-goroutines: 2
 * expect-goroutine: main   | sync.WaitGroup.Wait | block_main | mainhelper | -       | -       | -
 * expect-frame:     main   | main                | maincall
 * expect-goroutine: waiter | chan receive        | wait_for   | helper     | starter | starter | waiter
 * expect-frame:     waiter | waiter              | waitercall
 * expect-stdout: finisher done
 */
#include <corace.h>
#include <stdio.h>

static void show(const char *tag, int64_t id)
{
    printf("G %s %lld\n", tag, (long long)id);
    fflush(stdout);
}

__attribute__((noinline)) static void wait_for(co_chan *c)
{
    int v = 0;
    co_chan_recv(c, &v); /* LINE:helper */
}

static void waiter(void *arg)
{
    wait_for(arg); /* LINE:waitercall */
    printf("waiter woke\n");
}

static void starter(void *arg)
{
    show("waiter", co_go(waiter, arg)); /* GO:waiter */
}

static void finisher(void *arg)
{
    (void)arg;
    printf("finisher done\n");
    fflush(stdout);
}

__attribute__((noinline)) static void block_main(co_waitgroup *wg)
{
    co_waitgroup_wait(wg); /* LINE:mainhelper */
}

int main(void)
{
    static co_waitgroup wg;
    co_chan *c = co_chan_make(sizeof(int), 0);

    co_waitgroup_add(&wg, 1);
    show("main", co_id());
    show("starter", co_go(starter, c));
    co_go(finisher, NULL);
    block_main(&wg); /* LINE:maincall */
    printf("main woke\n");
    return 0;
}
