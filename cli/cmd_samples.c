/* cmd_samples.c - `corace samples [list | show NAME | run NAME [-- ARGS] | check]`. */
#include "build.h"
#include "cache.h"
#include "cmd.h"
#include "exitcodes.h"
#include "outcome.h"
#include "paths.h"
#include "proc.h"
#include "samples.h"
#include "table.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define RUN_TIMEOUT_S 20.0
#define RUN_CAPTURE (1024 * 1024)
#define ERR_HEAD_LINES 12

void print_samples_usage(void)
{
    fputs("usage: corace samples                 compile and run every sample, print a table\n"
          "       corace samples list            name, expected kinds and bug of each sample\n"
          "       corace samples show NAME       its source; for a bug, the diff to its twin\n"
          "       corace samples run NAME [-- ARGS...]\n"
          "                                      compile and run one sample in the foreground\n"
          "       corace samples check           like 'samples', quiet unless a MISMATCH\n",
          stdout);
}

static void load(struct corace_paths *paths, struct catalogue *cat)
{
    paths_resolve(paths);
    if (catalogue_load(cat, paths->samples_dir) != 0)
        cli_die(EXIT_FAIL, "cannot read the samples directory %s: %s%s", paths->samples_dir,
                strerror(errno), getenv("CORACE_SAMPLES_DIR") ? "" : " (set CORACE_SAMPLES_DIR)");
    if (cat->n == 0)
        cli_die(EXIT_FAIL, "no samples (*.c) in %s", paths->samples_dir);
}

static void unload(struct corace_paths *paths, struct catalogue *cat)
{
    catalogue_free(cat);
    paths_free(paths);
}

static void open_cache(struct cache *cache)
{
    if (cache_open(cache) != 0)
        cli_die(EXIT_FAIL, "cannot create a cache or temporary directory: %s", strerror(errno));
}

static const struct sample *find_or_die(const struct catalogue *cat, const char *name)
{
    const struct sample *s = catalogue_find(cat, name);
    if (!s)
        cli_die(EXIT_USAGE, "no sample named '%s' (see 'corace samples list')", name);
    return s;
}

/* Print the compiler's output (if any), then the one-line reason. */
static void report_build_failure(const char *msg, const char *diag)
{
    fflush(stdout);
    if (diag && diag[0]) {
        fputs(diag, stderr);
        if (diag[strlen(diag) - 1] != '\n')
            fputc('\n', stderr);
    }
    cli_error("%s", msg);
}

/* The first lines of text, indented, on stderr. */
static void print_head(const char *text, int lines)
{
    const char *p = text;
    for (int i = 0; i < lines && *p; i++) {
        size_t n = strcspn(p, "\n");
        fprintf(stderr, "    %.*s\n", (int)n, p);
        p += n + (p[n] == '\n');
    }
    if (*p)
        fputs("    ...\n", stderr);
}

/* ---- samples / samples check ------------------------------------------------ */

/* Builds and runs sample s (with CO_SEED=1 in env) into its row; the
   stderr it printed in *err_head.  Exits when no sample can be built. */
static void run_sample(const struct corace_paths *paths, const struct cache *cache, const struct sample *s,
                       char **env, bool quiet, struct row *r, char **err_head)
{
    char *bin, *msg, *diag;
    enum build_status bs = build_sample(paths, cache, s, &bin, &msg, &diag);
    if (bs == BUILD_NO_COMPILER || bs == BUILD_NO_RUNTIME) {
        if (!quiet)
            fputc('\n', stderr);
        cli_die(EXIT_FAIL, "%s", msg); /* every other sample would fail the same way */
    }
    if (bs == BUILD_FAILED) {
        if (!quiet)
            fputs(" compile error\n", stderr);
        report_build_failure(msg, diag);
        r->outcome.found = FOUND_BUILD_FAILED;
        free(msg);
        free(diag);
    } else {
        char *argv[] = {bin, NULL};
        struct proc_result pr;
        if (proc_capture(argv, env, RUN_TIMEOUT_S, RUN_CAPTURE, &pr) != 0)
            cli_die(EXIT_FAIL, "cannot run %s: %s", bin, strerror(errno));
        if (pr.end == PROC_SPAWN_FAILED)
            cli_die(EXIT_FAIL, "cannot start %s: %s", bin, strerror(pr.code));
        outcome_classify(&pr, &r->outcome);
        r->outcome.checked = paths->race_library && is_regular_file(paths->race_library);
        *err_head = pr.err;
        pr.err = NULL;
        proc_result_free(&pr);
        free(bin);
    }
    r->verdict = outcome_verdict(s->expect, &r->outcome);
    outcome_format(&r->outcome, r->found, sizeof r->found);
    if (!quiet && bs != BUILD_FAILED)
        fprintf(stderr, " %s%s\n", r->found, bs == BUILD_CACHED ? " (cached)" : "");
}

/* Says what each sample that did not behave as expected did; how many. */
static size_t report_mismatches(const struct row *rows, char *const *err_heads, size_t n, bool quiet)
{
    size_t mismatches = 0;
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &rows[i];
        if (r->verdict != VERDICT_MISMATCH)
            continue;
        mismatches++;
        if (r->sample->problem) {
            cli_error("%s.c: %s", r->sample->name, r->sample->problem);
            continue;
        }
        cli_error("%s: MISMATCH: expected %s, found %s%s", r->sample->name, r->sample->expect_csv,
                  r->found, err_heads[i] && err_heads[i][0] ? "; its stderr:" : "");
        if (err_heads[i])
            print_head(err_heads[i], ERR_HEAD_LINES);
    }
    if (mismatches && quiet)
        cli_error("%zu of %zu samples did not behave as expected", mismatches, n);
    return mismatches;
}

static int run_all(bool quiet)
{
    struct corace_paths paths;
    struct catalogue cat;
    struct cache cache;
    load(&paths, &cat);
    open_cache(&cache);

    struct row *rows = xmalloc(cat.n * sizeof *rows);
    char **err_heads = xmalloc(cat.n * sizeof *err_heads);
    char **env = env_with("CO_SEED", "1");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t i = 0; i < cat.n; i++) {
        memset(&rows[i], 0, sizeof rows[i]);
        rows[i].sample = &cat.v[i];
        err_heads[i] = NULL;
        if (!quiet) {
            fprintf(stderr, "[%zu/%zu] %s ...", i + 1, cat.n, cat.v[i].name);
            fflush(stderr);
        }
        run_sample(&paths, &cache, &cat.v[i], env, quiet, &rows[i], &err_heads[i]);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (!quiet)
        table_print(stdout, rows, cat.n, seconds);
    fflush(stdout);
    size_t mismatches = report_mismatches(rows, err_heads, cat.n, quiet);
    for (size_t i = 0; i < cat.n; i++)
        free(err_heads[i]);
    free(err_heads);
    free(rows);
    env_free(env);
    cache_close(&cache);
    unload(&paths, &cat);
    return mismatches ? EXIT_FAIL : EXIT_OK;
}

/* ---- samples list ---------------------------------------------------------------- */

static int list(void)
{
    struct corace_paths paths;
    struct catalogue cat;
    load(&paths, &cat);
    list_print(stdout, cat.v, cat.n);
    unload(&paths, &cat);
    return EXIT_OK;
}

/* ---- samples show NAME ------------------------------------------------------------- */

static void print_file(const char *path)
{
    size_t len;
    char *text = read_file(path, &len);
    if (!text)
        cli_die(EXIT_FAIL, "cannot read %s: %s", path, strerror(errno));
    fwrite(text, 1, len, stdout);
    free(text);
}

static int show(const char *name)
{
    struct corace_paths paths;
    struct catalogue cat;
    load(&paths, &cat);
    const struct sample *s = find_or_die(&cat, name);
    const struct sample *twin = catalogue_twin(&cat, s);
    print_file(s->path);
    if (!s->fixed && !twin)
        cli_error("%s has no fixed twin %s_fixed.c", s->name, s->name);
    if (twin) {
        printf("\n==== diff -u %s.c %s.c ====\n", s->name, twin->name);
        fflush(stdout);
        char *argv[] = {"diff", "-u", s->path, twin->path, NULL};
        struct proc_result r;
        int rc = proc_foreground(argv, &r);
        /* diff: 0 same, 1 different, >1 trouble.  Without diff, print the twin. */
        if (rc != 0 || r.end != PROC_EXITED || r.code > 1) {
            printf("\n==== %s.c (no diff available) ====\n", twin->name);
            print_file(twin->path);
        }
    }
    unload(&paths, &cat);
    return EXIT_OK;
}

/* ---- samples run NAME [-- ARGS] ----------------------------------------------------- */

static int run_one(const char *name, int argc, char **argv)
{
    struct corace_paths paths;
    struct catalogue cat;
    struct cache cache;
    load(&paths, &cat);
    const struct sample *s = find_or_die(&cat, name);
    open_cache(&cache);
    char *bin, *msg, *diag;
    enum build_status bs = build_sample(&paths, &cache, s, &bin, &msg, &diag);
    unload(&paths, &cat);
    cache_close(&cache);
    if (bs != BUILD_OK && bs != BUILD_CACHED) {
        report_build_failure(msg, diag);
        free(msg);
        free(diag);
        return EXIT_FAIL;
    }
    char **args = xmalloc(((size_t)argc + 2) * sizeof *args);
    args[0] = bin;
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    args[argc + 1] = NULL;
    fflush(stdout);
    fflush(stderr);
    struct proc_result r;
    int rc = proc_foreground(args, &r);
    free(args);
    if (rc != 0)
        cli_die(EXIT_FAIL, "cannot run %s: %s", bin, strerror(errno));
    if (r.end == PROC_SPAWN_FAILED)
        cli_die(EXIT_FAIL, "cannot start %s: %s", bin, strerror(r.code));
    free(bin);
    if (r.end == PROC_SIGNALED) {
        cache_cleanup();
        proc_die_of_signal(r.code);
    }
    return r.code;
}

/* ---- corace --paths ----------------------------------------------------------- */

int cmd_paths(void)
{
    struct corace_paths paths;
    struct cache cache;
    paths_resolve(&paths);
    printf("layout:      %s\n", paths.installed ? "install tree" : "build tree");
    printf("include dir: %s\n", paths.include_dir);
    printf("library:     %s\n", paths.library);
    printf("checker:     %s%s\n", paths.race_library ? paths.race_library : "(none: no corace_race target in this build)",
           paths.race_library && !is_regular_file(paths.race_library) ? " (missing)" : "");
    printf("samples dir: %s%s\n", paths.samples_dir,
           getenv("CORACE_SAMPLES_DIR") && getenv("CORACE_SAMPLES_DIR")[0]
               ? " (from CORACE_SAMPLES_DIR)"
               : "");
    if (cache_open(&cache) == 0) {
        printf("cache dir:   %s%s\n", cache.dir,
               cache.temporary ? " (temporary: the cache directory is not writable)" : "");
        cache_close(&cache);
    } else {
        printf("cache dir:   (none: %s)\n", strerror(errno));
    }
    paths_free(&paths);
    return EXIT_OK;
}

/* ---- dispatch ---------------------------------------------------------------------- */

static void no_extra(int argc, char **argv, int used)
{
    if (argc > used)
        cli_die(EXIT_USAGE, "samples %s: unexpected argument '%s' (see 'corace samples --help')",
                argv[1], argv[used]);
}

int cmd_samples(int argc, char **argv)
{
    if (argc == 1)
        return run_all(false);
    const char *sub = argv[1];
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        print_samples_usage();
        return EXIT_OK;
    }
    if (strcmp(sub, "list") == 0) {
        no_extra(argc, argv, 2);
        return list();
    }
    if (strcmp(sub, "check") == 0) {
        no_extra(argc, argv, 2);
        return run_all(true);
    }
    if (strcmp(sub, "show") == 0 || strcmp(sub, "run") == 0) {
        if (argc < 3 || argv[2][0] == '\0')
            cli_die(EXIT_USAGE, "samples %s: missing sample name (see 'corace samples list')", sub);
        if (argv[2][0] == '-')
            cli_die(EXIT_USAGE, "samples %s: unknown option '%s'", sub, argv[2]);
        if (strcmp(sub, "show") == 0) {
            no_extra(argc, argv, 3);
            return show(argv[2]);
        }
        if (argc > 3 && strcmp(argv[3], "--") != 0)
            cli_die(EXIT_USAGE, "samples run: arguments for the program go after '--' (got '%s')",
                    argv[3]);
        return run_one(argv[2], argc > 3 ? argc - 4 : 0, argv + 4);
    }
    if (sub[0] == '-')
        cli_die(EXIT_USAGE, "samples: unknown option '%s' (see 'corace samples --help')", sub);
    cli_die(EXIT_USAGE, "samples: unknown subcommand '%s' (see 'corace samples --help')", sub);
}
