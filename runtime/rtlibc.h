/*
 * rtlibc.h - the runtime's own calls into libc's memory functions.
 *
 * A checked program is linked with its calls to memcpy, memset and friends
 * redirected to the checker (the linker's --wrap), and that redirection
 * reaches the runtime's objects too.  The runtime's copies are not the
 * program's accesses: a value a channel moves from sender to receiver is
 * written by neither goroutine in the Go memory model's sense, and counting
 * it as the running goroutine's would report races that do not exist.  So
 * the runtime raises co__rt_quiet around its calls, and the checker's
 * interceptors ignore whatever runs while it is raised.
 */
#ifndef CORACE_RTLIBC_H
#define CORACE_RTLIBC_H

#include <stddef.h>
#include <string.h>

#include "events.h"     /* co__rt_quiet, part of the seam */

static inline void rt_memcpy(void *dst, const void *src, size_t n)
{
    co__rt_quiet++;
    memcpy(dst, src, n);
    co__rt_quiet--;
}

static inline void rt_memset(void *dst, int c, size_t n)
{
    co__rt_quiet++;
    memset(dst, c, n);
    co__rt_quiet--;
}

#endif
