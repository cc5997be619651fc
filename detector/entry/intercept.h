/*
 * intercept.h - libc calls the checker sees, and the glue shared by
 * tsan_abi.c and intercept.c.
 *
 * A checked program is linked with CORACE_WRAP_LDFLAGS: the linker then
 * sends every call to a wrapped function made by an object on the link line
 * to __wrap_NAME (intercept.c), which tells the detector which bytes the call
 * reads and writes and then calls __real_NAME, the libc function.  Calls made
 * inside libc and inside shared libraries linked separately are not seen.
 *
 * intercept.o must be part of the final link that carries these flags (the
 * static library, or objects): in a separately linked shared library its
 * __real_NAME references would stay unresolved.  Every object of that link is
 * affected, including the runtime's and the detector's own: the detector is
 * protected by the re-entry guard (detector/core/gate.h); runtime code that
 * must not be seen brackets itself with race_abi_ignore_begin/end.
 */
#ifndef CORACE_INTERCEPT_H
#define CORACE_INTERCEPT_H

#include <stdbool.h>

#include "detector/core/gate.h"

/* The link options of a checked program; keep in step with the list at the
   top of intercept.c (a unit test checks that each one has a wrapper). */
#define CORACE_WRAP_LDFLAGS \
    "-Wl,--wrap=memcpy,--wrap=memmove,--wrap=memset,--wrap=mempcpy" \
    ",--wrap=memcmp,--wrap=bcmp,--wrap=memchr,--wrap=memrchr" \
    ",--wrap=strlen,--wrap=strnlen,--wrap=strcmp,--wrap=strncmp" \
    ",--wrap=strchr,--wrap=strrchr,--wrap=strstr" \
    ",--wrap=strcpy,--wrap=stpcpy,--wrap=strncpy,--wrap=strcat,--wrap=strncat" \
    ",--wrap=strdup,--wrap=strndup" \
    ",--wrap=__memcpy_chk,--wrap=__memmove_chk,--wrap=__memset_chk" \
    ",--wrap=__strcpy_chk,--wrap=__stpcpy_chk,--wrap=__strncpy_chk" \
    ",--wrap=__strcat_chk,--wrap=__strncat_chk" \
    ",--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=reallocarray" \
    ",--wrap=aligned_alloc,--wrap=posix_memalign,--wrap=memalign,--wrap=valloc" \
    ",--wrap=free"

/* Set once race_init has returned; before it, callbacks do nothing (the
   gate below tries a lazy __tsan_init first). */
extern int race_abi_ready;

/* The slow half of the gate: initialises lazily when nothing has yet, and
   says whether the caller may call the detector. */
bool race_abi_slow_gate(void);

/* Whether a callback or wrapper may call the detector now. */
static inline __attribute__((always_inline)) bool race_abi_gate(void)
{
    if (__builtin_expect(gate_open() && race_abi_ready, 1))
        return true;
    return race_abi_slow_gate();
}

#endif
