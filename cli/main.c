/* main.c - `corace`: dispatch to a command, --help, --version. */
#include "cmd.h"
#include "detector/core/options.h"
#include "exitcodes.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#ifndef CORACE_VERSION
#error "CORACE_VERSION must be defined by the build (the CMake project version)"
#endif

static void print_usage(FILE *f)
{
    fputs("usage: corace <command> [arguments]\n"
          "\n"
          "corace runs C programs written against <corace.h>, Go's concurrency model in C.\n"
          "\n"
          "Commands:\n"
          "  run [flags] prog.c [more.c ...] [-- ARGS...]\n"
          "                           compile the sources for checking (cached) and run them\n"
          "  run [flags] ./prog [ARGS...]\n"
          "                           run a program built with 'corace cc'\n"
          "      --seed N             CO_SEED for the program\n"
          "      --exitcode N         exit status when races were reported (default 66)\n"
          "      --halt-on-error      exit after the first report\n"
          "      --format text|json|dot\n"
          "                           report format (dot: the deadlock cycles as graphs)\n"
          "      -o, --out FILE       reports to FILE.pid instead of stderr\n"
          "      --strip-path-prefix P\n"
          "                           shorten file paths in reports\n"
          "      --strategy entry|random|pct, --depth D, --steps K\n"
          "                           how the scheduler preempts (docs/explore.md)\n"
          "      --record FILE, --replay FILE\n"
          "                           write the schedule's decisions, or follow them\n"
          "  explore [flags] prog.c|./prog [-- ARGS...]\n"
          "                           run the program under many schedules (seeds) and print\n"
          "                           each distinct finding with the command that replays it\n"
          "      --schedules N, --strategy random|pct, --depth D, --seed S,\n"
          "      --time-budget DUR, --shard I/N, --keep-going, --timeout DUR,\n"
          "      --format text|json, -o FILE       (see 'corace explore --help')\n"
          "  cc [COMPILER] ARGS...     the compiler wrapper (CC=\"corace cc\" make): compile\n"
          "                           lines get -fsanitize=thread -g; links get the checker\n"
          "                           runtime (never libtsan).  Runs $CORACE_CC, else cc\n"
          "  report [flags] FILE...   render saved JSON Lines records (run --format json -o)\n"
          "      --format text|json|sarif|junit|dot\n"
          "                           the checker's text (default), JSON Lines, SARIF 2.1.0,\n"
          "                           JUnit XML, or the deadlock cycles as Graphviz DOT\n"
          "      -o, --out OUT        write to OUT instead of stdout\n"
          "      --strip-path-prefix P\n"
          "                           shorten file paths (SARIF: relative to the source root)\n"
          "  samples                  compile and run every bundled sample (bug and fixed\n"
          "                           twin) and print what each one showed\n"
          "  samples list             name, expected kinds and bug of each sample\n"
          "  samples show NAME        the sample's source (bug, explanation and fix); for a bug\n"
          "                           sample also the diff against its fixed twin\n"
          "  samples run NAME [-- ARGS...]\n"
          "                           compile and run one sample in the foreground\n"
          "  samples check            like 'samples' but quiet unless a sample does not\n"
          "                           behave as expected (for CI)\n"
          "\n"
          "Options:\n"
          "  -h, --help               print this help\n"
          "  --version                print the version\n"
          "  --paths                  print where the header, library, samples and cache are\n"
          "\n"
          "Environment:\n"
          "  CC                   C compiler for the samples (default: cc)\n"
          "  CORACE_CC            C compiler for 'run' and 'cc' (default: cc)\n"
          "  CORACE_OPTIONS       the checker's options (run's flags are added to them)\n"
          "  CORACE_SAMPLES_DIR   directory of samples (default: the bundled ones)\n"
          "  XDG_CACHE_HOME       compiled samples are cached in $XDG_CACHE_HOME/corace\n"
          "                       (default: ~/.cache/corace)\n"
          "\n"
          "Exit status: 0 success; 1 a sample did not behave as expected, or something\n"
          "could not be done (compile error, no compiler); 2 usage error.  'samples run'\n"
          "and 'run' exit with the program's own status (66 when races were reported);\n"
          "'run' exits 2 on a timeout or crash, 1 on a usage error, 125 when it cannot\n"
          "build or start the program; 'explore' exits as 'run' (0 nothing found, 66\n"
          "findings, 2 a schedule deadlocked, crashed or timed out).  'cc' exits with the\n"
          "compiler's status (2 when the compiler or the checker runtime is missing).\n"
          "'report' exits 0 when the records hold no findings, 66 when they do, 1 for a\n"
          "usage error or a file it cannot read or parse.\n"
          "\n",
          f);
    /* The same table that parses the options and generates docs/options.md. */
    options_print_help(f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
        if (argc > 2 && strcmp(cmd, "help") == 0 && strcmp(argv[2], "samples") == 0)
            print_samples_usage();
        else if (argc > 2 && strcmp(cmd, "help") == 0 && strcmp(argv[2], "run") == 0)
            print_run_usage(stdout);
        else if (argc > 2 && strcmp(cmd, "help") == 0 && strcmp(argv[2], "explore") == 0)
            print_explore_usage(stdout);
        else if (argc > 2 && strcmp(cmd, "help") == 0 && strcmp(argv[2], "report") == 0)
            print_report_usage(stdout);
        else
            print_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("corace %s\n", CORACE_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--paths") == 0) {
        if (argc > 2)
            cli_die(EXIT_USAGE, "--paths takes no arguments");
        return cmd_paths();
    }
    if (strcmp(cmd, "samples") == 0)
        return cmd_samples(argc - 1, argv + 1);
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "explore") == 0)
        return cmd_explore(argc - 1, argv + 1);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 1, argv + 1);
    if (strcmp(cmd, "cc") == 0)
        return cmd_cc(argc - 1, argv + 1);
    if (cmd[0] == '-')
        cli_die(EXIT_USAGE, "unknown option '%s' (see 'corace --help')", cmd);
    cli_die(EXIT_USAGE, "unknown command '%s' (see 'corace --help')", cmd);
}
