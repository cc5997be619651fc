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
#include <stdlib.h>

#include "detector/race/race.h"
#include "detector/report/report.h"

typedef struct site {
    const void *obj;      /* NULL: empty slot */
    uint32_t frame;
    uintptr_t pc;
} site;

static site *tab;
static size_t cap, used;

static size_t slot(const void *obj)
{
    uint64_t h = (uint64_t)(uintptr_t)obj * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 20) & (cap - 1);
}

static site *find(const void *obj)
{
    for (size_t i = slot(obj);; i = (i + 1) & (cap - 1))
        if (tab[i].obj == obj || tab[i].obj == NULL) return &tab[i];
}

static void remember(const void *obj, uintptr_t pc)
{
    if ((used + 1) * 2 > cap) {
        size_t ocap = cap;
        site *old = tab;
        cap = cap ? cap * 2 : 256;
        tab = calloc(cap, sizeof *tab);
        if (!tab) {   /* out of memory: reports will lack the first use */
            tab = old;
            cap = ocap;
            return;
        }
        for (size_t i = 0; i < ocap; i++)
            if (old[i].obj) *find(old[i].obj) = old[i];
        free(old);
    }
    race_g *g = race_current();
    site *s = find(obj);
    if (!s->obj) used++;
    *s = (site){obj, g ? race_g_frame(g) : 0, pc};
}

void copies_first_use(const void *obj, uintptr_t pc)
{
    remember(obj, pc);
}

void copies_copied(const void *obj, const void *original, const char *type, uintptr_t pc)
{
    race_g *g = race_current();
    site *first = cap ? find(original) : NULL;
    report_copy c = {
        .type = type,
        .addr = (uintptr_t)obj,
        .original = (uintptr_t)original,
        .goid = g ? race_g_goid(g) : 0,
        .frame = g ? race_g_frame(g) : 0,
        .pc = pc,
        .first_frame = first && first->obj ? first->frame : 0,
        .first_pc = first && first->obj ? first->pc : 0,
    };
    report_copy_found(&c);
    /* From here on the copy is a value of its own. */
    remember(obj, pc);
}
