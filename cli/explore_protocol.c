/* explore_protocol.c - corace explore's side of the fork server (docs/explore.md,
   "How it runs"): the program is started once with CORACE_EXPLORE set; for
   each seed its runtime forks a child that runs main under that seed, writes
   the child's JSON records to DIR/s<SEED>.<PID> and its stderr to
   DIR/s<SEED>.err, and reports one line per schedule on a pipe:

       seed=S status=X signal=G timeout=0|1 steps=K usec=U

   (for pct without --steps, first `calibration steps=K`). */
#include "explore.h"
#include "exitcodes.h"
#include "proc.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* The descriptor number the server writes its lines to. */
#define SERVER_FD 3

bool explore_parse_u64(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
        return false;
    *out = strtoull(s, NULL, 10);
    return true;
}

char *explore_file_tail(const char *path, int lines)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        return xstrdup("");
    size_t start = len;
    int seen = 0;
    if (start && text[start - 1] == '\n')
        start--;
    while (start > 0) {
        if (text[start - 1] == '\n' && ++seen >= lines)
            break;
        start--;
    }
    char *tail = xasprintf("%s%s", text + start, len && text[len - 1] != '\n' ? "\n" : "");
    free(text);
    return tail;
}

/* "key=value ..." as the server writes it; keys it does not know are
   ignored, so that a newer runtime can say more. */
bool explore_parse_result(const char *line, struct result *r)
{
    unsigned have = 0;
    char *copy = xstrdup(line);
    bool ok = true;
    for (char *save = NULL, *w = strtok_r(copy, " ", &save); w && ok; w = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(w, '=');
        if (!eq) {
            ok = false;
            break;
        }
        *eq = '\0';
        const char *v = eq + 1;
        char *end;
        errno = 0;
        long long sv = strtoll(v, &end, 10);
        bool num = *v && !*end && errno == 0;
        if (!strcmp(w, "seed") && num && sv >= 0) {
            r->seed = (uint64_t)sv, have |= 1;
        } else if (!strcmp(w, "status") && num && sv >= -1 && sv <= 255) {
            r->status = (int)sv, have |= 2;
        } else if (!strcmp(w, "signal") && num && sv >= 0 && sv < 128) {
            r->signal = (int)sv, have |= 4;
        } else if (!strcmp(w, "timeout") && num && (sv == 0 || sv == 1)) {
            r->timeout = (int)sv, have |= 8;
        } else if (!strcmp(w, "steps") && num && sv >= 0) {
            r->steps = (uint64_t)sv, have |= 16;
        } else if (!strcmp(w, "usec") && num && sv >= 0) {
            r->usec = (uint64_t)sv, have |= 32;
        } else if (!strcmp(w, "seed") || !strcmp(w, "status") || !strcmp(w, "signal") || !strcmp(w, "timeout") ||
                   !strcmp(w, "steps") || !strcmp(w, "usec")) {
            ok = false;
        }
    }
    free(copy);
    return ok && have == 63;
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

bool explore_take_schedule_files(struct explore *ex, uint64_t seed, record_set *set, char **err_path)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "s%" PRIu64 ".", seed);
    size_t plen = strlen(prefix);
    DIR *d = opendir(ex->dir);
    if (!d)
        cli_die(EXIT_CANNOT_RUN, "explore: %s: %s", ex->dir, strerror(errno));
    bool ok = true;
    struct dirent *e;
    memset(set, 0, sizeof *set);
    *err_path = NULL;
    struct argv_buf names = {0};
    while ((e = readdir(d)) != NULL)
        if (!strncmp(e->d_name, prefix, plen))
            argv_push(&names, xstrdup(e->d_name));
    closedir(d);
    /* Processes in the order of their pids' text: a schedule's own records
       come before those of the programs it started, as far as that goes. */
    if (names.n)
        qsort(names.v, names.n, sizeof *names.v, cmp_name);
    for (size_t i = 0; i < names.n; i++) {
        char *path = xasprintf("%s/%s", ex->dir, names.v[i]);
        if (!strcmp(names.v[i] + plen, "err")) {
            *err_path = path; /* read by the caller, then removed */
            free(names.v[i]);
            continue;
        }
        struct stat st;
        record_set one;
        const char *rest = names.v[i] + plen;
        if (strspn(rest, "0123456789") != strlen(rest)) {
            /* not DIR/s<seed>.<pid>: the checker's side files (its deadlock
               cycles as .dot graphs) */
        } else if (stat(path, &st) == 0 && st.st_size == 0) {
            /* a process with nothing to report */
        } else if (records_load(path, &one)) {
            records_take(set, &one);
        } else {
            ok = false;
        }
        unlink(path);
        free(path);
        free(names.v[i]);
    }
    argv_free(&names);
    return ok;
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig) { interrupted = sig; }

/* The server's whole process group: it and the schedule it is running. */
static void stop_server(pid_t pid)
{
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
}

/* The fork server while it runs. */
struct server {
    int pid, fd;            /* fd: the read end of its pipe */
    char *err_path;         /* its own stderr */
    char *opts, *spec;
    char **env, **env1;
    struct argv_buf args;
    struct sigaction old_int, old_term, old_hup;
};

/* How reading the server's lines ended. */
struct reading {
    enum stop why;
    bool eof;
    char *bad_line;         /* a line that is no part of the protocol */
};

/* The server's environment: the strategy's options after the user's own,
   so that they win, and CORACE_EXPLORE with the seeds and the directory. */
static void server_env(struct explore *ex, struct server *s)
{
    const char *old = getenv("CORACE_OPTIONS");
    s->opts = xasprintf("%s%sstrategy=%s", old && old[0] ? old : "", old && old[0] ? " " : "", ex->strategy);
    if (!strcmp(ex->strategy, "pct")) {
        char *more = xasprintf("%s pct_depth=%" PRIu64 " pct_steps=%" PRIu64, s->opts, ex->depth, ex->steps);
        free(s->opts);
        s->opts = more;
    }
    s->spec = xasprintf("fd=%d,first=%" PRIu64 ",count=%" PRIu64 ",stride=%" PRIu64 ",timeout_ms=%" PRIu64
                        ",dir=%s",
                        SERVER_FD, ex->seed0, ex->count, ex->stride, (uint64_t)(ex->timeout_s * 1000 + 0.5), ex->dir);
    s->env1 = env_with("CORACE_OPTIONS", s->opts);
    char **saved = environ;
    environ = s->env1;
    s->env = env_with("CORACE_EXPLORE", s->spec);
    environ = saved;
}

static void server_start(struct explore *ex, struct server *s)
{
    server_env(ex, s);
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        cli_die(EXIT_CANNOT_RUN, "explore: pipe: %s", strerror(errno));
    /* The write end must not be SERVER_FD already: dup2 onto itself would
       leave it close-on-exec. */
    int wfd = fcntl(p[1], F_DUPFD_CLOEXEC, SERVER_FD + 1);
    if (wfd < 0)
        cli_die(EXIT_CANNOT_RUN, "explore: %s", strerror(errno));
    close(p[1]);
    s->fd = p[0];
    s->err_path = xasprintf("%s/server.err", ex->dir);
    argv_push(&s->args, ex->prog);
    for (int i = 0; i < ex->nargs; i++)
        argv_push(&s->args, ex->args[i]);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &s->old_int);
    sigaction(SIGTERM, &sa, &s->old_term);
    sigaction(SIGHUP, &sa, &s->old_hup);

    fflush(stdout);
    fflush(stderr);
    proc_set_no_aslr(true);
    ex->start = ex->last_log = explore_now();
    s->pid = proc_spawn_server(s->args.v, s->env, wfd, SERVER_FD, s->err_path);
    int spawn_errno = errno;
    close(wfd);
    if (s->pid < 0) {
        remove_tree(ex->dir);
        cli_die(EXIT_CANNOT_RUN, "explore: cannot start %s: %s", ex->prog, strerror(spawn_errno));
    }
}

/* One whole line of the server; true when the exploration stops there. */
static bool handle_line(struct explore *ex, const char *line, struct reading *rd)
{
    uint64_t k;
    struct result r = {0};
    if (!strncmp(line, "calibration steps=", 18) && !ex->have_calibration && ex->done == 0 &&
        explore_parse_u64(line + 18, &k)) {
        ex->calibrated = k;
        ex->have_calibration = true;
        return false;
    }
    if (explore_parse_result(line, &r) && ex->done < ex->count && r.seed == ex->seed0 + ex->done * ex->stride &&
        (ex->have_calibration || ex->steps || strcmp(ex->strategy, "pct"))) {
        ex->done++;
        ex->steps_sum += r.steps;
        if (explore_schedule_done(ex, &r) && !ex->keep_going) {
            rd->why = STOP_FINDING;
            return true;
        }
        return false;
    }
    rd->bad_line = xstrdup(line);
    return true;
}

/* The server's lines until it is done, the budget is spent, a line stops
   the exploration, or a signal came. */
static void read_lines(struct explore *ex, struct server *s, struct reading *rd)
{
    size_t blen = 0, bcap = 4096;
    char *buf = xmalloc(bcap);
    double deadline = ex->budget_s > 0 ? ex->start + ex->budget_s : 0;
    bool stop = false;
    while (!rd->eof && !stop && !interrupted) {
        double t = explore_now();
        if (deadline && t >= deadline) {
            rd->why = STOP_BUDGET;
            break;
        }
        double wait = ex->tty ? EXPLORE_TTY_REFRESH_S : 1.0;
        if (deadline && deadline - t < wait)
            wait = deadline - t;
        struct pollfd pf = {.fd = s->fd, .events = POLLIN};
        int pr = poll(&pf, 1, (int)(wait * 1000) + 1);
        if (pr < 0 && errno != EINTR)
            cli_die(EXIT_CANNOT_RUN, "explore: poll: %s", strerror(errno));
        if (pr > 0) {
            if (blen + 1024 > bcap)
                buf = xrealloc(buf, bcap *= 2);
            ssize_t n = read(s->fd, buf + blen, bcap - blen - 1);
            if (n < 0 && errno != EINTR && errno != EAGAIN)
                cli_die(EXIT_CANNOT_RUN, "explore: reading the server's pipe: %s", strerror(errno));
            if (n == 0)
                rd->eof = true;
            if (n > 0)
                blen += (size_t)n;
        }
        char *line = buf, *nl;
        while (!stop && (nl = memchr(line, '\n', blen - (size_t)(line - buf))) != NULL) {
            *nl = '\0';
            stop = handle_line(ex, line, rd);
            line = nl + 1;
        }
        blen -= (size_t)(line - buf);
        memmove(buf, line, blen);
        explore_progress(ex, false);
    }
    free(buf);
}

/* The server ended before its last schedule: the program did not become a
   fork server, or its runtime stopped it. */
static void server_died(const struct explore *ex, const struct server *s, int wstatus)
{
    char *tail = explore_file_tail(s->err_path, EXPLORE_ERR_TAIL_LINES);
    fputs(tail, stderr);
    free(tail);
    if (ex->done == 0 && WIFEXITED(wstatus))
        cli_error("explore: %s did not run as a fork server (exit status %d): was it built with this "
                  "corace's runtime?",
                  ex->prog, WEXITSTATUS(wstatus));
    else if (WIFSIGNALED(wstatus))
        cli_error("explore: the fork server was killed by signal %d (%s) after %" PRIu64 " of %" PRIu64
                  " schedules",
                  WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)), ex->done, ex->count);
    else
        cli_error("explore: the fork server exited with status %d after %" PRIu64 " of %" PRIu64 " schedules",
                  WEXITSTATUS(wstatus), ex->done, ex->count);
}

/* Stops and reaps the server; the exploration's exit status. */
static int server_end(struct explore *ex, struct server *s, const struct reading *rd)
{
    if (!rd->eof)
        stop_server(s->pid);
    close(s->fd);
    int wstatus = 0;
    while (waitpid(s->pid, &wstatus, 0) < 0 && errno == EINTR)
        ;
    double seconds = explore_now() - ex->start;
    explore_progress_clear(ex);
    if (!ex->tty && ex->done != ex->last_log_done && rd->why == STOP_DONE && !rd->bad_line && !interrupted)
        explore_progress(ex, true);
    sigaction(SIGINT, &s->old_int, NULL);
    sigaction(SIGTERM, &s->old_term, NULL);
    sigaction(SIGHUP, &s->old_hup, NULL);
    if (interrupted) {
        remove_tree(ex->dir);
        proc_die_of_signal(interrupted);
    }
    int status;
    if (rd->bad_line) {
        cli_error("explore: %s: unexpected line from the fork server: '%s'", ex->prog, rd->bad_line);
        status = EXIT_CANNOT_RUN;
    } else if (rd->eof && ex->done < ex->count) {
        server_died(ex, s, wstatus);
        status = EXIT_CANNOT_RUN;
    } else {
        status = ex->any_fatal ? EXIT_FATAL : ex->any_finding ? EXIT_FINDINGS : EXIT_OK;
        explore_summary(ex, rd->why, seconds, status);
    }
    return status;
}

int explore_run(struct explore *ex)
{
    ex->dir = make_temp_dir("explore");
    if (!ex->dir)
        cli_die(EXIT_CANNOT_RUN, "explore: cannot create a temporary directory: %s", strerror(errno));
    struct server s = {0};
    struct reading rd = {STOP_DONE, false, NULL};
    server_start(ex, &s);
    read_lines(ex, &s, &rd);
    int status = server_end(ex, &s, &rd);
    remove_tree(ex->dir);
    free(rd.bad_line);
    free(s.err_path);
    free(s.spec);
    free(s.opts);
    env_free(s.env);
    env_free(s.env1);
    argv_free(&s.args);
    return status;
}
