/*
 * test_server.c - detector/explore/server.c: the fork server runs exactly
 * the seeds of its plan (first + i*stride, i < count), each child as a fresh
 * `CO_SEED=seed` process with its reports in DIR, and reports one line per
 * schedule; shards of one run cover its seeds once; pct calibrates k; a
 * schedule past its timeout is killed; a bad CORACE_EXPLORE is refused.
 */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "start.h"
#include "suite_main.h"
#include "trace_file.h"

static char dir[64];
static const char *server_options;

/* What a schedule does in its child: what it sees of its seed, into
   <its log_path>.seen, a line on its stderr, seed steps, exit seed % 4. */
static void schedule(void)
{
    uint64_t seed = explore_st.seed;
    char path[128], text[512];
    snprintf(path, sizeof path, "%s.seen", corace_opts.log_path);
    snprintf(text, sizeof text, "seed=%llu CO_SEED=%s reseeded=%llu log=%s json=%d k=%llu pct_steps=%d seed_option=%llu\n",
             (unsigned long long)seed, getenv("CO_SEED"), (unsigned long long)fake_reseeded,
             corace_opts.log_path, corace_opts.format == CORACE_FORMAT_JSON,
             (unsigned long long)explore_st.ksteps, corace_opts.pct_steps, (unsigned long long)corace_opts.seed);
    FILE *f = fopen(path, "w");
    if (!f) _exit(100);
    fputs(text, f);
    fclose(f);
    fprintf(stderr, "schedule %llu\n", (unsigned long long)seed);
    accesses((unsigned)seed);
    _exit((int)(seed % 4));
}

/* Runs a server for plan (CORACE_EXPLORE without fd and dir) under
   server_options; each schedule's child runs child.  Returns the result
   lines, the usec fields cut off (wall time). */
static void serve(const char *plan, void (*child)(void), char *lines, size_t cap)
{
    snprintf(dir, sizeof dir, "server.%d", (int)getpid());
    mkdir(dir, 0755);
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(p[0]);
        char env[256];
        snprintf(env, sizeof env, "fd=%d,%s,dir=%s", p[1], plan, dir);
        setenv("CORACE_EXPLORE", env, 1);
        start(server_options, "1");
        child();
        _exit(101);
    }
    close(p[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < cap && (k = read(p[0], lines + n, cap - 1 - n)) > 0) n += (size_t)k;
    lines[n] = '\0';
    close(p[0]);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    for (char *u; (u = strstr(lines, " usec=")) != NULL;) {
        char *eol = strchr(u, '\n');
        memmove(u, eol, strlen(eol) + 1);
    }
}

/* The server's lines for plan are want. */
static void assert_serves(const char *options, const char *plan, void (*child)(void), const char *want)
{
    char lines[2048];
    server_options = options;
    serve(plan, child, lines, sizeof lines);
    ck_assert_str_eq(lines, want);
}

/* The child named name (s<seed>, calibration) saw itself as a fresh
   process of seed, with its records in DIR/name; consumes its files. */
static void assert_child(const char *name, uint64_t seed, const char *want_tail)
{
    char path[128], got[512], want[512];
    snprintf(path, sizeof path, "%s/%s.seen", dir, name);
    ck_assert_int_ge(file_slurp(path, got, sizeof got), 0);
    snprintf(want, sizeof want, "seed=%llu CO_SEED=%llu reseeded=%llu log=%s/%s json=1 %s\n",
             (unsigned long long)seed, (unsigned long long)seed, (unsigned long long)seed, dir, name, want_tail);
    ck_assert_str_eq(got, want);
    unlink(path);
    snprintf(path, sizeof path, "%s/%s.err", dir, name);
    snprintf(want, sizeof want, "schedule %llu\n", (unsigned long long)seed);
    ck_assert_int_ge(file_slurp(path, got, sizeof got), 0);
    ck_assert_str_eq(got, want);
    unlink(path);
}

static void assert_seen(uint64_t seed, const char *want_tail)
{
    char name[32];
    snprintf(name, sizeof name, "s%llu", (unsigned long long)seed);
    assert_child(name, seed, want_tail);
}

START_TEST(runs_the_seeds_of_its_plan)
{
    assert_serves("strategy=random", "first=3,count=4,stride=2,timeout_ms=0", schedule,
                  "seed=3 status=3 signal=0 timeout=0 steps=3\n"
                  "seed=5 status=1 signal=0 timeout=0 steps=5\n"
                  "seed=7 status=3 signal=0 timeout=0 steps=7\n"
                  "seed=9 status=1 signal=0 timeout=0 steps=9\n");
    for (uint64_t s = 3; s <= 9; s += 2) assert_seen(s, "k=10000 pct_steps=0 seed_option=0");
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* A seed given as an option (seed=) is each child's own seed. */
START_TEST(seed_option_follows_the_schedule)
{
    assert_serves("strategy=random seed=1", "first=6,count=2,stride=5,timeout_ms=0", schedule,
                  "seed=6 status=2 signal=0 timeout=0 steps=6\n"
                  "seed=11 status=3 signal=0 timeout=0 steps=11\n");
    assert_seen(6, "k=10000 pct_steps=0 seed_option=6");
    assert_seen(11, "k=10000 pct_steps=0 seed_option=11");
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* --schedules 10 in 3 shards: the plans corace explore gives them. */
START_TEST(shards_cover_the_run_once)
{
    static const char *const plans[] = {
        "first=1,count=4,stride=3,timeout_ms=0",
        "first=2,count=3,stride=3,timeout_ms=0",
        "first=3,count=3,stride=3,timeout_ms=0",
    };
    unsigned runs[11] = {0};
    server_options = "strategy=random";
    for (unsigned i = 0; i < 3; i++) {
        char lines[2048];
        serve(plans[i], schedule, lines, sizeof lines);
        for (char *l = lines; *l; l = strchr(l, '\n') + 1) {
            unsigned long long seed;
            ck_assert_int_eq(sscanf(l, "seed=%llu ", &seed), 1);
            ck_assert_uint_le(seed, 10);
            ck_assert_uint_eq(seed % 3, (i + 1) % 3);
            runs[seed]++;
            assert_seen(seed, "k=10000 pct_steps=0 seed_option=0");
        }
        ck_assert_int_eq(rmdir(dir), 0);
    }
    for (unsigned s = 1; s <= 10; s++) ck_assert_uint_eq(runs[s], 1);
}
END_TEST

START_TEST(pct_calibrates_k)
{
    /* The calibration child is seed 6 under random: 6 steps. */
    assert_serves("strategy=pct", "first=6,count=2,stride=1,timeout_ms=0", schedule,
                  "calibration steps=6\n"
                  "seed=6 status=2 signal=0 timeout=0 steps=6\n"
                  "seed=7 status=3 signal=0 timeout=0 steps=7\n");
    assert_child("calibration", 6, "k=10000 pct_steps=0 seed_option=0");
    assert_seen(6, "k=6 pct_steps=6 seed_option=0");
    assert_seen(7, "k=6 pct_steps=6 seed_option=0");
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static void hang(void)
{
    signal(SIGQUIT, SIG_IGN);
    accesses(5);
    for (;;) pause();
}

START_TEST(timeout_kills_and_keeps_the_steps)
{
    /* SIGQUIT ignored: SIGKILL a second later; the steps taken survive. */
    assert_serves("strategy=random", "first=4,count=1,stride=1,timeout_ms=50", hang,
                  "seed=4 status=-1 signal=9 timeout=1 steps=5\n");
    char path[128];
    snprintf(path, sizeof path, "%s/s4.err", dir);
    ck_assert_int_eq(unlink(path), 0);
    ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

static const char *bad_env;
static void serve_bad(void)
{
    setenv("CORACE_EXPLORE", bad_env, 1);
    explore_server();
}

static void assert_env_refused(const char *env, const char *why)
{
    bad_env = env;
    child_result r = in_child(serve_bad);
    char want[512];
    snprintf(want, sizeof want, "corace: CORACE_EXPLORE: %s (got \"%s\")\n", why, env);
    ck_assert_int_eq(r.status, 2);
    ck_assert_str_eq(r.err, want);
}

START_TEST(bad_plans_are_refused)
{
    assert_env_refused("fd=3,first=1", "every key of fd, first, count, stride, timeout_ms, dir is needed");
    assert_env_refused("fd=3,seeds=1", "unknown key");
    assert_env_refused("fd", "want key=value pairs separated by commas");
    assert_env_refused("fd=3,first=x", "bad number");
    assert_env_refused("fd=3,first=-1", "bad number");
    assert_env_refused("fd=3,first=", "bad number");
    assert_env_refused("fd=99999999999,first=1", "bad fd");
    assert_env_refused("dir=,fd=3", "dir empty or too long");
    /* No schedules: the server ends at once, saying nothing. */
    bad_env = "fd=3,first=1,count=0,stride=1,timeout_ms=0,dir=.";
    child_result r = in_child(serve_bad);
    ck_assert_int_eq(r.status, 0);
    ck_assert_str_eq(r.err, "");
}
END_TEST

int main(void)
{
    TCase *t;
    Suite *s = one_case_suite("explore_server", "server", &t, 60);
    tcase_add_test(t, runs_the_seeds_of_its_plan);
    tcase_add_test(t, seed_option_follows_the_schedule);
    tcase_add_test(t, shards_cover_the_run_once);
    tcase_add_test(t, pct_calibrates_k);
    tcase_add_test(t, timeout_kills_and_keeps_the_steps);
    tcase_add_test(t, bad_plans_are_refused);
    return run_suites(s, NULL);
}
