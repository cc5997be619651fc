/*
 * unit_util.h - helpers shared by the runtime unit suites (Check, fork mode).
 *
 * Every Check test already runs in its own forked child, so corace's
 * per-process scheduler starts fresh in each test with the test function as
 * goroutine 1.  Tests that must look at what the runtime prints on a fatal
 * error fork once more (run_child): the grandchild runs the failing code with
 * fd 2 on a pipe, the test reads the pipe and the exit status.
 */
#ifndef CORACE_UNIT_UTIL_H
#define CORACE_UNIT_UTIL_H

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <corace.h>

#define UNIT_UNUSED __attribute__((unused))
#define UNIT_TIMEOUT 10

/* ---- suites ------------------------------------------------------------------------ */

/* One TCase per behaviour, each with the 10 s timeout. */
static UNIT_UNUSED TCase *unit_tcase(Suite *s, const char *name)
{
    TCase *tc = tcase_create(name);
    tcase_set_timeout(tc, UNIT_TIMEOUT);
    suite_add_tcase(s, tc);
    return tc;
}

static UNIT_UNUSED int unit_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* ---- goroutine bookkeeping ---------------------------------------------------------- */

/* Let goroutines that already signalled completion return, then check that
   none leaked: co_num_goroutine() is back to 1 (main only). */
static UNIT_UNUSED void unit_assert_no_leak(void)
{
    for (int i = 0; i < 10000 && co_num_goroutine() > 1; i++)
        co_yield();
    ck_assert_int_eq(co_num_goroutine(), 1);
}

static UNIT_UNUSED void unit_yield_n(int n)
{
    for (int i = 0; i < n; i++)
        co_yield();
}

/* An int channel helper pair, so tests read like Go. */
static UNIT_UNUSED void send_int(co_chan *c, int v)
{
    co_chan_send(c, &v);
}

static UNIT_UNUSED int recv_int(co_chan *c)
{
    int v = -12345;
    bool ok = co_chan_recv(c, &v);
    ck_assert_msg(ok, "receive on a closed channel where a value was expected");
    return v;
}

/* ---- child processes ---------------------------------------------------------------- */

/* Memory shared with forked children (line numbers, goroutine ids). */
static UNIT_UNUSED void *unit_shared(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(p, MAP_FAILED);
    memset(p, 0, size);
    return p;
}

/* For exit tests: keep the expected report out of the ctest log. */
static UNIT_UNUSED void unit_silence_stderr(void)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd >= 0) {
        dup2(fd, 2);
        close(fd);
    }
}

typedef struct child_result {
    int status;     /* waitpid status */
    char *err;      /* everything the child wrote on fd 2, NUL-terminated */
    size_t errlen;
} child_result;

/* Run fn(arg) in a forked child whose stderr is captured.  If fn returns the
   child exits 0.  Call before starting any goroutine in the test. */
static UNIT_UNUSED child_result run_child(void (*fn)(void *), void *arg)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(p[0]);
        dup2(p[1], 2);
        close(p[1]);
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            close(fd);
        }
        fn(arg);
        fflush(NULL);
        _exit(0);
    }
    close(p[1]);
    child_result r = {0, NULL, 0};
    size_t cap = 4096;
    r.err = malloc(cap);
    ck_assert_ptr_nonnull(r.err);
    for (;;) {
        if (cap - r.errlen < 1024) {
            cap *= 2;
            r.err = realloc(r.err, cap);
            ck_assert_ptr_nonnull(r.err);
        }
        ssize_t k = read(p[0], r.err + r.errlen, cap - r.errlen - 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        r.errlen += (size_t)k;
    }
    r.err[r.errlen] = '\0';
    close(p[0]);
    while (waitpid(pid, &r.status, 0) < 0 && errno == EINTR)
        ;
    return r;
}

static UNIT_UNUSED void assert_exit_status(const child_result *r, int code)
{
    ck_assert_msg(WIFEXITED(r->status) && WEXITSTATUS(r->status) == code,
                  "child: expected exit status %d, got %s %d; stderr:\n%s", code,
                  WIFEXITED(r->status) ? "exit status" : "signal",
                  WIFEXITED(r->status) ? WEXITSTATUS(r->status) : WTERMSIG(r->status),
                  r->err);
}

/* Line n (0-based) of text, copied into buf; false when there is no such line. */
static UNIT_UNUSED bool nth_line(const char *text, int n, char *buf, size_t size)
{
    const char *s = text;
    for (int i = 0; i < n; i++) {
        s = strchr(s, '\n');
        if (!s)
            return false;
        s++;
    }
    if (*s == '\0')
        return false;
    size_t len = strcspn(s, "\n");
    if (len >= size)
        len = size - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    return true;
}

static UNIT_UNUSED void assert_line(const child_result *r, int n, const char *want)
{
    char buf[512];
    bool have = nth_line(r->err, n, buf, sizeof buf);
    ck_assert_msg(have && strcmp(buf, want) == 0,
                  "stderr line %d: expected \"%s\", got \"%s\"; stderr:\n%s", n + 1, want,
                  have ? buf : "(none)", r->err);
}

/* Does s contain "FILE:LINE" with LINE not followed by another digit? */
static UNIT_UNUSED bool has_file_line(const char *s, const char *file, int line)
{
    char pat[256];
    snprintf(pat, sizeof pat, "%s:%d", file, line);
    size_t n = strlen(pat);
    for (const char *p = strstr(s, pat); p; p = strstr(p + 1, pat)) {
        char next = p[n];
        bool slash_before = p == s || p[-1] == '/' || p[-1] == '\t' || p[-1] == ' ';
        if (slash_before && !(next >= '0' && next <= '9'))
            return true;
    }
    return false;
}

/* The block of a goroutine report that starts with header (e.g.
   "goroutine 5 [chan send]:"), up to the next blank line; malloc'd or NULL. */
static UNIT_UNUSED char *goroutine_block(const char *text, const char *header)
{
    size_t hl = strlen(header);
    const char *s = text;
    while (s && *s) {
        if (strncmp(s, header, hl) == 0 && (s[hl] == '\n' || s[hl] == '\0')) {
            const char *e = strstr(s, "\n\n");
            size_t len = e ? (size_t)(e - s) + 1 : strlen(s);
            char *b = malloc(len + 1);
            memcpy(b, s, len);
            b[len] = '\0';
            return b;
        }
        s = strchr(s, '\n');
        if (s)
            s++;
    }
    return NULL;
}

/* In block, a frame line "func()" immediately followed by "\t...file:line". */
static UNIT_UNUSED bool block_has_frame(const char *block, const char *func, const char *file,
                                        int line)
{
    char want[256];
    snprintf(want, sizeof want, "%s()\n\t", func);
    size_t wl = strlen(want);
    for (const char *p = strstr(block, want); p; p = strstr(p + 1, want)) {
        if (p != block && p[-1] != '\n')
            continue;
        const char *l2 = p + wl;
        size_t len = strcspn(l2, "\n");
        char buf[512];
        if (len >= sizeof buf)
            len = sizeof buf - 1;
        memcpy(buf, l2, len);
        buf[len] = '\0';
        if (has_file_line(buf, file, line))
            return true;
    }
    return false;
}

/* Line k (0-based) of block, as nth_line. */
static UNIT_UNUSED bool block_line(const char *block, int k, char *buf, size_t size)
{
    return nth_line(block, k, buf, size);
}

#endif
