/*
 * mutex.h - the runtime's own way into sync.Mutex.
 *
 * Cond.Wait locks its mutex again on the caller's behalf: the lock is the
 * caller's, and the checker should say it was taken at the caller's line.
 */
#ifndef CORACE_MUTEX_H
#define CORACE_MUTEX_H

#include <stdint.h>

#include "corace.h"

/* co_mutex_lock, with pc (a return address into the program) as the site. */
void mutex_lock_at(co_mutex *m, uintptr_t pc);

#endif
