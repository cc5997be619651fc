/*
 * server.c - the explore fork server (CORACE_EXPLORE), entered from
 * race_start before main:
 *
 *   CORACE_EXPLORE=fd=N,first=S,count=C,stride=T,timeout_ms=M,dir=DIR
 *
 * (every key present, in any order; DIR cannot hold a comma).  For i in
 * 0..C-1 it forks a child for seed S+i*T and waits for it; the child is
 * reseeded to be what `CO_SEED=seed ./prog` is at this point (runtime
 * generator, strategy, CO_SEED in its environment), with log_path=DIR/s<seed>
 * and format=json, stdout on /dev/null and stderr in DIR/s<seed>.err, and
 * returns into main.  The parent cuts a child that outlives M ms (0: never)
 * with SIGQUIT (the runtime's goroutine dump and "timeout" record), then
 * SIGKILL one second later, and writes one line per schedule to fd N:
 *
 *   seed=<S> status=<exit status, -1 if signaled> signal=<n or 0> timeout=<0|1> steps=<k> usec=<wall time>
 *
 * pct with pct_steps=0 first runs a calibration child (strategy random, seed
 * S; its files are DIR/calibration.*, so no schedule's) and uses its step
 * count as k for every schedule, announced as `calibration steps=<k>`.
 *
 * Between forks the parent allocates nothing and writes no stdio: each child
 * must start from the heap and the buffers the first one had, which are a
 * fresh process's.  The children's step counts come back through a shared
 * page, which survives a child killed on timeout.
 */
#define _GNU_SOURCE
#include "explore.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "detector/core/options.h"
#include "runtime/introspect.h"

struct server_cfg {
    int fd;
    uint64_t first, count, stride, timeout_ms;
    char dir[PATH_MAX];
};

static _Noreturn void bad_env(const char *why, const char *env)
{
    fprintf(stderr, "corace: CORACE_EXPLORE: %s (got \"%s\")\n", why, env);
    _exit(2);
}

static void parse(const char *env, struct server_cfg *c)
{
    static const char *const keys[] = {"fd", "first", "count", "stride", "timeout_ms", "dir"};
    unsigned seen = 0;
    const char *p = env;
    while (*p) {
        const char *eq = strchr(p, '='), *comma = strchr(p, ',');
        if (!eq || (comma && comma < eq)) bad_env("want key=value pairs separated by commas", env);
        if (!comma) comma = p + strlen(p);
        size_t klen = (size_t)(eq - p), vlen = (size_t)(comma - eq - 1);
        unsigned k = 0;
        while (k < 6 && (strlen(keys[k]) != klen || memcmp(keys[k], p, klen) != 0)) k++;
        if (k == 6) bad_env("unknown key", env);
        if (k == 5) {
            if (vlen == 0 || vlen >= sizeof c->dir - 32) bad_env("dir empty or too long", env);
            memcpy(c->dir, eq + 1, vlen);
            c->dir[vlen] = '\0';
        } else {
            char num[32];
            if (vlen == 0 || vlen >= sizeof num) bad_env("bad number", env);
            memcpy(num, eq + 1, vlen);
            num[vlen] = '\0';
            char *end;
            errno = 0;
            unsigned long long v = strtoull(num, &end, 10);
            if (errno || *end || num[0] == '-') bad_env("bad number", env);
            if (k == 0) {
                if (v > INT_MAX) bad_env("bad fd", env);
                c->fd = (int)v;
            } else {
                uint64_t *dst[] = {NULL, &c->first, &c->count, &c->stride, &c->timeout_ms};
                *dst[k] = v;
            }
        }
        seen |= 1u << k;
        p = *comma ? comma + 1 : comma;
    }
    if (seen != 0x3f) bad_env("every key of fd, first, count, stride, timeout_ms, dir is needed", env);
}

static uint64_t now_usec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static sigset_t child_mask;            /* the mask a fresh process would have */
static struct sigaction child_pipe;    /* and its SIGPIPE disposition */
static int server_fd = -1;

/* In the child: become `CO_SEED=seed ./prog` with the server's options,
   reporting into DIR/<name>.*. */
static void child_setup(const struct server_cfg *c, const char *name, uint64_t seed)
{
    sigprocmask(SIG_SETMASK, &child_mask, NULL);
    sigaction(SIGPIPE, &child_pipe, NULL);
    close(server_fd);
    unsetenv("CORACE_EXPLORE");
    /* putenv on a static buffer: replaces the entry without allocating when
       CO_SEED is there already. */
    static char seedenv[40];
    snprintf(seedenv, sizeof seedenv, "CO_SEED=%llu", (unsigned long long)seed);
    putenv(seedenv);
    if (corace_opts_set.seed) corace_opts.seed = seed;
    static char logpath[PATH_MAX + 64];   /* dir is under PATH_MAX - 32, name under 32 */
    snprintf(logpath, sizeof logpath, "%s/%s", c->dir, name);
    corace_opts.log_path = logpath;   /* not "given": nothing frees it */
    corace_opts.format = CORACE_FORMAT_JSON;
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 1);
        close(null);
    }
    char errpath[sizeof logpath + 8];
    snprintf(errpath, sizeof errpath, "%s.err", logpath);
    int err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (err >= 0) {
        dup2(err, 2);
        close(err);
    }
    intro_reseed(seed);
    explore_seed(seed);
}

struct outcome {
    int status, signal, timeout;
    uint64_t usec;
};

/* Waits for pid, cutting it at the timeout; SIGCHLD is blocked here, so
   sigtimedwait sleeps until the child ends or the time is up. */
static struct outcome wait_child(pid_t pid, uint64_t timeout_ms, uint64_t t0)
{
    struct outcome o = {0};
    int st = 0;
    if (timeout_ms == 0) {
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    } else {
        sigset_t chld;
        sigemptyset(&chld);
        sigaddset(&chld, SIGCHLD);
        uint64_t deadline = t0 + timeout_ms * 1000u;
        int stage = 0;   /* 0 running, 1 SIGQUIT sent, 2 SIGKILL sent */
        for (;;) {
            pid_t r = waitpid(pid, &st, WNOHANG);
            if (r == pid || (r < 0 && errno != EINTR)) break;
            uint64_t t = now_usec();
            if (t >= deadline) {
                if (stage == 0) {
                    kill(pid, SIGQUIT);
                    o.timeout = 1;
                    deadline = t + 1000000u;
                    stage = 1;
                } else if (stage == 1) {
                    kill(pid, SIGKILL);
                    deadline = UINT64_MAX;
                    stage = 2;
                }
                continue;
            }
            uint64_t left = deadline - t;
            struct timespec ts = {(time_t)(left / 1000000u), (long)(left % 1000000u) * 1000};
            if (deadline == UINT64_MAX) ts = (struct timespec){3600, 0};
            sigtimedwait(&chld, NULL, &ts);
        }
    }
    o.usec = now_usec() - t0;
    if (WIFSIGNALED(st)) {
        o.status = -1;
        o.signal = WTERMSIG(st);
    } else {
        o.status = WEXITSTATUS(st);
    }
    return o;
}

static void put_line(const char *buf, int n)
{
    for (int off = 0; off < n;) {
        ssize_t k = write(server_fd, buf + off, (size_t)(n - off));
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) _exit(0);   /* the reader went away: stop */
        off += (int)k;
    }
}

/* Forks one schedule; returns true in the child. */
static bool run(const struct server_cfg *c, const char *name, uint64_t seed, struct outcome *o)
{
    *explore_stepp = 0;
    uint64_t t0 = now_usec();
    pid_t pid = fork();
    if (pid < 0) {
        char buf[160];
        int n = snprintf(buf, sizeof buf, "corace: explore: fork: %s\n", strerror(errno));
        if (write(2, buf, (size_t)n) < 0) {}
        _exit(125);
    }
    if (pid == 0) {
        child_setup(c, name, seed);
        return true;
    }
    *o = wait_child(pid, c->timeout_ms, t0);
    return false;
}

void explore_server(void)
{
    const char *env = getenv("CORACE_EXPLORE");
    if (!env) return;
    static struct server_cfg c;
    parse(env, &c);
    if (c.count == 0) _exit(0);
    server_fd = c.fd;

    void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("corace: explore: mmap");
        _exit(125);
    }
    explore_stepp = page;
    fflush(NULL);   /* nothing buffered may be written twice */

    sigset_t chld;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &child_mask);
    struct sigaction ign = {0};
    ign.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ign, &child_pipe);

    char buf[256];
    struct outcome o;
    if (explore_st.strategy == EXPLORE_PCT && corace_opts.pct_steps == 0) {
        uint32_t d = explore_st.depth;
        explore_configure(EXPLORE_RANDOM, d, explore_st.ksteps);
        if (run(&c, "calibration", c.first, &o)) return;
        uint64_t k = *explore_stepp ? *explore_stepp : 1;
        explore_configure(EXPLORE_PCT, d, k);
        /* What `--steps K` gives a direct run of one of these seeds. */
        corace_opts.pct_steps = k > INT_MAX ? INT_MAX : (int)k;
        put_line(buf, snprintf(buf, sizeof buf, "calibration steps=%llu\n", (unsigned long long)k));
    }
    for (uint64_t i = 0; i < c.count; i++) {
        uint64_t seed = c.first + i * c.stride;
        char name[32];
        snprintf(name, sizeof name, "s%llu", (unsigned long long)seed);
        if (run(&c, name, seed, &o)) return;
        put_line(buf, snprintf(buf, sizeof buf, "seed=%llu status=%d signal=%d timeout=%d steps=%llu usec=%llu\n",
                               (unsigned long long)seed, o.status, o.signal, o.timeout,
                               (unsigned long long)*explore_stepp, (unsigned long long)o.usec));
    }
    _exit(0);
}
