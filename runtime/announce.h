/*
 * announce.h - the runtime's side of the checker seam (events.h): one inline
 * ev_* call per announcement, at the line that implements the edge.
 *
 * Runtime-private: the announcements take the runtime's goroutine records
 * and pass on only the checker's own state (g.race), so the checker sees
 * events.h alone and never the g layout.
 */
#ifndef CORACE_ANNOUNCE_H
#define CORACE_ANNOUNCE_H

#include "events.h"
#include "g.h"

extern const ev_hooks *ev;

#define EV_ON __builtin_expect(ev != NULL, 0)

static inline void ev_acquire(const void *s) { if (EV_ON) ev->acquire(s); }
static inline void ev_release_merge(const void *s) { if (EV_ON) ev->release_merge(s); }
static inline void ev_release_acquire(const void *s) { if (EV_ON) ev->release_acquire(s); }
static inline void ev_release_acquire_for(g *gp, const void *s) { if (EV_ON) ev->release_acquire_for(gp->race, s); }
static inline void ev_handoff(g *to) { if (EV_ON) ev->handoff(to->race); }
static inline void ev_handback(g *from) { if (EV_ON) ev->handback(from->race); }
static inline void ev_sync_free(const void *s) { if (EV_ON) ev->sync_free(s); }
static inline void ev_mem_reset(void *a, size_t n) { if (EV_ON) ev->mem_reset(a, n); }
static inline void ev_lock_request(const void *l, const char *type, bool shared, bool blocks, uintptr_t pc)
{
    if (EV_ON) ev->lock_request(l, type, shared, blocks, pc);
}
static inline void ev_lock_acquired(const void *l, const char *type, bool shared, uintptr_t pc)
{
    if (EV_ON) ev->lock_acquired(l, type, shared, pc);
}
static inline void ev_lock_released(const void *l, bool shared) { if (EV_ON) ev->lock_released(l, shared); }
static inline void ev_lock_granted(g *to, const void *l, bool shared)
{
    if (EV_ON) ev->lock_granted(to->race, l, shared);
}
/* Tables built before the member existed leave it NULL. */
static inline void ev_sched_idle(void) { if (EV_ON && ev->sched_idle) ev->sched_idle(); }
static inline void ev_sync_point(void) { if (EV_ON && ev->sync_point) ev->sync_point(); }
static inline void ev_fatal(const char *kind, const char *message, const uintptr_t *pcs, int npcs)
{
    if (EV_ON && ev->fatal) ev->fatal(kind, message, pcs, npcs);
}
static inline void ev_go_switch(g *gp) { if (EV_ON) ev->go_switch(gp->race); }
static inline void ev_go_exit(g *gp) { if (EV_ON) ev->go_exit(gp->race); }
static inline void ev_go_create(g *parent, g *child)
{
    if (EV_ON) child->race = ev->go_create(parent->race, child->id, child->created_pc);
}

#endif
