/* cmd_run.c - `corace run [FLAGS] prog.c [more.c ...] [-- ARGS]` and
   `corace run [FLAGS] ./prog [ARGS]`: run a program under the checker. */
#include "cache.h"
#include "cmd.h"
#include "duration.h"
#include "elfsym.h"
#include "exitcodes.h"
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

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fflush(stdout);
    fputs("corace: run: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see 'corace run --help')\n", stderr);
    exit(EXIT_BAD_FLAGS);
}

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

/* --name VALUE or --name=VALUE: the value, advancing *i; NULL when a is not --name. */
static const char *flag_value(int argc, char **argv, int *i, const char *name, const char *alias)
{
    const char *a = argv[*i];
    const char *names[] = {name, alias};
    for (int k = 0; k < 2; k++) {
        if (!names[k])
            continue;
        size_t n = strlen(names[k]);
        if (strncmp(a, names[k], n) != 0)
            continue;
        if (a[n] == '=' && names[k][1] == '-')
            return a + n + 1;
        if (a[n] == '\0') {
            if (*i + 1 >= argc)
                usage_error("flag %s needs a value", names[k]);
            return argv[++*i];
        }
    }
    return NULL;
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

int cmd_run(int argc, char **argv)
{
    int i = 1;
    const char *seed = NULL, *timeout = NULL;
    const char *strategy = NULL, *pct_flag = NULL;   /* --depth/--steps need --strategy pct */
    const char *structured = NULL, *out = NULL;   /* --format sarif|junit, and -o */
    double timeout_s = 0;
    bool quiet = false, no_color = false;
    for (; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "--") == 0) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_run_usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "-q")) {
            quiet = true;
            add_option("verbosity", "0", false);
        } else if (!strcmp(a, "-v")) {
            quiet = false;
            add_option("verbosity", "1", false);
        } else if (!strcmp(a, "--no-color")) {
            no_color = true;
        } else if ((v = flag_value(argc, argv, &i, "--timeout", NULL))) {
            if (!duration_parse(v, &timeout_s) || timeout_s <= 0)
                usage_error("--timeout wants a positive duration such as 300ms, 1.5s, 2m or 1h30m, "
                            "not '%s'", v);
            timeout = v;
        } else if ((v = flag_value(argc, argv, &i, "--suppressions", NULL))) {
            char abs[PATH_MAX];
            if (!v[0])
                usage_error("%s: an empty file name", "--suppressions");
            if (!realpath(v, abs)) {
                char *msg = xasprintf("--suppressions %s: %s", v, strerror(errno));
                usage_error("%s", msg);
            }
            add_option("suppressions", abs, true);
        } else if (!strcmp(a, "--halt-on-error")) {
            add_option("halt_on_error", "1", false);
        } else if ((v = flag_value(argc, argv, &i, "--seed", NULL))) {
            if (!is_number(v))
                usage_error("--seed wants a non-negative integer, not '%s'", v);
            seed = v;
        } else if ((v = flag_value(argc, argv, &i, "--strategy", NULL))) {
            if (strcmp(v, "entry") && strcmp(v, "random") && strcmp(v, "pct"))
                usage_error("--strategy wants entry, random or pct, not '%s'", v);
            strategy = v;
            add_option("strategy", v, false);
        } else if ((v = flag_value(argc, argv, &i, "--depth", NULL))) {
            if (!is_number(v) || strlen(v) > 2 || atoi(v) < 1 || atoi(v) > 64)
                usage_error("--depth wants an integer from 1 to 64, not '%s'", v);
            pct_flag = "--depth";
            add_option("pct_depth", v, false);
        } else if ((v = flag_value(argc, argv, &i, "--steps", NULL))) {
            /* 0 is the option's own default: the engine's estimate. */
            if (!is_number(v) || strlen(v) > 18)
                usage_error("--steps wants a non-negative integer, not '%s'", v);
            pct_flag = "--steps";
            add_option("pct_steps", v, false);
        } else if ((v = flag_value(argc, argv, &i, "--record", NULL))) {
            if (!v[0])
                usage_error("%s: an empty file name", "--record");
            add_option("record", v, true);
        } else if ((v = flag_value(argc, argv, &i, "--replay", NULL))) {
            char abs[PATH_MAX];
            if (!v[0])
                usage_error("%s: an empty file name", "--replay");
            /* A trace that is not there is the caller's mistake, found
               before anything is built. */
            const char *why = !realpath(v, abs) ? strerror(errno)
                              : is_directory(abs)   ? strerror(EISDIR)
                                                    : NULL;
            if (why) {
                char *msg = xasprintf("--replay %s: %s", v, why);
                usage_error("%s", msg);
            }
            add_option("replay", abs, true);
        } else if ((v = flag_value(argc, argv, &i, "--exitcode", NULL))) {
            if (!is_number(v) || strlen(v) > 3 || atoi(v) > 255)
                usage_error("--exitcode wants an integer from 0 to 255, not '%s'", v);
            add_option("exitcode", v, false);
        } else if ((v = flag_value(argc, argv, &i, "--format", NULL))) {
            if (!strcmp(v, "sarif") || !strcmp(v, "junit")) {
                /* The program writes JSON records; they are rendered after it ends. */
                structured = v;
                add_option("format", "json", false);
            } else if (!strcmp(v, "text") || !strcmp(v, "json") || !strcmp(v, "dot")) {
                structured = NULL;
                add_option("format", v, false);
            } else {
                usage_error("--format wants text, json, dot, sarif or junit, not '%s'", v);
            }
        } else if ((v = flag_value(argc, argv, &i, "--out", "-o"))) {
            if (!v[0])
                usage_error("%s: an empty file name", "--out");
            out = v;
        } else if ((v = flag_value(argc, argv, &i, "--strip-path-prefix", NULL))) {
            add_option("strip_path_prefix", v, true);
        } else {
            usage_error("unknown flag '%s'", a);
        }
    }
    if (i >= argc)
        usage_error("missing program: %s", "a .c file or a program built with 'corace cc'");
    if (pct_flag && (!strategy || strcmp(strategy, "pct") != 0))
        usage_error("%s applies to --strategy pct only", pct_flag);
    /* sarif and junit: the records go to a directory of ours, the rendering
       to -o FILE itself (or stdout); text, json and dot: to FILE.pid. */
    char *records_dir = NULL;
    if (structured && !out)
        usage_error("--format %s needs -o FILE (the program's own output goes to stdout)", structured);
    if (structured) {
        records_dir = make_temp_dir("records");
        if (!records_dir)
            cli_die(EXIT_CANNOT_RUN, "cannot create a temporary directory: %s", strerror(errno));
        char *log = xasprintf("%s/records", records_dir);
        add_option("log_path", log, true);
        free(log);
    } else if (out) {
        add_option("log_path", out, true);
    }

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

    if (seed)
        setenv("CO_SEED", seed, 1);
    if (no_color)
        setenv("NO_COLOR", "1", 1);
    if (options) {
        const char *old = getenv("CORACE_OPTIONS");
        char *all = old && old[0] ? xasprintf("%s %s", old, options) : xstrdup(options);
        setenv("CORACE_OPTIONS", all, 1);
        free(all);
    }

    struct argv_buf args = {0};
    argv_push(&args, bin);
    for (; i < argc; i++)
        argv_push(&args, argv[i]);
    fflush(stdout);
    fflush(stderr);
    /* The same seed must give the same output, addresses included. */
    proc_set_no_aslr(true);
    struct proc_result r;
    if (proc_foreground_timeout(args.v, timeout_s, QUIT_GRACE_S, &r) != 0)
        cli_die(EXIT_CANNOT_RUN, "cannot run %s: %s", bin, strerror(errno));
    if (r.end == PROC_SPAWN_FAILED)
        cli_die(EXIT_CANNOT_RUN, "cannot start %s: %s", bin, strerror(r.code));
    if (records_dir && !write_structured(records_dir, structured, out, nsrc > 0 ? sources[0] : bin))
        return EXIT_CANNOT_RUN;
    argv_free(&args);
    free(bin);
    if (have_cache)
        cache_close(&cache);
    if (r.timed_out) {
        /* Whatever the program printed (reports, its goroutine dump) stays;
           the status says it did not finish. */
        if (r.killed && !quiet)
            cli_error("run: the program did not exit within %.0f s of SIGQUIT; killed it (SIGKILL)",
                      QUIT_GRACE_S);
        cli_error("run: timed out after %s", timeout);
        cache_cleanup();
        return EXIT_FATAL;
    }
    if (r.end == PROC_SIGNALED) {
        cache_cleanup();
        /* An interrupt is passed on, so that a shell loop stops; any other
           signal is a crash: status 2, as the runtime's own fatal errors. */
        if (r.code == SIGINT || r.code == SIGTERM || r.code == SIGHUP || r.code == SIGPIPE)
            proc_die_of_signal(r.code);
        cli_error("run: the program was killed by signal %d (%s)", r.code, strsignal(r.code));
        return EXIT_FATAL;
    }
    return r.code;
}
