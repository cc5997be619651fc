/* cmd_run.c - `corace run [FLAGS] prog.c [more.c ...] [-- ARGS]` and
   `corace run [FLAGS] ./prog [ARGS]`: run a program under the checker. */
#include "cache.h"
#include "cmd.h"
#include "duration.h"
#include "elfsym.h"
#include "exitcodes.h"
#include "flags.h"
#include "paths.h"
#include "records.h"
#include "proc.h"
#include "run_build.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

/* The symbol every object compiled with -fsanitize=thread references and
   only the checker runtime defines. */
#define CHECKED_MARK "__tsan_init"

/* How long a program gets to die of SIGQUIT before SIGKILL. */
#define QUIT_GRACE_S 2.0

void print_run_usage(FILE *f)
{
    fputs("usage: corace run [flags] prog.c [more.c ...] [-- args]\n"
          "       corace run [flags] ./prog [args]\n"
          "\n"
          "Compile the sources for checking (as 'corace cc' does, into the cache) and run\n"
          "them, or run a program built with 'corace cc'.  Exits with the program's status\n"
          "(66 when it reported findings), 2 on a timeout or crash, 1 on a usage error,\n"
          "125 when the program could not be built or started.\n"
          "\n"
          "Flags (each sets a CORACE_OPTIONS key for the program, after any already there):\n"
          "  --seed N                 CO_SEED=N: the scheduler's seed (same seed, same run)\n"
          "  --strategy entry|random|pct\n"
          "                           strategy=: where goroutines are preempted (default entry;\n"
          "                           docs/explore.md)\n"
          "  --depth D                pct_depth=D: PCT's bug depth (with --strategy pct)\n"
          "  --steps K                pct_steps=K: PCT's estimate of the run's steps\n"
          "  --record FILE            record=FILE: write the schedule's decisions to FILE at exit\n"
          "  --replay FILE            replay=FILE (made absolute): follow FILE's decisions\n"
          "  --exitcode N             exitcode=N: status when races were reported (default 66)\n"
          "  --halt-on-error          halt_on_error=1: exit after the first report\n"
          "  --format text|json|dot   format=: Go's report text, JSON Lines, or the deadlock\n"
          "                           cycles as Graphviz graphs (other findings as text on stderr)\n"
          "  --format sarif|junit     with -o FILE: every finding of the run as SARIF 2.1.0 or\n"
          "                           JUnit XML, written to FILE itself when the program ends\n"
          "  -o, --out FILE           log_path=FILE: reports go to FILE.pid\n"
          "  --strip-path-prefix P    strip_path_prefix=P: shorten file paths in reports\n"
          "  --suppressions FILE      suppressions=FILE (made absolute): findings not to report\n"
          "  --timeout DURATION       after DURATION (300ms, 1.5s, 2m, 1h30m) send SIGQUIT: the\n"
          "                           program prints its goroutines and exits; exit 2\n"
          "  -v                       verbosity=1: options at start-up, counts and\n"
          "                           suppressions that matched nothing at exit\n"
          "  -q                       verbosity=0, and no notes of corace's own\n"
          "  --no-color               NO_COLOR=1 for the program: no coloured report headers\n"
          "  -h, --help               this help\n",
          f);
}

#define usage_error(...) flags_usage_error("run", __VA_ARGS__)

/* Appended to CORACE_OPTIONS: the program sees the flags after (so over)
   what the environment already says. */
static char *options;

static void add_option(const char *key, const char *value, bool quote)
{
    char *item;
    if (quote) {
        if (strchr(value, '"') && strchr(value, '\''))
            usage_error("a value cannot hold both quote characters: %s", value);
        char q = strchr(value, '"') ? '\'' : '"';
        item = xasprintf("%s=%c%s%c", key, q, value, q);
    } else {
        item = xasprintf("%s=%s", key, value);
    }
    char *next = xasprintf("%s%s%s", options ? options : "", options ? " " : "", item);
    free(item);
    free(options);
    options = next;
}

static bool is_number(const char *s)
{
    return s[0] && strspn(s, "0123456789") == strlen(s);
}

/* Like the shell: "corace: prog.c: No such file or directory", exit 125. */
void run_must_exist(const char *path, bool regular)
{
    struct stat st;
    if (stat(path, &st) != 0)
        cli_die(EXIT_CANNOT_RUN, "%s: %s", path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        cli_die(EXIT_CANNOT_RUN, "%s: %s", path, strerror(EISDIR));
    if (regular && !S_ISREG(st.st_mode))
        cli_die(EXIT_CANNOT_RUN, "%s: not a regular file", path);
}

void run_check_binary(const char *path)
{
    run_must_exist(path, true);
    switch (elf_defines_symbol(path, CHECKED_MARK)) {
    case ELFSYM_DEFINED:
        return;
    case ELFSYM_ERROR:
        cli_die(EXIT_CANNOT_RUN, "%s: %s", path, strerror(errno));
    case ELFSYM_NO_SYMTAB:
        cli_die(EXIT_CANNOT_RUN,
                "%s has no symbol table (stripped?), so it cannot be told built for checking "
                "(build it with 'corace cc' and do not strip it)",
                path);
    case ELFSYM_ABSENT:
    case ELFSYM_NOT_ELF:
        break;
    }
    cli_die(EXIT_CANNOT_RUN,
            "%s was not built for checking (build it with 'corace cc' or run its sources "
            "with 'corace run prog.c')",
            path);
}

/* The records every process of the run wrote (records.PID, one file per
   process), rendered as one run named name; the directory is removed. */
static bool write_structured(const char *dir, const char *format, const char *out, const char *name)
{
    DIR *d = opendir(dir);
    if (!d) {
        cli_error("run: %s: %s", dir, strerror(errno));
        return false;
    }
    record_set set = {0};
    bool ok = true;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "records.", 8) != 0) continue;
        char *path = xasprintf("%s/%s", dir, e->d_name);
        record_set one;
        struct stat st;
        /* A process with nothing to report may leave an empty log. */
        bool empty = stat(path, &st) == 0 && st.st_size == 0;
        if (empty || has_suffix(e->d_name, ".dot")) {
            /* nothing to read */
        } else if (records_load(path, &one)) {
            records_take(&set, &one);
        } else {
            ok = false;   /* records_load said why */
        }
        unlink(path);
        free(path);
    }
    closedir(d);
    rmdir(dir);
    char *names[1] = {(char *)name};
    if (ok) report_write(out, format, "", &set, names, 1);
    records_free(&set);
    return ok;
}

static const enum flag run_flags[] = {
    FLAG_HELP, FLAG_QUIET, FLAG_VERBOSE, FLAG_NO_COLOR, FLAG_TIMEOUT, FLAG_SUPPRESSIONS, FLAG_HALT_ON_ERROR,
    FLAG_SEED, FLAG_STRATEGY, FLAG_DEPTH, FLAG_STEPS, FLAG_RECORD, FLAG_REPLAY, FLAG_EXITCODE,
    FLAG_FORMAT, FLAG_OUT, FLAG_STRIP_PATH_PREFIX,
};

/* What the flags say beyond the CORACE_OPTIONS keys they add. */
struct run_opts {
    const char *seed, *timeout;
    const char *strategy, *pct_flag;   /* --depth/--steps need --strategy pct */
    const char *structured, *out;      /* --format sarif|junit, and -o */
    double timeout_s;
    bool quiet, no_color;
};

/* A file's absolute path for the option key of flag (a missing one is the
   caller's mistake, found before anything is built). */
static void add_abs_file(const char *key, const char *flag, const char *v, bool dir_ok)
{
    char abs[PATH_MAX];
    if (!v[0])
        usage_error("%s: an empty file name", flag);
    const char *why = !realpath(v, abs) ? strerror(errno) : !dir_ok && is_directory(abs) ? strerror(EISDIR) : NULL;
    if (why)
        usage_error("%s %s: %s", flag, v, why);
    add_option(key, abs, true);
}

static void take_format(struct run_opts *o, const char *v)
{
    if (!strcmp(v, "sarif") || !strcmp(v, "junit")) {
        /* The program writes JSON records; they are rendered after it ends. */
        o->structured = v;
        add_option("format", "json", false);
    } else if (!strcmp(v, "text") || !strcmp(v, "json") || !strcmp(v, "dot")) {
        o->structured = NULL;
        add_option("format", v, false);
    } else {
        usage_error("--format wants text, json, dot, sarif or junit, not '%s'", v);
    }
}

/* One flag: into o, or a CORACE_OPTIONS key for the program. */
static void take_flag(struct run_opts *o, const struct flags *fl, int c, const char *v)
{
    switch (c) {
    case FLAG_HELP:
        print_run_usage(stdout);
        exit(EXIT_OK);
    case FLAG_QUIET:
    case FLAG_VERBOSE:
        o->quiet = c == FLAG_QUIET;
        add_option("verbosity", o->quiet ? "0" : "1", false);
        break;
    case FLAG_NO_COLOR: o->no_color = true; break;
    case FLAG_TIMEOUT:
        if (!duration_parse(v, &o->timeout_s) || o->timeout_s <= 0)
            usage_error("--timeout wants a positive duration such as 300ms, 1.5s, 2m or 1h30m, not '%s'", v);
        o->timeout = v;
        break;
    case FLAG_SUPPRESSIONS: add_abs_file("suppressions", "--suppressions", v, true); break;
    case FLAG_HALT_ON_ERROR: add_option("halt_on_error", "1", false); break;
    case FLAG_SEED:
        if (!is_number(v))
            usage_error("--seed wants a non-negative integer, not '%s'", v);
        o->seed = v;
        break;
    case FLAG_STRATEGY:
        if (strcmp(v, "entry") && strcmp(v, "random") && strcmp(v, "pct"))
            usage_error("--strategy wants entry, random or pct, not '%s'", v);
        o->strategy = v;
        add_option("strategy", v, false);
        break;
    case FLAG_DEPTH:
        flags_depth("run", v);
        o->pct_flag = "--depth";
        add_option("pct_depth", v, false);
        break;
    case FLAG_STEPS:
        /* 0 is the option's own default: the engine's estimate. */
        if (!is_number(v) || strlen(v) > 18)
            usage_error("--steps wants a non-negative integer, not '%s'", v);
        o->pct_flag = "--steps";
        add_option("pct_steps", v, false);
        break;
    case FLAG_RECORD: add_option("record", flags_file("run", FLAG_RECORD, v), true); break;
    case FLAG_REPLAY: add_abs_file("replay", "--replay", v, false); break;
    case FLAG_EXITCODE:
        if (!is_number(v) || strlen(v) > 3 || atoi(v) > 255)
            usage_error("--exitcode wants an integer from 0 to 255, not '%s'", v);
        add_option("exitcode", v, false);
        break;
    case FLAG_FORMAT: take_format(o, v); break;
    case FLAG_OUT: o->out = flags_file("run", FLAG_OUT, v); break;
    case FLAG_STRIP_PATH_PREFIX: add_option("strip_path_prefix", v, true); break;
    default: usage_error("%s", fl->err);
    }
}

/* The flags into o; the index of the program. */
static int parse_flags(struct run_opts *o, int argc, char **argv)
{
    struct flags fl;
    flags_init(&fl, "run", argc, argv, run_flags, sizeof run_flags / sizeof *run_flags, FLAGS_FIRST);
    const char *v;
    for (int c; (c = flags_next(&fl, &v)) != FLAG_END;)
        take_flag(o, &fl, c, v);
    int i = flags_operands(&fl);
    if (i >= argc)
        usage_error("missing program: %s", "a .c file or a program built with 'corace cc'");
    if (o->pct_flag && (!o->strategy || strcmp(o->strategy, "pct") != 0))
        usage_error("%s applies to --strategy pct only", o->pct_flag);
    if (o->structured && !o->out)
        usage_error("--format %s needs -o FILE (the program's own output goes to stdout)", o->structured);
    return i;
}

/* sarif and junit: the records go to a directory of ours (returned), the
   rendering to -o FILE itself; text, json and dot: to FILE.pid. */
static char *log_to(const struct run_opts *o)
{
    if (!o->structured) {
        if (o->out)
            add_option("log_path", o->out, true);
        return NULL;
    }
    char *dir = make_temp_dir("records");
    if (!dir)
        cli_die(EXIT_CANNOT_RUN, "cannot create a temporary directory: %s", strerror(errno));
    char *log = xasprintf("%s/records", dir);
    add_option("log_path", log, true);
    free(log);
    return dir;
}

/* The environment the flags ask for. */
static void set_env(const struct run_opts *o)
{
    if (o->seed)
        setenv("CO_SEED", o->seed, 1);
    if (o->no_color)
        setenv("NO_COLOR", "1", 1);
    if (options) {
        const char *old = getenv("CORACE_OPTIONS");
        char *all = old && old[0] ? xasprintf("%s %s", old, options) : xstrdup(options);
        setenv("CORACE_OPTIONS", all, 1);
        free(all);
    }
}

/* The status of a run that timed out or died of a signal; -1 otherwise. */
static int abnormal_end(const struct run_opts *o, const struct proc_result *r)
{
    if (r->timed_out) {
        /* Whatever the program printed (reports, its goroutine dump) stays;
           the status says it did not finish. */
        if (r->killed && !o->quiet)
            cli_error("run: the program did not exit within %.0f s of SIGQUIT; killed it (SIGKILL)",
                      QUIT_GRACE_S);
        cli_error("run: timed out after %s", o->timeout);
        return EXIT_FATAL;
    }
    if (r->end == PROC_SIGNALED) {
        /* An interrupt is passed on, so that a shell loop stops; any other
           signal is a crash: status 2, as the runtime's own fatal errors. */
        if (r->code == SIGINT || r->code == SIGTERM || r->code == SIGHUP || r->code == SIGPIPE) {
            cache_cleanup();
            proc_die_of_signal(r->code);
        }
        cli_error("run: the program was killed by signal %d (%s)", r->code, strsignal(r->code));
        return EXIT_FATAL;
    }
    return -1;
}

int cmd_run(int argc, char **argv)
{
    struct run_opts o = {0};
    int i = parse_flags(&o, argc, argv);
    char *records_dir = log_to(&o);

    int nsrc = 0;
    while (i + nsrc < argc && has_suffix(argv[i + nsrc], ".c"))
        nsrc++;
    char **sources = argv + i;
    char *bin = NULL;
    struct cache cache = {0};
    bool have_cache = false;
    if (nsrc > 0) {
        for (int k = 0; k < nsrc; k++)
            run_must_exist(sources[k], true);
        i += nsrc;
    } else {
        run_check_binary(argv[i]);
        bin = strchr(argv[i], '/') ? xstrdup(argv[i]) : xasprintf("./%s", argv[i]);
        i++;
    }
    if (i < argc && strcmp(argv[i], "--") == 0)
        i++; /* the program's arguments may be set off by "--" */

    struct corace_paths paths;
    paths_resolve(&paths);
    if (nsrc > 0) {
        if (cache_open(&cache) != 0)
            cli_die(EXIT_CANNOT_RUN, "cannot create a cache or temporary directory: %s",
                    strerror(errno));
        have_cache = true;
        int st = run_build(&paths, &cache, sources, nsrc, &bin);
        if (st != 0) {
            cli_error("building %s%s failed; not run", sources[0], nsrc > 1 ? " ..." : "");
            return EXIT_CANNOT_RUN;
        }
    }
    paths_free(&paths);
    set_env(&o);

    struct argv_buf args = {0};
    argv_push(&args, bin);
    for (; i < argc; i++)
        argv_push(&args, argv[i]);
    fflush(stdout);
    fflush(stderr);
    /* The same seed must give the same output, addresses included. */
    proc_set_no_aslr(true);
    struct proc_result r;
    if (proc_foreground_timeout(args.v, o.timeout_s, QUIT_GRACE_S, &r) != 0)
        cli_die(EXIT_CANNOT_RUN, "cannot run %s: %s", bin, strerror(errno));
    if (r.end == PROC_SPAWN_FAILED)
        cli_die(EXIT_CANNOT_RUN, "cannot start %s: %s", bin, strerror(r.code));
    if (records_dir && !write_structured(records_dir, o.structured, o.out, nsrc > 0 ? sources[0] : bin))
        return EXIT_CANNOT_RUN;
    argv_free(&args);
    free(bin);
    if (have_cache)
        cache_close(&cache);
    int status = abnormal_end(&o, &r);
    if (status >= 0) {
        cache_cleanup();
        return status;
    }
    return r.code;
}
