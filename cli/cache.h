/* cache.h - the directory of compiled samples and the content hash that names them. */
#ifndef CORACE_CLI_CACHE_H
#define CORACE_CLI_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cache {
    char *dir;
    bool temporary; /* a mkdtemp directory, removed when corace exits */
};

/* $XDG_CACHE_HOME/corace or ~/.cache/corace, created; a fresh temporary
   directory when that cannot be written.  Returns -1 (errno) only when even
   the temporary directory cannot be made. */
int cache_open(struct cache *c);
/* Remove the temporary directory now (also done at exit). */
void cache_cleanup(void);
/* Forget c (a temporary directory is still removed at exit). */
void cache_close(struct cache *c);

/* FNV-1a, 64 bits: names cache entries, not a security boundary. */
struct hasher {
    uint64_t h;
};
void hash_init(struct hasher *h);
void hash_bytes(struct hasher *h, const void *p, size_t n);
void hash_str(struct hasher *h, const char *s); /* includes the terminating NUL */
void hash_u64(struct hasher *h, uint64_t v);

/* <dir>/<name>-<16 hex digits of key> */
char *cache_entry(const struct cache *c, const char *name, uint64_t key);
/* Remove <dir>/<name>-<other key> entries left by older sources or libraries. */
void cache_prune(const struct cache *c, const char *name, uint64_t keep_key);

#endif
