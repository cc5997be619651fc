/* proc.h - start programs (posix_spawn, no shell): captured with a time limit, or in the foreground. */
#ifndef CORACE_CLI_PROC_H
#define CORACE_CLI_PROC_H

#include <stdbool.h>
#include <stddef.h>

enum proc_end {
    PROC_EXITED,      /* code = exit status */
    PROC_SIGNALED,    /* code = signal number */
    PROC_TIMEOUT,     /* killed by us after the time limit */
    PROC_SPAWN_FAILED /* code = errno from posix_spawn (ENOENT: no such program) */
};

struct proc_result {
    enum proc_end end;
    int code;
    double seconds;
    char *out, *err; /* captured stdout and stderr, NUL-terminated (at most cap bytes kept) */
    size_t out_len, err_len;
    bool timed_out; /* proc_foreground_timeout: the time limit passed, SIGQUIT was sent */
    bool killed;    /* ... and the program was still there after the grace period: SIGKILL */
};

/* Run argv[0] (searched in PATH when it has no '/') with envp (NULL: ours),
   stdin from /dev/null, stdout and stderr captured, in its own process
   group, killed (the whole group) after timeout_s seconds.  Returns 0, or
   -1 when something on our side failed (errno set); a program that cannot be
   started is PROC_SPAWN_FAILED, not -1. */
int proc_capture(char *const argv[], char *const envp[], double timeout_s, size_t cap,
                 struct proc_result *r);
void proc_result_free(struct proc_result *r);

/* Run argv in the foreground, sharing our stdin/stdout/stderr, and wait.
   Returns 0 and fills *r (out/err left NULL), or -1 with errno. */
int proc_foreground(char *const argv[], struct proc_result *r);

/* proc_foreground with a time limit (timeout_s > 0; 0: none): when it
   passes, the program gets SIGQUIT (r->timed_out), and SIGKILL if it is
   still running grace_s seconds later (r->killed).  r->end and r->code say
   how it ended all the same. */
int proc_foreground_timeout(char *const argv[], double timeout_s, double grace_s,
                            struct proc_result *r);

/* Die of signal sig as the program we ran did, so that our parent sees
   what it did, but leave no core file of corace itself.  Falls back to
   exit(128 + sig) for a signal that does not kill. */
_Noreturn void proc_die_of_signal(int sig);

/* Start the programs of proc_foreground* and proc_spawn_server with
   address-space randomization off (personality ADDR_NO_RANDOMIZE), so that
   the same seed gives the same addresses in reports, hence byte-identical
   output.  corace run and corace explore turn it on; the samples and the
   compiler keep the system's default. */
void proc_set_no_aslr(bool on);

/* Start argv (a path, not searched in PATH) with envp in its own process
   group: stdin and stdout /dev/null, stderr appended to err_path, and
   pass_fd as file descriptor child_fd (the rest of our descriptors are
   close-on-exec).  Returns the pid, or -1 with errno (also when the program
   cannot be started). */
int proc_spawn_server(char *const argv[], char *const envp[], int pass_fd, int child_fd,
                      const char *err_path);

/* A copy of our environment with NAME=VALUE set (replacing any NAME=). */
char **env_with(const char *name, const char *value);
void env_free(char **env);

#endif
