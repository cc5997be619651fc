/*
 * fake_race.h - a detector that only records how it was called, so the
 * suite can check what tsan_abi.c and intercept.c pass to race.h.
 */
#ifndef CORACE_TEST_FAKE_RACE_H
#define CORACE_TEST_FAKE_RACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum fk_kind {
    FK_READ, FK_WRITE, FK_ATOMIC, FK_FREE, FK_RESET, FK_ENTRY, FK_EXIT
} fk_kind;

typedef struct fk_call {
    fk_kind kind;
    uintptr_t addr;   /* FK_ENTRY: the caller pc */
    size_t size;
    bool write;       /* FK_ATOMIC */
    uintptr_t pc;
} fk_call;

#define FK_MAX 4096
extern fk_call fk_calls[FK_MAX];
extern int fk_n;            /* calls recorded */
extern int fk_lost;         /* calls past FK_MAX */
extern int fk_init_count;   /* race_init calls, recorded or not */
extern int fk_preempts;     /* race_maybe_preempt calls, ever */
/* When set, race_read/race_write/race_atomic/race_free call malloc, memcpy,
   strlen and free (all wrapped) to check that the detector is not
   re-entered. */
extern bool fk_reenter;

/* Record from now on, forgetting earlier calls. */
void fk_start(void);
/* Stop recording; returns fk_n. */
int fk_stop(void);

#endif
