/*
 * annotate.c - the co_race_* checker annotations.
 *
 * They feed the checker when the program runs checked (built with
 * `corace cc`); otherwise they cost one branch and record nothing.
 */
#include "corace.h"
#include "announce.h"

void co_race_read(const void *addr, size_t size)
{
    if (EV_ON) ev->read(addr, size, (uintptr_t)__builtin_return_address(0));
}

void co_race_write(const void *addr, size_t size)
{
    if (EV_ON) ev->write(addr, size, (uintptr_t)__builtin_return_address(0));
}

/* HB: a release on an address is synchronized before every later acquire
   on it. */
void co_race_acquire(const void *sync_addr) { ev_acquire(sync_addr); }
void co_race_release(const void *sync_addr) { ev_release_merge(sync_addr); }
