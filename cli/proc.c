/* proc.c - posix_spawn with captured output and a time limit, or in the foreground. */
#include "proc.h"

#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The process group of the captured child, so that an interrupt of corace
   itself does not leave it running in the background. */
static volatile sig_atomic_t child_pgid;

static void on_interrupt(int sig)
{
    if (child_pgid > 0)
        kill(-(pid_t)child_pgid, SIGKILL);
    signal(sig, SIG_DFL);
    raise(sig);
}

static bool no_aslr;

void proc_set_no_aslr(bool on) { no_aslr = on; }

/* posix_spawn has no hook that runs in the child before exec, but the
   persona is inherited through fork and applied by execve: so it is set in
   corace itself around the spawn and put back after (corace has one thread).
   Returns the persona to restore, or -1 when nothing was changed.  A kernel
   or sandbox that refuses it leaves randomization on: the runs still work,
   only their addresses differ. */
static int aslr_off_begin(void)
{
    if (!no_aslr)
        return -1;
    int old = personality(0xffffffff);
    if (old < 0 || (old & ADDR_NO_RANDOMIZE))
        return -1;
    if (personality((unsigned long)old | ADDR_NO_RANDOMIZE) < 0)
        return -1;
    return old;
}

static void aslr_off_end(int old)
{
    if (old >= 0)
        personality((unsigned long)old);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char **env_with(const char *name, const char *value)
{
    size_t n = 0, len = strlen(name);
    while (environ[n])
        n++;
    char **env = xmalloc((n + 2) * sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(environ[i], name, len) == 0 && environ[i][len] == '=')
            continue;
        env[k++] = environ[i];
    }
    env[k++] = xasprintf("%s=%s", name, value);
    env[k] = NULL;
    return env;
}

void env_free(char **env)
{
    size_t n = 0;
    while (env[n])
        n++;
    if (n)
        free(env[n - 1]); /* the one string env_with made; the rest are environ's */
    free(env);
}

struct sink {
    int fd;
    char *buf;
    size_t len, cap, limit;
};

/* Read once: 1 when something was read, 0 at EOF or on error, -1 when
   there was nothing to read just now. */
static int drain(struct sink *s)
{
    char tmp[8192];
    ssize_t n = read(s->fd, tmp, sizeof tmp);
    if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
        return -1;
    if (n <= 0)
        return 0;
    size_t keep = (size_t)n;
    if (s->len + keep > s->limit)
        keep = s->limit - s->len; /* the rest is read and dropped */
    if (keep) {
        if (s->len + keep + 1 > s->cap) {
            while (s->len + keep + 1 > s->cap)
                s->cap = s->cap ? 2 * s->cap : 8192;
            s->buf = xrealloc(s->buf, s->cap);
        }
        memcpy(s->buf + s->len, tmp, keep);
        s->len += keep;
    }
    return 1;
}

/* After a kill: take what is still buffered in the pipe, without waiting. */
static void drain_rest(struct sink *s)
{
    int fl = fcntl(s->fd, F_GETFL);
    if (fl >= 0)
        fcntl(s->fd, F_SETFL, fl | O_NONBLOCK);
    while (drain(s) == 1)
        ;
}

static void finish_sink(struct sink *s, char **out, size_t *len)
{
    if (!s->buf)
        s->buf = xmalloc(1);
    s->buf[s->len] = '\0';
    *out = s->buf;
    *len = s->len;
}

static int spawn_attrs(posix_spawnattr_t *attr, bool own_group)
{
    sigset_t none, defaults;
    sigemptyset(&none);
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGQUIT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (own_group)
        flags |= POSIX_SPAWN_SETPGROUP;
    if (posix_spawnattr_init(attr) != 0)
        return -1;
    posix_spawnattr_setflags(attr, flags);
    posix_spawnattr_setsigmask(attr, &none);
    posix_spawnattr_setsigdefault(attr, &defaults);
    if (own_group)
        posix_spawnattr_setpgroup(attr, 0);
    return 0;
}

static void fill_status(struct proc_result *r, int status)
{
    if (WIFEXITED(status)) {
        r->end = PROC_EXITED;
        r->code = WEXITSTATUS(status);
    } else {
        r->end = PROC_SIGNALED;
        r->code = WTERMSIG(status);
    }
}

/* Reads the child's stdout and stderr into out and err until it has exited
   and both pipes are closed, killing its process group at the deadline.
   Its wait status in *status; true when the deadline killed it. */
static bool collect(pid_t pid, struct sink *out, struct sink *err, double deadline, int *status)
{
    bool out_open = true, err_open = true, exited = false, timed_out = false;
    for (;;) {
        if (!exited && waitpid(pid, status, WNOHANG) == pid)
            exited = true;
        if (exited && !out_open && !err_open)
            break;
        double left = deadline - now_s();
        if (left <= 0 && !timed_out) {
            /* Kill the whole group; then collect what is left. */
            kill(-pid, SIGKILL);
            timed_out = true;
        }
        if (timed_out && exited)
            break; /* a straggler in the group may still hold the pipes */
        struct pollfd pf[2];
        int np = 0;
        if (out_open)
            pf[np++] = (struct pollfd){.fd = out->fd, .events = POLLIN};
        if (err_open)
            pf[np++] = (struct pollfd){.fd = err->fd, .events = POLLIN};
        /* Poll in short slices while the child runs, so that its exit (with
           the pipes held open elsewhere) and the deadline are both seen. */
        int slice = timed_out ? 50 : (int)(left * 1000 < 20 ? left * 1000 + 1 : 20);
        if (np == 0) {
            struct timespec ts = {0, (long)slice * 1000000L};
            nanosleep(&ts, NULL);
            continue;
        }
        int pr = poll(pf, (nfds_t)np, slice);
        if (pr < 0 && errno != EINTR)
            break;
        for (int i = 0; i < np && pr > 0; i++) {
            if (!pf[i].revents)
                continue;
            struct sink *s = pf[i].fd == out->fd ? out : err;
            if (drain(s) == 0) {
                if (s == out)
                    out_open = false;
                else
                    err_open = false;
            }
        }
    }
    if (!exited) {
        kill(-pid, SIGKILL);
        waitpid(pid, status, 0);
    }
    if (out_open)
        drain_rest(out);
    if (err_open)
        drain_rest(err);
    return timed_out;
}

int proc_capture(char *const argv[], char *const envp[], double timeout_s, size_t cap,
                 struct proc_result *r)
{
    memset(r, 0, sizeof *r);
    int outp[2], errp[2];
    if (pipe2(outp, O_CLOEXEC) != 0)
        return -1;
    if (pipe2(errp, O_CLOEXEC) != 0) {
        close(outp[0]);
        close(outp[1]);
        return -1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
    posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
    spawn_attrs(&attr, true);

    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);

    double start = now_s();
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv, envp ? envp : environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    close(outp[1]);
    close(errp[1]);
    if (rc != 0) {
        close(outp[0]);
        close(errp[0]);
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
        r->end = PROC_SPAWN_FAILED;
        r->code = rc;
        finish_sink(&(struct sink){0}, &r->out, &r->out_len);
        finish_sink(&(struct sink){0}, &r->err, &r->err_len);
        return 0;
    }
    child_pgid = pid;

    struct sink out = {.fd = outp[0], .limit = cap}, err = {.fd = errp[0], .limit = cap};
    int status = 0;
    bool timed_out = collect(pid, &out, &err, start + timeout_s, &status);
    child_pgid = 0;
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    close(outp[0]);
    close(errp[0]);
    r->seconds = now_s() - start;
    fill_status(r, status);
    if (timed_out) {
        r->end = PROC_TIMEOUT;
        r->code = 0;
    }
    finish_sink(&out, &r->out, &r->out_len);
    finish_sink(&err, &r->err, &r->err_len);
    return 0;
}

void proc_result_free(struct proc_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

int proc_foreground(char *const argv[], struct proc_result *r)
{
    return proc_foreground_timeout(argv, 0, 0, r);
}

/* Sleep a little: the slice of a polling wait. */
static void nap(double max_s)
{
    double s = max_s < 0.01 ? max_s : 0.01;
    if (s <= 0)
        return;
    struct timespec ts = {0, (long)(s * 1e9)};
    nanosleep(&ts, NULL);
}

int proc_foreground_timeout(char *const argv[], double timeout_s, double grace_s,
                            struct proc_result *r)
{
    memset(r, 0, sizeof *r);
    posix_spawnattr_t attr;
    spawn_attrs(&attr, false);
    /* Like a shell: the child takes the terminal's interrupts, we wait. */
    struct sigaction ign, old_int, old_quit;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    double start = now_s();
    pid_t pid;
    int persona = aslr_off_begin();
    int rc = posix_spawnp(&pid, argv[0], NULL, &attr, argv, environ);
    aslr_off_end(persona);
    posix_spawnattr_destroy(&attr);
    int status = 0;
    if (rc == 0 && timeout_s <= 0) {
        while (waitpid(pid, &status, 0) < 0) {
            if (errno != EINTR) {
                rc = errno;
                break;
            }
        }
    } else if (rc == 0) {
        /* Poll: at the deadline SIGQUIT (the runtime dumps its goroutines
           and exits 2), after the grace period SIGKILL. */
        double deadline = start + timeout_s;
        for (;;) {
            pid_t w = waitpid(pid, &status, WNOHANG);
            if (w == pid)
                break;
            if (w < 0 && errno != EINTR) {
                rc = errno;
                break;
            }
            double t = now_s();
            if (t >= deadline) {
                if (!r->timed_out) {
                    kill(pid, SIGQUIT);
                    r->timed_out = true;
                    deadline = t + grace_s;
                } else if (!r->killed) {
                    kill(pid, SIGKILL);
                    r->killed = true;
                    deadline = t + 3600;
                }
                continue;
            }
            nap(deadline - t);
        }
    }
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    r->seconds = now_s() - start;
    if (rc != 0) {
        r->end = PROC_SPAWN_FAILED;
        r->code = rc;
        return 0;
    }
    fill_status(r, status);
    return 0;
}

int proc_spawn_server(char *const argv[], char *const envp[], int pass_fd, int child_fd,
                      const char *err_path)
{
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, err_path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    /* dup2 onto another number clears close-on-exec; pass_fd itself is
       close-on-exec and so disappears at exec. */
    posix_spawn_file_actions_adddup2(&fa, pass_fd, child_fd);
    spawn_attrs(&attr, true);
    pid_t pid;
    int persona = aslr_off_begin();
    int rc = posix_spawn(&pid, argv[0], &fa, &attr, argv, envp);
    aslr_off_end(persona);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    return pid;
}

void proc_die_of_signal(int sig)
{
    fflush(stdout);
    fflush(stderr);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);
}
