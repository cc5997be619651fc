/*
 * access.c - instrumented code for the suite (see access.h).  Compiled with
 * -fsanitize=thread -c and -DVARIANT=<name>; never linked with the flag.
 */
#include <string.h>

#include "access.h"

#ifndef VARIANT
#error "compile with -DVARIANT=name"
#endif
#define CAT2(a, b) a##_##b
#define CAT(a, b) CAT2(a, b)
#define V(name) CAT(VARIANT, name)
#define STR2(x) #x
#define STR(x) STR2(x)
#define F __attribute__((noinline))

/* Each definition is preceded by its declaration: -Wmissing-prototypes. */
#define RD(name, T) \
    T V(name)(T *p); \
    F T V(name)(T *p) { return *p; }
#define WR(name, T) \
    void V(name)(T *p, T v); \
    F void V(name)(T *p, T v) { *p = v; }

RD(rd1, char)
RD(rd2, short)
RD(rd4, int)
RD(rd8, long)
RD(rd16, i128)
WR(wr1, char)
WR(wr2, short)
WR(wr4, int)
WR(wr8, long)
WR(wr16, i128)

int V(vrd4)(volatile int *p);
F int V(vrd4)(volatile int *p) { return *p; }
void V(vwr8)(volatile long *p, long v);
F void V(vwr8)(volatile long *p, long v) { *p = v; }

int V(pk_rd_i)(struct pk *p);
F int V(pk_rd_i)(struct pk *p) { return p->i; }
void V(pk_wr_l)(struct pk *p, long v);
F void V(pk_wr_l)(struct pk *p, long v) { p->l = v; }
short V(pk_rd_s)(struct pk *p);
F short V(pk_rd_s)(struct pk *p) { return p->s; }
i128 V(pk_rd_q)(struct pk *p);
F i128 V(pk_rd_q)(struct pk *p) { return p->q; }

void V(bits_wr_b)(struct bits *p, unsigned v);
F void V(bits_wr_b)(struct bits *p, unsigned v) { p->b = v; }

void V(copy_big)(big *d, const big *s);
F void V(copy_big)(big *d, const big *s) { *d = *s; }
void V(zero_big)(big *d);
F void V(zero_big)(big *d) { *d = (big){0}; }

void V(do_memcpy)(void *d, const void *s, size_t n);
F void V(do_memcpy)(void *d, const void *s, size_t n) { memcpy(d, s, n); }
void V(do_memmove)(void *d, const void *s, size_t n);
F void V(do_memmove)(void *d, const void *s, size_t n) { memmove(d, s, n); }
void V(do_memset)(void *d, int c, size_t n);
F void V(do_memset)(void *d, int c, size_t n) { memset(d, c, n); }

void V(inner)(int *p);
F void V(inner)(int *p) { *p = 1; }
void V(outer)(int *p);
F void V(outer)(int *p) { V(inner)(p); }

/* The fixed sequence of access.h's ATOMIC_STEPS operations; the driver
   starts it with *p == 0 and knows each result. */
#define ATOMICS(name, T)                                                     \
    void V(name)(T *p, atomic_out *o);                                       \
    F void V(name)(T *p, atomic_out *o)                                      \
    {                                                                        \
        T e;                                                                 \
        __atomic_store_n(p, (T)5, __ATOMIC_RELAXED);                         \
        o->v[0] = 0;                                                         \
        o->v[1] = __atomic_load_n(p, __ATOMIC_ACQUIRE);                      \
        o->v[2] = __atomic_exchange_n(p, (T)7, __ATOMIC_ACQ_REL);            \
        o->v[3] = __atomic_fetch_add(p, (T)3, __ATOMIC_SEQ_CST);             \
        o->v[4] = __atomic_fetch_sub(p, (T)1, __ATOMIC_RELEASE);             \
        o->v[5] = __atomic_fetch_and(p, (T)0xc, __ATOMIC_RELAXED);           \
        o->v[6] = __atomic_fetch_or(p, (T)0x30, __ATOMIC_ACQUIRE);           \
        o->v[7] = __atomic_fetch_xor(p, (T)0xff, __ATOMIC_SEQ_CST);          \
        o->v[8] = __atomic_fetch_nand(p, (T)0x0f, __ATOMIC_SEQ_CST);         \
        e = __atomic_load_n(p, __ATOMIC_RELAXED);                            \
        o->v[9] = __atomic_compare_exchange_n(p, &e, (T)42, 0,               \
                      __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                   \
        e = 1;                                                               \
        (void)__atomic_compare_exchange_n(p, &e, (T)2, 0,                    \
                      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);                   \
        o->v[10] = e;                                                        \
        e = 42;                                                              \
        o->v[11] = __atomic_compare_exchange_n(p, &e, (T)43, 1,              \
                      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);                   \
        e = 0;                                                               \
        (void)__atomic_compare_exchange_n(p, &e, (T)1, 1,                    \
                      __ATOMIC_RELEASE, __ATOMIC_RELAXED);                   \
        o->v[12] = e;                                                        \
        o->v[13] = __atomic_add_fetch(p, (T)2, __ATOMIC_SEQ_CST);            \
        e = 45;                                                              \
        __atomic_compare_exchange_n(p, &e, (T)50, 0,                         \
                      __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);                   \
        o->v[14] = e;                                                        \
    }

ATOMICS(atomics8, char)
ATOMICS(atomics16, short)
ATOMICS(atomics32, int)
ATOMICS(atomics64, long)
#ifdef __clang__
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Watomic-alignment"
#endif
ATOMICS(atomics128, i128)
#ifdef __clang__
#pragma clang diagnostic pop
#endif

#ifdef __ATOMIC_HLE_ACQUIRE
/* gcc passes the memory order 0x10002 (ACQUIRE|HLE_ACQUIRE). */
int V(hle_add)(int *p);
F int V(hle_add)(int *p)
{
    return __atomic_fetch_add(p, 1, __ATOMIC_ACQUIRE | __ATOMIC_HLE_ACQUIRE);
}
#define HLE_ADD V(hle_add)
#else
#define HLE_ADD NULL
#endif

/* gcc warns that TSan does not model fences (-Wtsan); neither do we, but
   the calls must link and run. */
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wtsan"
#endif
void V(fences)(void);
F void V(fences)(void)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_signal_fence(__ATOMIC_ACQUIRE);
}

const variant V(variant) = {
    .name = STR(VARIANT),
    .rd1 = V(rd1), .rd2 = V(rd2), .rd4 = V(rd4), .rd8 = V(rd8),
    .rd16 = V(rd16),
    .wr1 = V(wr1), .wr2 = V(wr2), .wr4 = V(wr4), .wr8 = V(wr8),
    .wr16 = V(wr16),
    .vrd4 = V(vrd4), .vwr8 = V(vwr8),
    .pk_rd_i = V(pk_rd_i), .pk_wr_l = V(pk_wr_l), .pk_rd_s = V(pk_rd_s),
    .pk_rd_q = V(pk_rd_q),
    .bits_wr_b = V(bits_wr_b),
    .copy_big = V(copy_big), .zero_big = V(zero_big),
    .do_memcpy = V(do_memcpy), .do_memmove = V(do_memmove),
    .do_memset = V(do_memset),
    .outer = V(outer), .inner = V(inner),
    .atomics8 = V(atomics8), .atomics16 = V(atomics16),
    .atomics32 = V(atomics32), .atomics64 = V(atomics64),
    .atomics128 = V(atomics128),
    .hle_add = HLE_ADD,
#if !defined(__clang__) || defined(__GCC_HAVE_SYNC_COMPARE_AND_SWAP_16)
    .atomic128_instrumented = 1,
#endif
    .fences = V(fences),
};
