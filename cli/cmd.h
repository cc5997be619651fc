/* cmd.h - the commands main() dispatches to. */
#ifndef CORACE_CLI_CMD_H
#define CORACE_CLI_CMD_H

/* `corace samples ...`: argv[0] is "samples".  Returns the exit status. */
int cmd_samples(int argc, char **argv);
void print_samples_usage(void);
/* `corace --paths`: where the header, library, samples and cache are. */
int cmd_paths(void);

#endif
