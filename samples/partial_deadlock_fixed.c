// expect: clean
/*
 * Fixed twin of partial_deadlock.c (seed 003's pattern, with an error
 * path).
 *
 * What changed: the parser closes the channel on every path, as Go's
 * `defer close(ch)` would; a value it sends is received before the close.
 * The applier receives with the ok flag: on a closed channel it reports the
 * malformed config instead of waiting.  load_config() returns a done
 * channel that the applier closes, and main waits on it before it returns.
 * Prints "config rejected" and "served: 9".
 */
#include <corace.h>
#include <stdio.h>
#include <string.h>

struct config {
    int workers;
};

struct loader {
    co_chan *parsed; /* one value, or closed on error */
    co_chan *done;   /* closed by the applier */
};

static void applier(void *arg)
{
    struct loader *l = arg;
    struct config cfg;
    if (co_chan_recv(l->parsed, &cfg))
        printf("applied: %d workers\n", cfg.workers);
    else
        printf("config rejected\n");
    co_chan_close(l->done);
}

static void parser(void *arg)
{
    struct loader *l = arg;
    const char *text = "workers=four";
    struct config cfg = {0};
    if (sscanf(text, "workers=%d", &cfg.workers) == 1)
        co_chan_send(l->parsed, &cfg);
    co_chan_close(l->parsed); /* every path: defer close(ch) */
}

static co_chan *load_config(struct loader *l)
{
    l->parsed = co_chan_make(sizeof(struct config), 0);
    l->done = co_chan_make(0, 0);
    co_go(applier, l);
    co_go(parser, l);
    return l->done;
}

static co_waitgroup served;
static int answers[4];

static void serve(void *arg)
{
    int id = (int)(long)arg;
    answers[id] = id * id;
    co_sleep(2 * CO_MILLISECOND);
    co_waitgroup_done(&served);
}

int main(void)
{
    struct loader l;
    co_chan *done = load_config(&l);
    for (int round = 0; round < 3; round++) {
        co_waitgroup_add(&served, 4);
        for (long i = 0; i < 4; i++)
            co_go(serve, (void *)i);
        co_waitgroup_wait(&served);
    }
    co_chan_recv(done, NULL);
    co_chan_free(l.parsed);
    co_chan_free(done);
    printf("served: %d\n", answers[3]);
    return 0;
}
