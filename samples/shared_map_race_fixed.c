// expect: clean
/*
 * Seed 000 ("Go Concurrency Part 1", the seed's final program): fixed twin
 * of shared_map_race.c.
 *
 * What changed: every access to the shared map is made under one mutex
 * (updateFoo's mutex.Lock/Unlock), and main no longer sleeps: it waits on
 * a WaitGroup (Add(1) before each go statement, Done at the end of
 * updateFoo, Wait before the read).  The read in main is ordered after
 * both writes by Wait, so there is no race and no goroutine outlives main.
 * Prints 2 on corace's FIFO scheduler (1 would be equally correct).
 */
#include <corace.h>
#include <stdio.h>
#include <string.h>

/* A tiny string-keyed hash map standing in for Go's map[string]int. */
#define MAP_SLOTS 8
struct slot {
    const char *key;
    int val;
    bool used;
};
struct strmap {
    struct slot slots[MAP_SLOTS];
    int len;
};

static unsigned hash(const char *s)
{
    unsigned h = 5381;
    while (*s)
        h = h * 33u + (unsigned char)*s++;
    return h;
}

static void map_set(struct strmap *m, const char *key, int val)
{
    unsigned i = hash(key) % MAP_SLOTS;
    while (m->slots[i].used && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) % MAP_SLOTS;
    if (!m->slots[i].used) {
        m->slots[i].used = true;
        m->slots[i].key = key;
        m->len++;
    }
    m->slots[i].val = val;
}

static int map_get(const struct strmap *m, const char *key)
{
    unsigned i = hash(key) % MAP_SLOTS;
    while (m->slots[i].used) {
        if (strcmp(m->slots[i].key, key) == 0)
            return m->slots[i].val;
        i = (i + 1) % MAP_SLOTS;
    }
    return 0;
}

static struct strmap shared_state;
static co_mutex mutex;
static co_waitgroup wg;

static void update_foo(void *arg)
{
    int val = (int)(intptr_t)arg;
    co_mutex_lock(&mutex);
    map_set(&shared_state, "bar", val);
    co_mutex_unlock(&mutex);
    co_waitgroup_done(&wg);
}

int main(void)
{
    co_waitgroup_add(&wg, 1);
    co_go(update_foo, (void *)(intptr_t)1);
    co_waitgroup_add(&wg, 1);
    co_go(update_foo, (void *)(intptr_t)2);
    co_waitgroup_wait(&wg);
    printf("%d\n", map_get(&shared_state, "bar"));
    return 0;
}
