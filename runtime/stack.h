/*
 * stack.h - goroutine stacks, carved from large reservations and pooled.
 *
 * A goroutine gets its stack when it first runs, not when it is created, and
 * gives it back when it exits: a program that starts many short goroutines
 * before any of them runs (the usual spawn-then-Wait loop) keeps reusing a
 * few warm stacks instead of faulting in one per goroutine.
 */
#ifndef CORACE_STACK_ALLOC_H
#define CORACE_STACK_ALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include "g.h"

/* Give gp a stack: sets gp->stack, stack_lo, stack_size; returns the top
   (16-aligned, exclusive). */
void *stack_bind(g *gp);

/* Return gp's stack to the pool.  The caller may still be running on it,
   provided it binds no stack before it switches away for good. */
void stack_release(g *gp);

/* Whether addr lies in the guard under some goroutine's stack; sets *owner
   to the goroutine using that stack when it does. */
bool stack_guard_hit(const void *addr, g **owner);

#endif
