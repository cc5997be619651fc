/*
 * stack.c - goroutine stacks.
 *
 * One mmap per stack plus one mprotect'd guard splits the address space into
 * two mappings per goroutine and runs into vm.max_map_count (65530) at about
 * 32,000 goroutines.  Instead stacks are carved from slabs of SLAB_STACKS
 * slots, each slab reserved with one MAP_NORESERVE mapping, so only touched
 * pages cost memory.  A slot is [guard][usable stack][struct stk]; the guard
 * is installed with MADV_GUARD_INSTALL, which does not split the mapping.
 * Where the kernel lacks it (before Linux 6.13) the guard falls back to
 * mprotect, which does split it: goroutines are then limited by
 * vm.max_map_count, and running out is a fatal error, never an unguarded
 * stack.  Free stacks go on a LIFO list so the warmest is reused first.
 */
#include "stack.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fatal.h"
#include "sanitizer.h"

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef VALGRIND_STACK_REGISTER
#define VALGRIND_STACK_REGISTER(lo, hi) ((void)(lo), (void)(hi), 0u)
#endif

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

/* 64 KiB of guard also catches frames too large to land in a 4 KiB one. */
#define GUARD_SIZE (64u * 1024u)
#define SLAB_STACKS 256u
#define DEFAULT_STACK (256u * 1024u)

/* At the top of every slot, above the usable stack. */
struct stk {
    struct stk *next;   /* free-list link */
    g *owner;           /* goroutine running on it, NULL when free */
};

typedef struct slab {
    char *base;         /* first slot */
    size_t used;        /* slots carved so far */
} slab;

static size_t slot_size;     /* guard + usable stack + header, page multiple */
static slab *slabs;
static size_t nslabs, slabs_cap;
static struct stk *free_stacks;
static bool guard_by_madvise = true;

#define HDR_SIZE 64u

static void stack_setup(void)
{
    size_t usable = DEFAULT_STACK;
    const char *env = getenv("CO_STACKSIZE");
    if (env && *env) {
        char *end;
        unsigned long long v = strtoull(env, &end, 10);
        if (*end == 'k' || *end == 'K') v *= 1024, end++;
        else if (*end == 'm' || *end == 'M') v *= 1024 * 1024, end++;
        if (*end || v < 16 * 1024 || v > (1ull << 30))
            fatal_msg("CO_STACKSIZE must be a byte count between 16K and 1G (got \"%s\")", env);
        usable = (size_t)v;
    }
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    slot_size = (GUARD_SIZE + usable + HDR_SIZE + page - 1) & ~(page - 1);
}

static void new_slab(void)
{
    if (nslabs == slabs_cap) {
        size_t cap = slabs_cap ? 2 * slabs_cap : 16;
        slab *s = realloc(slabs, cap * sizeof *s);
        if (!s) fatal_throw("out of memory allocating goroutine stacks");
        slabs = s;
        slabs_cap = cap;
    }
    void *p = mmap(NULL, slot_size * SLAB_STACKS, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) fatal_throw("out of memory allocating goroutine stacks");
    /* A huge page would make each touched stack cost 2 MiB. */
    madvise(p, slot_size * SLAB_STACKS, MADV_NOHUGEPAGE);
    slabs[nslabs++] = (slab){p, 0};
}

static void install_guard(char *slot)
{
    if (guard_by_madvise) {
        if (madvise(slot, GUARD_SIZE, MADV_GUARD_INSTALL) == 0) return;
        if (errno != EINVAL) fatal_throw("cannot install goroutine stack guard: %s", strerror(errno));
        guard_by_madvise = false;
    }
    if (mprotect(slot, GUARD_SIZE, PROT_NONE) != 0)
        fatal_throw("cannot install goroutine stack guard: %s (vm.max_map_count reached?)", strerror(errno));
}

static struct stk *carve(void)
{
    if (!slot_size) stack_setup();
    if (!nslabs || slabs[nslabs - 1].used == SLAB_STACKS) new_slab();
    slab *s = &slabs[nslabs - 1];
    char *slot = s->base + s->used++ * slot_size;
    install_guard(slot);
    /* Valgrind would take a switch onto this stack for a huge frame and
       report every access to it; registered once, as slots are reused. */
    (void)VALGRIND_STACK_REGISTER(slot + GUARD_SIZE, slot + slot_size - HDR_SIZE);
    return (struct stk *)(slot + slot_size - HDR_SIZE);
}

void *stack_bind(g *gp)
{
    struct stk *k = free_stacks;
    if (k) free_stacks = k->next;
    else k = carve();
    k->owner = gp;
    char *slot = (char *)k + HDR_SIZE - slot_size;
    gp->stack = k;
    gp->stack_lo = slot + GUARD_SIZE;
    gp->stack_size = (size_t)((char *)k - (char *)gp->stack_lo);
    san_stack_reuse(gp->stack_lo, gp->stack_size);
    return k;
}

void stack_release(g *gp)
{
    struct stk *k = gp->stack;
    k->owner = NULL;
    k->next = free_stacks;
    free_stacks = k;
    gp->stack = NULL;
}

bool stack_guard_hit(const void *addr, g **owner)
{
    const char *a = addr;
    for (size_t i = 0; i < nslabs; i++) {
        const char *base = slabs[i].base;
        if (a < base || a >= base + slabs[i].used * slot_size) continue;
        size_t off = (size_t)(a - base) % slot_size;
        if (off >= GUARD_SIZE) return false;
        const struct stk *k = (const struct stk *)(a - off + slot_size - HDR_SIZE);
        *owner = k->owner;
        return true;
    }
    return false;
}
