/*
 * syncuse.h - sync values copied after first use.
 *
 * Go's rule: a Mutex, RWMutex, WaitGroup or Cond must not be copied after
 * its first use (passing a WaitGroup by value is the classic bug).  Each
 * keeps in _self the address it was first used at; a use at any other
 * address is a copy's.  The check is one compare on every operation; what
 * is done about a copy (a report naming both uses) is the checker's.
 */
#ifndef CORACE_SYNCUSE_H
#define CORACE_SYNCUSE_H

#include <stdint.h>

void sync_use_slow(const void *obj, const void **self, const char *type, uintptr_t pc);

/* pc: the return address of the public call, where the program used obj. */
static inline void sync_use(const void *obj, const void **self, const char *type, uintptr_t pc)
{
    if (__builtin_expect(*self != obj, 0)) sync_use_slow(obj, self, type, pc);
}

#define SYNC_USE(obj, type) sync_use((obj), &(obj)->_self, (type), (uintptr_t)__builtin_return_address(0))

#endif
