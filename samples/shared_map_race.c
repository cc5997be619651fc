// expect: race
/*
 * Seed 000 ("Go Concurrency Part 1", section "What does this look like?").
 *
 * Bug: two goroutines write the same key of a shared map (here a small
 * string-keyed hash table standing in for Go's map[string]int) with no
 * synchronization, and main reads it after a time.Sleep.  The two writes
 * are unordered with each other, and a sleep orders nothing, so main's
 * read races with both.  On corace's one-thread FIFO scheduler the program
 * prints 2 (as it did on the author's machine), but the result is not
 * guaranteed by anything: it is a data race.
 *
 * Fix (shared_map_race_fixed.c): a mutex guards every access to the map
 * and a WaitGroup replaces the sleep, as in the seed's final program.
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
    return 0; /* Go's zero value for a missing key */
}

static struct strmap shared_state;

static void update_foo(void *arg)
{
    int val = (int)(intptr_t)arg;
    map_set(&shared_state, "bar", val); /* unsynchronized write */
}

int main(void)
{
    co_go(update_foo, (void *)(intptr_t)1);
    co_go(update_foo, (void *)(intptr_t)2);

    co_sleep(100 * CO_MILLISECOND); /* the seed sleeps 1000 ms */
    printf("%d\n", map_get(&shared_state, "bar")); /* unsynchronized read */
    return 0;
}
