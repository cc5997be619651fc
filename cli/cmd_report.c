/* cmd_report.c - `corace report FILE... [--format text|json|sarif|junit|dot]
   [-o OUT] [--strip-path-prefix P]`: the checker's JSON Lines records
   (CORACE_OPTIONS=format=json, `corace run --format json -o FILE`) rendered
   again: as the checker's own text, as normalized JSON Lines, as SARIF 2.1.0
   for code scanning, as JUnit XML, or the deadlock cycles as Graphviz DOT.

   This file is the command: its flags, loading the files, and handing the
   records to the rendering asked for (report_text.c, report_json.c,
   report_sarif.c, report_junit.c, report_dot.c). */
#include "cmd.h"
#include "exitcodes.h"
#include "records.h"
#include "report_formats.h"
#include "detector/report/render_text.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void print_report_usage(FILE *f)
{
    fputs("usage: corace report [flags] FILE [FILE ...]\n"
          "\n"
          "Render the JSON Lines records a checked program wrote (CORACE_OPTIONS=format=json,\n"
          "or 'corace run --format json -o FILE') again.\n"
          "\n"
          "Flags:\n"
          "  --format text|json|sarif|junit|dot\n"
          "                           text: the checker's own report text (default);\n"
          "                           json: the records, one per line, normalized;\n"
          "                           sarif: SARIF 2.1.0 for code scanning;\n"
          "                           junit: JUnit XML, a testcase per FILE, a failure per finding;\n"
          "                           dot: the deadlock cycles as Graphviz graphs\n"
          "  -o, --out OUT            write to OUT instead of stdout\n"
          "  --strip-path-prefix P    shorten file paths (up to and including P); in SARIF the\n"
          "                           shortened paths are relative to the source root\n"
          "  -h, --help               this help\n"
          "\n"
          "Exit status: 0 when the records hold no findings, 66 when they do, 1 for a usage\n"
          "error or a file that cannot be read or parsed (one line naming FILE:LINE).\n",
          f);
}

static _Noreturn void usage_error(const char *fmt, const char *arg)
{
    fflush(stdout);
    fputs("corace: report: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs(" (see 'corace report --help')\n", stderr);
    exit(EXIT_BAD_FLAGS);
}

/* --flag VALUE or --flag=VALUE (short: -o VALUE); NULL when argv[*i] is not
   this flag. */
static const char *flag_value(int argc, char **argv, int *i, const char *name, const char *shortname)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (!strncmp(a, name, n) && a[n] == '=')
        return a + n + 1;
    if (strcmp(a, name) != 0 && !(shortname && strcmp(a, shortname) == 0))
        return NULL;
    if (*i + 1 >= argc)
        usage_error("%s needs a value", a);
    return argv[++*i];
}

void report_write(const char *out_path, const char *format, const char *pfx, const record_set *sets, char **names,
                  int nsets)
{
    record_set all = { 0 };
    for (int i = 0; i < nsets; i++)
        all.n += sets[i].n;
    all.recs = xmalloc((all.n ? all.n : 1) * sizeof *all.recs);
    for (int i = 0, k = 0; i < nsets; i++)
        for (size_t j = 0; j < sets[i].n; j++)
            all.recs[k++] = sets[i].recs[j];
    FILE *f = stdout;
    if (out_path && !(f = fopen(out_path, "w")))
        cli_die(EXIT_FAIL, "report: cannot write %s: %s", out_path, strerror(errno));
    if (!strcmp(format, "text"))
        rt_render_all(f, pfx, all.recs, all.n);
    else if (!strcmp(format, "json"))
        report_json(f, pfx, &all);
    else if (!strcmp(format, "sarif"))
        report_sarif(f, pfx, &all);
    else if (!strcmp(format, "junit"))
        report_junit(f, pfx, sets, names, nsets);
    else
        report_dot(f, pfx, &all);
    bool werr = fflush(f) != 0 || ferror(f);
    if (f != stdout && fclose(f) != 0)
        werr = true;
    if (werr)
        cli_die(EXIT_FAIL, "report: cannot write %s: %s", out_path ? out_path : "stdout", strerror(errno));
    free(all.recs);
}

int cmd_report(int argc, char **argv)
{
    const char *format = "text", *out_path = NULL, *strip_prefix = "", *v;
    char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0;
    bool flags_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (flags_done || a[0] != '-' || !strcmp(a, "-")) {
            files[nfiles++] = argv[i];
        } else if (!strcmp(a, "--")) {
            flags_done = true;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            print_report_usage(stdout);
            free(files);
            return EXIT_OK;
        } else if ((v = flag_value(argc, argv, &i, "--format", NULL))) {
            format = v;
        } else if ((v = flag_value(argc, argv, &i, "--out", "-o"))) {
            out_path = v;
        } else if ((v = flag_value(argc, argv, &i, "--strip-path-prefix", NULL))) {
            strip_prefix = v;
        } else {
            usage_error("unknown flag '%s'", a);
        }
    }
    if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "sarif") && strcmp(format, "junit") &&
        strcmp(format, "dot"))
        usage_error("unknown format '%s' (text, json, sarif, junit or dot)", format);
    if (nfiles == 0)
        usage_error("%s", "no FILE of records given");

    record_set *sets = xmalloc((size_t)nfiles * sizeof *sets);
    size_t total = 0;
    for (int i = 0; i < nfiles; i++) {
        if (!records_load(!strcmp(files[i], "-") ? "/dev/stdin" : files[i], &sets[i])) {
            for (int j = 0; j < i; j++)
                records_free(&sets[j]);
            free(sets);
            free(files);
            return EXIT_FAIL;
        }
        total += sets[i].n;
    }
    report_write(out_path, format, strip_prefix, sets, files, nfiles);
    int status = total ? EXIT_FINDINGS : EXIT_OK;
    for (int i = 0; i < nfiles; i++)
        records_free(&sets[i]);
    free(sets);
    free(files);
    return status;
}
