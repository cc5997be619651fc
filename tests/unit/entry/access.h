/*
 * access.h - the instrumented half of the suite.
 *
 * access.c is compiled with -fsanitize=thread -c by each compiler at each
 * optimisation level (a "variant"); each copy exports its functions under
 * the variant's prefix and a table of them, so the driver runs the same
 * checks on every variant.  Each function does one thing the compilers
 * instrument, through pointer arguments, so -O2 cannot remove it.
 */
#ifndef CORACE_TEST_ACCESS_H
#define CORACE_TEST_ACCESS_H

#include <stddef.h>

__extension__ typedef __int128 i128;

typedef struct big {
    long a[10];
} big;

/* Fields at offsets 1, 5, 13 and 15: all misaligned. */
struct __attribute__((packed)) pk {
    char c;
    int i;
    long l;
    short s;
    i128 q;
};

struct bits {
    unsigned a : 3;
    unsigned b : 7;
    unsigned c : 22;
    int after;
};

/* Results of the fixed sequence of atomic operations (see access.c). */
#define ATOMIC_STEPS 15
typedef struct atomic_out {
    i128 v[ATOMIC_STEPS];
} atomic_out;

typedef struct variant {
    const char *name;
    char (*rd1)(char *);
    short (*rd2)(short *);
    int (*rd4)(int *);
    long (*rd8)(long *);
    i128 (*rd16)(i128 *);
    void (*wr1)(char *, char);
    void (*wr2)(short *, short);
    void (*wr4)(int *, int);
    void (*wr8)(long *, long);
    void (*wr16)(i128 *, i128);
    int (*vrd4)(volatile int *);
    void (*vwr8)(volatile long *, long);
    int (*pk_rd_i)(struct pk *);
    void (*pk_wr_l)(struct pk *, long);
    short (*pk_rd_s)(struct pk *);
    i128 (*pk_rd_q)(struct pk *);
    void (*bits_wr_b)(struct bits *, unsigned);
    void (*copy_big)(big *, const big *);
    void (*zero_big)(big *);
    void (*do_memcpy)(void *, const void *, size_t);
    void (*do_memmove)(void *, const void *, size_t);
    void (*do_memset)(void *, int, size_t);
    void (*outer)(int *);
    void (*inner)(int *);
    void (*atomics8)(char *, atomic_out *);
    void (*atomics16)(short *, atomic_out *);
    void (*atomics32)(int *, atomic_out *);
    void (*atomics64)(long *, atomic_out *);
    void (*atomics128)(i128 *, atomic_out *);
    int (*hle_add)(int *);      /* NULL without -mhle */
    int atomic128_instrumented; /* clang instruments 16-byte atomics only
                                   with -mcx16 (else: libatomic calls) */
    void (*fences)(void);
} variant;

#endif
