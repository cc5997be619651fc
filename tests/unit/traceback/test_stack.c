/*
 * test_stack.c - runtime/traceback: capture, symbolization and printing.
 *
 * Built -O0 -fno-inline so that every function below keeps its own frame and
 * its lines; expected lines are taken with __LINE__ next to the calls and
 * expected offsets from the functions' addresses, so the assertions are
 * exact.  The main() at the bottom is part of the test: traces must end at it.
 */
#define _GNU_SOURCE
#include <check.h>
#include <regex.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "runtime/traceback/stack.h"

#define NOINLINE __attribute__((noinline))

/* stack_inline.c */
int inl_outer(uintptr_t *pcs, int max, int *leaf_line, int *outer_line);

/* runtime/arch/switch_x86_64.S */
void ctx_switch(void **save_sp, void *new_sp);
void co__trampoline(void);

static int main_run_line;   /* the line in main() that runs the suites */

/* ---- helpers ---------------------------------------------------------- */

static char *print_to_string(const uintptr_t *pcs, int n, bool first_is_return)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    st_print(f, pcs, n, first_is_return);
    fclose(f);
    return buf;
}

/* Splits text into lines (modifies it); returns how many. */
static int split_lines(char *text, char **lines, int max)
{
    int n = 0;
    for (char *s = text; *s && n < max;) {
        char *nl = strchr(s, '\n');
        ck_assert_msg(nl != NULL, "unterminated line: %s", s);
        *nl = '\0';
        lines[n++] = s;
        s = nl + 1;
    }
    return n;
}

static bool matches(const char *re, const char *s)
{
    regex_t r;
    ck_assert_int_eq(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
    bool ok = regexec(&r, s, 0, NULL, 0) == 0;
    regfree(&r);
    return ok;
}

/* Every trace is pairs of "name()" / "\tlocation" lines, optionally ended by
   Go's elision line. */
static void assert_go_shape(char **lines, int n)
{
    for (int i = 0; i < n; i++) {
        if (i == n - 1 && strcmp(lines[i], "...additional frames elided...") == 0)
            return;
        bool inl = matches("^[A-Za-z_?][A-Za-z0-9_.]*\\(\\.\\.\\.\\)$", lines[i]);
        ck_assert_msg(inl || matches("^[A-Za-z_?][A-Za-z0-9_.]*\\(\\)$", lines[i]),
                      "bad function line %d: '%s'", i, lines[i]);
        ck_assert_msg(++i < n, "function line without location");
        bool src = inl ? matches("^\t/[^ ]+:[0-9]+$", lines[i])
                       : matches("^\t/[^ ]+:[0-9]+ \\+0x[0-9a-f]+$", lines[i]);
        ck_assert_msg(src || matches("^\t[^ ]+\\+0x[0-9a-f]+$", lines[i]),
                      "bad location line %d: '%s'", i, lines[i]);
    }
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
    static char bufs[8][4096];
    static int k;
    char *b = bufs[k++ % 8];
    va_list ap;
    va_start(ap, f);
    vsnprintf(b, sizeof bufs[0], f, ap);
    va_end(ap);
    return b;
}

static void assert_ends_at_main(char **lines, int n)
{
    ck_assert_int_ge(n, 2);
    ck_assert_str_eq(lines[n - 2], "main()");
    ck_assert_msg(matches(fmt("^\t%s:%d \\+0x[0-9a-f]+$", __FILE__, main_run_line), lines[n - 1]),
                  "main's location: '%s'", lines[n - 1]);
}

/* ---- symbolizing a plain frame ---------------------------------------- */

static int known_line;

/* gcc gives a function's entry the line of its opening brace. */
enum { known_fn_entry_line = __LINE__ + 2 };
NOINLINE static int known_fn(uintptr_t *pcs, int max)
{
    int n = st_unwind_here(pcs, max); known_line = __LINE__;
    return n;
}

START_TEST(symbolize_plain_frame)
{
    uintptr_t pcs[ST_MAX_FRAMES];
    int n = known_fn(pcs, ST_MAX_FRAMES); int caller_line = __LINE__;
    ck_assert_int_ge(n, 3);

    st_frame fr[ST_MAX_INLINE];
    int nf = st_symbolize(pcs[0], true, fr, ST_MAX_INLINE);
    ck_assert_int_eq(nf, 1);
    ck_assert_str_eq(fr[0].func, "known_fn");
    ck_assert(fr[0].has_src);
    ck_assert(!fr[0].inlined);
    ck_assert_int_eq(fr[0].file[0], '/');
    ck_assert_str_eq(fr[0].file, __FILE__);
    ck_assert_int_eq(fr[0].line, known_line);
    ck_assert_uint_eq(fr[0].off, pcs[0] - (uintptr_t)known_fn);

    nf = st_symbolize(pcs[1], true, fr, ST_MAX_INLINE);
    ck_assert_int_eq(nf, 1);
    ck_assert_str_eq(fr[0].func, "symbolize_plain_frame_fn");
    ck_assert_int_eq(fr[0].line, caller_line);

    /* A second lookup comes from the cache and says the same. */
    st_frame again[ST_MAX_INLINE];
    ck_assert_int_eq(st_symbolize(pcs[1], true, again, ST_MAX_INLINE), 1);
    ck_assert_ptr_eq(again[0].func, fr[0].func);
    ck_assert_int_eq(again[0].line, fr[0].line);
    ck_assert_uint_eq(again[0].off, fr[0].off);
}
END_TEST

/* ---- inlined frames --------------------------------------------------- */

START_TEST(symbolize_inlined_frame)
{
    uintptr_t pcs[ST_MAX_FRAMES];
    int leaf_line = 0, outer_line = 0;
    int n = inl_outer(pcs, ST_MAX_FRAMES, &leaf_line, &outer_line); int test_line = __LINE__;
    ck_assert_int_ge(n, 3);

    st_frame fr[ST_MAX_INLINE];
    int nf = st_symbolize(pcs[0], true, fr, ST_MAX_INLINE);
    ck_assert_int_eq(nf, 2);
    ck_assert_str_eq(fr[0].func, "inl_leaf");
    ck_assert(fr[0].inlined);
    ck_assert(fr[0].has_src);
    ck_assert_int_eq(fr[0].file[0], '/');
    ck_assert_msg(matches("/tests/unit/traceback/stack_inline\\.c$", fr[0].file), "%s", fr[0].file);
    ck_assert_int_eq(fr[0].line, leaf_line);
    ck_assert_str_eq(fr[1].func, "inl_outer");
    ck_assert(!fr[1].inlined);
    ck_assert_str_eq(fr[1].file, fr[0].file);
    ck_assert_int_eq(fr[1].line, outer_line);
    ck_assert_uint_eq(fr[1].off, pcs[0] - (uintptr_t)inl_outer);

    /* Printed as Go does: "(...)" and no offset for the inlined call. */
    char *out = print_to_string(pcs, n, true);
    char *lines[512];
    int nl = split_lines(out, lines, 512);
    assert_go_shape(lines, nl);
    ck_assert_int_ge(nl, 6);
    ck_assert_str_eq(lines[0], "inl_leaf(...)");
    ck_assert_str_eq(lines[1], fmt("\t%s:%d", fr[0].file, leaf_line));
    ck_assert_str_eq(lines[2], "inl_outer()");
    ck_assert_str_eq(lines[3], fmt("\t%s:%d +0x%lx", fr[0].file, outer_line,
                                   (unsigned long)(pcs[0] - (uintptr_t)inl_outer)));
    ck_assert_str_eq(lines[4], "symbolize_inlined_frame_fn()");
    ck_assert_str_eq(lines[5], fmt("\t%s:%d +0x%lx", __FILE__, test_line,
                                   (unsigned long)(pcs[1] - (uintptr_t)symbolize_inlined_frame_fn)));
    assert_ends_at_main(lines, nl);
    free(out);
}
END_TEST

/* A goroutine that has not run yet is shown at its entry function, as Go
   does: the line of its entry, and no offset. */
START_TEST(print_entry_function)
{
    uintptr_t pc = (uintptr_t)known_fn;
    char *out = print_to_string(&pc, 1, false);
    ck_assert_str_eq(out, fmt("known_fn()\n\t%s:%d\n", __FILE__, known_fn_entry_line));
    free(out);
}
END_TEST

/* ---- trimming --------------------------------------------------------- */

static int user_call_line;

/* Stand-ins for the runtime: an internal helper under a public API. */
NOINLINE static int park_internal(uintptr_t *pcs, int max)
{
    return st_unwind_here(pcs, max);
}

NOINLINE static int co_fake_block(uintptr_t *pcs, int max)
{
    return park_internal(pcs, max);
}

NOINLINE static int user_top(uintptr_t *pcs, int max)
{
    int n = co_fake_block(pcs, max); user_call_line = __LINE__;
    return n;
}

START_TEST(print_trims_runtime_and_libc)
{
    uintptr_t pcs[ST_MAX_FRAMES];
    int n = user_top(pcs, ST_MAX_FRAMES); int test_line = __LINE__;
    ck_assert_int_ge(n, 5);

    char *out = print_to_string(pcs, n, true);
    ck_assert_ptr_null(strstr(out, "park_internal"));
    ck_assert_ptr_null(strstr(out, "co_fake_block"));
    ck_assert_ptr_null(strstr(out, "__libc_start"));
    ck_assert_ptr_null(strstr(out, "st_unwind_here"));
    char *lines[512];
    int nl = split_lines(out, lines, 512);
    assert_go_shape(lines, nl);
    ck_assert_str_eq(lines[0], "user_top()");
    ck_assert_str_eq(lines[1], fmt("\t%s:%d +0x%lx", __FILE__, user_call_line,
                                   (unsigned long)(pcs[2] - (uintptr_t)user_top)));
    ck_assert_str_eq(lines[2], "print_trims_runtime_and_libc_fn()");
    ck_assert_str_eq(lines[3], fmt("\t%s:%d +0x%lx", __FILE__, test_line,
                                   (unsigned long)(pcs[3] - (uintptr_t)print_trims_runtime_and_libc_fn)));
    assert_ends_at_main(lines, nl);
    free(out);
}
END_TEST

static int plain_line;

NOINLINE static int plain_user(uintptr_t *pcs, int max)
{
    int n = st_unwind_here(pcs + 1, max - 1); plain_line = __LINE__;
    return n + 1;
}

/* Frames from corace's own source files are the runtime's even without a
   co_ name (static helpers); runtime/traceback/print.c is one such file. */
START_TEST(print_trims_runtime_files)
{
    uintptr_t pcs[ST_MAX_FRAMES];
    int n = plain_user(pcs, ST_MAX_FRAMES);
    for (int sig = 0; sig < 2; sig++) {
        pcs[0] = (uintptr_t)st_print + (sig ? 0 : 1);
        char *out = print_to_string(pcs, n, !sig);
        ck_assert_ptr_null(strstr(out, "st_print"));
        char *lines[512];
        int nl = split_lines(out, lines, 512);
        assert_go_shape(lines, nl);
        ck_assert_str_eq(lines[0], "plain_user()");
        ck_assert_str_eq(lines[1], fmt("\t%s:%d +0x%lx", __FILE__, plain_line,
                                       (unsigned long)(pcs[1] - (uintptr_t)plain_user)));
        assert_ends_at_main(lines, nl);
        free(out);
    }
}
END_TEST

NOINLINE static int deep(int d, uintptr_t *pcs, int max)
{
    if (d == 0)
        return st_unwind_here(pcs, max);
    int n = deep(d - 1, pcs, max);
    return n;
}

START_TEST(print_elides_after_100_frames)
{
    uintptr_t pcs[ST_MAX_FRAMES];
    int n = deep(ST_MAX_FRAMES + 10, pcs, ST_MAX_FRAMES);
    ck_assert_int_eq(n, ST_MAX_FRAMES);
    char *out = print_to_string(pcs, n, true);
    char *lines[512];
    int nl = split_lines(out, lines, 512);
    assert_go_shape(lines, nl);
    ck_assert_int_eq(nl, 201);
    for (int i = 0; i < 200; i += 2)
        ck_assert_str_eq(lines[i], "deep()");
    ck_assert_str_eq(lines[200], "...additional frames elided...");
    free(out);
}
END_TEST

/* ---- created by ------------------------------------------------------- */

static int go_line;

NOINLINE static uintptr_t fake_go(void)
{
    return (uintptr_t)__builtin_return_address(0);
}

NOINLINE static uintptr_t creator(void)
{
    uintptr_t pc = fake_go(); go_line = __LINE__;
    return pc;
}

START_TEST(print_created_by)
{
    uintptr_t pc = creator();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    st_print_created_by(f, pc, 7);
    fclose(f);
    ck_assert_str_eq(buf, fmt("created by creator in goroutine 7\n\t%s:%d +0x%lx\n", __FILE__,
                              go_line, (unsigned long)(pc - (uintptr_t)creator)));
    free(buf);
}
END_TEST

/* ---- a suspended goroutine -------------------------------------------- */

static void *main_sp, *coro_sp;
static int coro_user_line, coro_main_line;

/* The public call the goroutine is parked in: trimmed. */
NOINLINE static void co_fake_park(void)
{
    ctx_switch(&coro_sp, main_sp);
}

NOINLINE static void coro_user(void)
{
    coro_user_line = __LINE__; co_fake_park();
}

NOINLINE static void coro_main(void)
{
    coro_main_line = __LINE__; coro_user();
}

/* Plays the runtime's goroutine entry: printing stops above it. */
NOINLINE static void co__fake_goentry(void *arg)
{
    (void)arg;
    coro_main();
    __builtin_trap();   /* never resumed */
}

START_TEST(unwind_suspended_goroutine)
{
    /* A stack laid out as ctx_make would: the saved registers with the entry
       in rbx and its argument in r12, resuming at the trampoline with a
       16-byte-aligned rsp (it calls the entry). */
    size_t size = 64 * 1024;
    char *stk = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(stk, MAP_FAILED);
    uintptr_t top = ((uintptr_t)stk + size - 16) & ~(uintptr_t)15;
    uint64_t *sp = (uint64_t *)(top - 56);
    memset(sp, 0, 56);
    sp[3] = 0;                                   /* r12: arg */
    sp[4] = (uint64_t)(uintptr_t)co__fake_goentry; /* rbx: entry */
    sp[6] = (uint64_t)(uintptr_t)co__trampoline;
    /* Not run yet: no frames, rather than a walk from a pc that is not a
       return address. */
    uintptr_t pcs[ST_MAX_FRAMES];
    ck_assert_int_eq(st_unwind_suspended(NULL, pcs, ST_MAX_FRAMES), 0);
    ck_assert_int_eq(st_unwind_suspended(sp, pcs, ST_MAX_FRAMES), 0);

    ctx_switch(&main_sp, sp);

    int n = st_unwind_suspended(coro_sp, pcs, ST_MAX_FRAMES);
    static const char *const want[] = {
        "co_fake_park", "coro_user", "coro_main", "co__fake_goentry", "co__trampoline",
    };
    ck_assert_int_eq(n, 5);
    for (int i = 0; i < n; i++) {
        st_frame fr[ST_MAX_INLINE];
        ck_assert_int_eq(st_symbolize(pcs[i], true, fr, ST_MAX_INLINE), 1);
        ck_assert_str_eq(fr[0].func, want[i]);
    }

    char *out = print_to_string(pcs, n, true);
    char *lines[16];
    int nl = split_lines(out, lines, 16);
    ck_assert_int_eq(nl, 4);
    ck_assert_str_eq(lines[0], "coro_user()");
    ck_assert_str_eq(lines[1], fmt("\t%s:%d +0x%lx", __FILE__, coro_user_line,
                                   (unsigned long)(pcs[1] - (uintptr_t)coro_user)));
    ck_assert_str_eq(lines[2], "coro_main()");
    ck_assert_str_eq(lines[3], fmt("\t%s:%d +0x%lx", __FILE__, coro_main_line,
                                   (unsigned long)(pcs[2] - (uintptr_t)coro_main)));
    free(out);
    /* The goroutine stays parked; the forked test process just ends. */
}
END_TEST

/* ---- a signal context ------------------------------------------------- */

static sigjmp_buf sig_jmp;
static uintptr_t sig_pcs[ST_MAX_FRAMES];
static int sig_n;
static char *sig_out;
static int crash_line;

/* Unwinds and prints from the handler, on the alternate stack, as the
   runtime's fatal-signal report does. */
static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    sig_n = st_unwind_signal(uc, sig_pcs, ST_MAX_FRAMES);
    size_t len;
    FILE *f = open_memstream(&sig_out, &len);
    st_print(f, sig_pcs, sig_n, false);
    fclose(f);
    siglongjmp(sig_jmp, 1);
}

static void catch_segv(void)
{
    static char altstack[256 * 1024];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    ck_assert_int_eq(sigaltstack(&ss, NULL), 0);
    struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    sigemptyset(&sa.sa_mask);
    ck_assert_int_eq(sigaction(SIGSEGV, &sa, NULL), 0);
}

NOINLINE static void crash_here(volatile int *p)
{
    crash_line = __LINE__ + 1;
    *p = 42;
}

static volatile int *inaccessible;

/* A public call that calls back into user code, like co_once_do. */
NOINLINE static void co_fake_invoke(void (*fn)(volatile int *))
{
    fn(inaccessible);
}

START_TEST(unwind_signal_context)
{
    catch_segv();
    /* Not NULL: UBSan (CORACE_UBSAN) would stop at a null store first. */
    inaccessible = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne((void *)inaccessible, MAP_FAILED);
    int test_line = 0;
    if (sigsetjmp(sig_jmp, 1) == 0) {
        test_line = __LINE__; co_fake_invoke(crash_here);
    }
    ck_assert_int_ge(sig_n, 4);

    st_frame fr[ST_MAX_INLINE];
    ck_assert_int_eq(st_symbolize(sig_pcs[0], false, fr, ST_MAX_INLINE), 1);
    ck_assert_str_eq(fr[0].func, "crash_here");
    ck_assert_int_eq(fr[0].line, crash_line);
    ck_assert_uint_eq(fr[0].off, sig_pcs[0] - (uintptr_t)crash_here);

    /* A fault in user code shows from the faulting frame down, the public
       call it was called back from included. */
    char *lines[512];
    int nl = split_lines(sig_out, lines, 512);
    assert_go_shape(lines, nl);
    ck_assert_str_eq(lines[0], "crash_here()");
    ck_assert_str_eq(lines[1], fmt("\t%s:%d +0x%lx", __FILE__, crash_line,
                                   (unsigned long)(sig_pcs[0] - (uintptr_t)crash_here)));
    ck_assert_str_eq(lines[2], "co_fake_invoke()");
    ck_assert_str_eq(lines[4], "unwind_signal_context_fn()");
    ck_assert_msg(matches(fmt("^\t%s:%d \\+0x[0-9a-f]+$", __FILE__, test_line), lines[5]),
                  "%s", lines[5]);
    assert_ends_at_main(lines, nl);
    free(sig_out);
}
END_TEST

/* nodebug.c: faults on its very first instruction, as a stack overflow
   faults on a prologue's push.  No debug info there either. */
void fault_first(void);

NOINLINE static void call_fault_first(void)
{
    fault_first();
}

START_TEST(unwind_signal_at_function_entry)
{
    catch_segv();
    if (sigsetjmp(sig_jmp, 1) == 0)
        call_fault_first();
    ck_assert_int_ge(sig_n, 3);
    ck_assert_uint_eq(sig_pcs[0], (uintptr_t)fault_first);

    st_frame fr[ST_MAX_INLINE];
    ck_assert_int_eq(st_symbolize(sig_pcs[0], false, fr, ST_MAX_INLINE), 1);
    ck_assert_str_eq(fr[0].func, "fault_first");
    ck_assert(!fr[0].has_src);
    ck_assert_int_eq(st_symbolize(sig_pcs[1], true, fr, ST_MAX_INLINE), 1);
    ck_assert_str_eq(fr[0].func, "call_fault_first");

    char *lines[512];
    int nl = split_lines(sig_out, lines, 512);
    assert_go_shape(lines, nl);
    ck_assert_str_eq(lines[0], "fault_first()");
    ck_assert_msg(matches("^\t/[^ ]*test_stack\\+0x[0-9a-f]+$", lines[1]), "%s", lines[1]);
    ck_assert_str_eq(lines[2], "call_fault_first()");
    assert_ends_at_main(lines, nl);
    free(sig_out);
}
END_TEST

/* A frame as a build without line information symbolizes it: a name and
   the module, no source file to recognise corace's by. */
static st_frame bare(const char *func) { return (st_frame){ func, "/cache/prog", 0, 0x40, false, false }; }

/* The one trimming rule (st_trim_top), by names alone. */
START_TEST(trim_rule_by_entry)
{
    /* A goroutine's trace taken where the checker reports it blocked: all
       down to its entry, co_waitgroup_wait, is corace's. */
    st_frame blocked[] = { bare("partial_json_stack"), bare("gorecords_fatal"), bare("h_fatal"),
                           bare("fatal_deadlock"), bare("sched_park"), bare("co_waitgroup_wait"), bare("main") };
    ck_assert_int_eq(st_trim_top(blocked, 7, true), 6);
    /* Preempted at an instrumented access: the checker's frames end at the
       __tsan_* callback. */
    st_frame preempted[] = { bare("sched_switch"), bare("explore_access"), bare("__tsan_read4"), bare("worker"),
                             bare("co__trampoline") };
    ck_assert_int_eq(st_trim_top(preempted, 5, true), 3);
    /* One API implemented with another: co_once_do's runtime frames below
       the innermost entry go too. */
    st_frame nested[] = { bare("sched_park"), bare("co_mutex_lock"), bare("co_once_do"), bare("init"), bare("main") };
    ck_assert_int_eq(st_trim_top(nested, 5, true), 3);
    /* A site of the program's (a race's access, a lock call): a user
       function called back by co_once_do stays. */
    st_frame site[] = { bare("fn"), bare("co_once_do"), bare("main") };
    ck_assert_int_eq(st_trim_top(site, 3, false), 0);
    /* No entry (co__* is the runtime's own, not a call of the program's):
       the leading runtime frames only. */
    st_frame none[] = { bare("co__fault"), bare("fn"), bare("main") };
    ck_assert_int_eq(st_trim_top(none, 3, true), 1);
}
END_TEST

static Suite *stack_suite(void)
{
    Suite *s = suite_create("stack");
    TCase *tc;

    tc = tcase_create("symbolize");
    tcase_add_test(tc, symbolize_plain_frame);
    tcase_add_test(tc, symbolize_inlined_frame);
    suite_add_tcase(s, tc);

    tc = tcase_create("print");
    tcase_add_test(tc, print_entry_function);
    tcase_add_test(tc, print_trims_runtime_and_libc);
    tcase_add_test(tc, print_trims_runtime_files);
    tcase_add_test(tc, print_elides_after_100_frames);
    tcase_add_test(tc, print_created_by);
    tcase_add_test(tc, trim_rule_by_entry);
    suite_add_tcase(s, tc);

    tc = tcase_create("unwind");
    tcase_add_test(tc, unwind_suspended_goroutine);
    tcase_add_test(tc, unwind_signal_context);
    tcase_add_test(tc, unwind_signal_at_function_entry);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stack_suite());
    main_run_line = __LINE__ + 1;
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
