/*
 * test_tsan_abi.c - the __tsan_* ABI (tsan_abi.c), the libc wrappers
 * (intercept.c) and the libtsan refusal (libtsan_check.c), against a
 * recording detector (fake_race.c).
 *
 * The instrumented code is access.c, built by gcc and clang at -O0 and -O2
 * (variants.h lists the variants); this file is not instrumented and is
 * built with -fno-builtin, so its libc calls reach the wrappers as written.
 * Recording is switched on only around the code under test: Check itself
 * calls wrapped functions.  The executable exports its symbols (-rdynamic)
 * so dladdr can say which function a pc is in.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dlfcn.h>
#include <link.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "access.h"
#include "fake_race.h"
#include "intercept.h"
#include "libtsan_check.h"

#define VARIANT(n) extern const variant n##_variant;
#include "variants.h"
#undef VARIANT
static const variant *const variants[] = {
#define VARIANT(n) &n##_variant,
#include "variants.h"
#undef VARIANT
};
#define NVARIANTS ((int)(sizeof variants / sizeof variants[0]))

/* The entry points called directly (the compilers' prototypes). */
typedef int tsan_mo;
void __tsan_init(void);
void __tsan_read4(void *a);
void __tsan_write8(void *a);
void __tsan_unaligned_read2(void *a);
void __tsan_unaligned_write16(void *a);
void __tsan_volatile_read1(void *a);
void __tsan_volatile_write4(void *a);
void __tsan_read_write8(void *a);
void __tsan_unaligned_read_write4(void *a);
void __tsan_read_range(void *a, unsigned long size);
void __tsan_write_range(void *a, unsigned long size);
void __tsan_read2_pc(void *a, void *pc);
void __tsan_write16_pc(void *a, void *pc);
void __tsan_read_range_pc(void *a, unsigned long size, void *pc);
void __tsan_vptr_update(void **vptr_p, void *new_val);
void __tsan_vptr_read(void **vptr_p);
void __tsan_func_entry(void *caller_pc);
void __tsan_func_exit(void);
char __tsan_atomic8_load(const volatile char *a, tsan_mo mo);
short __tsan_atomic16_fetch_add(volatile short *a, short v, tsan_mo mo);
int __tsan_atomic32_fetch_nand(volatile int *a, int v, tsan_mo mo);
int __tsan_atomic32_compare_exchange_strong(volatile int *a, int *e, int d,
                                            tsan_mo mo, tsan_mo fmo);
int __tsan_atomic32_compare_exchange_weak(volatile int *a, int *e, int d,
                                          tsan_mo mo, tsan_mo fmo);
int __tsan_atomic32_compare_exchange_val(volatile int *a, int e, int d,
                                         tsan_mo mo, tsan_mo fmo);
long __tsan_atomic64_exchange(volatile long *a, long v, tsan_mo mo);
void __tsan_atomic64_store(volatile long *a, long v, tsan_mo mo);
long __tsan_atomic64_compare_exchange_val(volatile long *a, long e, long d,
                                          tsan_mo mo, tsan_mo fmo);
i128 __tsan_atomic128_load(const volatile i128 *a, tsan_mo mo);
i128 __tsan_atomic128_exchange(volatile i128 *a, i128 v, tsan_mo mo);
i128 __tsan_atomic128_fetch_add(volatile i128 *a, i128 v, tsan_mo mo);
int __tsan_atomic128_compare_exchange_strong(volatile i128 *a, i128 *e,
                                             i128 d, tsan_mo mo, tsan_mo fmo);
i128 __tsan_atomic128_compare_exchange_val(volatile i128 *a, i128 e, i128 d,
                                           tsan_mo mo, tsan_mo fmo);
void __tsan_atomic_thread_fence(tsan_mo mo);
void __tsan_atomic_signal_fence(tsan_mo mo);
/* glibc's fortified entry points. */
void *__memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__memset_chk(void *dst, int c, size_t n, size_t dstlen);
char *__strcpy_chk(char *dst, const char *src, size_t dstlen);

/* ---- looking at the record -------------------------------------------- */

/* Whether pc (a return address) is inside function fn. */
static bool pc_in(uintptr_t pc, const void *fn)
{
    Dl_info info;
    const ElfW(Sym) *sym = NULL;
    if (pc == 0 || !dladdr1((void *)(pc - 1), &info, (void **)&sym,
                            RTLD_DL_SYMENT) || sym == NULL)
        return false;
    return info.dli_saddr == fn && pc - 1 < (uintptr_t)fn + sym->st_size;
}

static int count_kind(fk_kind k)
{
    int c = 0;
    for (int i = 0; i < fk_n; i++)
        c += fk_calls[i].kind == k;
    return c;
}

/* The i-th record of kind k, or NULL. */
static const fk_call *nth(fk_kind k, int i)
{
    for (int j = 0; j < fk_n; j++)
        if (fk_calls[j].kind == k && i-- == 0)
            return &fk_calls[j];
    return NULL;
}

/* The records of kind k cover every byte of [a, a+n) and nothing else;
   each has its pc in fn. */
static void assert_covers(fk_kind k, const void *a, size_t n, const void *fn)
{
    unsigned char seen[256] = {0};
    uintptr_t lo = (uintptr_t)a;
    ck_assert_uint_le(n, sizeof seen);
    for (int i = 0; i < fk_n; i++) {
        const fk_call *c = &fk_calls[i];
        if (c->kind != k)
            continue;
        ck_assert_msg(c->addr >= lo && c->addr + c->size <= lo + n,
                      "access [%#lx,+%zu) outside [%#lx,+%zu)",
                      (unsigned long)c->addr, c->size, (unsigned long)lo, n);
        ck_assert_msg(pc_in(c->pc, fn), "pc %#lx not in the function",
                      (unsigned long)c->pc);
        for (size_t b = 0; b < c->size; b++)
            seen[c->addr - lo + b] = 1;
    }
    for (size_t b = 0; b < n; b++)
        ck_assert_msg(seen[b], "byte %zu of %zu not covered", b, n);
}

/* One instrumented call: a func entry from outside fn, a matching exit. */
static void assert_one_frame(const void *fn)
{
    ck_assert_int_eq(fk_lost, 0);
    ck_assert_int_eq(count_kind(FK_ENTRY), 1);
    ck_assert_int_eq(count_kind(FK_EXIT), 1);
    ck_assert_int_eq(fk_calls[0].kind, FK_ENTRY);
    ck_assert_int_eq(fk_calls[fk_n - 1].kind, FK_EXIT);
    ck_assert(fk_calls[0].addr != 0);
    ck_assert(!pc_in(fk_calls[0].addr, fn));
}

/* Exactly one plain access of kind k, of (a, n), from fn. */
static void assert_one_access(fk_kind k, const void *a, size_t n,
                              const void *fn)
{
    fk_kind other = k == FK_READ ? FK_WRITE : FK_READ;
    assert_one_frame(fn);
    ck_assert_int_eq(count_kind(k), 1);
    ck_assert_int_eq(count_kind(other), 0);
    ck_assert_int_eq(count_kind(FK_ATOMIC), 0);
    ck_assert_ptr_eq((void *)nth(k, 0)->addr, a);
    ck_assert_uint_eq(nth(k, 0)->size, n);
    ck_assert(pc_in(nth(k, 0)->pc, fn));
}

/* ---- initialisation ----------------------------------------------------- */

START_TEST(test_init_once)
{
    /* Every instrumented object's constructor called __tsan_init. */
    ck_assert_int_eq(fk_init_count, 1);
    ck_assert_int_eq(race_abi_ready, 1);
    __tsan_init();
    __tsan_init();
    __tsan_init();
    ck_assert_int_eq(fk_init_count, 1);
}
END_TEST

/* ---- compiled accesses, per variant ------------------------------------- */

static union {
    i128 q;
    long l[2];
    int i[4];
    short s[8];
    char c[16];
} cell;

START_TEST(test_sizes)
{
    const variant *v = variants[_i];
    long r;
    cell.q = 0;
    cell.c[1] = 11;
    cell.s[1] = 22;
    cell.i[1] = 33;
    cell.l[1] = 44;

    fk_start(); r = v->rd1(&cell.c[1]); fk_stop();
    ck_assert_int_eq(r, 11);
    assert_one_access(FK_READ, &cell.c[1], 1, (void *)v->rd1);
    fk_start(); r = v->rd2(&cell.s[1]); fk_stop();
    ck_assert_int_eq(r, 22);
    assert_one_access(FK_READ, &cell.s[1], 2, (void *)v->rd2);
    fk_start(); r = v->rd4(&cell.i[1]); fk_stop();
    ck_assert_int_eq(r, 33);
    assert_one_access(FK_READ, &cell.i[1], 4, (void *)v->rd4);
    fk_start(); r = v->rd8(&cell.l[1]); fk_stop();
    ck_assert_int_eq(r, 44);
    assert_one_access(FK_READ, &cell.l[1], 8, (void *)v->rd8);
    fk_start(); i128 q = v->rd16(&cell.q); fk_stop();
    ck_assert(q == cell.q);
    assert_one_access(FK_READ, &cell.q, 16, (void *)v->rd16);

    fk_start(); v->wr1(&cell.c[3], 5); fk_stop();
    assert_one_access(FK_WRITE, &cell.c[3], 1, (void *)v->wr1);
    ck_assert_int_eq(cell.c[3], 5);
    fk_start(); v->wr2(&cell.s[2], 6); fk_stop();
    assert_one_access(FK_WRITE, &cell.s[2], 2, (void *)v->wr2);
    ck_assert_int_eq(cell.s[2], 6);
    fk_start(); v->wr4(&cell.i[2], 7); fk_stop();
    assert_one_access(FK_WRITE, &cell.i[2], 4, (void *)v->wr4);
    ck_assert_int_eq(cell.i[2], 7);
    fk_start(); v->wr8(&cell.l[0], 8); fk_stop();
    assert_one_access(FK_WRITE, &cell.l[0], 8, (void *)v->wr8);
    ck_assert_int_eq(cell.l[0], 8);
    i128 big_value = ((i128)0x0123456789abcdefL << 64) | 0x1122334455667788L;
    fk_start(); v->wr16(&cell.q, big_value); fk_stop();
    assert_one_access(FK_WRITE, &cell.q, 16, (void *)v->wr16);
    ck_assert(cell.q == big_value);

    /* volatile: the plain calls unless distinguished. */
    cell.i[3] = 9;
    fk_start(); r = v->vrd4(&cell.i[3]); fk_stop();
    ck_assert_int_eq(r, 9);
    assert_one_access(FK_READ, &cell.i[3], 4, (void *)v->vrd4);
    fk_start(); v->vwr8(&cell.l[1], 10); fk_stop();
    assert_one_access(FK_WRITE, &cell.l[1], 8, (void *)v->vwr8);
}
END_TEST

START_TEST(test_packed)
{
    const variant *v = variants[_i];
    long r;
    static struct pk p = {.c = 1, .i = 2, .l = 3, .s = 4, .q = 5};

    fk_start(); r = v->pk_rd_i(&p); fk_stop();
    ck_assert_int_eq(r, 2);
    assert_one_frame((void *)v->pk_rd_i);
    ck_assert_int_eq(count_kind(FK_WRITE), 0);
    assert_covers(FK_READ, &p.i, 4, (void *)v->pk_rd_i);

    fk_start(); v->pk_wr_l(&p, 77); fk_stop();
    assert_one_frame((void *)v->pk_wr_l);
    ck_assert_int_eq(count_kind(FK_READ), 0);
    assert_covers(FK_WRITE, &p.l, 8, (void *)v->pk_wr_l);
    ck_assert_int_eq(p.l, 77);

    fk_start(); r = v->pk_rd_s(&p); fk_stop();
    ck_assert_int_eq(r, 4);
    assert_one_frame((void *)v->pk_rd_s);
    assert_covers(FK_READ, &p.s, 2, (void *)v->pk_rd_s);

    fk_start(); i128 q = v->pk_rd_q(&p); fk_stop();
    ck_assert(q == 5);
    assert_one_frame((void *)v->pk_rd_q);
    assert_covers(FK_READ, &p.q, 16, (void *)v->pk_rd_q);
}
END_TEST

START_TEST(test_bitfield)
{
    const variant *v = variants[_i];
    static struct bits b = {.a = 1, .b = 2, .c = 3, .after = 4};
    fk_start(); v->bits_wr_b(&b, 100); fk_stop();
    assert_one_frame((void *)v->bits_wr_b);
    ck_assert_uint_eq(b.a, 1);
    ck_assert_uint_eq(b.b, 100);
    ck_assert_uint_eq(b.c, 3);
    /* Bits 3..9: the compilers read-modify-write 1 to 4 bytes of the word;
       never the next field. */
    ck_assert_int_ge(count_kind(FK_WRITE), 1);
    for (int i = 0; i < fk_n; i++) {
        const fk_call *c = &fk_calls[i];
        if (c->kind != FK_READ && c->kind != FK_WRITE)
            continue;
        ck_assert(c->addr >= (uintptr_t)&b);
        ck_assert(c->addr + c->size <= (uintptr_t)&b.after);
        ck_assert(pc_in(c->pc, (void *)v->bits_wr_b));
    }
}
END_TEST

START_TEST(test_struct_copy)
{
    const variant *v = variants[_i];
    static big src, dst;
    for (int i = 0; i < 10; i++)
        src.a[i] = i * 3 + 1;

    /* gcc: __tsan_read_range/write_range; clang: a call to memcpy. */
    fk_start(); v->copy_big(&dst, &src); fk_stop();
    ck_assert_int_eq(memcmp(&dst, &src, sizeof dst), 0);
    assert_one_frame((void *)v->copy_big);
    assert_covers(FK_READ, &src, sizeof src, (void *)v->copy_big);
    assert_covers(FK_WRITE, &dst, sizeof dst, (void *)v->copy_big);

    /* = {0}: write_range, a memset, or element stores. */
    fk_start(); v->zero_big(&dst); fk_stop();
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(dst.a[i], 0);
    assert_one_frame((void *)v->zero_big);
    /* clang -O0 builds the compound literal on the stack and copies it:
       reads of that temporary, never of dst. */
    for (int i = 0; i < fk_n; i++)
        if (fk_calls[i].kind == FK_READ)
            ck_assert(fk_calls[i].addr + fk_calls[i].size <= (uintptr_t)&dst ||
                      fk_calls[i].addr >= (uintptr_t)(&dst + 1));
    /* The writes to dst (and only those) cover it. */
    unsigned char seen[sizeof dst] = {0};
    for (int i = 0; i < fk_n; i++) {
        const fk_call *c = &fk_calls[i];
        if (c->kind != FK_WRITE || c->addr >= (uintptr_t)(&dst + 1) ||
            c->addr + c->size <= (uintptr_t)&dst)
            continue;
        ck_assert(c->addr >= (uintptr_t)&dst);
        ck_assert(c->addr + c->size <= (uintptr_t)(&dst + 1));
        ck_assert(pc_in(c->pc, (void *)v->zero_big));
        for (size_t b = 0; b < c->size; b++)
            seen[c->addr - (uintptr_t)&dst + b] = 1;
    }
    for (size_t b = 0; b < sizeof dst; b++)
        ck_assert_msg(seen[b], "byte %zu of dst not written", b);
}
END_TEST

START_TEST(test_mem_calls)
{
    const variant *v = variants[_i];
    static char a[64], b[64];
    for (int i = 0; i < 64; i++)
        a[i] = (char)i;

    fk_start(); v->do_memcpy(b, a + 3, 37); fk_stop();
    ck_assert_int_eq(memcmp(b, a + 3, 37), 0);
    assert_one_frame((void *)v->do_memcpy);
    ck_assert_int_eq(count_kind(FK_READ), 1);
    ck_assert_ptr_eq((void *)nth(FK_READ, 0)->addr, a + 3);
    ck_assert_uint_eq(nth(FK_READ, 0)->size, 37);
    ck_assert(pc_in(nth(FK_READ, 0)->pc, (void *)v->do_memcpy));
    ck_assert_int_eq(count_kind(FK_WRITE), 1);
    ck_assert_ptr_eq((void *)nth(FK_WRITE, 0)->addr, b);
    ck_assert_uint_eq(nth(FK_WRITE, 0)->size, 37);
    ck_assert(pc_in(nth(FK_WRITE, 0)->pc, (void *)v->do_memcpy));
    /* Read before write, as the copy does. */
    ck_assert_int_eq(fk_calls[1].kind, FK_READ);

    fk_start(); v->do_memmove(a + 1, a, 20); fk_stop();
    ck_assert_int_eq(a[1], 0);
    ck_assert_int_eq(a[20], 19);
    ck_assert_int_eq(count_kind(FK_READ), 1);
    ck_assert_int_eq(count_kind(FK_WRITE), 1);
    ck_assert_ptr_eq((void *)nth(FK_READ, 0)->addr, a);
    ck_assert_ptr_eq((void *)nth(FK_WRITE, 0)->addr, a + 1);
    ck_assert(pc_in(nth(FK_WRITE, 0)->pc, (void *)v->do_memmove));

    fk_start(); v->do_memset(b + 5, 0x5a, 11); fk_stop();
    ck_assert_int_eq(b[15], 0x5a);
    assert_one_access(FK_WRITE, b + 5, 11, (void *)v->do_memset);
}
END_TEST

START_TEST(test_nesting)
{
    const variant *v = variants[_i];
    int x = 0;
    fk_start(); v->outer(&x); fk_stop();
    ck_assert_int_eq(x, 1);
    ck_assert_int_eq(fk_lost, 0);
    ck_assert_int_eq(fk_n, 5);
    ck_assert_int_eq(fk_calls[0].kind, FK_ENTRY);
    ck_assert_int_eq(fk_calls[1].kind, FK_ENTRY);
    ck_assert_int_eq(fk_calls[2].kind, FK_WRITE);
    ck_assert_int_eq(fk_calls[3].kind, FK_EXIT);
    ck_assert_int_eq(fk_calls[4].kind, FK_EXIT);
    ck_assert(!pc_in(fk_calls[0].addr, (void *)v->outer));
    /* inner's caller pc is the return address into outer. */
    ck_assert(pc_in(fk_calls[1].addr, (void *)v->outer));
    ck_assert(pc_in(fk_calls[2].pc, (void *)v->inner));
}
END_TEST

/* The write flags of the atomic records of access.c's sequence. */
static const bool atomic_writes[] = {
    true,  /* store */
    false, /* load */
    true, true, true, true, true, true, true, /* exchange, fetch_* */
    false, /* load */
    true,  /* strong CAS, succeeds */
    false, /* strong CAS, fails */
    true,  /* weak CAS, succeeds */
    false, /* weak CAS, fails */
    true,  /* add_fetch */
    true,  /* CAS, succeeds */
};
#define NATOMIC ((int)(sizeof atomic_writes / sizeof atomic_writes[0]))

/* Runs one width's sequence on *p and checks results and records; T is the
   width's type, for the expected values as the type wraps them. */
#define CHECK_ATOMICS(fn, T, instrumented)                                   \
    do {                                                                     \
        static T obj;                                                        \
        atomic_out o;                                                        \
        obj = 0;                                                             \
        fk_start();                                                          \
        fn(&obj, &o);                                                        \
        fk_stop();                                                           \
        i128 want[ATOMIC_STEPS] = {0, 5, 5, 7, 10, 9, 8, 56, (T)199, 1, 42,  \
                                   1, 43, 45, 45};                           \
        for (int k = 0; k < ATOMIC_STEPS; k++)                               \
            ck_assert_msg(o.v[k] == want[k], "%s step %d: %lld != %lld",     \
                          #T, k, (long long)o.v[k], (long long)want[k]);     \
        ck_assert(obj == 50);                                                \
        assert_one_frame((void *)fn);                                        \
        ck_assert_int_eq(count_kind(FK_ATOMIC), (instrumented) ? NATOMIC : 0); \
        for (int k = 0; k < count_kind(FK_ATOMIC); k++) {                    \
            const fk_call *c = nth(FK_ATOMIC, k);                            \
            ck_assert_ptr_eq((void *)c->addr, (void *)&obj);                 \
            ck_assert_uint_eq(c->size, sizeof(T));                           \
            ck_assert_msg(c->write == atomic_writes[k], "%s atomic %d", #T, k); \
            ck_assert(pc_in(c->pc, (void *)fn));                             \
            for (int m = 0; m < k; m++)                                      \
                ck_assert(nth(FK_ATOMIC, m)->pc != c->pc);                   \
        }                                                                    \
        /* No plain access to the atomic object. */                          \
        for (int k = 0; k < fk_n; k++)                                       \
            if (fk_calls[k].kind == FK_READ || fk_calls[k].kind == FK_WRITE) \
                ck_assert(fk_calls[k].addr + fk_calls[k].size <=             \
                              (uintptr_t)&obj ||                             \
                          fk_calls[k].addr >= (uintptr_t)(&obj + 1));        \
    } while (0)

START_TEST(test_atomics)
{
    const variant *v = variants[_i];
    CHECK_ATOMICS(v->atomics8, char, 1);
    CHECK_ATOMICS(v->atomics16, short, 1);
    CHECK_ATOMICS(v->atomics32, int, 1);
    CHECK_ATOMICS(v->atomics64, long, 1);
    CHECK_ATOMICS(v->atomics128, i128, v->atomic128_instrumented);
}
END_TEST

START_TEST(test_hle_and_fences)
{
    const variant *v = variants[_i];
    if (v->hle_add != NULL) {
        int x = 5;
        fk_start(); int old = v->hle_add(&x); fk_stop();
        ck_assert_int_eq(old, 5);
        ck_assert_int_eq(x, 6);
        assert_one_frame((void *)v->hle_add);
        ck_assert_int_eq(count_kind(FK_ATOMIC), 1);
        ck_assert(nth(FK_ATOMIC, 0)->write);
    }
    fk_start(); v->fences(); fk_stop();
    assert_one_frame((void *)v->fences);
    ck_assert_int_eq(fk_n, 2);
}
END_TEST

/* ---- direct calls of the entry points ----------------------------------- */

/* Exported helpers, so that dladdr can name the pcs they pass. */
void drv_plain_calls(char *buf, void **vp);
__attribute__((noinline)) void drv_plain_calls(char *buf, void **vp)
{
    __tsan_read4(buf);                       /* 0: R 4 */
    __tsan_write8(buf + 8);                  /* 1: W 8 */
    __tsan_unaligned_read2(buf + 1);         /* 2: R 2 */
    __tsan_unaligned_write16(buf + 3);       /* 3: W 16 */
    __tsan_volatile_read1(buf + 5);          /* 4: R 1 */
    __tsan_volatile_write4(buf + 4);         /* 5: W 4 */
    __tsan_read_write8(buf + 16);            /* 6, 7: R 8, W 8 */
    __tsan_unaligned_read_write4(buf + 17);  /* 8, 9: R 4, W 4 */
    __tsan_read_range(buf, 33);              /* 10: R 33 */
    __tsan_write_range(buf + 2, 7);          /* 11: W 7 */
    __tsan_read_range(buf, 0);               /* nothing */
    __tsan_read2_pc(buf, (void *)0x1234);    /* 12: R 2 pc 0x1234 */
    __tsan_write16_pc(buf, (void *)0x5678);  /* 13: W 16 pc 0x5678 */
    __tsan_read_range_pc(buf, 9, (void *)0x9abc); /* 14: R 9 */
    __tsan_vptr_update(vp, *vp);             /* nothing: same value */
    __tsan_vptr_update(vp, buf);             /* 15: W 8 */
    __tsan_vptr_read(vp);                    /* 16: R 8 */
}

START_TEST(test_direct_plain)
{
    static char buf[64];
    static void *vptr = &vptr;
    static const struct { fk_kind k; int off; size_t n; uintptr_t pc; } want[] = {
        {FK_READ, 0, 4, 0}, {FK_WRITE, 8, 8, 0}, {FK_READ, 1, 2, 0},
        {FK_WRITE, 3, 16, 0}, {FK_READ, 5, 1, 0}, {FK_WRITE, 4, 4, 0},
        {FK_READ, 16, 8, 0}, {FK_WRITE, 16, 8, 0},
        {FK_READ, 17, 4, 0}, {FK_WRITE, 17, 4, 0},
        {FK_READ, 0, 33, 0}, {FK_WRITE, 2, 7, 0},
        {FK_READ, 0, 2, 0x1234}, {FK_WRITE, 0, 16, 0x5678},
        {FK_READ, 0, 9, 0x9abc},
        {FK_WRITE, -1, 8, 0}, {FK_READ, -1, 8, 0},
    };
    int nwant = (int)(sizeof want / sizeof want[0]);
    fk_start(); drv_plain_calls(buf, &vptr); fk_stop();
    ck_assert_int_eq(fk_lost, 0);
    ck_assert_int_eq(fk_n, nwant);
    for (int i = 0; i < nwant; i++) {
        const fk_call *c = &fk_calls[i];
        uintptr_t addr = want[i].off < 0 ? (uintptr_t)&vptr
                                         : (uintptr_t)buf + want[i].off;
        ck_assert_msg(c->kind == want[i].k, "record %d", i);
        ck_assert_msg(c->addr == addr, "record %d", i);
        ck_assert_msg(c->size == want[i].n, "record %d", i);
        if (want[i].pc != 0)
            ck_assert_msg(c->pc == want[i].pc, "record %d", i);
        else
            ck_assert_msg(pc_in(c->pc, (void *)drv_plain_calls), "record %d", i);
    }
    /* read_write: the read and the write share the access's pc. */
    ck_assert(fk_calls[6].pc == fk_calls[7].pc);
    ck_assert(fk_calls[0].pc != fk_calls[1].pc);
    /* The store itself is the compiler's: the hooks only report. */
    ck_assert(vptr == &vptr);

    int preempts = fk_preempts;
    fk_start();
    __tsan_func_entry((void *)0x4321);
    __tsan_func_exit();
    fk_stop();
    /* Each entry is a preemption point, offered after the entry is
       recorded. */
    ck_assert_int_eq(fk_preempts, preempts + 1);
    ck_assert_int_eq(fk_n, 2);
    ck_assert_int_eq(fk_calls[0].kind, FK_ENTRY);
    ck_assert_uint_eq(fk_calls[0].addr, 0x4321);
    ck_assert_int_eq(fk_calls[1].kind, FK_EXIT);
}
END_TEST

/* Memory orders as the compilers pass them, with HLE bits, consume, and
   out-of-range values: all accepted, all give the right results. */
START_TEST(test_direct_atomics)
{
    static const tsan_mo orders[] = {0, 1, 2, 3, 4, 5, 0x10002, 0x20003,
                                     0x10005, 99, 0x7fff, -1};
    for (size_t m = 0; m < sizeof orders / sizeof orders[0]; m++) {
        tsan_mo mo = orders[m];
        static char c8 = 12;
        static short s16 = 100;
        static int i32;
        static long l64;
        static i128 q;
        int e;
        /* Checks are collected while recording (Check itself calls wrapped
           functions) and asserted afterwards, by line. */
        int bad[64], nbad = 0;
#define OK(cond) do { if (!(cond)) bad[nbad++] = __LINE__; } while (0)

        s16 = 100;
        fk_start();
        OK(__tsan_atomic8_load(&c8, mo) == 12);
        OK(__tsan_atomic16_fetch_add(&s16, 5, mo) == 100);
        OK(s16 == 105);
        i32 = 0xff;
        OK(__tsan_atomic32_fetch_nand(&i32, 0x0f, mo) == 0xff);
        OK(i32 == ~0x0f);

        /* gcc's CAS: int result, expected by pointer. */
        i32 = 7;
        e = 7;
        OK(__tsan_atomic32_compare_exchange_strong(&i32, &e, 8, mo, mo) == 1);
        OK(i32 == 8 && e == 7);
        e = 3;
        OK(__tsan_atomic32_compare_exchange_strong(&i32, &e, 9, mo, mo) == 0);
        OK(i32 == 8 && e == 8);
        e = 8;
        /* x86 has no spurious failures: one call. */
        OK(__tsan_atomic32_compare_exchange_weak(&i32, &e, 10, mo, mo) == 1);
        OK(i32 == 10);
        e = 1;
        OK(__tsan_atomic32_compare_exchange_weak(&i32, &e, 2, mo, mo) == 0);
        OK(e == 10);

        /* clang's CAS: returns the old value. */
        OK(__tsan_atomic32_compare_exchange_val(&i32, 10, 11, mo, mo) == 10);
        OK(i32 == 11);
        OK(__tsan_atomic32_compare_exchange_val(&i32, 10, 12, mo, mo) == 11);
        OK(i32 == 11);

        __tsan_atomic64_store(&l64, -5, mo);
        OK(__tsan_atomic64_exchange(&l64, 1L << 40, mo) == -5);
        OK(__tsan_atomic64_compare_exchange_val(&l64, 1L << 40, 3, mo, mo) == 1L << 40);
        OK(l64 == 3);

        /* 128 bits, values in both halves. */
        i128 x = ((i128)0x0102030405060708L << 64) | (i128)0x8877665544332211UL;
        i128 y = (i128)(((unsigned __int128)0xfffffffffffffffeUL << 64) | 5);
        q = x;
        OK(__tsan_atomic128_exchange(&q, y, mo) == x);
        OK(q == y);
        OK(__tsan_atomic128_load(&q, mo) == y);
        OK(__tsan_atomic128_fetch_add(&q, (i128)1 << 64, mo) == y);
        OK(q == y + ((i128)1 << 64));
        i128 qe = x;
        OK(__tsan_atomic128_compare_exchange_strong(&q, &qe, x, mo, mo) == 0);
        OK(qe == y + ((i128)1 << 64));
        OK(__tsan_atomic128_compare_exchange_strong(&q, &qe, x, mo, mo) == 1);
        OK(q == x);
        OK(__tsan_atomic128_compare_exchange_val(&q, y, 0, mo, mo) == x);
        OK(__tsan_atomic128_compare_exchange_val(&q, x, y, mo, mo) == x);
        OK(q == y);

        __tsan_atomic_thread_fence(mo);
        __tsan_atomic_signal_fence(mo);
        fk_stop();
#undef OK
        for (int i = 0; i < nbad; i++)
            ck_abort_msg("mo %#x: check at line %d failed", mo, bad[i]);

        /* load R; add W; nand W; CAS W, R; weak W, R; val W, R; store W,
           xchg W, val W; 128: xchg W, load R, add W, CAS R, W, val R, W.
           Only atomic records, none plain. */
        static const bool w[] = {false, true, true, true, false, true, false,
                                 true, false, true, true, true,
                                 true, false, true, false, true, false, true};
        ck_assert_int_eq(fk_lost, 0);
        ck_assert_int_eq(fk_n, (int)(sizeof w / sizeof w[0]));
        for (int i = 0; i < fk_n; i++) {
            ck_assert_int_eq(fk_calls[i].kind, FK_ATOMIC);
            ck_assert_msg(fk_calls[i].write == w[i], "mo %#x record %d", mo, i);
            ck_assert(fk_calls[i].pc != 0);
        }
        ck_assert_uint_eq(fk_calls[0].size, 1);
        ck_assert_uint_eq(fk_calls[1].size, 2);
        ck_assert_uint_eq(fk_calls[2].size, 4);
        ck_assert_ptr_eq((void *)fk_calls[2].addr, (void *)&i32);
        ck_assert_uint_eq(fk_calls[9].size, 8);
        ck_assert_uint_eq(fk_calls[12].size, 16);
        ck_assert_ptr_eq((void *)fk_calls[12].addr, (void *)&q);
    }
}
END_TEST

/* ---- libc wrappers -------------------------------------------------------- */

/* Runs call and checks the records: the listed (kind, addr, size) in order,
   each from pc inside fn. */
typedef struct want_rec {
    fk_kind k;
    const void *addr;
    size_t size;
} want_rec;

static void assert_records(const want_rec *w, int n, const void *fn,
                           const char *what)
{
    ck_assert_msg(fk_lost == 0, "%s: lost", what);
    ck_assert_msg(fk_n == n, "%s: %d records, want %d", what, fk_n, n);
    for (int i = 0; i < n; i++) {
        const fk_call *c = &fk_calls[i];
        ck_assert_msg(c->kind == w[i].k, "%s: record %d kind %d want %d", what,
                      i, c->kind, w[i].k);
        ck_assert_msg(c->addr == (uintptr_t)w[i].addr, "%s: record %d addr", what, i);
        ck_assert_msg(c->size == w[i].size, "%s: record %d size %zu want %zu",
                      what, i, c->size, w[i].size);
        if (c->kind != FK_RESET)
            ck_assert_msg(pc_in(c->pc, fn), "%s: record %d pc", what, i);
    }
}

#define EXPECT(fn, what, ...)                                                \
    do {                                                                     \
        const want_rec w_[] = {__VA_ARGS__};                                 \
        assert_records(w_, (int)(sizeof w_ / sizeof w_[0]), (void *)fn, what); \
    } while (0)

/* Each helper is one exported function so that pcs can be checked. */
#define HELPER(name, body)                                                   \
    void name(void);                                                         \
    __attribute__((noinline)) void name(void)                                \
    {                                                                        \
        fk_start();                                                          \
        body;                                                                \
        fk_stop();                                                           \
    }

static char s1[32] = "hello", s2[32] = "help me", d1[64];
static char mem1[16] = "abcdefgh", mem2[16] = "abXdefgh";
static size_t r_size;
static int r_int;
static void *r_ptr;

HELPER(drv_strlen, r_size = strlen(s1))
HELPER(drv_strnlen_short, r_size = strnlen(s1, 3))
HELPER(drv_strnlen_long, r_size = strnlen(s1, 20))
HELPER(drv_strcmp, r_int = strcmp(s1, s2))
HELPER(drv_strcmp_eq, r_int = strcmp(s1, "hello"))
HELPER(drv_strncmp, r_int = strncmp(s1, s2, 2))
HELPER(drv_memcmp, r_int = memcmp(mem1, mem2, 8))
HELPER(drv_memcmp_eq, r_int = memcmp(mem1, mem1 + 8, 0))
HELPER(drv_bcmp, r_int = bcmp(mem1, mem2, 2))
HELPER(drv_memchr, r_ptr = memchr(mem1, 'd', 8))
HELPER(drv_memchr_miss, r_ptr = memchr(mem1, 'z', 8))
HELPER(drv_memrchr, r_ptr = memrchr(mem1, 'f', 8))
HELPER(drv_strchr, r_ptr = strchr(s1, 'l'))
HELPER(drv_strchr_miss, r_ptr = strchr(s1, 'z'))
HELPER(drv_strrchr, r_ptr = strrchr(s1, 'l'))
HELPER(drv_strstr, r_ptr = strstr(s2, "p m"))
HELPER(drv_strcpy, r_ptr = strcpy(d1, s1))
HELPER(drv_stpcpy, r_ptr = stpcpy(d1, s1))
HELPER(drv_strncpy, r_ptr = strncpy(d1, "ab", 5))
HELPER(drv_strcat, r_ptr = strcat(d1, "cd"))
HELPER(drv_strncat, r_ptr = strncat(d1, "wxyz", 2))
HELPER(drv_mempcpy, r_ptr = mempcpy(d1, mem1, 4))
HELPER(drv_memcpy_chk, r_ptr = __memcpy_chk(d1, mem1, 6, sizeof d1))
HELPER(drv_memset_chk, r_ptr = __memset_chk(d1, 0, 9, sizeof d1))
HELPER(drv_strcpy_chk, r_ptr = __strcpy_chk(d1, s2, sizeof d1))

START_TEST(test_wrappers_strings)
{
    drv_strlen();
    ck_assert_uint_eq(r_size, 5);
    EXPECT(drv_strlen, "strlen", {FK_READ, s1, 6});
    drv_strnlen_short();
    ck_assert_uint_eq(r_size, 3);
    EXPECT(drv_strnlen_short, "strnlen", {FK_READ, s1, 3});
    drv_strnlen_long();
    EXPECT(drv_strnlen_long, "strnlen", {FK_READ, s1, 6});
    /* "hello" vs "help me": equal up to index 3. */
    drv_strcmp();
    ck_assert_int_lt(r_int, 0);
    EXPECT(drv_strcmp, "strcmp", {FK_READ, s1, 4}, {FK_READ, s2, 4});
    drv_strcmp_eq();
    ck_assert_int_eq(r_int, 0);
    ck_assert_int_eq(fk_n, 2);
    ck_assert_uint_eq(fk_calls[0].size, 6);
    ck_assert_uint_eq(fk_calls[1].size, 6);
    drv_strncmp();
    ck_assert_int_eq(r_int, 0);
    EXPECT(drv_strncmp, "strncmp", {FK_READ, s1, 2}, {FK_READ, s2, 2});
    drv_memcmp();
    ck_assert_int_gt(r_int, 0);   /* 'c' > 'X' */
    EXPECT(drv_memcmp, "memcmp", {FK_READ, mem1, 3}, {FK_READ, mem2, 3});
    drv_memcmp_eq();
    ck_assert_int_eq(fk_n, 0);
    drv_bcmp();
    ck_assert_int_eq(r_int, 0);
    EXPECT(drv_bcmp, "bcmp", {FK_READ, mem1, 2}, {FK_READ, mem2, 2});
    drv_memchr();
    ck_assert_ptr_eq(r_ptr, mem1 + 3);
    EXPECT(drv_memchr, "memchr", {FK_READ, mem1, 4});
    drv_memchr_miss();
    ck_assert_ptr_null(r_ptr);
    EXPECT(drv_memchr_miss, "memchr miss", {FK_READ, mem1, 8});
    drv_memrchr();
    ck_assert_ptr_eq(r_ptr, mem1 + 5);
    EXPECT(drv_memrchr, "memrchr", {FK_READ, mem1 + 5, 3});
    drv_strchr();
    ck_assert_ptr_eq(r_ptr, s1 + 2);
    EXPECT(drv_strchr, "strchr", {FK_READ, s1, 3});
    drv_strchr_miss();
    EXPECT(drv_strchr_miss, "strchr miss", {FK_READ, s1, 6});
    drv_strrchr();
    ck_assert_ptr_eq(r_ptr, s1 + 3);
    EXPECT(drv_strrchr, "strrchr", {FK_READ, s1, 6});
    drv_strstr();
    ck_assert_ptr_eq(r_ptr, s2 + 3);
    ck_assert_int_eq(fk_n, 2);
    ck_assert_ptr_eq((void *)fk_calls[0].addr, s2);
    ck_assert_uint_eq(fk_calls[0].size, 6);   /* up to the end of the match */
    ck_assert_uint_eq(fk_calls[1].size, 4);   /* the needle and its NUL */

    drv_strcpy();
    ck_assert_str_eq(d1, "hello");
    EXPECT(drv_strcpy, "strcpy", {FK_READ, s1, 6}, {FK_WRITE, d1, 6});
    drv_stpcpy();
    ck_assert_ptr_eq(r_ptr, d1 + 5);
    EXPECT(drv_stpcpy, "stpcpy", {FK_READ, s1, 6}, {FK_WRITE, d1, 6});
    drv_strncpy();
    ck_assert_str_eq(d1, "ab");
    ck_assert_int_eq(fk_n, 2);
    ck_assert_uint_eq(fk_calls[0].size, 3);
    ck_assert_ptr_eq((void *)fk_calls[1].addr, d1);
    ck_assert_uint_eq(fk_calls[1].size, 5);
    /* d1 = "ab": reads "cd" (3), d1 up to its NUL (3), writes d1+2 (3). */
    drv_strcat();
    ck_assert_str_eq(d1, "abcd");
    ck_assert_int_eq(fk_n, 3);
    ck_assert_uint_eq(fk_calls[0].size, 3);
    ck_assert_ptr_eq((void *)fk_calls[1].addr, d1);
    ck_assert_uint_eq(fk_calls[1].size, 3);
    ck_assert_int_eq(fk_calls[2].kind, FK_WRITE);
    ck_assert_ptr_eq((void *)fk_calls[2].addr, d1 + 2);
    ck_assert_uint_eq(fk_calls[2].size, 3);
    drv_strncat();
    ck_assert_str_eq(d1, "abcdwx");
    ck_assert_int_eq(fk_n, 3);
    ck_assert_uint_eq(fk_calls[0].size, 2);
    ck_assert_uint_eq(fk_calls[1].size, 5);
    ck_assert_ptr_eq((void *)fk_calls[2].addr, d1 + 4);
    ck_assert_uint_eq(fk_calls[2].size, 3);

    drv_mempcpy();
    ck_assert_ptr_eq(r_ptr, d1 + 4);
    EXPECT(drv_mempcpy, "mempcpy", {FK_READ, mem1, 4}, {FK_WRITE, d1, 4});
    drv_memcpy_chk();
    EXPECT(drv_memcpy_chk, "__memcpy_chk", {FK_READ, mem1, 6}, {FK_WRITE, d1, 6});
    drv_memset_chk();
    EXPECT(drv_memset_chk, "__memset_chk", {FK_WRITE, d1, 9});
    drv_strcpy_chk();
    ck_assert_str_eq(d1, "help me");
    EXPECT(drv_strcpy_chk, "__strcpy_chk", {FK_READ, s2, 8}, {FK_WRITE, d1, 8});
}
END_TEST

static char *h_dup;
static void *h_p, *h_q;
static size_t h_size;
HELPER(drv_strdup, h_dup = strdup(s2))
HELPER(drv_strndup, h_dup = strndup(s2, 3))
HELPER(drv_malloc, h_p = malloc(100))
HELPER(drv_calloc, h_p = calloc(10, 30))
HELPER(drv_realloc_grow, (h_size = malloc_usable_size(h_p), h_q = realloc(h_p, 5000)))
HELPER(drv_realloc_null, h_p = realloc(NULL, 40))
HELPER(drv_realloc_zero, h_q = realloc(h_p, 0))
HELPER(drv_reallocarray, h_q = reallocarray(h_p, 10, 10))
static volatile size_t huge = SIZE_MAX;
HELPER(drv_reallocarray_overflow, h_q = reallocarray(h_p, huge, 16))
HELPER(drv_free, free(h_p))
HELPER(drv_free_null, free(NULL))
HELPER(drv_aligned_alloc, h_p = aligned_alloc(64, 128))
HELPER(drv_posix_memalign, r_int = posix_memalign(&h_p, 256, 300))
HELPER(drv_memalign, h_p = memalign(128, 50))
HELPER(drv_valloc, h_p = valloc(10))

START_TEST(test_wrappers_heap)
{
    drv_strdup();
    ck_assert_str_eq(h_dup, "help me");
    EXPECT(drv_strdup, "strdup", {FK_READ, s2, 8},
           {FK_RESET, h_dup, malloc_usable_size(h_dup)}, {FK_WRITE, h_dup, 8});
    free(h_dup);
    drv_strndup();
    ck_assert_str_eq(h_dup, "hel");
    EXPECT(drv_strndup, "strndup", {FK_READ, s2, 3},
           {FK_RESET, h_dup, malloc_usable_size(h_dup)}, {FK_WRITE, h_dup, 4});
    free(h_dup);

    drv_malloc();
    ck_assert_ptr_nonnull(h_p);
    ck_assert_uint_ge(malloc_usable_size(h_p), 100);
    EXPECT(drv_malloc, "malloc", {FK_RESET, h_p, malloc_usable_size(h_p)});
    void *old = h_p;
    size_t old_size = malloc_usable_size(h_p);
    drv_realloc_grow();
    ck_assert_ptr_nonnull(h_q);
    ck_assert_uint_eq(h_size, old_size);
    EXPECT(drv_realloc_grow, "realloc", {FK_FREE, old, old_size},
           {FK_RESET, h_q, malloc_usable_size(h_q)});
    h_p = h_q;
    old_size = malloc_usable_size(h_p);
    drv_reallocarray();
    EXPECT(drv_reallocarray, "reallocarray", {FK_FREE, h_p, old_size},
           {FK_RESET, h_q, malloc_usable_size(h_q)});
    h_p = h_q;
    /* A failed reallocarray leaves the block alone. */
    drv_reallocarray_overflow();
    ck_assert_ptr_null(h_q);
    ck_assert_int_eq(fk_n, 0);
    old_size = malloc_usable_size(h_p);
    drv_free();
    EXPECT(drv_free, "free", {FK_FREE, h_p, old_size});
    drv_free_null();
    ck_assert_int_eq(fk_n, 0);

    drv_realloc_null();
    EXPECT(drv_realloc_null, "realloc(NULL)", {FK_RESET, h_p, malloc_usable_size(h_p)});
    old_size = malloc_usable_size(h_p);
    drv_realloc_zero();
    ck_assert_ptr_null(h_q);
    EXPECT(drv_realloc_zero, "realloc(p, 0)", {FK_FREE, h_p, old_size});

    drv_calloc();
    EXPECT(drv_calloc, "calloc", {FK_RESET, h_p, malloc_usable_size(h_p)});
    free(h_p);
    drv_aligned_alloc();
    ck_assert_uint_eq((uintptr_t)h_p % 64, 0);
    EXPECT(drv_aligned_alloc, "aligned_alloc", {FK_RESET, h_p, malloc_usable_size(h_p)});
    free(h_p);
    drv_posix_memalign();
    ck_assert_int_eq(r_int, 0);
    ck_assert_uint_eq((uintptr_t)h_p % 256, 0);
    EXPECT(drv_posix_memalign, "posix_memalign", {FK_RESET, h_p, malloc_usable_size(h_p)});
    free(h_p);
    drv_memalign();
    EXPECT(drv_memalign, "memalign", {FK_RESET, h_p, malloc_usable_size(h_p)});
    free(h_p);
    drv_valloc();
    EXPECT(drv_valloc, "valloc", {FK_RESET, h_p, malloc_usable_size(h_p)});
    free(h_p);
}
END_TEST

/* The detector calls wrapped functions (a report allocates, copies,
   measures strings): they must not come back into it. */
HELPER(drv_reentry, (memcpy(d1, mem1, 5), __tsan_read4(d1), h_p = malloc(8), free(h_p)))

START_TEST(test_no_reentry)
{
    fk_reenter = true;
    drv_reentry();
    fk_reenter = false;
    ck_assert_int_eq(fk_lost, 0);
    ck_assert_int_eq(fk_n, 5);
    ck_assert_int_eq(fk_calls[0].kind, FK_READ);
    ck_assert_int_eq(fk_calls[1].kind, FK_WRITE);
    ck_assert_int_eq(fk_calls[2].kind, FK_READ);
    ck_assert_int_eq(fk_calls[3].kind, FK_RESET);
    ck_assert_int_eq(fk_calls[4].kind, FK_FREE);
    ck_assert_int_eq(race_abi_depth, 0);
}
END_TEST

HELPER(drv_ignored, (race_abi_ignore_begin(), memcpy(d1, mem1, 5),
                     __tsan_read4(d1), h_p = malloc(8), free(h_p),
                     r_size = strlen(s1), race_abi_ignore_end()))

START_TEST(test_ignore_bracket)
{
    drv_ignored();
    ck_assert_int_eq(fk_n, 0);
    ck_assert_int_eq(race_abi_depth, 0);
    ck_assert_uint_eq(r_size, 5);
}
END_TEST

/* ---- symbol lists --------------------------------------------------------- */

/* Every name in CORACE_WRAP_LDFLAGS has its wrapper. */
START_TEST(test_wrap_list)
{
    const char *p = CORACE_WRAP_LDFLAGS;
    int n = 0;
    ck_assert(strncmp(p, "-Wl,", 4) == 0);
    while ((p = strstr(p, "--wrap=")) != NULL) {
        char sym[64] = "__wrap_";
        size_t len = strcspn(p + 7, ",");
        ck_assert_uint_lt(len, sizeof sym - 8);
        memcpy(sym + 7, p + 7, len);
        sym[7 + len] = '\0';
        ck_assert_msg(dlsym(RTLD_DEFAULT, sym) != NULL, "no %s", sym);
        n++;
        p += 7 + len;
    }
    ck_assert_int_eq(n, 39);
}
END_TEST

/* Every entry point of the notes' lists, exported. */
START_TEST(test_tsan_symbols)
{
    static const char *const sizes[] = {"1", "2", "4", "8", "16"};
    static const char *const families[] = {
        "read", "write", "unaligned_read", "unaligned_write", "volatile_read",
        "volatile_write", "unaligned_volatile_read", "unaligned_volatile_write",
        "read_write", "unaligned_read_write"};
    static const char *const ops[] = {
        "load", "store", "exchange", "fetch_add", "fetch_sub", "fetch_and",
        "fetch_or", "fetch_xor", "fetch_nand", "compare_exchange_strong",
        "compare_exchange_weak", "compare_exchange_val"};
    static const char *const widths[] = {"8", "16", "32", "64", "128"};
    static const char *const single[] = {
        "init", "func_entry", "func_exit", "read_range", "write_range",
        "read_range_pc", "write_range_pc", "vptr_update", "vptr_read",
        "atomic_thread_fence", "atomic_signal_fence"};
    char name[80];
    int n = 0;
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++)
        for (size_t s = 0; s < 5; s++) {
            snprintf(name, sizeof name, "__tsan_%s%s", families[f], sizes[s]);
            ck_assert_msg(dlsym(RTLD_DEFAULT, name) != NULL, "no %s", name);
            n++;
        }
    for (size_t s = 0; s < 5; s++) {
        snprintf(name, sizeof name, "__tsan_read%s_pc", sizes[s]);
        ck_assert_msg(dlsym(RTLD_DEFAULT, name) != NULL, "no %s", name);
        snprintf(name, sizeof name, "__tsan_write%s_pc", sizes[s]);
        ck_assert_msg(dlsym(RTLD_DEFAULT, name) != NULL, "no %s", name);
        n += 2;
    }
    for (size_t w = 0; w < 5; w++)
        for (size_t o = 0; o < sizeof ops / sizeof ops[0]; o++) {
            snprintf(name, sizeof name, "__tsan_atomic%s_%s", widths[w], ops[o]);
            ck_assert_msg(dlsym(RTLD_DEFAULT, name) != NULL, "no %s", name);
            n++;
        }
    for (size_t i = 0; i < sizeof single / sizeof single[0]; i++) {
        snprintf(name, sizeof name, "__tsan_%s", single[i]);
        ck_assert_msg(dlsym(RTLD_DEFAULT, name) != NULL, "no %s", name);
        n++;
    }
    ck_assert_int_eq(n, 131);
}
END_TEST

/* ---- libtsan ---------------------------------------------------------------- */

START_TEST(test_libtsan_absent)
{
    race_refuse_libtsan();   /* returns: no libtsan here */
}
END_TEST

/* A program linked by gcc with -fsanitize=thread (so libtsan.so is a
   DT_NEEDED) and with our __tsan_init: it must stop before main. */
START_TEST(test_libtsan_refused)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        execl(TSAN_ABI_REFUSE_PROG, TSAN_ABI_REFUSE_PROG, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char out[1024];
    size_t len = 0;
    ssize_t r;
    while ((r = read(fds[0], out + len, sizeof out - 1 - len)) > 0)
        len += (size_t)r;
    out[len] = '\0';
    close(fds[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert_msg(WIFEXITED(status), "status %#x, output: %s", status, out);
    ck_assert_msg(WEXITSTATUS(status) == 2, "exit %d, output: %s",
                  WEXITSTATUS(status), out);
    ck_assert_str_eq(out, CORACE_LIBTSAN_MESSAGE "\n");
}
END_TEST

static Suite *tsan_abi_suite(void)
{
    Suite *s = suite_create("tsan_abi");
    TCase *tc;

    tc = tcase_create("init");
    tcase_add_test(tc, test_init_once);
    suite_add_tcase(s, tc);

    tc = tcase_create("compiled");
    tcase_add_loop_test(tc, test_sizes, 0, NVARIANTS);
    tcase_add_loop_test(tc, test_packed, 0, NVARIANTS);
    tcase_add_loop_test(tc, test_bitfield, 0, NVARIANTS);
    tcase_add_loop_test(tc, test_struct_copy, 0, NVARIANTS);
    tcase_add_loop_test(tc, test_mem_calls, 0, NVARIANTS);
    tcase_add_loop_test(tc, test_nesting, 0, NVARIANTS);
    tcase_add_loop_test(tc, test_atomics, 0, NVARIANTS);
    tcase_add_loop_test(tc, test_hle_and_fences, 0, NVARIANTS);
    suite_add_tcase(s, tc);

    tc = tcase_create("direct");
    tcase_add_test(tc, test_direct_plain);
    tcase_add_test(tc, test_direct_atomics);
    tcase_add_test(tc, test_tsan_symbols);
    suite_add_tcase(s, tc);

    tc = tcase_create("intercept");
    tcase_add_test(tc, test_wrappers_strings);
    tcase_add_test(tc, test_wrappers_heap);
    tcase_add_test(tc, test_no_reentry);
    tcase_add_test(tc, test_ignore_bracket);
    tcase_add_test(tc, test_wrap_list);
    suite_add_tcase(s, tc);

    tc = tcase_create("libtsan");
    tcase_add_test(tc, test_libtsan_absent);
    tcase_add_test(tc, test_libtsan_refused);
    tcase_set_timeout(tc, 30);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(tsan_abi_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
