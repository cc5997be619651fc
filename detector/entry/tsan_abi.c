/*
 * tsan_abi.c - the __tsan_* entry points that gcc 12 and clang 14 emit for C
 * under -fsanitize=thread, turned into calls of the detector (race.h).
 *
 * Families (docs/race.md, "The __tsan_* entry points the compilers emit"):
 *   __tsan_init                             every instrumented TU's .init_array
 *                                           calls it: idempotent; refuses
 *                                           libtsan, starts the detector
 *   __tsan_func_entry/exit                  shadow call stack
 *   __tsan_{read,write}N                    N = 1, 2, 4, 8, 16
 *   __tsan_unaligned_{read,write}N          clang (packed fields)
 *   __tsan_{read,write}_range               gcc (packed fields, struct copies)
 *   __tsan_[unaligned_]volatile_{read,write}N   only with the distinguish-
 *                                           volatile options; same as plain
 *   __tsan_[unaligned_]read_writeN          clang -tsan-compound-read-before-
 *                                           write: a read, then a write
 *   __tsan_{read,write}N_pc, *_range_pc     libtsan exports them for tools;
 *                                           never emitted by the compilers
 *   __tsan_atomicN_{load,store,exchange,fetch_{add,sub,and,or,xor,nand}}
 *   __tsan_atomicN_compare_exchange_{strong,weak}   gcc: int, expected by
 *                                           pointer, updated on failure
 *   __tsan_atomicN_compare_exchange_val     clang: returns the old value
 *   __tsan_atomic_{thread,signal}_fence
 *   __tsan_vptr_{update,read}               C++ only; cheap to have
 *
 * Ground rules:
 *  - Every callback is a real exported function (visibility default, never
 *    inlined): the access's pc is its return address,
 *    __builtin_return_address(0), as in TSan (symbolize pc - 1).
 *  - Nothing here is compiled with -fsanitize=thread.
 *  - The detector is called with race_abi_depth raised, so that whatever it
 *    calls that is wrapped (memcpy, malloc, strlen while reporting) does not
 *    come back into it.
 *  - Atomics: the real operation first, then race_atomic() with its outcome
 *    (loads and failed compare-exchanges read, everything else writes).
 *    The detector must record an atomic's happens-before edges before it
 *    lets the scheduler switch goroutines, so that operation and edges are
 *    one step for every other goroutine.
 *  - The memory order is masked with 0x7fff (gcc -mhle passes 0x10002 for
 *    ACQUIRE|HLE_ACQUIRE) and mapped to __ATOMIC_*; consume is acquire and
 *    an unknown order is seq_cst.  The orders are run-time values, which gcc
 *    implements as seq_cst: stronger, never weaker, than asked.
 *  - 128-bit atomics use the __int128 __atomic builtins, which call
 *    libatomic: link with -latomic.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detector/explore/explore.h"
#include "intercept.h"
#include "detector/race/race.h"

/* A preemption point of the random and pct strategies, after the access is
   checked and with the depth back at zero: the one branch the default
   strategy pays per access. */
#define EXPLORE_POINT() do { if (__builtin_expect(explore_on, 0)) explore_access(); } while (0)

#define TSAN_EXPORT __attribute__((visibility("default"), noinline, used))
#define CALLER_PC() ((uintptr_t)__builtin_return_address(0))

/* ---- the detector, with re-entry blocked ------------------------------ */

int race_abi_ready;
/* __tsan_init is running (on some thread): callbacks stay off. */
static int abi_initializing;

static inline void det_read(const void *a, size_t n, uintptr_t pc)
{
    race_abi_depth++;
    race_read(a, n, pc);
    race_abi_depth--;
    EXPLORE_POINT();
}

static inline void det_write(const void *a, size_t n, uintptr_t pc)
{
    race_abi_depth++;
    race_write(a, n, pc);
    race_abi_depth--;
    EXPLORE_POINT();
}

static inline void det_atomic(const volatile void *a, size_t n, bool write,
                              uintptr_t pc)
{
    race_abi_depth++;
    race_atomic((const void *)a, n, write, pc);
    race_abi_depth--;
    EXPLORE_POINT();
}

/* The checker's start-up (refuses libtsan, reads CORACE_OPTIONS, calls
   race_init, installs the runtime's event hooks; idempotent) and its
   preemption point, both in hooks.c; declared here until race.h does.
   Strong references on purpose: they pull hooks.o out of a static
   archive. */
void race_start(void);
void race_maybe_preempt(void);

/* Callbacks return early unless the detector may be called. */
#define GATE() do { if (!race_abi_gate()) return; } while (0)

/* ---- initialisation --------------------------------------------------- */

TSAN_EXPORT void __tsan_init(void)
{
    int expected = 0;
    if (__atomic_load_n(&race_abi_ready, __ATOMIC_ACQUIRE))
        return;
    /* The first caller initialises; a concurrent one (a thread started by a
       constructor) skips its accesses until then rather than wait. */
    if (!__atomic_compare_exchange_n(&abi_initializing, &expected, 1, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return;
    race_abi_depth++;
    race_start();
    race_abi_depth--;
    __atomic_store_n(&race_abi_ready, 1, __ATOMIC_RELEASE);
}

bool race_abi_slow_gate(void)
{
    if (!gate_open())
        return false;
    if (!__atomic_load_n(&race_abi_ready, __ATOMIC_ACQUIRE)) {
        /* Something reached us before any instrumented TU's constructor
           (an earlier constructor calling malloc, say): start now. */
        if (__atomic_load_n(&abi_initializing, __ATOMIC_ACQUIRE))
            return false;
        __tsan_init();
        return __atomic_load_n(&race_abi_ready, __ATOMIC_ACQUIRE) &&
               race_abi_depth == 0;
    }
    return true;
}

/* ---- function entry and exit ------------------------------------------ */

TSAN_EXPORT void __tsan_func_entry(void *caller_pc)
{
    GATE();
    race_abi_depth++;
    race_func_entry((uintptr_t)caller_pc);
    race_abi_depth--;
    /* Checked mode may switch goroutines here: only with the depth back at
       zero, since it belongs to the OS thread, not to the goroutine. */
    race_maybe_preempt();
}

TSAN_EXPORT void __tsan_func_exit(void)
{
    GATE();
    race_abi_depth++;
    race_func_exit();
    race_abi_depth--;
}

/* ---- plain accesses --------------------------------------------------- */

#define ACCESS(name, n, fn)                                                  \
    TSAN_EXPORT void name(void *a)                                           \
    {                                                                        \
        GATE();                                                              \
        fn(a, n, CALLER_PC());                                               \
    }
#define ACCESS_RW(name, n)                                                   \
    TSAN_EXPORT void name(void *a)                                           \
    {                                                                        \
        GATE();                                                              \
        uintptr_t pc = CALLER_PC();                                          \
        det_read(a, n, pc);                                                  \
        det_write(a, n, pc);                                                 \
    }
#define ACCESS_PC(name, n, fn)                                               \
    TSAN_EXPORT void name(void *a, void *pc)                                 \
    {                                                                        \
        GATE();                                                              \
        fn(a, n, (uintptr_t)pc);                                             \
    }
#define ACCESS_SIZES(prefix, fn)                                             \
    ACCESS(prefix##1, 1, fn) ACCESS(prefix##2, 2, fn)                        \
    ACCESS(prefix##4, 4, fn) ACCESS(prefix##8, 8, fn)                        \
    ACCESS(prefix##16, 16, fn)

ACCESS_SIZES(__tsan_read, det_read)
ACCESS_SIZES(__tsan_write, det_write)
/* Size 1 is never unaligned; LLVM declares the name all the same. */
ACCESS_SIZES(__tsan_unaligned_read, det_read)
ACCESS_SIZES(__tsan_unaligned_write, det_write)
ACCESS_SIZES(__tsan_volatile_read, det_read)
ACCESS_SIZES(__tsan_volatile_write, det_write)
ACCESS_SIZES(__tsan_unaligned_volatile_read, det_read)
ACCESS_SIZES(__tsan_unaligned_volatile_write, det_write)

ACCESS_RW(__tsan_read_write1, 1)
ACCESS_RW(__tsan_read_write2, 2)
ACCESS_RW(__tsan_read_write4, 4)
ACCESS_RW(__tsan_read_write8, 8)
ACCESS_RW(__tsan_read_write16, 16)
ACCESS_RW(__tsan_unaligned_read_write1, 1)
ACCESS_RW(__tsan_unaligned_read_write2, 2)
ACCESS_RW(__tsan_unaligned_read_write4, 4)
ACCESS_RW(__tsan_unaligned_read_write8, 8)
ACCESS_RW(__tsan_unaligned_read_write16, 16)

ACCESS_PC(__tsan_read1_pc, 1, det_read)
ACCESS_PC(__tsan_read2_pc, 2, det_read)
ACCESS_PC(__tsan_read4_pc, 4, det_read)
ACCESS_PC(__tsan_read8_pc, 8, det_read)
ACCESS_PC(__tsan_read16_pc, 16, det_read)
ACCESS_PC(__tsan_write1_pc, 1, det_write)
ACCESS_PC(__tsan_write2_pc, 2, det_write)
ACCESS_PC(__tsan_write4_pc, 4, det_write)
ACCESS_PC(__tsan_write8_pc, 8, det_write)
ACCESS_PC(__tsan_write16_pc, 16, det_write)

TSAN_EXPORT void __tsan_read_range(void *a, unsigned long size)
{
    GATE();
    if (size != 0)
        det_read(a, size, CALLER_PC());
}

TSAN_EXPORT void __tsan_write_range(void *a, unsigned long size)
{
    GATE();
    if (size != 0)
        det_write(a, size, CALLER_PC());
}

TSAN_EXPORT void __tsan_read_range_pc(void *a, unsigned long size, void *pc)
{
    GATE();
    if (size != 0)
        det_read(a, size, (uintptr_t)pc);
}

TSAN_EXPORT void __tsan_write_range_pc(void *a, unsigned long size, void *pc)
{
    GATE();
    if (size != 0)
        det_write(a, size, (uintptr_t)pc);
}

/* C++ virtual-table pointers: a write only when the value changes, as TSan
   (a constructor chain stores the same vptr again). */
TSAN_EXPORT void __tsan_vptr_update(void **vptr_p, void *new_val)
{
    GATE();
    if (*vptr_p != new_val)
        det_write(vptr_p, sizeof *vptr_p, CALLER_PC());
}

TSAN_EXPORT void __tsan_vptr_read(void **vptr_p)
{
    GATE();
    det_read(vptr_p, sizeof *vptr_p, CALLER_PC());
}

/* ---- atomics ---------------------------------------------------------- */

typedef char a8;
typedef short a16;
typedef int a32;
typedef long a64;
__extension__ typedef __int128 a128;

/* __tsan_memory_order: relaxed, consume, acquire, release, acq_rel,
   seq_cst; extra bits above 0x7fff (HLE) are dropped. */
typedef int tsan_mo;

static inline int mo_of(tsan_mo mo)
{
    switch (mo & 0x7fff) {
    case 0: return __ATOMIC_RELAXED;
    case 1: return __ATOMIC_ACQUIRE;   /* consume: as every compiler does */
    case 2: return __ATOMIC_ACQUIRE;
    case 3: return __ATOMIC_RELEASE;
    case 4: return __ATOMIC_ACQ_REL;
    default: return __ATOMIC_SEQ_CST;
    }
}

/* A compare-exchange's failure order may be neither release nor acq_rel. */
static inline int fail_mo_of(tsan_mo mo)
{
    int m = mo_of(mo);
    if (m == __ATOMIC_RELEASE)
        return __ATOMIC_RELAXED;
    if (m == __ATOMIC_ACQ_REL)
        return __ATOMIC_ACQUIRE;
    return m;
}

#define ATOMIC_LOAD(T, bits)                                                 \
    TSAN_EXPORT T __tsan_atomic##bits##_load(const volatile T *a, tsan_mo mo) \
    {                                                                        \
        T v = __atomic_load_n(a, mo_of(mo));                                 \
        if (race_abi_gate())                                                 \
            det_atomic(a, sizeof(T), false, CALLER_PC());                    \
        return v;                                                            \
    }

#define ATOMIC_STORE(T, bits)                                                \
    TSAN_EXPORT void __tsan_atomic##bits##_store(volatile T *a, T v,         \
                                                 tsan_mo mo)                 \
    {                                                                        \
        __atomic_store_n(a, v, mo_of(mo));                                   \
        if (race_abi_gate())                                                 \
            det_atomic(a, sizeof(T), true, CALLER_PC());                     \
    }

#define ATOMIC_RMW(T, bits, op, builtin)                                     \
    TSAN_EXPORT T __tsan_atomic##bits##_##op(volatile T *a, T v, tsan_mo mo)  \
    {                                                                        \
        T old = builtin(a, v, mo_of(mo));                                    \
        if (race_abi_gate())                                                 \
            det_atomic(a, sizeof(T), true, CALLER_PC());                     \
        return old;                                                          \
    }

/* gcc: *expected is updated with the current value on failure. */
#define ATOMIC_CAS(T, bits, kind, weak)                                      \
    TSAN_EXPORT int __tsan_atomic##bits##_compare_exchange_##kind(           \
        volatile T *a, T *expected, T desired, tsan_mo mo, tsan_mo fmo)      \
    {                                                                        \
        bool ok = __atomic_compare_exchange_n(a, expected, desired, weak,    \
                                              mo_of(mo), fail_mo_of(fmo));   \
        if (race_abi_gate())                                                 \
            det_atomic(a, sizeof(T), ok, CALLER_PC());                       \
        return ok;                                                           \
    }

/* clang: returns the value found; it succeeded iff that equals expected. */
#define ATOMIC_CAS_VAL(T, bits)                                              \
    TSAN_EXPORT T __tsan_atomic##bits##_compare_exchange_val(                \
        volatile T *a, T expected, T desired, tsan_mo mo, tsan_mo fmo)       \
    {                                                                        \
        T cur = expected;                                                    \
        bool ok = __atomic_compare_exchange_n(a, &cur, desired, false,       \
                                              mo_of(mo), fail_mo_of(fmo));   \
        if (race_abi_gate())                                                 \
            det_atomic(a, sizeof(T), ok, CALLER_PC());                       \
        return cur;                                                          \
    }

#define ATOMIC_WIDTH(T, bits)                                                \
    ATOMIC_LOAD(T, bits)                                                     \
    ATOMIC_STORE(T, bits)                                                    \
    ATOMIC_RMW(T, bits, exchange, __atomic_exchange_n)                       \
    ATOMIC_RMW(T, bits, fetch_add, __atomic_fetch_add)                       \
    ATOMIC_RMW(T, bits, fetch_sub, __atomic_fetch_sub)                       \
    ATOMIC_RMW(T, bits, fetch_and, __atomic_fetch_and)                       \
    ATOMIC_RMW(T, bits, fetch_or, __atomic_fetch_or)                         \
    ATOMIC_RMW(T, bits, fetch_xor, __atomic_fetch_xor)                       \
    ATOMIC_RMW(T, bits, fetch_nand, __atomic_fetch_nand)                     \
    ATOMIC_CAS(T, bits, strong, false)                                       \
    ATOMIC_CAS(T, bits, weak, true)                                          \
    ATOMIC_CAS_VAL(T, bits)

ATOMIC_WIDTH(a8, 8)
ATOMIC_WIDTH(a16, 16)
ATOMIC_WIDTH(a32, 32)
ATOMIC_WIDTH(a64, 64)
/* 16 bytes are not lock-free without cmpxchg16b: libatomic, as asked. */
#ifdef __clang__
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Watomic-alignment"
#endif
ATOMIC_WIDTH(a128, 128)
#ifdef __clang__
#pragma clang diagnostic pop
#endif

/* Fences order the hardware; the detector's happens-before comes from the
   atomic accesses around them (Go has no fences; TSan ignores them too). */
TSAN_EXPORT void __tsan_atomic_thread_fence(tsan_mo mo)
{
    __atomic_thread_fence(mo_of(mo));
}

TSAN_EXPORT void __tsan_atomic_signal_fence(tsan_mo mo)
{
    __atomic_signal_fence(mo_of(mo));
}
