/*
 * intercept.c - libc calls seen by the checker, through the linker's --wrap.
 *
 * Wrapped symbols (CORACE_WRAP_LDFLAGS in intercept.h is the same list):
 *   memory ranges   memcpy memmove memset mempcpy
 *                   memcmp bcmp memchr memrchr
 *                   strlen strnlen strcmp strncmp strchr strrchr strstr
 *                   strcpy stpcpy strncpy strcat strncat strdup strndup
 *   _FORTIFY_SOURCE __memcpy_chk __memmove_chk __memset_chk
 *                   __strcpy_chk __stpcpy_chk __strncpy_chk
 *                   __strcat_chk __strncat_chk
 *   heap            malloc calloc realloc reallocarray
 *                   aligned_alloc posix_memalign memalign valloc free
 *
 * Why: clang turns struct copies, "= {0}" and copy/zero loops into calls to
 * plain memcpy/memset/memmove, and explicit calls from either compiler go
 * to libc uninstrumented; without these, clang-built programs lose most of
 * their array and struct accesses.  Heap blocks are reused: a new block
 * starts with clean shadow (race_reset) so the accesses of its previous life
 * cannot race with its new one, and free is a write of the whole block.
 * Each block allocated for the program is also recorded in heapmap.h (base,
 * size, allocating pc) until it is freed: the heap a partial-deadlock scan
 * walks, and the allocation sites lock classes are named by.
 *
 * Each wrapper reports the bytes the call reads and writes, with the
 * wrapper's return address as pc (like any access), then calls __real_NAME.
 * Comparisons and searches report the bytes they had to look at to give
 * their answer (up to the first difference, the match, or the terminator),
 * never more: reading beyond them is not the program's access.  The
 * bookkeeping runs with race_abi_depth raised, so that nothing the detector
 * or this file calls comes back in; while it is raised (inside the detector,
 * in runtime code bracketed by race_abi_ignore_begin/end, or before
 * __tsan_init) a wrapper only calls the real function.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detector/core/heapmap.h"
#include "intercept.h"
#include "detector/race/race.h"

#define WRAP_EXPORT __attribute__((visibility("default"), noinline))
#define CALLER_PC() ((uintptr_t)__builtin_return_address(0))

/* The libc functions (resolved by --wrap). */
void *__real_memcpy(void *dst, const void *src, size_t n);
void *__real_memmove(void *dst, const void *src, size_t n);
void *__real_memset(void *dst, int c, size_t n);
void *__real_mempcpy(void *dst, const void *src, size_t n);
int __real_memcmp(const void *a, const void *b, size_t n);
int __real_bcmp(const void *a, const void *b, size_t n);
void *__real_memchr(const void *s, int c, size_t n);
void *__real_memrchr(const void *s, int c, size_t n);
size_t __real_strlen(const char *s);
size_t __real_strnlen(const char *s, size_t max);
int __real_strcmp(const char *a, const char *b);
int __real_strncmp(const char *a, const char *b, size_t n);
char *__real_strchr(const char *s, int c);
char *__real_strrchr(const char *s, int c);
char *__real_strstr(const char *hay, const char *needle);
char *__real_strcpy(char *dst, const char *src);
char *__real_stpcpy(char *dst, const char *src);
char *__real_strncpy(char *dst, const char *src, size_t n);
char *__real_strcat(char *dst, const char *src);
char *__real_strncat(char *dst, const char *src, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__real___memcpy_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__real___memmove_chk(void *dst, const void *src, size_t n, size_t dstlen);
void *__real___memset_chk(void *dst, int c, size_t n, size_t dstlen);
char *__real___strcpy_chk(char *dst, const char *src, size_t dstlen);
char *__real___stpcpy_chk(char *dst, const char *src, size_t dstlen);
char *__real___strncpy_chk(char *dst, const char *src, size_t n, size_t dstlen);
char *__real___strcat_chk(char *dst, const char *src, size_t dstlen);
char *__real___strncat_chk(char *dst, const char *src, size_t n, size_t dstlen);
void *__real_malloc(size_t n);
void *__real_calloc(size_t nmemb, size_t size);
void *__real_realloc(void *p, size_t n);
void *__real_reallocarray(void *p, size_t nmemb, size_t size);
void *__real_aligned_alloc(size_t align, size_t n);
int __real_posix_memalign(void **out, size_t align, size_t n);
void *__real_memalign(size_t align, size_t n);
void *__real_valloc(size_t n);
void __real_free(void *p);

/* ---- the detector; callers hold race_abi_depth raised (BEGIN/END) ----- */

static inline void det_read(const void *a, size_t n, uintptr_t pc)
{
    if (n != 0)
        race_read(a, n, pc);
}

static inline void det_write(const void *a, size_t n, uintptr_t pc)
{
    if (n != 0)
        race_write(a, n, pc);
}

/* A new heap block: forget whatever its bytes did in an earlier life.  Only
   blocks allocated with the gate open get here, so the map of the program's
   heap (heapmap.h, scanned for partial deadlocks) never holds the checker's
   own memory, nor the runtime's bookkeeping (allocated with co__rt_quiet
   raised). */
static inline void det_alloc(void *p, size_t n, uintptr_t pc)
{
    if (p != NULL) {
        race_reset(p, malloc_usable_size(p));
        heapmap_insert((uintptr_t)p, n, pc);
    }
}

/* A block is forgotten whoever frees it, gate open or not: a record left
   behind would make the next owner of those bytes (maybe the checker) look
   like program memory. */
static inline void det_forget(void *p)
{
    heapmap_remove((uintptr_t)p);
}

/* BEGIN: when the detector may not be called, just do the real call. */
#define BEGIN(real_call)                                                     \
    uintptr_t pc = CALLER_PC();                                              \
    if (!race_abi_gate())                                                    \
        return real_call;                                                    \
    race_abi_depth++
#define END() race_abi_depth--

static inline size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

/* Bytes memcmp(a, b, n) looks at: up to and including the first
   difference. */
static size_t cmp_span(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    size_t i = 0;
    while (i < n && x[i] == y[i])
        i++;
    return i < n ? i + 1 : n;
}

/* Bytes strncmp(a, b, n) looks at in each string. */
static size_t strcmp_span(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    while (i < n && a[i] != '\0' && a[i] == b[i])
        i++;
    return i < n ? i + 1 : n;
}

/* ---- memory ranges ---------------------------------------------------- */

WRAP_EXPORT void *__wrap_memcpy(void *dst, const void *src, size_t n)
{
    BEGIN(__real_memcpy(dst, src, n));
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real_memcpy(dst, src, n);
}

WRAP_EXPORT void *__wrap_mempcpy(void *dst, const void *src, size_t n)
{
    BEGIN(__real_mempcpy(dst, src, n));
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real_mempcpy(dst, src, n);
}

WRAP_EXPORT void *__wrap_memmove(void *dst, const void *src, size_t n)
{
    BEGIN(__real_memmove(dst, src, n));
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real_memmove(dst, src, n);
}

WRAP_EXPORT void *__wrap_memset(void *dst, int c, size_t n)
{
    BEGIN(__real_memset(dst, c, n));
    det_write(dst, n, pc);
    END();
    return __real_memset(dst, c, n);
}

WRAP_EXPORT int __wrap_memcmp(const void *a, const void *b, size_t n)
{
    BEGIN(__real_memcmp(a, b, n));
    size_t k = cmp_span(a, b, n);
    det_read(a, k, pc);
    det_read(b, k, pc);
    END();
    return __real_memcmp(a, b, n);
}

/* clang turns memcmp(...) == 0 into bcmp. */
WRAP_EXPORT int __wrap_bcmp(const void *a, const void *b, size_t n)
{
    BEGIN(__real_bcmp(a, b, n));
    size_t k = cmp_span(a, b, n);
    det_read(a, k, pc);
    det_read(b, k, pc);
    END();
    return __real_bcmp(a, b, n);
}

WRAP_EXPORT void *__wrap_memchr(const void *s, int c, size_t n)
{
    void *r = __real_memchr(s, c, n);
    BEGIN(r);
    det_read(s, r ? (size_t)((const char *)r - (const char *)s) + 1 : n, pc);
    END();
    return r;
}

WRAP_EXPORT void *__wrap_memrchr(const void *s, int c, size_t n)
{
    void *r = __real_memrchr(s, c, n);
    BEGIN(r);
    if (r != NULL)
        det_read(r, (size_t)((const char *)s + n - (const char *)r), pc);
    else
        det_read(s, n, pc);
    END();
    return r;
}

WRAP_EXPORT size_t __wrap_strlen(const char *s)
{
    size_t len = __real_strlen(s);
    BEGIN(len);
    det_read(s, len + 1, pc);
    END();
    return len;
}

WRAP_EXPORT size_t __wrap_strnlen(const char *s, size_t max)
{
    size_t len = __real_strnlen(s, max);
    BEGIN(len);
    det_read(s, min_size(len + 1, max), pc);
    END();
    return len;
}

WRAP_EXPORT int __wrap_strcmp(const char *a, const char *b)
{
    BEGIN(__real_strcmp(a, b));
    size_t k = strcmp_span(a, b, SIZE_MAX);
    det_read(a, k, pc);
    det_read(b, k, pc);
    END();
    return __real_strcmp(a, b);
}

WRAP_EXPORT int __wrap_strncmp(const char *a, const char *b, size_t n)
{
    BEGIN(__real_strncmp(a, b, n));
    size_t k = strcmp_span(a, b, n);
    det_read(a, k, pc);
    det_read(b, k, pc);
    END();
    return __real_strncmp(a, b, n);
}

WRAP_EXPORT char *__wrap_strchr(const char *s, int c)
{
    char *r = __real_strchr(s, c);
    BEGIN(r);
    det_read(s, r ? (size_t)(r - s) + 1 : __real_strlen(s) + 1, pc);
    END();
    return r;
}

WRAP_EXPORT char *__wrap_strrchr(const char *s, int c)
{
    char *r = __real_strrchr(s, c);
    BEGIN(r);
    det_read(s, __real_strlen(s) + 1, pc);
    END();
    return r;
}

WRAP_EXPORT char *__wrap_strstr(const char *hay, const char *needle)
{
    char *r = __real_strstr(hay, needle);
    BEGIN(r);
    size_t nlen = __real_strlen(needle);
    det_read(hay, r ? (size_t)(r - hay) + nlen : __real_strlen(hay) + 1, pc);
    det_read(needle, nlen + 1, pc);
    END();
    return r;
}

WRAP_EXPORT char *__wrap_strcpy(char *dst, const char *src)
{
    BEGIN(__real_strcpy(dst, src));
    size_t n = __real_strlen(src) + 1;
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real_strcpy(dst, src);
}

WRAP_EXPORT char *__wrap_stpcpy(char *dst, const char *src)
{
    BEGIN(__real_stpcpy(dst, src));
    size_t n = __real_strlen(src) + 1;
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real_stpcpy(dst, src);
}

/* Reads src up to n bytes or its terminator; always writes n bytes (pads
   with zeros). */
WRAP_EXPORT char *__wrap_strncpy(char *dst, const char *src, size_t n)
{
    BEGIN(__real_strncpy(dst, src, n));
    det_read(src, min_size(__real_strnlen(src, n) + 1, n), pc);
    det_write(dst, n, pc);
    END();
    return __real_strncpy(dst, src, n);
}

/* Reads dst up to its terminator, then writes src (and a terminator)
   there. */
static void strcat_access(char *dst, const char *src, size_t n, uintptr_t pc)
{
    size_t dlen = __real_strlen(dst);
    size_t slen = __real_strnlen(src, n);
    det_read(src, min_size(slen + 1, n), pc);
    det_read(dst, dlen + 1, pc);
    det_write(dst + dlen, slen + 1, pc);
}

WRAP_EXPORT char *__wrap_strcat(char *dst, const char *src)
{
    BEGIN(__real_strcat(dst, src));
    strcat_access(dst, src, SIZE_MAX, pc);
    END();
    return __real_strcat(dst, src);
}

WRAP_EXPORT char *__wrap_strncat(char *dst, const char *src, size_t n)
{
    BEGIN(__real_strncat(dst, src, n));
    strcat_access(dst, src, n, pc);
    END();
    return __real_strncat(dst, src, n);
}

/* The copy is this goroutine's write into a block that starts clean (libc
   allocated it with its own malloc, which we do not see). */
WRAP_EXPORT char *__wrap_strdup(const char *s)
{
    BEGIN(__real_strdup(s));
    size_t n = __real_strlen(s) + 1;
    det_read(s, n, pc);
    END();
    char *r = __real_strdup(s);
    if (r != NULL) {
        race_abi_depth++;
        det_alloc(r, n, pc);
        det_write(r, n, pc);
        END();
    }
    return r;
}

WRAP_EXPORT char *__wrap_strndup(const char *s, size_t max)
{
    BEGIN(__real_strndup(s, max));
    size_t len = __real_strnlen(s, max);
    det_read(s, min_size(len + 1, max), pc);
    END();
    char *r = __real_strndup(s, max);
    if (r != NULL) {
        race_abi_depth++;
        det_alloc(r, min_size(len, max) + 1, pc);
        det_write(r, len + 1, pc);
        END();
    }
    return r;
}

/* ---- _FORTIFY_SOURCE variants: same accesses, libc's checks --------- */

WRAP_EXPORT void *__wrap___memcpy_chk(void *dst, const void *src, size_t n,
                                      size_t dstlen)
{
    BEGIN(__real___memcpy_chk(dst, src, n, dstlen));
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real___memcpy_chk(dst, src, n, dstlen);
}

WRAP_EXPORT void *__wrap___memmove_chk(void *dst, const void *src, size_t n,
                                       size_t dstlen)
{
    BEGIN(__real___memmove_chk(dst, src, n, dstlen));
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real___memmove_chk(dst, src, n, dstlen);
}

WRAP_EXPORT void *__wrap___memset_chk(void *dst, int c, size_t n,
                                      size_t dstlen)
{
    BEGIN(__real___memset_chk(dst, c, n, dstlen));
    det_write(dst, n, pc);
    END();
    return __real___memset_chk(dst, c, n, dstlen);
}

WRAP_EXPORT char *__wrap___strcpy_chk(char *dst, const char *src,
                                      size_t dstlen)
{
    BEGIN(__real___strcpy_chk(dst, src, dstlen));
    size_t n = __real_strlen(src) + 1;
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real___strcpy_chk(dst, src, dstlen);
}

WRAP_EXPORT char *__wrap___stpcpy_chk(char *dst, const char *src,
                                      size_t dstlen)
{
    BEGIN(__real___stpcpy_chk(dst, src, dstlen));
    size_t n = __real_strlen(src) + 1;
    det_read(src, n, pc);
    det_write(dst, n, pc);
    END();
    return __real___stpcpy_chk(dst, src, dstlen);
}

WRAP_EXPORT char *__wrap___strncpy_chk(char *dst, const char *src, size_t n,
                                       size_t dstlen)
{
    BEGIN(__real___strncpy_chk(dst, src, n, dstlen));
    det_read(src, min_size(__real_strnlen(src, n) + 1, n), pc);
    det_write(dst, n, pc);
    END();
    return __real___strncpy_chk(dst, src, n, dstlen);
}

WRAP_EXPORT char *__wrap___strcat_chk(char *dst, const char *src,
                                      size_t dstlen)
{
    BEGIN(__real___strcat_chk(dst, src, dstlen));
    strcat_access(dst, src, SIZE_MAX, pc);
    END();
    return __real___strcat_chk(dst, src, dstlen);
}

WRAP_EXPORT char *__wrap___strncat_chk(char *dst, const char *src, size_t n,
                                       size_t dstlen)
{
    BEGIN(__real___strncat_chk(dst, src, n, dstlen));
    strcat_access(dst, src, n, pc);
    END();
    return __real___strncat_chk(dst, src, n, dstlen);
}

/* ---- heap ------------------------------------------------------------- */

/* Allocations: the real call, then clean shadow for the new block. */
#define ALLOC_WRAPPER(call, n)                                               \
    void *p = call;                                                          \
    if (p != NULL && race_abi_gate()) {                                      \
        race_abi_depth++;                                                    \
        det_alloc(p, n, CALLER_PC());                                        \
        END();                                                               \
    }                                                                        \
    return p

WRAP_EXPORT void *__wrap_malloc(size_t n)
{
    ALLOC_WRAPPER(__real_malloc(n), n);
}

WRAP_EXPORT void *__wrap_calloc(size_t nmemb, size_t size)
{
    /* Overflowing sizes fail in calloc: p is NULL then. */
    ALLOC_WRAPPER(__real_calloc(nmemb, size), nmemb * size);
}

WRAP_EXPORT void *__wrap_aligned_alloc(size_t align, size_t n)
{
    ALLOC_WRAPPER(__real_aligned_alloc(align, n), n);
}

WRAP_EXPORT void *__wrap_memalign(size_t align, size_t n)
{
    ALLOC_WRAPPER(__real_memalign(align, n), n);
}

WRAP_EXPORT void *__wrap_valloc(size_t n)
{
    ALLOC_WRAPPER(__real_valloc(n), n);
}

WRAP_EXPORT int __wrap_posix_memalign(void **out, size_t align, size_t n)
{
    int err = __real_posix_memalign(out, align, n);
    if (err == 0 && *out != NULL && race_abi_gate()) {
        race_abi_depth++;
        det_alloc(*out, n, CALLER_PC());
        END();
    }
    return err;
}

/* free is a write of the whole block: it races with any access not
   ordered before it. */
WRAP_EXPORT void __wrap_free(void *p)
{
    if (p == NULL)
        return;
    det_forget(p);
    if (race_abi_gate()) {
        uintptr_t pc = CALLER_PC();
        race_abi_depth++;
        race_free(p, malloc_usable_size(p), pc);
        END();
    }
    __real_free(p);
}

/* realloc frees the old block (unless it fails) and returns a new one,
   possibly at the same place: the old block is freed as by free (after the
   call, once it is known to be gone; only its address is used), the new
   one starts clean. */
static void realloc_access(void *old, size_t old_size, void *p, size_t n,
                           bool freed, uintptr_t pc)
{
    race_abi_depth++;
    if (old != NULL && freed)
        race_free(old, old_size, pc);
    det_alloc(p, n, pc);
    END();
}

WRAP_EXPORT void *__wrap_realloc(void *old, size_t n)
{
    uintptr_t pc = CALLER_PC();
    size_t old_size = old ? malloc_usable_size(old) : 0;
    void *p = __real_realloc(old, n);
    /* realloc(old, 0) frees old and returns NULL. */
    bool freed = p != NULL || n == 0;
    if (old != NULL && freed)
        det_forget(old);
    if (race_abi_gate())
        realloc_access(old, old_size, p, n, freed, pc);
    return p;
}

WRAP_EXPORT void *__wrap_reallocarray(void *old, size_t nmemb, size_t size)
{
    uintptr_t pc = CALLER_PC();
    size_t old_size = old ? malloc_usable_size(old) : 0;
    size_t n;
    bool overflow = __builtin_mul_overflow(nmemb, size, &n);
    void *p = __real_reallocarray(old, nmemb, size);
    bool freed = p != NULL || (!overflow && n == 0);
    if (old != NULL && freed)
        det_forget(old);
    if (race_abi_gate())
        realloc_access(old, old_size, p, n, freed, pc);
    return p;
}
