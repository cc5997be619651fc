/*
 * depot.h - interned call stacks.
 *
 * A stack is a chain of nodes (parent id, pc), interned so that the same
 * calling context always has the same 32-bit id.  The detector pushes a node
 * at every instrumented function entry, so the id of the current context is
 * always at hand, and a shadow cell can keep (id, access pc) and restore the
 * whole stack at report time: no history to lose.
 */
#ifndef CORACE_DEPOT_H
#define CORACE_DEPOT_H

#include <stdint.h>

/* The id of the context "pc called from the context parent" (0 = the root,
   no caller).  Never allocates in steady state: a context seen before is a
   hash lookup.  Like the whole detector, single-threaded: no lock. */
uint32_t depot_push(uint32_t parent, uintptr_t pc);

/* The pcs of context id, innermost first (id's own pc first); returns how
   many were stored, at most max. */
int depot_stack(uint32_t id, uintptr_t *pcs, int max);

/* The caller's context of id (0 for the root and its children): what
   func_exit returns to, so a goroutine needs no shadow stack beyond its
   current id.  (A push the depot refused returned the parent itself, so
   the pop that matches it drops one frame too many: stacks are then
   approximate, which depot_degraded makes every report say.) */
uint32_t depot_parent(uint32_t id);

/* The pc of node id (0 for the root). */
uintptr_t depot_pc(uint32_t id);

/* How many pcs depot_stack would store without a limit. */
int depot_depth(uint32_t id);

/* Contexts interned so far (the root not counted). */
uint32_t depot_size(void);

/* Whether the depot had to refuse a new context (memory exhausted): reports
   then say that stacks may be truncated. */
int depot_degraded(void);

#endif
