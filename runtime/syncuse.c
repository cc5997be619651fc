/*
 * syncuse.c - the slow half of syncuse.h: a first use, or a copy's use.
 */
#include "syncuse.h"

#include "announce.h"

void sync_use_slow(const void *obj, const void **self, const char *type, uintptr_t pc)
{
    const void *original = *self;
    *self = obj;
    if (!ev) return;
    if (!original) ev->sync_first_use(obj, pc);
    else ev->sync_copied(obj, original, type, pc);
}
