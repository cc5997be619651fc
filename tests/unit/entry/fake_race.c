/*
 * fake_race.c - the recording detector of fake_race.h, with race.h's
 * prototypes (a mismatch with race.h is a compile error here).
 */
#include <stdlib.h>
#include <string.h>

#include "fake_race.h"
#include "libtsan_check.h"
#include "detector/race/race.h"

fk_call fk_calls[FK_MAX];
/* The runtime's quiet flag (runtime/rtlibc.h), which the gate reads. */
int co__rt_quiet;
int fk_n;
int fk_lost;
int fk_init_count;
int fk_preempts;
bool fk_reenter;
static bool fk_on;
/* Set while a fake entry point runs: a nested call is a re-entry. */
static int fk_inside;
static int fk_reentries;

void fk_start(void)
{
    fk_n = 0;
    fk_lost = 0;
    fk_reentries = 0;
    fk_on = true;
}

int fk_stop(void)
{
    fk_on = false;
    /* A re-entry shows as a call nobody made: make it fail the test. */
    if (fk_reentries != 0)
        fk_lost += 1000000;
    return fk_n;
}

static void rec(fk_kind kind, const void *addr, size_t size, bool write,
                uintptr_t pc)
{
    if (fk_inside++ != 0)
        fk_reentries++;
    if (fk_on) {
        if (fk_n < FK_MAX)
            fk_calls[fk_n++] = (fk_call){kind, (uintptr_t)addr, size, write, pc};
        else
            fk_lost++;
    }
    if (fk_reenter && kind != FK_RESET) {
        /* What a detector might do while reporting. */
        char *p = malloc(64);
        memcpy(p, "reentry", 8);
        p[strlen(p)] = '\0';
        memset(p, 0, 64);
        free(p);
    }
    fk_inside--;
}

void race_init(void) { fk_init_count++; }

/* hooks.c's, as tsan_abi.c declares them. */
void race_start(void);
void race_maybe_preempt(void);
void race_start(void)
{
    race_refuse_libtsan();
    race_init();
}
void race_maybe_preempt(void) { fk_preempts++; }
/* detector/explore's access point: off here, as in the default strategy. */
int explore_on;
void explore_access(void);
void explore_access(void) { fk_preempts++; }
void race_read(const void *addr, size_t size, uintptr_t pc)
{
    rec(FK_READ, addr, size, false, pc);
}
void race_write(const void *addr, size_t size, uintptr_t pc)
{
    rec(FK_WRITE, addr, size, true, pc);
}
void race_atomic(const void *addr, size_t size, bool write, uintptr_t pc)
{
    rec(FK_ATOMIC, addr, size, write, pc);
}
void race_free(void *addr, size_t size, uintptr_t pc)
{
    rec(FK_FREE, addr, size, true, pc);
}
void race_reset(void *addr, size_t size)
{
    rec(FK_RESET, addr, size, false, 0);
}
void race_func_entry(uintptr_t caller_pc)
{
    rec(FK_ENTRY, (const void *)caller_pc, 0, false, 0);
}
void race_func_exit(void)
{
    rec(FK_EXIT, NULL, 0, false, 0);
}
