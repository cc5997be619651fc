/* run_build.c - build `corace run`'s sources with the cc driver, keyed by content.
 *
 * The key hashes each source's preprocessed text (so every header it
 * includes counts, the way ccache's preprocessor mode does) and absolute
 * path (it is in the debug information, hence in reports), the compiler
 * (its words and the file it resolves to), the flags, and the size and
 * modification time of corace.h, libcorace.a and libcorace_race.a. */
#include "run_build.h"

#include "ccdriver.h"
#include "exitcodes.h"
#include "proc.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_FORMAT "corace-run-cache-1"
#define PREPROCESS_TIMEOUT_S 300.0
#define PREPROCESS_CAP (256u * 1024 * 1024)

static void hash_stat(struct hasher *h, const char *path)
{
    struct stat st;
    hash_str(h, path ? path : "");
    if (path && stat(path, &st) == 0) {
        hash_u64(h, (uint64_t)st.st_size);
        hash_u64(h, (uint64_t)st.st_mtim.tv_sec);
        hash_u64(h, (uint64_t)st.st_mtim.tv_nsec);
    }
}

/* The file the compiler name resolves to (through PATH and symlinks). */
static void hash_compiler_file(struct hasher *h, const char *cc)
{
    char resolved[PATH_MAX];
    if (strchr(cc, '/')) {
        if (realpath(cc, resolved))
            hash_stat(h, resolved);
        return;
    }
    const char *path = getenv("PATH");
    char *copy = xstrdup(path ? path : "/usr/bin:/bin");
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char *p = xasprintf("%s/%s", d, cc);
        bool found = access(p, X_OK) == 0 && realpath(p, resolved);
        free(p);
        if (found) {
            hash_stat(h, resolved);
            break;
        }
    }
    free(copy);
}

static char *absolute(const char *path)
{
    char buf[PATH_MAX];
    if (realpath(path, buf))
        return xstrdup(buf);
    return xstrdup(path);
}

/* The stem of the first source, then a short hash of all the sources'
   absolute paths: two programs named main.c in different directories do not
   evict each other. */
static char *entry_name(char *const *sources, int n)
{
    struct hasher h;
    hash_init(&h);
    for (int i = 0; i < n; i++) {
        char *a = absolute(sources[i]);
        hash_str(&h, a);
        free(a);
    }
    const char *base = strrchr(sources[0], '/');
    base = base ? base + 1 : sources[0];
    size_t len = strlen(base);
    if (len > 2 && strcmp(base + len - 2, ".c") == 0)
        len -= 2;
    char *name = xasprintf("%.*s.%08" PRIx32, (int)len, base, (uint32_t)(h.h ^ (h.h >> 32)));
    return name;
}

/* The key of the configuration: the compiler, the flags, the runtime's
   paths (a directory of the cache per configuration). */
static uint64_t config_key(const struct corace_paths *paths, const struct argv_buf *cc)
{
    struct hasher config;
    hash_init(&config);
    hash_str(&config, CACHE_FORMAT);
    for (size_t i = 0; i < cc->n; i++)
        hash_str(&config, cc->v[i]);
    hash_str(&config, RUN_BUILD_OPT);
    hash_str(&config, paths->include_dir);
    hash_str(&config, paths->library);
    hash_str(&config, paths->race_library ? paths->race_library : "");
    return config.h;
}

/* The key of the program: the runtime's files, the compiler's, and each
   source as the preprocessor sees it (so that its headers count). */
static uint64_t program_key(const struct corace_paths *paths, const struct argv_buf *cc, char *const *sources, int n)
{
    struct hasher key;
    hash_init(&key);
    char *hdr = xasprintf("%s/corace.h", paths->include_dir);
    hash_stat(&key, hdr);
    free(hdr);
    hash_stat(&key, paths->library);
    hash_stat(&key, paths->race_library);
    hash_compiler_file(&key, cc->v[0]);
    for (int i = 0; i < n; i++) {
        char *abs = absolute(sources[i]);
        hash_str(&key, abs);
        free(abs);
        char *pp_args[] = {RUN_BUILD_OPT, "-E", sources[i]};
        struct argv_buf pp = {0};
        cc_compile_argv(&pp, cc->v, paths, pp_args, 3);
        struct proc_result r;
        if (proc_capture(pp.v, NULL, PREPROCESS_TIMEOUT_S, PREPROCESS_CAP, &r) == 0) {
            /* A failure (or a truncated text) still gives some key: the real
               compile below then fails with the diagnostics. */
            hash_u64(&key, (uint64_t)r.end);
            hash_u64(&key, (uint64_t)r.code);
            hash_bytes(&key, r.out, r.out_len);
            proc_result_free(&r);
        }
        argv_free(&pp);
    }
    return key.h;
}

/* Builds the sources into out, the entry name/key of sub, under a private
   name, then renamed: concurrent runs sharing the cache never see a
   half-written program.  The compiler's status. */
static int build_into(const struct corace_paths *paths, const struct cache *sub, const struct argv_buf *cc,
                      char *const *sources, int n, const char *name, uint64_t key, const char *out)
{
    char *tmp = xasprintf("%s.tmp%ld", out, (long)getpid());
    struct argv_buf args = {0};
    argv_push(&args, RUN_BUILD_OPT);
    for (int i = 0; i < n; i++)
        argv_push(&args, sources[i]);
    argv_push(&args, "-o");
    argv_push(&args, tmp);
    int status = cc_run(cc->v, paths, args.v, (int)args.n);
    argv_free(&args);
    if (status == 0 && rename(tmp, out) != 0) {
        cli_error("cannot write %s: %s", out, strerror(errno));
        status = EXIT_CC_CANNOT;
    }
    if (status != 0)
        unlink(tmp);
    else
        cache_prune(sub, name, key);
    free(tmp);
    return status;
}

int run_build(const struct corace_paths *paths, const struct cache *cache, char *const *sources,
              int n, char **bin)
{
    *bin = NULL;
    struct argv_buf cc = {0};
    cc_compiler(&cc);
    uint64_t key = program_key(paths, &cc, sources, n);
    struct cache sub = *cache;
    sub.dir = xasprintf("%s/run-%016" PRIx64, cache->dir, config_key(paths, &cc));
    int status = 0;
    char *name = entry_name(sources, n);
    char *out = NULL;
    if (make_dirs(sub.dir, 0755) != 0) {
        cli_error("cannot create %s: %s", sub.dir, strerror(errno));
        status = EXIT_CC_CANNOT;
    } else {
        out = cache_entry(&sub, name, key);
        if (access(out, X_OK) != 0)
            status = build_into(paths, &sub, &cc, sources, n, name, key, out);
    }
    if (status == 0)
        *bin = out;
    else
        free(out);
    free(name);
    free(sub.dir);
    argv_free(&cc);
    return status;
}
