/*
 * million: start N (default 1,000,000) goroutines that all block receiving on
 * one channel; report the time to create them (until all are parked) and the
 * growth of the process's peak RSS per goroutine; then close the channel and
 * wait for all to exit.
 * Port of shared/anchors/go/million: N optional argv[1]; same five output lines.
 * million_rss = (VmHWM once all are parked - VmRSS before) / N, in bytes.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A field (VmRSS, VmHWM) of /proc/self/status in KiB, or -1. */
static int64_t proc_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    size_t len = strlen(field);
    int64_t v = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, field, len) == 0 && line[len] == ':') {
            v = strtoll(line + len + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

struct shared {
    co_chan *ch; /* chan struct{} */
    co_waitgroup started, done;
};

static void parked(void *p)
{
    struct shared *s = p;
    char unit;
    co_waitgroup_done(&s->started);
    co_chan_recv(s->ch, &unit); /* <-ch */
    co_waitgroup_done(&s->done);
}

int main(int argc, char **argv)
{
    int64_t n = 1000000;
    if (argc > 1)
        n = strtoll(argv[1], NULL, 10);
    static struct shared s;
    s.ch = co_chan_make(0, 0);
    int64_t base = proc_kb("VmRSS");
    int64_t start = co_now();
    co_waitgroup_add(&s.started, (int)n);
    co_waitgroup_add(&s.done, (int)n);
    for (int64_t i = 0; i < n; i++)
        co_go(parked, &s);
    co_waitgroup_wait(&s.started);
    int64_t create = co_now() - start;
    int64_t peak = proc_kb("VmHWM");
    int live = co_num_goroutine();
    start = co_now();
    co_chan_close(s.ch);
    co_waitgroup_wait(&s.done);
    int64_t teardown = co_now() - start;
    if (live - 1 != n) {
        fprintf(stderr, "million: %d goroutines live after all started, want %lld\n",
                live - 1, (long long)n);
        return 1;
    }
    printf("million_goroutines: %d live\n", live - 1);
    printf("million_create: %.1f ns/goroutine\n", (double)create / (double)n);
    printf("million_rss: %.0f bytes/goroutine\n", (double)(peak - base) * 1024 / (double)n);
    printf("million_peak_rss: %.1f MiB\n", (double)peak / 1024);
    printf("million_teardown: %.1f ms\n", (double)teardown / 1e6);
    return 0;
}
