// expect: clean
/*
 * Seed 001 ("Writing my first concurrent program in Golang", section
 * "Mutexes"): fixed twin of results_map_race.c.
 *
 * What changed: the workers receive a pointer to one co_mutex (Go's
 * `mu *sync.Mutex`) and hold it around the map insert and the print
 * (Go's `mu.Lock(); defer mu.Unlock()`).  The seed stores rand.Intn(100);
 * here the value is workerId*11 so the output is deterministic:
 *   Exiting main function with result map[1:11 2:22 3:33]
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
    co_mutex *mu;
};

static void worker(void *arg)
{
    struct worker_args *a = arg;
    co_mutex_lock(a->mu);
    map_set(a->result_map, a->worker_id, a->worker_id * 11);
    printf("Task Completed by worker %d\n", a->worker_id);
    co_mutex_unlock(a->mu);
    co_waitgroup_done(a->wg);
    free(a);
}

int main(void)
{
    static const int workers[] = {1, 2, 3};
    static struct intmap result_map;

    printf("Starting main function\n");
    co_waitgroup wg = {0};
    co_mutex mu = {0};

    for (size_t i = 0; i < sizeof workers / sizeof workers[0]; i++) {
        struct worker_args *a = malloc(sizeof *a);
        if (!a)
            return 1;
        a->worker_id = workers[i];
        a->result_map = &result_map;
        a->wg = &wg;
        a->mu = &mu;
        co_waitgroup_add(&wg, 1);
        co_go(worker, a);
    }

    co_waitgroup_wait(&wg);

    printf("Exiting main function with result ");
    map_print(&result_map);
    return 0;
}
