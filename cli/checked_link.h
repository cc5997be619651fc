/* checked_link.h - how a program is compiled and linked for checking: the one
   place in cli/ that says which flags and libraries that takes. */
#ifndef CORACE_CLI_CHECKED_LINK_H
#define CORACE_CLI_CHECKED_LINK_H

/* Added to every compile line (and to every source compiled on a link line).
   -g is added only when the line has no -g option of its own. */
#define CHECKED_COMPILE_FLAG "-fsanitize=thread"
#define CHECKED_DEBUG_FLAG "-g"

/* After the program's objects and libraries on a link line:
     <libcorace_race.a> CHECKED_LINK_LIBS CHECKED_WRAP_LDFLAGS
   where libcorace_race.a holds the runtime as well as the checker, in one
   object whose internal symbols are local (docs/libraries.md)
   and never -fsanitize=thread: with it gcc puts libtsan.so on the link
   (docs/race.md, "Why -fsanitize=thread stays off link lines"), and the real TSan runtime
   would initialise and intercept next to ours. */
#define CHECKED_LINK_LIBS "-lunwind", "-ldw", "-lelf", "-latomic"

/* The libc functions the checker intercepts with ld --wrap: the one list,
   kept beside the wrappers themselves. */
#include "detector/entry/intercept.h"
#define CHECKED_WRAP_LDFLAGS CORACE_WRAP_LDFLAGS

#endif
