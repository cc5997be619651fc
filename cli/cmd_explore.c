/* cmd_explore.c - `corace explore [flags] prog.c|./prog [-- ARGS]`: run a
   checked program under many schedules and print each distinct finding with
   the `corace run` command that replays it.

   The protocol with the program's fork server is explore_protocol.c, the
   findings explore_findings.c, the progress explore_progress.c. */
#include "cache.h"
#include "cmd.h"
#include "duration.h"
#include "exitcodes.h"
#include "explore.h"
#include "paths.h"
#include "run_build.h"
#include "util.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_SCHEDULES 1000
#define DEFAULT_TIMEOUT_S 10.0
#define DEFAULT_DEPTH 3
/* Seeds stay below 2^63 so that every runtime and shell reads them back. */
#define MAX_SEED ((uint64_t)INT64_MAX)

void print_explore_usage(FILE *f)
{
    fputs("usage: corace explore [flags] prog.c [more.c ...] [-- args]\n"
          "       corace explore [flags] ./prog [args]\n"
          "\n"
          "Build the program for checking (as 'corace run' does) and run it under many\n"
          "schedules, one seed each, with a strategy that preempts goroutines at memory\n"
          "accesses and sync operations.  Each distinct finding is printed once, as the\n"
          "checker's text, with the 'corace run' command that replays it.  Stops at the\n"
          "first schedule with a finding unless --keep-going.\n"
          "\n"
          "Flags:\n"
          "  --schedules N            how many schedules (seeds) in all (default 1000)\n"
          "  --strategy random|pct    random preemption (default) or PCT (docs/explore.md)\n"
          "  --depth D                PCT's bug depth d (default 3)\n"
          "  --steps K                PCT's step estimate k (default: counted by one\n"
          "                           calibration run of the program)\n"
          "  --seed S                 the first seed (default 1): seeds S, S+1, ...\n"
          "  --shard I/N              this job's share: seeds S+I, S+I+N, ... (0 <= I < N)\n"
          "  --keep-going             explore every schedule, printing each new finding\n"
          "  --time-budget DURATION   start no schedule after DURATION (e.g. 30s, 5m)\n"
          "  --timeout DURATION       per schedule (default 10s; 0: none); a schedule that\n"
          "                           runs longer is a livelock or starvation candidate\n"
          "  --format text|json       json: a JSON object per distinct finding and a summary\n"
          "                           object, one per line (shards merge with cat)\n"
          "  -o, --out FILE           write the findings (in that format) to FILE\n"
          "  -h, --help               this help\n"
          "\n"
          "Progress goes to stderr.  Exit status: 0 nothing found; 66 findings; 2 when a\n"
          "schedule deadlocked, panicked, crashed or timed out; 1 usage error; 125 the\n"
          "program could not be built or run.\n",
          f);
}

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fflush(stdout);
    fputs("corace: explore: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see 'corace explore --help')\n", stderr);
    exit(EXIT_BAD_FLAGS);
}

/* --name VALUE or --name=VALUE (short -o VALUE): the value, advancing *i;
   NULL when argv[*i] is not this flag. */
static const char *flag_value(int argc, char **argv, int *i, const char *name, const char *shortname)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!strncmp(a, name, n) && a[n] == '=')
        return a + n + 1;
    if (strcmp(a, name) != 0 && !(shortname && strcmp(a, shortname) == 0))
        return NULL;
    if (*i + 1 >= argc)
        usage_error("flag %s needs a value", a);
    return argv[++*i];
}

int cmd_explore(int argc, char **argv)
{
    struct explore ex = {
        .strategy = "random", .depth = DEFAULT_DEPTH, .first = 1, .schedules = DEFAULT_SCHEDULES,
        .shard_i = 0, .shard_n = 1, .timeout_s = DEFAULT_TIMEOUT_S, .timeout_text = "10s", .format = "text",
    };
    bool depth_given = false;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i], *v;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (a[0] != '-' || a[1] == '\0')
            break;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_explore_usage(stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--keep-going")) {
            ex.keep_going = true;
        } else if ((v = flag_value(argc, argv, &i, "--schedules", NULL))) {
            if (!explore_parse_u64(v, &ex.schedules) || ex.schedules == 0)
                usage_error("--schedules wants a positive integer, not '%s'", v);
        } else if ((v = flag_value(argc, argv, &i, "--strategy", NULL))) {
            if (strcmp(v, "random") && strcmp(v, "pct"))
                usage_error("--strategy wants random or pct, not '%s'", v);
            ex.strategy = v;
        } else if ((v = flag_value(argc, argv, &i, "--depth", NULL))) {
            if (!explore_parse_u64(v, &ex.depth) || ex.depth < 1 || ex.depth > 64)
                usage_error("--depth wants an integer from 1 to 64, not '%s'", v);
            depth_given = true;
        } else if ((v = flag_value(argc, argv, &i, "--steps", NULL))) {
            if (!explore_parse_u64(v, &ex.steps) || ex.steps == 0)
                usage_error("--steps wants a positive integer, not '%s'", v);
            depth_given = true;
        } else if ((v = flag_value(argc, argv, &i, "--seed", NULL))) {
            if (!explore_parse_u64(v, &ex.first))
                usage_error("--seed wants a non-negative integer, not '%s'", v);
        } else if ((v = flag_value(argc, argv, &i, "--shard", NULL))) {
            const char *slash = strchr(v, '/');
            char num[32];
            if (!slash || (size_t)(slash - v) >= sizeof num)
                usage_error("--shard wants I/N with 0 <= I < N, not '%s'", v);
            memcpy(num, v, (size_t)(slash - v));
            num[slash - v] = '\0';
            if (!explore_parse_u64(num, &ex.shard_i) || !explore_parse_u64(slash + 1, &ex.shard_n) || ex.shard_n == 0 ||
                ex.shard_i >= ex.shard_n)
                usage_error("--shard wants I/N with 0 <= I < N, not '%s'", v);
        } else if ((v = flag_value(argc, argv, &i, "--time-budget", NULL))) {
            if (!duration_parse(v, &ex.budget_s) || ex.budget_s <= 0)
                usage_error("--time-budget wants a positive duration such as 30s, 5m or 1h30m, not '%s'", v);
            ex.budget_text = v;
        } else if ((v = flag_value(argc, argv, &i, "--timeout", NULL))) {
            if (!duration_parse(v, &ex.timeout_s))
                usage_error("--timeout wants a duration such as 300ms, 1.5s or 2m (0: none), not '%s'", v);
            if (ex.timeout_s > 0 && ex.timeout_s < 0.001)
                usage_error("--timeout wants at least 1ms, not '%s'", v);
            ex.timeout_text = v;
        } else if ((v = flag_value(argc, argv, &i, "--format", NULL))) {
            if (strcmp(v, "text") && strcmp(v, "json"))
                usage_error("--format wants text or json, not '%s'", v);
            ex.format = v;
        } else if ((v = flag_value(argc, argv, &i, "--out", "-o"))) {
            if (!v[0])
                usage_error("%s: an empty file name", "--out");
            ex.out_path = v;
        } else {
            usage_error("unknown flag '%s'", a);
        }
    }
    if (i >= argc)
        usage_error("missing program: %s", "a .c file or a program built with 'corace cc'");
    if (depth_given && strcmp(ex.strategy, "pct"))
        usage_error("%s", "--depth and --steps apply to --strategy pct only");
    /* This shard's seeds: first + shard_i + k*shard_n below first + schedules. */
    ex.seed0 = ex.first + ex.shard_i;
    ex.stride = ex.shard_n;
    ex.count = ex.shard_i < ex.schedules ? (ex.schedules - ex.shard_i + ex.shard_n - 1) / ex.shard_n : 0;
    if (ex.first > MAX_SEED - ex.schedules)
        usage_error("%s", "--seed and --schedules: the seeds would pass 2^63");
    if (ex.count == 0)
        usage_error("%s", "--shard: this shard has no schedules (I >= --schedules)");

    int nsrc = 0;
    while (i + nsrc < argc && has_suffix(argv[i + nsrc], ".c"))
        nsrc++;
    if (nsrc > 0) {
        for (int k = 0; k < nsrc; k++)
            run_must_exist(argv[i + k], true);
        ex.sources = argv + i;
        ex.nsrc = nsrc;
        i += nsrc;
    } else {
        run_check_binary(argv[i]);
        ex.prog = strchr(argv[i], '/') ? xstrdup(argv[i]) : xasprintf("./%s", argv[i]);
        i++;
    }
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    ex.args = argv + i;
    ex.nargs = argc - i;

    struct cache cache = {0};
    if (nsrc > 0) {
        struct corace_paths paths;
        paths_resolve(&paths);
        if (cache_open(&cache) != 0)
            cli_die(EXIT_CANNOT_RUN, "cannot create a cache or temporary directory: %s", strerror(errno));
        int st = run_build(&paths, &cache, ex.sources, nsrc, &ex.prog);
        paths_free(&paths);
        if (st != 0) {
            cli_error("building %s%s failed; not run", ex.sources[0], nsrc > 1 ? " ..." : "");
            return EXIT_CANNOT_RUN;
        }
    }

    FILE *out = NULL;
    if (ex.out_path && !(out = fopen(ex.out_path, "w")))
        cli_die(EXIT_CANNOT_RUN, "explore: cannot write %s: %s", ex.out_path, strerror(errno));
    bool json = !strcmp(ex.format, "json");
    /* -o FILE takes the chosen format; the text goes to stdout unless JSON
       has it. */
    ex.json = json ? (out ? out : stdout) : NULL;
    ex.text = !json ? (out ? out : stdout) : (out ? stdout : NULL);
    ex.tty = isatty(STDERR_FILENO) == 1;

    int status = explore_run(&ex);
    if (out && fclose(out) != 0)
        cli_die(EXIT_CANNOT_RUN, "explore: cannot write %s: %s", ex.out_path, strerror(errno));
    explore_findings_free(&ex);
    free(ex.dir);
    free(ex.prog);
    if (nsrc > 0)
        cache_close(&cache);
    cache_cleanup();
    return status;
}
