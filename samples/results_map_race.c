// expect: race
/*
 * Seed 001 ("Writing my first concurrent program in Golang", the paragraph
 * before "Mutexes": "An alternative ... would be to have each worker update
 * the result of their computation into the same map directly ... The
 * in-built map provided by Go isn't safe for concurrent usage").
 *
 * Bug: three workers insert their result into one shared map with no lock.
 * They use different keys, but a map is one data structure: every insert
 * also writes the map's shared bookkeeping (here the table's `len` and the
 * probing slots), so the inserts race with each other (Go would even die
 * with "fatal error: concurrent map writes").  The WaitGroup only orders
 * the inserts before main's read; it does not order them among themselves.
 *
 * Fix (results_map_race_fixed.c): the seed's "Mutexes" program: a
 * sync.Mutex is passed by pointer and held around each insert.
 */
#include <corace.h>
#include <stdio.h>
#include <stdlib.h>

/* A tiny int-keyed hash map standing in for Go's map[int]int. */
#define MAP_SLOTS 8
struct intmap {
    int keys[MAP_SLOTS];
    int vals[MAP_SLOTS];
    bool used[MAP_SLOTS];
    int len;
};

static void map_set(struct intmap *m, int key, int val)
{
    unsigned i = (unsigned)key * 2654435761u % MAP_SLOTS;
    while (m->used[i] && m->keys[i] != key)
        i = (i + 1) % MAP_SLOTS;
    if (!m->used[i]) {
        m->used[i] = true;
        m->keys[i] = key;
        m->len++;
    }
    m->vals[i] = val;
}

/* Prints like fmt.Println of a map: keys in increasing order. */
static void map_print(const struct intmap *m)
{
    int printed = 0, last = -1;
    printf("map[");
    while (printed < m->len) {
        int best = -1;
        for (int i = 0; i < MAP_SLOTS; i++)
            if (m->used[i] && m->keys[i] > last && (best < 0 || m->keys[i] < m->keys[best]))
                best = i;
        printf("%s%d:%d", printed ? " " : "", m->keys[best], m->vals[best]);
        last = m->keys[best];
        printed++;
    }
    printf("]\n");
}

struct worker_args {
    int worker_id;
    struct intmap *result_map;
    co_waitgroup *wg;
};

static void worker(void *arg)
{
    struct worker_args *a = arg;
    map_set(a->result_map, a->worker_id, a->worker_id * 11); /* BUG: no lock */
    printf("Task Completed by worker %d\n", a->worker_id);
    co_waitgroup_done(a->wg);
    free(a);
}

int main(void)
{
    static const int workers[] = {1, 2, 3};
    static struct intmap result_map;

    printf("Starting main function\n");
    co_waitgroup wg = {0};

    for (size_t i = 0; i < sizeof workers / sizeof workers[0]; i++) {
        struct worker_args *a = malloc(sizeof *a);
        if (!a)
            return 1;
        a->worker_id = workers[i];
        a->result_map = &result_map;
        a->wg = &wg;
        co_waitgroup_add(&wg, 1);
        co_go(worker, a);
    }

    co_waitgroup_wait(&wg);

    printf("Exiting main function with result ");
    map_print(&result_map);
    return 0;
}
