/* cmd.h - the commands main() dispatches to. */
#ifndef CORACE_CLI_CMD_H
#define CORACE_CLI_CMD_H

#include <stdbool.h>
#include <stdio.h>

/* `corace samples ...`: argv[0] is "samples".  Returns the exit status. */
int cmd_samples(int argc, char **argv);
void print_samples_usage(void);
/* `corace run ...`: argv[0] is "run". */
int cmd_run(int argc, char **argv);
void print_run_usage(FILE *f);
/* corace run's checks of its program (shared with corace explore): exit 125
   with a message when path is missing (or not a regular file, when regular
   is set), or is no program built for checking. */
void run_must_exist(const char *path, bool regular);
void run_check_binary(const char *path);
/* `corace explore ...`: argv[0] is "explore". */
int cmd_explore(int argc, char **argv);
void print_explore_usage(FILE *f);
/* `corace report ...`: argv[0] is "report".  Returns 0 (no findings), 66
   (findings) or 1 (usage or parse error). */
int cmd_report(int argc, char **argv);
void print_report_usage(FILE *f);
struct record_set;
/* Renders record sets (one per program run or file, named by names) in
   format (text, json, sarif, junit or dot), file paths shortened by pfx, to
   out_path, or stdout when it is NULL; exits with a message if it cannot
   write. */
void report_write(const char *out_path, const char *format, const char *pfx, const struct record_set *sets,
                  char **names, int nsets);
/* `corace cc ...`: argv[0] is "cc".  Returns the compiler's exit status. */
int cmd_cc(int argc, char **argv);
/* `corace --paths`: where the header, library, samples and cache are. */
int cmd_paths(void);

#endif
