/* ccdriver.h - `corace cc`: turn a compiler command line into a checked one. */
#ifndef CORACE_CLI_CCDRIVER_H
#define CORACE_CLI_CCDRIVER_H

#include "paths.h"
#include "util.h"

/* What a compiler command line does, decided as a compiler driver does. */
enum cc_mode {
    CC_PASSTHROUGH, /* --version, -dumpversion, -print-*, no input files...: run it as given */
    CC_COMPILE,     /* -c, -S, -E, -M, -MM or -fsyntax-only: no link */
    CC_LINK,        /* links an executable (maybe compiling sources first) */
    CC_LINK_PARTIAL /* -shared or -r: links, but the checker runtime is left out */
};

enum cc_mode cc_classify(char *const *args, int nargs);

/* The compiler: $CORACE_CC split on blanks, else "cc".  Not $CC, which is
   corace itself when a build says CC="corace cc". */
void cc_compiler(struct argv_buf *cc);

/* The full command for a compile-only line: cc, -fsanitize=thread, -g (when
   args have no -g of their own), args, -I<include dir>. */
void cc_compile_argv(struct argv_buf *out, char *const *cc, const struct corace_paths *paths,
                     char *const *args, int nargs);

/* Run the command line args (what follows `corace cc`) with compiler cc,
   checked: compile lines get the checking flags; a link line has its sources
   compiled separately with them, and is then linked against the checker
   runtime, without -fsanitize=thread.  The compilers' output goes straight
   to our stdout/stderr.  Returns the exit status: the compiler's (128+N
   when it was killed by signal N), or 2 after a `corace: ` line when the
   compiler cannot be started or the checker runtime is missing. */
int cc_run(char *const *cc, const struct corace_paths *paths, char *const *args, int nargs);

#endif
