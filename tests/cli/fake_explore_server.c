/* fake_explore_server.c - a test double of the checked runtime's fork
 * server (docs/explore.md, "How it runs"), for test_explore.sh: it speaks
 * the protocol of CORACE_EXPLORE without running any schedule, so that
 * corace explore's reading, dedup, output and stopping are tested on
 * findings chosen by the test.
 *
 * It defines __tsan_init, the symbol corace takes as "built for checking".
 *
 * What each seed S "finds" comes from the directory $FAKE_PLAN:
 *   sS.jsonl    copied to DIR/sS.<n> as the schedule's records; status 66
 *   sS.timeout  the schedule timed out and was killed: timeout=1 signal=9
 *   sS.signal   killed by SIGSEGV, "Segmentation fault" in DIR/sS.err
 * other seeds end clean (status 0).  Also:
 *   FAKE_LOG=F       append "options=<CORACE_OPTIONS>", "explore=<CORACE_EXPLORE>"
 *                    and "ran S" for each schedule to F
 *   FAKE_SLEEP_MS=M  each schedule takes M ms
 *   FAKE_BAD_SEED=1  report the second schedule under a wrong seed
 *   FAKE_NOT_SERVER=1  ignore CORACE_EXPLORE and exit 0, as a program
 *                    without the engine does
 *   FAKE_STOP_AFTER=K  exit 3 after K schedules
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void __tsan_init(void);
void __tsan_init(void) {}

static void logf_line(const char *fmt, const char *s, unsigned long long n)
{
    const char *path = getenv("FAKE_LOG");
    if (!path)
        return;
    FILE *f = fopen(path, "a");
    if (!f)
        return;
    if (s)
        fprintf(f, fmt, s);
    else
        fprintf(f, fmt, n);
    fclose(f);
}

static int exists(const char *plan, unsigned long long seed, const char *ext, char *path, size_t size)
{
    snprintf(path, size, "%s/s%llu.%s", plan, seed, ext);
    return access(path, R_OK) == 0;
}

static void copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out)
        exit(4);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
}

int main(void)
{
    const char *spec = getenv("CORACE_EXPLORE");
    if (!spec || getenv("FAKE_NOT_SERVER"))
        return 0;
    int fd = -1;
    unsigned long long first = 0, count = 0, stride = 0, timeout_ms = 0;
    char dir[4096] = "";
    if (sscanf(spec, "fd=%d,first=%llu,count=%llu,stride=%llu,timeout_ms=%llu,dir=%4095s", &fd, &first, &count,
               &stride, &timeout_ms, dir) != 6) {
        fprintf(stderr, "fake: bad CORACE_EXPLORE '%s'\n", spec);
        return 5;
    }
    const char *opts = getenv("CORACE_OPTIONS") ? getenv("CORACE_OPTIONS") : "";
    logf_line("options=%s\n", opts, 0);
    logf_line("explore=%s\n", spec, 0);
    const char *plan = getenv("FAKE_PLAN") ? getenv("FAKE_PLAN") : "/nonexistent";
    long sleep_ms = getenv("FAKE_SLEEP_MS") ? atol(getenv("FAKE_SLEEP_MS")) : 0;
    long stop_after = getenv("FAKE_STOP_AFTER") ? atol(getenv("FAKE_STOP_AFTER")) : -1;
    FILE *out = fdopen(fd, "w");
    if (!out)
        return 6;
    /* PCT without a step estimate: the engine calibrates first. */
    const char *st = strstr(opts, "strategy=pct");
    const char *ps = strstr(opts, "pct_steps=0");
    if (st && ps && !strstr(ps + 1, "pct_steps="))
        fprintf(out, "calibration steps=%d\n", 777);
    for (unsigned long long i = 0; i < count; i++) {
        if (stop_after >= 0 && (long)i >= stop_after) {
            fprintf(stderr, "fake: stopping after %ld schedules\n", stop_after);
            return 3;
        }
        unsigned long long seed = first + i * stride;
        logf_line("ran %llu\n", NULL, seed);
        if (sleep_ms > 0) {
            struct timespec ts = {sleep_ms / 1000, (sleep_ms % 1000) * 1000000L};
            nanosleep(&ts, NULL);
        }
        char path[4600], to[4600];
        int status = 0, sig = 0, timeout = 0;
        if (exists(plan, seed, "jsonl", path, sizeof path)) {
            snprintf(to, sizeof to, "%s/s%llu.%d", dir, seed, 100000 + (int)i);
            copy(path, to);
            status = 66;
        } else if (exists(plan, seed, "timeout", path, sizeof path)) {
            status = -1, sig = 9, timeout = 1;
        } else if (exists(plan, seed, "signal", path, sizeof path)) {
            snprintf(to, sizeof to, "%s/s%llu.err", dir, seed);
            FILE *e = fopen(to, "w");
            if (e) {
                fputs("Segmentation fault\n", e);
                fclose(e);
            }
            status = -1, sig = 11;
        }
        unsigned long long said = seed + (getenv("FAKE_BAD_SEED") && i == 1 ? 1000 : 0);
        if (fprintf(out, "seed=%llu status=%d signal=%d timeout=%d steps=%llu usec=%d\n", said, status, sig, timeout,
                    100 + seed, 10) < 0 ||
            fflush(out) != 0)
            return 0; /* corace went away */
    }
    return 0;
}
