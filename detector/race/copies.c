/*
 * copies.c - sync values copied after first use (Go's "must not be copied
 * after first use"), reported with both places.
 *
 * The runtime notices a copy by the address a value records at its first
 * use (runtime/syncuse.h); here each first use's site is kept by address so
 * that the report can name where the original was first used.  The table
 * only grows with the number of distinct sync values the program uses.
 */
#include <stdint.h>

#include "detector/core/addrmap.h"
#include "detector/race/race.h"
#include "detector/report/report.h"

typedef struct site {
    uint32_t frame;
    uintptr_t pc;
} site;

static addrmap sites = ADDRMAP_INIT(sizeof(site));

static void remember(const void *obj, uintptr_t pc)
{
    site *s = obj ? addrmap_insert(&sites, (uintptr_t)obj, NULL) : NULL;
    if (!s)   /* out of memory: reports will lack the first use */
        return;
    race_g *g = race_current();
    *s = (site){ g ? race_g_frame(g) : 0, pc };
}

void copies_first_use(const void *obj, uintptr_t pc)
{
    remember(obj, pc);
}

void copies_copied(const void *obj, const void *original, const char *type, uintptr_t pc)
{
    race_g *g = race_current();
    const site *first = original ? addrmap_find(&sites, (uintptr_t)original) : NULL;
    report_copy c = {
        .type = type,
        .addr = (uintptr_t)obj,
        .original = (uintptr_t)original,
        .goid = g ? race_g_goid(g) : 0,
        .frame = g ? race_g_frame(g) : 0,
        .pc = pc,
        .first_frame = first ? first->frame : 0,
        .first_pc = first ? first->pc : 0,
    };
    report_copy_found(&c);
    /* From here on the copy is a value of its own. */
    remember(obj, pc);
}
