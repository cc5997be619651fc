/*
 * rw_matmul (race-work i): 256x256 double matrix multiply, rows split over 8
 * goroutines joined with a WaitGroup, repeated R times (the product feeds the
 * next round).  Race-free: each goroutine writes only its own rows of C.
 * Port of shared/anchors/go/rw-matmul (and its pthread twin c-pthread/rw-matmul.c):
 * same size, the same optional argument (R rounds, default 80), the same output
 * lines and the same checksum.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

#define SIZE 256
#define WORKERS 8

static double *A, *B, *C;

struct span {
    int lo, hi;
    co_waitgroup *wg;
};

static void worker(void *p)
{
    struct span *s = p;
    for (int i = s->lo; i < s->hi; i++) {
        double *ci = C + i * SIZE;
        for (int j = 0; j < SIZE; j++)
            ci[j] = 0;
        for (int k = 0; k < SIZE; k++) {
            double aik = A[i * SIZE + k];
            const double *bk = B + k * SIZE;
            for (int j = 0; j < SIZE; j++)
                ci[j] += aik * bk[j];
        }
    }
    co_waitgroup_done(s->wg); /* defer wg.Done() */
}

int main(int argc, char **argv)
{
    long reps = 80;
    if (argc > 1)
        reps = strtol(argv[1], NULL, 10);
    A = malloc(sizeof(double) * SIZE * SIZE);
    B = malloc(sizeof(double) * SIZE * SIZE);
    C = calloc(SIZE * SIZE, sizeof(double));
    if (!A || !B || !C) {
        fprintf(stderr, "rw_matmul: out of memory\n");
        return 1;
    }
    for (int i = 0; i < SIZE; i++)
        for (int j = 0; j < SIZE; j++) {
            A[i * SIZE + j] = (double)((i * 7 + j * 3) % 17) / 17.0;
            B[i * SIZE + j] = (double)((i * j) % 11) / (11.0 * 128.0);
        }
    struct span spans[WORKERS];
    int64_t start = co_now();
    for (long r = 0; r < reps; r++) {
        co_waitgroup wg = {0};
        for (int w = 0; w < WORKERS; w++) {
            co_waitgroup_add(&wg, 1);
            spans[w] = (struct span){w * SIZE / WORKERS, (w + 1) * SIZE / WORKERS, &wg};
            co_go(worker, &spans[w]);
        }
        co_waitgroup_wait(&wg);
        double *tmp = A; /* a, c = c, a */
        A = C;
        C = tmp;
    }
    int64_t el = co_now() - start;
    double sum = 0;
    for (int i = 0; i < SIZE * SIZE; i++)
        sum += A[i];
    printf("rw_matmul: %.2f ms/multiply\n", (double)el / 1e6 / (double)reps);
    printf("rw_matmul_checksum: %.6e sum\n", sum);
    free(A);
    free(B);
    free(C);
    return 0;
}
