/*
 * pool.c - sync.Pool.
 *
 * A LIFO of put items, so the most recently used (cache-warm) one comes back
 * first.  Go may drop pooled items at any garbage collection; corace never
 * collects, so an item stays until Get takes it.
 */
#include <stdlib.h>

#include "fatal.h"
#include "announce.h"
#include "park.h"

void co_pool_init(co_pool *p, void *(*new_fn)(void)) { p->_new = new_fn; }

void *co_pool_get(co_pool *p)
{
    if (p->_len > 0) {
        void *x = p->_items[--p->_len];
        /* HB: Put(x) is synchronized before the Get that returns x. */
        ev_acquire(x);
        return x;
    }
    return p->_new ? p->_new() : NULL;
}

void co_pool_put(co_pool *p, void *x)
{
    if (!x) return;
    ev_release_merge(x);
    if (p->_len == p->_cap) {
        size_t cap = p->_cap ? 2 * p->_cap : 8;
        void **items = realloc(p->_items, cap * sizeof *items);
        if (!items) fatal_throw("out of memory in sync.Pool Put");
        p->_items = items;
        p->_cap = cap;
    }
    p->_items[p->_len++] = x;
}
