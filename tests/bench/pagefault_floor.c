/*
 * pagefault_floor: the cost of giving N parked goroutines one fresh stack page
 * each, without any goroutine: the lower bound for million_create in a design
 * where every goroutine owns a private stack.  Not a port of a Go anchor;
 * docs/PERFORMANCE.md uses it to explain million_create.
 *
 *   bench_pagefault_floor [N [STRIDE_KIB [GUARD_KIB]]]   (defaults 1000000 320 0)
 *
 * Reserves N slots of STRIDE_KIB each (one MAP_NORESERVE mapping, no huge
 * pages, as runtime/stack.c does), then for each slot optionally installs a
 * GUARD_KIB guard at its bottom with MADV_GUARD_INSTALL and writes one byte
 * near its top, so every slot costs one page fault (plus a page-table page
 * per 2 MiB).  Prints pagefault_floor: ns per slot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    size_t stride = (size_t)(argc > 2 ? atol(argv[2]) : 320) * 1024;
    size_t guard = (size_t)(argc > 3 ? atol(argv[3]) : 0) * 1024;
    if (n <= 0 || stride < 4096 || guard >= stride) {
        fprintf(stderr, "pagefault_floor: bad arguments\n");
        return 1;
    }
    char *p = mmap(NULL, (size_t)n * stride, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        perror("pagefault_floor: mmap");
        return 1;
    }
    madvise(p, (size_t)n * stride, MADV_NOHUGEPAGE);
    long long t = now_ns();
    for (long i = 0; i < n; i++) {
        char *slot = p + (size_t)i * stride;
        if (guard && madvise(slot, guard, MADV_GUARD_INSTALL) != 0) {
            perror("pagefault_floor: MADV_GUARD_INSTALL");
            return 1;
        }
        slot[stride - 64] = 1;
    }
    long long el = now_ns() - t;
    printf("pagefault_floor: %.1f ns/slot\n", (double)el / (double)n);
    return 0;
}
