/* cache.c - choose and create the cache directory; hash keys; prune old entries. */
#include "cache.h"

#include "util.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *temp_dir_to_remove;

static void remove_temp_dir(void)
{
    if (!temp_dir_to_remove)
        return;
    remove_tree(temp_dir_to_remove);
    free(temp_dir_to_remove);
    temp_dir_to_remove = NULL;
}

void cache_close(struct cache *c)
{
    free(c->dir);
    c->dir = NULL;
}

void cache_cleanup(void)
{
    remove_temp_dir();
}

static bool usable(const char *dir)
{
    return make_dirs(dir, 0755) == 0 && access(dir, W_OK | X_OK) == 0;
}

int cache_open(struct cache *c)
{
    memset(c, 0, sizeof *c);
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    char *dir = NULL;
    if (xdg && xdg[0] == '/')
        dir = xasprintf("%s/corace", xdg);
    else if (home && home[0])
        dir = xasprintf("%s/.cache/corace", home);
    if (dir && usable(dir)) {
        c->dir = dir;
        return 0;
    }
    free(dir);
    char *templ = make_temp_dir("cache");
    if (!templ)
        return -1;
    c->dir = templ;
    c->temporary = true;
    temp_dir_to_remove = xstrdup(templ);
    atexit(remove_temp_dir);
    return 0;
}

void hash_init(struct hasher *h)
{
    h->h = 0xcbf29ce484222325ull;
}

void hash_bytes(struct hasher *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h->h ^= b[i];
        h->h *= 0x100000001b3ull;
    }
}

void hash_str(struct hasher *h, const char *s)
{
    hash_bytes(h, s, strlen(s) + 1);
}

void hash_u64(struct hasher *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    hash_bytes(h, b, sizeof b);
}

char *cache_entry(const struct cache *c, const char *name, uint64_t key)
{
    return xasprintf("%s/%s-%016" PRIx64, c->dir, name, key);
}

void cache_prune(const struct cache *c, const char *name, uint64_t keep_key)
{
    DIR *d = opendir(c->dir);
    if (!d)
        return;
    char keep[32];
    snprintf(keep, sizeof keep, "%016" PRIx64, keep_key);
    size_t n = strlen(name);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *s = e->d_name;
        if (strncmp(s, name, n) != 0 || s[n] != '-' || strlen(s + n + 1) != 16)
            continue;
        if (strspn(s + n + 1, "0123456789abcdef") != 16 || strcmp(s + n + 1, keep) == 0)
            continue;
        char *p = xasprintf("%s/%s", c->dir, s);
        unlink(p);
        free(p);
    }
    closedir(d);
}
