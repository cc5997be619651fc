/* exitcodes.h - every exit status of the corace command, in one table.
   docs/cli.md ("Exit status") and docs/corace.1 ("EXIT STATUS") list the
   same table; change the three together.

   A number may mean different things in different commands, never two
   things in one command.  run and explore pass the program's own status on,
   and the runtime exits 2 for a deadlock or a panic, as Go does: so their
   usage error is 1, and report, which reads what run writes, says 1 too.
   corace itself and samples pass no status on and keep the usual 2 for a
   usage error.  cc passes the compiler's status on and, like a compiler
   driver whose compiler cannot be started, says 2 when it cannot run it.
   Statuses that are not in this table are the program's (run, samples run)
   or the compiler's (cc; 128+N when it was killed by signal N). */
#ifndef CORACE_CLI_EXITCODES_H
#define CORACE_CLI_EXITCODES_H

enum corace_exit {
    /* Every command: it did what was asked and found nothing. */
    EXIT_OK = 0,
    /* samples: a sample did not behave as expected (MISMATCH), or something
       could not be done (a compile error, no compiler or runtime library, an
       unreadable samples directory); report: a file of records that cannot
       be read or parsed, an output that cannot be written. */
    EXIT_FAIL = 1,
    /* run, explore, report: a usage error (unknown flag, bad value, no
       program or file). */
    EXIT_BAD_FLAGS = 1,
    /* corace itself and samples: a usage error (no or unknown command,
       option or sample, missing or extra arguments). */
    EXIT_USAGE = 2,
    /* run, explore: the program (a schedule of it) ended in a global
       deadlock, a panic or runtime error, a crash, or ran out of time. */
    EXIT_FATAL = 2,
    /* cc: the compiler cannot be started, or a link lacks the checker
       runtime or the runtime library. */
    EXIT_CC_CANNOT = 2,
    /* run (the checker's default exitcode), explore, report: findings. */
    EXIT_FINDINGS = 66,
    /* run, explore: the program could not be built or started, so no status
       of its own exists (docker run's and git bisect run's "could not run
       it": a build failure is never taken for the program's status). */
    EXIT_CANNOT_RUN = 125,
};

#endif
