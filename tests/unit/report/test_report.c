/*
 * test_report.c - detector/report: the stack depot, CORACE_OPTIONS, and race
 * reports in Go's text format and as JSON Lines.
 *
 * Reports are built from real pcs of this file: each "site" function stores
 * the return address of a call made on one line, together with that line, so
 * the golden texts name functions and lines that symbolization must find.
 * Compiled with -O0 -fno-inline (see CMakeLists.txt).  Offsets ("+0x..")
 * are normalized in the goldens and checked exactly in one test.
 *
 * Each test runs in a forked child (Check's fork mode), so the depot, the
 * options and the report counters start fresh.  Tests of the exit status
 * fork once more and read the child's log_path file.
 *
 * REPORT_SHOW=1 CK_RUN_CASE=text (or json) prints the rendered reports.
 */
#define _GNU_SOURCE        /* vasprintf */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "detector/core/depot.h"
#include "detector/core/options.h"
#include "detector/report/record.h"
#include "detector/report/report.h"
#include "detector/report/suppressions.h"

#define NOINLINE __attribute__((noinline))

/* ---- sites: pcs of this file with known lines ---- */

static NOINLINE uintptr_t ret_addr(void)
{
    return (uintptr_t)__builtin_return_address(0);
}

typedef struct site {
    uintptr_t pc;
    int line;
} site;

static site s_update, s_read, s_worker, s_reader, s_main_a, s_main_b, s_libc, s_tramp;
static site s_api, s_inl, s_with_inl, s_deep;

#define SITE(s) do { (s).line = __LINE__; (s).pc = ret_addr(); } while (0)

static NOINLINE void update_foo(void) { SITE(s_update); }
static NOINLINE void read_foo(void) { SITE(s_read); }
static NOINLINE void worker(void) { SITE(s_worker); }
static NOINLINE void reader(void) { SITE(s_reader); }
/* Named as the runtime's entry trampoline: a stack ends before it. */
static NOINLINE void co__fake_trampoline(void) { SITE(s_tramp); }
/* Named as a public corace call: dropped at the top of a stack. */
static NOINLINE void co_fake_memcpy(void) { SITE(s_api); }

static inline __attribute__((always_inline)) void inl_helper(void) { SITE(s_inl); }
static NOINLINE void with_inline(void)
{
    s_with_inl.line = __LINE__; inl_helper();
}

static NOINLINE void deep(void) { SITE(s_deep); }

static void make_sites(void)
{
    update_foo();
    read_foo();
    worker();
    reader();
    co__fake_trampoline();
    co_fake_memcpy();
    with_inline();
    deep();
}

/* ---- helpers ---- */

static char *render(const report_race *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(m);
    report_render(m, r);
    fclose(m);
    return buf;
}

/* Every "+0xHEX" becomes "+0xN". */
static char *normalize(const char *s)
{
    regex_t re;
    ck_assert_int_eq(regcomp(&re, "\\+0x[0-9a-f]+", REG_EXTENDED), 0);
    size_t cap = strlen(s) + 1;
    char *o = malloc(cap), *p = o;
    regmatch_t m;
    while (regexec(&re, s, 1, &m, 0) == 0) {
        memcpy(p, s, (size_t)m.rm_so);
        p += m.rm_so;
        memcpy(p, "+0xN", 4);
        p += 4;
        s += m.rm_eo;
    }
    strcpy(p, s);
    regfree(&re);
    return o;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    va_list ap;
    char *s;
    va_start(ap, f);
    ck_assert_int_ge(vasprintf(&s, f, ap), 0);
    va_end(ap);
    return s;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c;
    while ((c = fgetc(f)) != EOF)
        fputc(c, m);
    fclose(m);
    fclose(f);
    return buf;
}

static unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

/* Contexts as the detector builds them: main called from libc; worker and
   reader run by the entry trampoline; update_foo and read_foo called from
   them. */
static uint32_t ctx_main, ctx_update, ctx_read;

static report_race race_7_6(void)
{
    make_sites();
    ctx_main = depot_push(0, s_libc.pc);
    uint32_t tramp_w = depot_push(0, s_tramp.pc);
    ctx_update = depot_push(tramp_w, s_worker.pc);
    ctx_read = depot_push(tramp_w, s_reader.pc);
    return (report_race){
        .addr = 0xc00001a0c8,
        .size = 8,
        .cur = { .goid = 7, .write = true, .frame = ctx_update, .pc = s_update.pc,
                 .finished = false, .created_frame = ctx_main, .created_pc = s_main_a.pc },
        .prev = { .goid = 6, .write = false, .frame = ctx_read, .pc = s_read.pc,
                  .finished = true, .created_frame = ctx_main, .created_pc = s_main_b.pc },
    };
}

#define F __FILE__

/* ---- depot ---- */

START_TEST(depot_same_context_same_id)
{
    uint32_t a = depot_push(0, 0x1000);
    ck_assert_uint_ne(a, 0);
    ck_assert_uint_eq(depot_push(0, 0x1000), a);
    uint32_t b = depot_push(a, 0x2000);
    ck_assert_uint_ne(b, a);
    ck_assert_uint_eq(depot_push(a, 0x2000), b);
    /* The same pc from another caller is another context. */
    uint32_t c = depot_push(0, 0x2000);
    ck_assert_uint_ne(c, b);
    ck_assert_uint_ne(c, a);
    ck_assert_uint_eq(depot_size(), 3);
    ck_assert_uint_eq(depot_parent(b), a);
    ck_assert_uint_eq(depot_parent(a), 0);
    ck_assert_uint_eq(depot_pc(b), 0x2000);
    ck_assert_int_eq(depot_degraded(), 0);
}
END_TEST

START_TEST(depot_stack_walks_parents)
{
    uint32_t id = 0;
    for (uintptr_t pc = 1; pc <= 50; pc++)
        id = depot_push(id, pc * 16);
    uintptr_t pcs[64];
    ck_assert_int_eq(depot_depth(id), 50);
    ck_assert_int_eq(depot_stack(id, pcs, 64), 50);
    for (int i = 0; i < 50; i++)
        ck_assert_uint_eq(pcs[i], (uintptr_t)(50 - i) * 16);
    /* At most max, innermost first. */
    ck_assert_int_eq(depot_stack(id, pcs, 3), 3);
    ck_assert_uint_eq(pcs[0], 50 * 16);
    ck_assert_uint_eq(pcs[2], 48 * 16);
    ck_assert_int_eq(depot_stack(0, pcs, 64), 0);
    /* func_exit's pop: parent by parent back to the root. */
    for (int i = 0; i < 50; i++)
        id = depot_parent(id);
    ck_assert_uint_eq(id, 0);
}
END_TEST

/* A million distinct contexts (a tree of fan-out 10, so the table rehashes
   many times), each found again with its id and its stack intact. */
START_TEST(depot_million)
{
    enum { N = 1000000 };
    uint32_t *ids = malloc(N * sizeof *ids);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t parent = i < 10 ? 0 : ids[i / 10 - 1];
        ids[i] = depot_push(parent, 0x400000 + (uintptr_t)i * 4);
    }
    ck_assert_uint_eq(depot_size(), N);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t parent = i < 10 ? 0 : ids[i / 10 - 1];
        ck_assert_uint_eq(depot_push(parent, 0x400000 + (uintptr_t)i * 4), ids[i]);
    }
    ck_assert_uint_eq(depot_size(), N);
    uintptr_t pcs[16];
    for (uint32_t i = 0; i < N; i += 9973) {
        int n = depot_stack(ids[i], pcs, 16);
        uint32_t j = i;
        for (int k = 0; k < n; k++) {
            ck_assert_uint_eq(pcs[k], 0x400000 + (uintptr_t)j * 4);
            j = j / 10 - 1;
        }
        ck_assert_uint_lt(j + 1, 11);   /* ended at a child of the root */
    }

    /* The hot path: a known context, as at every instrumented call. */
    struct timespec t0, t1;
    enum { R = 10000000 };
    uint32_t sink = 0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint32_t i = 0; i < R; i++) {
        uint32_t j = 10 + (i * 7919u) % 1024u;   /* a working set of 1024 contexts */
        sink += depot_push(ids[j / 10 - 1], 0x400000 + (uintptr_t)j * 4);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = ((double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec)) / R;
    ck_assert_uint_eq(depot_size(), N);
    fprintf(stderr, "depot_push, known context: %.1f ns (%" PRIu32 " contexts; sink %" PRIu32 ")\n",
            ns, depot_size(), sink);
    free(ids);
}
END_TEST

/* ---- options ---- */

START_TEST(options_defaults)
{
    options_reset();
    ck_assert_int_eq(corace_opts.exitcode, 66);
    ck_assert(!corace_opts.halt_on_error);
    ck_assert_str_eq(corace_opts.log_path, "");
    ck_assert_int_eq(corace_opts.format, CORACE_FORMAT_TEXT);
    ck_assert_str_eq(corace_opts.strip_path_prefix, "");
    ck_assert_uint_eq(corace_opts.seed, 0);
    ck_assert(corace_opts.report_atomic_races);
    ck_assert_int_eq(corace_opts.verbosity, 0);
    ck_assert_int_eq(corace_opts.history_size, 1);
    ck_assert(!corace_opts.help);
    ck_assert_str_eq(corace_opts.suppressions, "");
    ck_assert(!corace_opts_set.seed);
}
END_TEST

static void check_all_set(void)
{
    ck_assert_int_eq(corace_opts.exitcode, 3);
    ck_assert(corace_opts.halt_on_error);
    ck_assert_str_eq(corace_opts.log_path, "/tmp/race log");
    ck_assert_int_eq(corace_opts.format, CORACE_FORMAT_JSON);
    ck_assert_str_eq(corace_opts.strip_path_prefix, "/home/u/src/");
    ck_assert_uint_eq(corace_opts.seed, UINT64_C(18446744073709551615));
    ck_assert(!corace_opts.report_atomic_races);
    ck_assert(!corace_opts.detect_deadlocks);
    ck_assert_int_eq(corace_opts.verbosity, 2);
    ck_assert_int_eq(corace_opts.history_size, 5);
    ck_assert(corace_opts.help);
    ck_assert_str_eq(corace_opts.suppressions, "/etc/sup.txt");
#define OPTION(type, name, def, help) ck_assert_msg(corace_opts_set.name, #name " not marked given");
#include "detector/core/options.inc"
#undef OPTION
}

START_TEST(options_every_option_spaces)
{
    char err[256];
    options_reset();
    ck_assert(options_parse("exitcode=3 halt_on_error=1 log_path='/tmp/race log' format=json "
                            " strip_path_prefix=/home/u/src/\tseed=18446744073709551615 "
                            "report_atomic_races=false detect_deadlocks=no verbosity=2 history_size=5 help=yes "
                            "suppressions=/etc/sup.txt strategy=pct pct_depth=64 pct_steps=0 "
                            "record=/tmp/t.trace replay=/tmp/r.trace\n",
                            err, sizeof err));
    check_all_set();
}
END_TEST

START_TEST(options_every_option_colons)
{
    char err[256];
    options_reset();
    ck_assert(options_parse("exitcode=3:halt_on_error=true:log_path=\"/tmp/race log\":format=json:"
                            "strip_path_prefix=/home/u/src/:seed=0xffffffffffffffff:"
                            "report_atomic_races=0:detect_deadlocks=0:verbosity=2:history_size=5:help=1:"
                            "suppressions=/etc/sup.txt:strategy=random:pct_depth=1:pct_steps=20000:"
                            "record=/tmp/t:replay='/tmp/r t':",
                            err, sizeof err));
    check_all_set();
}
END_TEST

START_TEST(options_later_wins_and_given)
{
    char err[256];
    options_reset();
    ck_assert(options_parse("exitcode=5, exitcode=7", err, sizeof err));
    ck_assert_int_eq(corace_opts.exitcode, 7);
    ck_assert(corace_opts_set.exitcode);
    ck_assert(!corace_opts_set.seed);
    ck_assert(options_parse("seed=0", err, sizeof err));
    ck_assert(corace_opts_set.seed);   /* 0 given is a seed too */
    ck_assert(options_parse("", err, sizeof err));
    ck_assert(options_parse(NULL, err, sizeof err));
    ck_assert(options_parse("  :: ", err, sizeof err));
    ck_assert(options_parse("log_path=", err, sizeof err));
    ck_assert_str_eq(corace_opts.log_path, "");
}
END_TEST

START_TEST(options_errors)
{
    static const struct { const char *in, *msg; } cases[] = {
        { "x=1", "unknown option 'x'" },
        { "exitcode=1 bogus_option=2", "unknown option 'bogus_option'" },
        { "exitcode", "option 'exitcode' needs a value: exitcode=VALUE" },
        { "exitcode=abc", "bad value 'abc' for option 'exitcode' (want an integer from 0 to 255)" },
        { "exitcode=256", "bad value '256' for option 'exitcode' (want an integer from 0 to 255)" },
        { "exitcode=-1", "bad value '-1' for option 'exitcode' (want an integer from 0 to 255)" },
        { "verbosity=1x", "bad value '1x' for option 'verbosity' (want an integer)" },
        { "verbosity=", "bad value '' for option 'verbosity' (want an integer)" },
        { "halt_on_error=2", "bad value '2' for option 'halt_on_error' "
                             "(want 0 or 1 (also false/true, no/yes, off/on))" },
        { "seed=-1", "bad value '-1' for option 'seed' (want an unsigned 64-bit integer)" },
        { "seed=18446744073709551616",
          "bad value '18446744073709551616' for option 'seed' (want an unsigned 64-bit integer)" },
        { "format=xml", "bad value 'xml' for option 'format' (want text, json or dot)" },
        { "log_path='/tmp/x", "unterminated quote in the value of 'log_path'" },
        { "strategy=dfs", "bad value 'dfs' for option 'strategy' "
                          "(want entry, random or pct)" },
        { "strategy=", "bad value '' for option 'strategy' "
                       "(want entry, random or pct)" },
        { "pct_depth=0", "bad value '0' for option 'pct_depth' (want an integer from 1 to 64)" },
        { "pct_depth=65", "bad value '65' for option 'pct_depth' (want an integer from 1 to 64)" },
        { "pct_steps=-1", "bad value '-1' for option 'pct_steps' (want an integer of 0 or more)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        options_reset();
        ck_assert_msg(!options_parse(cases[i].in, err, sizeof err), "accepted %s", cases[i].in);
        ck_assert_str_eq(err, cases[i].msg);
    }
    /* Values are checked whole before anything is stored. */
    options_reset();
    char err[256];
    ck_assert(!options_parse("exitcode=300", err, sizeof err));
    ck_assert_int_eq(corace_opts.exitcode, 66);
    ck_assert(!options_parse("strategy=pct strategy=bfs", err, sizeof err));
    ck_assert_str_eq(corace_opts.strategy, "pct");
    options_reset();
    ck_assert_str_eq(corace_opts.strategy, "entry");
}
END_TEST

/* Runs options_init in a child with CORACE_OPTIONS=env; returns the exit
   status and, in msg, what it wrote to stderr. */
static int init_child(const char *env, char *msg, size_t len)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        setenv("CORACE_OPTIONS", env, 1);
        options_init();
        fprintf(stderr, "exitcode=%d", corace_opts.exitcode);
        fflush(stderr);
        _exit(0);
    }
    close(fd[1]);
    size_t n = 0;
    ssize_t k;
    while (n + 1 < len && (k = read(fd[0], msg + n, len - 1 - n)) > 0)
        n += (size_t)k;
    msg[n] = 0;
    close(fd[0]);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFEXITED(st));
    return WEXITSTATUS(st);
}

START_TEST(options_init_exits_2)
{
    char msg[4096];
    ck_assert_int_eq(init_child("halt_on_error=1 x=1", msg, sizeof msg), 2);
    ck_assert_str_eq(msg, "corace: CORACE_OPTIONS: unknown option 'x'\n");
    ck_assert_int_eq(init_child("exitcode=many", msg, sizeof msg), 2);
    ck_assert_str_eq(msg, "corace: CORACE_OPTIONS: bad value 'many' for option 'exitcode' "
                          "(want an integer from 0 to 255)\n");
    ck_assert_int_eq(init_child("exitcode=9", msg, sizeof msg), 0);
    ck_assert_str_eq(msg, "exitcode=9");
}
END_TEST

START_TEST(options_init_once)
{
    setenv("CORACE_OPTIONS", "exitcode=9", 1);
    options_init();
    ck_assert_int_eq(corace_opts.exitcode, 9);
    setenv("CORACE_OPTIONS", "exitcode=10 bogus=1", 1);
    options_init();
    ck_assert_int_eq(corace_opts.exitcode, 9);
}
END_TEST

START_TEST(options_help_and_verbosity)
{
    char msg[8192];
    ck_assert_int_eq(init_child("help=1 verbosity=1", msg, sizeof msg), 0);
    ck_assert_ptr_nonnull(strstr(msg, "CORACE_OPTIONS: name=value pairs"));
    ck_assert_ptr_nonnull(strstr(msg, "\n  exitcode=66 "));
    ck_assert_ptr_nonnull(strstr(msg, "\n  log_path=\"\" "));
    ck_assert_ptr_nonnull(strstr(msg, "\n  format=text "));
    ck_assert_ptr_nonnull(strstr(msg, "corace: CORACE_OPTIONS in effect: exitcode=66 "
                                      "halt_on_error=0 log_path=\"\" format=text"));
#define OPTION(type, name, def, help) \
    ck_assert_msg(strstr(msg, "\n  " #name "=") != NULL, #name " missing from --help"); \
    ck_assert_msg(strstr(msg, help) != NULL, #name "'s help missing from --help");
#include "detector/core/options.inc"
#undef OPTION
}
END_TEST

/* docs/options.md holds exactly the table the code generates: the page
   cannot drift from the options. */
START_TEST(options_doc_matches_table)
{
    char *doc = read_file(CORACE_SOURCE_DIR "/docs/options.md");
    ck_assert_msg(doc != NULL, "cannot read docs/options.md");
    char *table = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&table, &len);
    options_print_markdown(m);
    fclose(m);
    ck_assert_msg(strstr(doc, table) != NULL,
                  "docs/options.md does not hold the generated table; it should read:\n%s", table);
#define OPTION(type, name, def, help) \
    ck_assert_msg(strstr(doc, "| `" #name "` |") != NULL, #name " missing from docs/options.md");
#include "detector/core/options.inc"
#undef OPTION
    free(doc);
    free(table);
}
END_TEST

/* ---- text reports ---- */

START_TEST(text_golden)
{
    report_race r = race_7_6();
    char *raw = render(&r);
    if (getenv("REPORT_SHOW"))
        fputs(raw, stderr);
    char *got = normalize(raw);
    char *want = fmt("==================\n"
                     "WARNING: DATA RACE\n"
                     "Write at 0x00c00001a0c8 by goroutine 7:\n"
                     "  update_foo()\n"
                     "      %s:%d +0xN\n"
                     "  worker()\n"
                     "      %s:%d +0xN\n"
                     "\n"
                     "Previous read at 0x00c00001a0c8 by goroutine 6:\n"
                     "  read_foo()\n"
                     "      %s:%d +0xN\n"
                     "  reader()\n"
                     "      %s:%d +0xN\n"
                     "\n"
                     "Goroutine 7 (running) created at:\n"
                     "  main()\n"
                     "      %s:%d +0xN\n"
                     "\n"
                     "Goroutine 6 (finished) created at:\n"
                     "  main()\n"
                     "      %s:%d +0xN\n"
                     "==================\n",
                     F, s_update.line, F, s_worker.line, F, s_read.line, F, s_reader.line,
                     F, s_main_a.line, F, s_main_b.line);
    ck_assert_str_eq(got, want);
}
END_TEST

/* The offset is the return address's distance from the function's start,
   as Go prints it. */
START_TEST(text_offsets_exact)
{
    report_race r = race_7_6();
    char *got = render(&r);
    char *line = fmt("  update_foo()\n      %s:%d +0x%" PRIxPTR "\n", F, s_update.line,
                     s_update.pc - (uintptr_t)update_foo);
    ck_assert_msg(strstr(got, line) != NULL, "want\n%s\nin\n%s", line, got);
    line = fmt("  worker()\n      %s:%d +0x%" PRIxPTR "\n", F, s_worker.line,
               s_worker.pc - (uintptr_t)worker);
    ck_assert_msg(strstr(got, line) != NULL, "want\n%s\nin\n%s", line, got);
}
END_TEST

START_TEST(text_main_goroutine_and_atomics)
{
    report_race r = race_7_6();
    /* Main wrote atomically; goroutine 7 reads plainly. */
    r.prev = (report_access){ .goid = 1, .write = true, .atomic = true, .frame = ctx_main,
                              .pc = s_main_a.pc };
    r.cur.write = false;
    char *got = normalize(render(&r));
    char *want = fmt("==================\n"
                     "WARNING: DATA RACE\n"
                     "Read at 0x00c00001a0c8 by goroutine 7:\n"
                     "  update_foo()\n"
                     "      %s:%d +0xN\n"
                     "  worker()\n"
                     "      %s:%d +0xN\n"
                     "\n"
                     "Previous atomic write at 0x00c00001a0c8 by main goroutine:\n"
                     "  main()\n"
                     "      %s:%d +0xN\n"
                     "\n"
                     "Goroutine 7 (running) created at:\n"
                     "  main()\n"
                     "      %s:%d +0xN\n"
                     "==================\n",
                     F, s_update.line, F, s_worker.line, F, s_main_a.line, F, s_main_a.line);
    ck_assert_str_eq(got, want);

    static const struct { bool write, atomic; const char *cur, *prev; } kinds[] = {
        { false, false, "\nRead at ", "\nPrevious read at " },
        { true, false, "\nWrite at ", "\nPrevious write at " },
        { false, true, "\nAtomic read at ", "\nPrevious atomic read at " },
        { true, true, "\nAtomic write at ", "\nPrevious atomic write at " },
    };
    for (size_t i = 0; i < 4; i++) {
        r.cur.write = r.prev.write = kinds[i].write;
        r.cur.atomic = r.prev.atomic = kinds[i].atomic;
        got = render(&r);
        ck_assert_ptr_nonnull(strstr(got, kinds[i].cur));
        ck_assert_ptr_nonnull(strstr(got, kinds[i].prev));
    }
}
END_TEST

/* Leading runtime frames (an interceptor) are dropped; the stack ends
   before the entry trampoline and after main. */
START_TEST(text_trims_runtime)
{
    report_race r = race_7_6();
    /* The access seen inside co_fake_memcpy, called from update_foo. */
    uint32_t ctx_api = depot_push(ctx_update, s_update.pc);
    r.cur.pc = s_api.pc;
    r.cur.frame = ctx_api;
    /* Main's own context goes on into libc: not printed. */
    r.prev.goid = 1;
    r.prev.pc = s_main_b.pc;
    r.prev.frame = ctx_main;
    char *got = normalize(render(&r));
    char *want = fmt("==================\n"
                     "WARNING: DATA RACE\n"
                     "Write at 0x00c00001a0c8 by goroutine 7:\n"
                     "  update_foo()\n"
                     "      %s:%d +0xN\n"
                     "  worker()\n"
                     "      %s:%d +0xN\n"
                     "\n"
                     "Previous read at 0x00c00001a0c8 by main goroutine:\n"
                     "  main()\n"
                     "      %s:%d +0xN\n"
                     "\n"
                     "Goroutine 7 (running) created at:\n"
                     "  main()\n"
                     "      %s:%d +0xN\n"
                     "==================\n",
                     F, s_update.line, F, s_worker.line, F, s_main_b.line, F, s_main_a.line);
    ck_assert_str_eq(got, want);
    ck_assert_ptr_null(strstr(got, "co_fake_memcpy"));
    ck_assert_ptr_null(strstr(got, "co__fake_trampoline"));
    ck_assert_ptr_null(strstr(got, "libc"));
}
END_TEST

/* Every frame of a deep stack is printed: nothing is lost. */
START_TEST(text_deep_stack)
{
    report_race r = race_7_6();
    uint32_t ctx = 0;
    for (int i = 0; i < 500; i++)
        ctx = depot_push(ctx, s_deep.pc);
    r.cur.frame = ctx;
    char *got = render(&r);
    ck_assert_uint_eq(count(got, "  deep()\n"), 500);
}
END_TEST

START_TEST(text_inlined_frame)
{
    report_race r = race_7_6();
    r.cur.pc = s_inl.pc;
    r.cur.frame = 0;
    char *got = render(&r);
    char *want = fmt("by goroutine 7:\n"
                     "  inl_helper()\n"
                     "      %s:%d\n"
                     "  with_inline()\n"
                     "      %s:%d +0x%" PRIxPTR "\n\n",
                     F, s_inl.line, F, s_with_inl.line, s_inl.pc - (uintptr_t)with_inline);
    ck_assert_msg(strstr(got, want) != NULL, "want\n%s\nin\n%s", want, got);
}
END_TEST

START_TEST(text_strip_path_prefix)
{
    char err[256];
    ck_assert(options_parse("strip_path_prefix=" CORACE_SOURCE_DIR "/", err, sizeof err));
    report_race r = race_7_6();
    char *got = render(&r);
    ck_assert_ptr_null(strstr(got, CORACE_SOURCE_DIR));
    char *line = fmt("  update_foo()\n      tests/unit/report/test_report.c:%d +0x", s_update.line);
    ck_assert_msg(strstr(got, line) != NULL, "want\n%s\nin\n%s", line, got);
    /* Anywhere in the path, as TSan does, and a leading "./" goes too. */
    ck_assert(options_parse("strip_path_prefix=/unit", err, sizeof err));
    got = render(&r);
    line = fmt("      /report/test_report.c:%d +0x", s_update.line);
    ck_assert_msg(strstr(got, line) != NULL, "want\n%s\nin\n%s", line, got);
    ck_assert(options_parse("strip_path_prefix=/unit/report", err, sizeof err));
    got = render(&r);
    ck_assert_ptr_nonnull(strstr(got, "      /test_report.c:"));
}
END_TEST

START_TEST(text_degraded)
{
    report_race r = race_7_6();
    report_degraded("the shadow table is full");
    report_degraded("the shadow table is full");
    char *got = render(&r);
    ck_assert_uint_eq(count(got, "corace: detection degraded: the shadow table is full\n"), 1);
    ck_assert_ptr_nonnull(strstr(got, "created at:\n  main()\n"));
    size_t n = strlen(got);
    ck_assert_str_eq(got + n - strlen("is full\n==================\n"),
                     "is full\n==================\n");
}
END_TEST

/* ---- JSON ---- */

/* One JSON object per line, nothing else (jansson, strict: one value per
   line, no duplicate keys). */
static bool json_lines(const char *s)
{
    while (*s) {
        const char *nl = strchr(s, '\n');
        if (!nl || *s != '{')
            return false;
        json_error_t e;
        json_t *v = json_loadb(s, (size_t)(nl - s), JSON_REJECT_DUPLICATES, &e);
        bool ok = json_is_object(v);
        json_decref(v);
        if (!ok)
            return false;
        s = nl + 1;
    }
    return true;
}

START_TEST(json_validator_self_test)
{
    ck_assert(json_lines("{\"a\":[1,-2.5,true,false,null,\"x\\u00e9\\n\"],\"b\":{}}\n{}\n"));
    ck_assert(!json_lines("{\"a\":1,}\n"));
    ck_assert(!json_lines("{\"a\":\"\n\"}\n"));
    ck_assert(!json_lines("{\"a\":1}"));
    ck_assert(!json_lines("{\"a\" 1}\n"));
    ck_assert(!json_lines("{\"a\":\"\\x\"}\n"));
    ck_assert(!json_lines("{\"a\":1,\"a\":2}\n"));
}
END_TEST

START_TEST(json_race)
{
    char err[256];
    ck_assert(options_parse("format=json", err, sizeof err));
    report_race r = race_7_6();
    r.prev.atomic = true;
    char *got = render(&r);
    if (getenv("REPORT_SHOW"))
        fputs(got, stderr);
    ck_assert_msg(json_lines(got), "not JSON Lines:\n%s", got);
    ck_assert_uint_eq(count(got, "\n"), 1);
    ck_assert(strncmp(got, "{\"kind\":\"race\",\"addr\":\"0x00c00001a0c8\",\"size\":8,\"accesses\":"
                           "[{\"goroutine\":7,\"op\":\"write\",\"atomic\":false,\"stack\":"
                           "[{\"function\":\"update_foo\",\"file\":\"" F "\",\"line\":",
                      strlen("{\"kind\":\"race\",\"addr\":\"0x00c00001a0c8\",\"size\":8,"
                             "\"accesses\":[{\"goroutine\":7,\"op\":\"write\",\"atomic\":false,"
                             "\"stack\":[{\"function\":\"update_foo\",\"file\":\"" F "\","
                             "\"line\":")) == 0);
    char *frame = fmt("{\"function\":\"worker\",\"file\":\"%s\",\"line\":%d,\"pc\":\"0x%" PRIxPTR
                      "\",\"inlined\":false,\"offset\":\"0x", F, s_worker.line, s_worker.pc);
    ck_assert_msg(strstr(got, frame) != NULL, "want %s in\n%s", frame, got);
    ck_assert_ptr_nonnull(strstr(got, "{\"goroutine\":6,\"op\":\"read\",\"atomic\":true,"));
    ck_assert_ptr_nonnull(strstr(got, "],\"goroutines\":[{\"id\":7,\"state\":\"running\","
                                      "\"created\":[{\"function\":\"main\","));
    ck_assert_ptr_nonnull(strstr(got, "{\"id\":6,\"state\":\"finished\",\"created\":"
                                      "[{\"function\":\"main\","));
    ck_assert_ptr_null(strstr(got, "degraded"));

    /* Main has no creation stack; strings are escaped. */
    r.prev.goid = 1;
    report_degraded("a \"quoted\"\treason\nwith\\ \x01 bytes");
    got = render(&r);
    ck_assert_msg(json_lines(got), "not JSON Lines:\n%s", got);
    ck_assert_ptr_nonnull(strstr(got, "{\"id\":1,\"state\":\"finished\",\"created\":[]}"));
    ck_assert_ptr_nonnull(strstr(got, ",\"degraded\":[\"a \\\"quoted\\\"\\treason\\nwith\\\\ "
                                      "\\u0001 bytes\"]}\n"));
}
END_TEST

/* ---- findings, dedup, exit status ---- */

static char tmpdir[64];

static void make_tmpdir(void)
{
    strcpy(tmpdir, "/tmp/corace-report-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* Runs fn in a child with CORACE_OPTIONS opts plus log_path=TMPDIR/log;
   returns the exit status, the log in *log (NULL if none was written). */
static int run_child(void (*fn)(void), const char *opts, char **log)
{
    make_tmpdir();
    char *all = fmt("%s log_path=%s/log", opts, tmpdir);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        setenv("CORACE_OPTIONS", all, 1);
        options_init();
        fn();
        _exit(0);
    }
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    char *path = fmt("%s/log.%d", tmpdir, (int)pid);
    *log = read_file(path);
    unlink(path);
    rmdir(tmpdir);
    ck_assert_msg(WIFEXITED(st), "child died: status %#x", st);
    return WEXITSTATUS(st);
}

static void two_races_then_finish(void)
{
    report_race r = race_7_6();
    if (!report_race_found(&r))
        _exit(90);
    /* The same pair of pcs, found from either side, is one race. */
    if (report_race_found(&r))
        _exit(91);
    report_race swapped = r;
    swapped.cur = r.prev;
    swapped.prev = r.cur;
    if (report_race_found(&swapped))
        _exit(92);
    if (report_race_count() != 1)
        _exit(93);
    /* Another pair on the same granule is not reported (as Go's
       suppress_equal_addresses)... */
    r.cur.pc = s_worker.pc;
    if (report_race_found(&r))
        _exit(97);
    /* ...another pair elsewhere is another race. */
    r.addr += 64;
    if (!report_race_found(&r))
        _exit(94);
    if (report_race_count() != 2)
        _exit(95);
    report_finish();
    _exit(96);   /* report_finish must not return */
}

START_TEST(finish_found_and_66)
{
    char *log;
    ck_assert_int_eq(run_child(two_races_then_finish, "", &log), 66);
    ck_assert_ptr_nonnull(log);
    ck_assert_uint_eq(count(log, "==================\nWARNING: DATA RACE\n"), 2);
    ck_assert_uint_eq(count(log, "==================\n"), 4);
    size_t n = strlen(log), t = strlen("==================\nFound 2 data race(s)\n");
    ck_assert_uint_ge(n, t);
    ck_assert_str_eq(log + n - t, "==================\nFound 2 data race(s)\n");
}
END_TEST

/* ---- suppressions (the file's parser has its own suite, test_suppress) ---- */

static char *write_temp(const char *text)
{
    char *path = fmt("/tmp/corace_sup_XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void suppressed_race_then_finish(void)
{
    report_race r = race_7_6();
    if (report_race_found(&r))
        _exit(90);
    if (report_race_count() != 0 || suppressions_count() != 1)
        _exit(91);
    report_finish();   /* nothing counted: returns */
    _exit(0);
}

static void unsuppressed_race_then_finish(void)
{
    report_race r = race_7_6();
    if (!report_race_found(&r))
        _exit(90);
    report_finish();
    _exit(97);
}

START_TEST(suppressed_race_not_reported_nor_counted)
{
    char *log = NULL;
    /* By function name of a frame. */
    char *sup = write_temp("# by function\nrace:update_f?o\n");
    char *opts = fmt("suppressions=%s", sup);
    ck_assert_int_eq(run_child(suppressed_race_then_finish, opts, &log), 0);
    ck_assert(log == NULL || strstr(log, "DATA RACE") == NULL);
    unlink(sup);
    /* By file path, also after strip_path_prefix. */
    sup = write_temp("leak:update_foo\nrace:tests/unit/report/test_report.c\n");
    opts = fmt("suppressions=%s strip_path_prefix=%s/", sup, CORACE_SOURCE_DIR);
    ck_assert_int_eq(run_child(suppressed_race_then_finish, opts, &log), 0);
    unlink(sup);
    sup = write_temp("race:*/test_report.c\n");
    opts = fmt("suppressions=%s", sup);
    ck_assert_int_eq(run_child(suppressed_race_then_finish, opts, &log), 0);
    unlink(sup);
    /* Rules of other kinds or other names leave it reported. */
    sup = write_temp("leak:update_foo\nrace:update_fo\ncopy:*\n");
    opts = fmt("suppressions=%s", sup);
    ck_assert_int_eq(run_child(unsuppressed_race_then_finish, opts, &log), 66);
    ck_assert_ptr_nonnull(log);
    ck_assert(strstr(log, "WARNING: DATA RACE") != NULL);
    unlink(sup);
}
END_TEST

static void load_suppressions(void)
{
    suppressions_init();
}

START_TEST(malformed_suppressions_exit_1)
{
    char *log = NULL;
    char *sup = write_temp("race:a\nraces:b\n");
    ck_assert_int_eq(run_child(load_suppressions, fmt("suppressions=%s", sup), &log), 1);
    unlink(sup);
    ck_assert_int_eq(run_child(load_suppressions, "suppressions=/nonexistent/sup.txt", &log), 1);
}
END_TEST

START_TEST(finish_exitcode_override)
{
    char *log;
    ck_assert_int_eq(run_child(two_races_then_finish, "exitcode=3", &log), 3);
    ck_assert_ptr_nonnull(strstr(log, "\nFound 2 data race(s)\n"));
}
END_TEST

static void race_then_finish_twice(void)
{
    report_race r = race_7_6();
    report_race_found(&r);
    report_finish();
    report_finish();
    _exit(7);   /* exitcode=0: the program's own status */
}

START_TEST(finish_exitcode_zero_keeps_status_once)
{
    char *log;
    ck_assert_int_eq(run_child(race_then_finish_twice, "exitcode=0", &log), 7);
    ck_assert_uint_eq(count(log, "Found 1 data race(s)\n"), 1);
}
END_TEST

static void no_race_then_finish(void)
{
    report_finish();
    _exit(5);
}

START_TEST(finish_without_races)
{
    char *log;
    ck_assert_int_eq(run_child(no_race_then_finish, "", &log), 5);
    ck_assert_ptr_null(log);   /* no race, no file */
}
END_TEST

static void two_races(void)
{
    report_race r = race_7_6();
    report_race_found(&r);
    r.cur.pc = s_worker.pc;
    report_race_found(&r);
    _exit(97);
}

START_TEST(halt_on_error_stops_at_first)
{
    char *log;
    ck_assert_int_eq(run_child(two_races, "halt_on_error=1", &log), 66);
    ck_assert_uint_eq(count(log, "WARNING: DATA RACE\n"), 1);
    ck_assert_ptr_nonnull(strstr(log, "==================\nFound 1 data race(s)\n"));
}
END_TEST

START_TEST(json_lines_no_found_line)
{
    char *log;
    ck_assert_int_eq(run_child(two_races_then_finish, "format=json", &log), 66);
    ck_assert_msg(json_lines(log), "not JSON Lines:\n%s", log);
    ck_assert_uint_eq(count(log, "\n"), 2);
    ck_assert_ptr_null(strstr(log, "Found"));
}
END_TEST

static void atomic_race(void)
{
    report_race r = race_7_6();
    r.prev.atomic = true;
    if (report_race_found(&r))
        _exit(98);
    if (report_race_count() != 0)
        _exit(99);
    report_finish();
    _exit(0);
}

START_TEST(report_atomic_races_off)
{
    char *log;
    ck_assert_int_eq(run_child(atomic_race, "report_atomic_races=0", &log), 0);
    ck_assert_ptr_null(log);
}
END_TEST

static void verbose_finish(void)
{
    report_race r = race_7_6();
    report_race_found(&r);
    report_race_found(&r);
    report_finish();
}

START_TEST(verbosity_counts_at_exit)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    int saved = dup(2);
    dup2(fd[1], 2);
    close(fd[1]);
    char *log;
    int st = run_child(verbose_finish, "verbosity=1 exitcode=4", &log);
    dup2(saved, 2);
    char msg[4096];
    ssize_t n = read(fd[0], msg, sizeof msg - 1);
    msg[n > 0 ? n : 0] = 0;
    ck_assert_int_eq(st, 4);
    ck_assert_msg(strstr(msg, "corace: 1 data race(s) reported, 1 more not reported again "
                              "(same pair of pcs or same 8-byte granule), ") != NULL, "stderr: %s", msg);
}
END_TEST

/* Reports go to stderr without log_path. */
START_TEST(default_stream_is_stderr)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd[1], 2);
        report_race r = race_7_6();
        report_race_found(&r);
        report_finish();
        _exit(0);
    }
    close(fd[1]);
    static char msg[16384];
    size_t n = 0;
    ssize_t k;
    while ((k = read(fd[0], msg + n, sizeof msg - 1 - n)) > 0)
        n += (size_t)k;
    msg[n] = 0;
    int st;
    waitpid(pid, &st, 0);
    ck_assert_int_eq(WEXITSTATUS(st), 66);
    ck_assert_msg(strncmp(msg, "==================\nWARNING: DATA RACE\nWrite at ", 47) == 0, "%s", msg);
    ck_assert_ptr_nonnull(strstr(msg, "==================\nFound 1 data race(s)\n"));
}
END_TEST

/* A record's strings are valid UTF-8 whatever bytes a symbol or a message
   holds: each stray byte becomes U+FFFD, valid sequences stay. */
START_TEST(json_strings_made_utf8)
{
    static const struct { const char *in, *out; } cases[] = {
        { "plain", "plain" },
        { "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80" },
        { "a\xff" "b", "a\xef\xbf\xbd" "b" },
        { "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },             /* overlong '/' */
        { "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* a surrogate */
        { "end\xe2\x82", "end\xef\xbf\xbd\xef\xbf\xbd" },          /* cut short */
        { "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* past U+10FFFF */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *v = rec_new_str(cases[i].in);
        ck_assert_ptr_nonnull(v);
        ck_assert_str_eq(json_string_value(v), cases[i].out);
        json_decref(v);
    }
    json_t *rec = json_object();
    rec_set(rec, "addr", rec_new_hex(0xc00001a0c8, 1));
    rec_set(rec, "pc", rec_new_hex(0x4011, 0));
    rec_set(rec, "skipped", NULL);
    rec_set(rec, "s", rec_new_str("tab\tquote\" \x01"));
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    rec_write(f, rec);
    fclose(f);
    ck_assert_str_eq(text, "{\"addr\":\"0x00c00001a0c8\",\"pc\":\"0x4011\",\"s\":\"tab\\tquote\\\" \\u0001\"}\n");
    free(text);
}
END_TEST

static Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    struct { const char *name; const TTest *tests[16]; } cases[] = {
        { "depot", { depot_same_context_same_id, depot_stack_walks_parents, depot_million } },
        { "options", { options_defaults, options_every_option_spaces, options_every_option_colons,
                       options_later_wins_and_given, options_errors, options_init_exits_2,
                       options_init_once, options_help_and_verbosity,
                       options_doc_matches_table } },
        { "text", { text_golden, text_offsets_exact, text_main_goroutine_and_atomics,
                    text_trims_runtime, text_deep_stack, text_inlined_frame,
                    text_strip_path_prefix, text_degraded } },
        { "json", { json_validator_self_test, json_race, json_lines_no_found_line, json_strings_made_utf8 } },
        { "finish", { finish_found_and_66, finish_exitcode_override,
                      finish_exitcode_zero_keeps_status_once, finish_without_races,
                      halt_on_error_stops_at_first, report_atomic_races_off,
                      verbosity_counts_at_exit, default_stream_is_stderr } },
        { "suppress", { suppressed_race_not_reported_nor_counted, malformed_suppressions_exit_1 } },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, 60);
        for (int k = 0; cases[i].tests[k]; k++)
            tcase_add_test(tc, cases[i].tests[k]);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    /* Creation sites of goroutines 7 and 6, and main's own caller. */
    s_libc.pc = (uintptr_t)__builtin_return_address(0);
    SITE(s_main_a);
    SITE(s_main_b);
    unsetenv("CORACE_OPTIONS");
    SRunner *sr = srunner_create(report_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
