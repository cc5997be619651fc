/* build.c - build a sample: for checking when the checker runtime is in this build, else plain. */
#include "build.h"

#include "checked_link.h"

#include "proc.h"
#include "util.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMPILE_TIMEOUT_S 300.0
#define DIAG_CAP (256 * 1024)
#define CACHE_FORMAT "corace-samples-cache-1"

/* A library built with sanitizers needs their runtimes in every program. */
static const char *const cflags[] = {"-std=gnu11", "-g", "-O1",
#ifdef CORACE_LIB_ASAN
                                     "-fsanitize=address",
#endif
#ifdef CORACE_LIB_UBSAN
                                     "-fsanitize=undefined",
#endif
};
static const char *const libs[] = {"-lunwind", "-ldw", "-lelf"};
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* $CC split on white space (no shell: no quoting), or "cc". */
static char **compiler_words(size_t *n_out)
{
    const char *cc = getenv("CC");
    char *copy = xstrdup(cc && cc[strspn(cc, " \t")] ? cc : "cc");
    size_t n = 0, cap = 4;
    char **w = xmalloc(cap * sizeof *w);
    for (char *save = NULL, *t = strtok_r(copy, " \t\n", &save); t;
         t = strtok_r(NULL, " \t\n", &save)) {
        if (n + 1 >= cap)
            w = xrealloc(w, (cap *= 2) * sizeof *w);
        w[n++] = xstrdup(t);
    }
    w[n] = NULL;
    free(copy);
    *n_out = n;
    return w;
}

static void hash_file_stat(struct hasher *h, const char *path)
{
    struct stat st;
    hash_str(h, path);
    if (stat(path, &st) == 0) {
        hash_u64(h, (uint64_t)st.st_size);
        hash_u64(h, (uint64_t)st.st_mtim.tv_sec);
        hash_u64(h, (uint64_t)st.st_mtim.tv_nsec);
    }
}

/* The configuration: compiler, flags and where header and library are.
   Each configuration gets its own cache subdirectory, so that a build-tree
   corace and an installed one (or two compilers) do not evict each other. */
static uint64_t config_key(const struct corace_paths *paths, char *const *cc, size_t ncc)
{
    struct hasher h;
    hash_init(&h);
    hash_str(&h, CACHE_FORMAT);
    for (size_t i = 0; i < ncc; i++)
        hash_str(&h, cc[i]);
    for (size_t i = 0; i < COUNT(cflags); i++)
        hash_str(&h, cflags[i]);
    for (size_t i = 0; i < COUNT(libs); i++)
        hash_str(&h, libs[i]);
    hash_str(&h, paths->include_dir);
    hash_str(&h, paths->library);
    if (paths->race_library && is_regular_file(paths->race_library)) {
        hash_str(&h, "checked");
        hash_file_stat(&h, paths->race_library);
    }
    return h.h;
}

/* The program: its source, and the header and library it is built against. */
static uint64_t program_key(const struct corace_paths *paths, const char *source,
                            size_t source_len)
{
    struct hasher h;
    hash_init(&h);
    char *hdr = xasprintf("%s/corace.h", paths->include_dir);
    hash_file_stat(&h, hdr);
    free(hdr);
    hash_file_stat(&h, paths->library);
    hash_bytes(&h, source, source_len);
    return h.h;
}

/* The header and the runtime library are where paths says. */
static bool have_runtime(const struct corace_paths *paths, char **msg)
{
    char *hdr = xasprintf("%s/corace.h", paths->include_dir);
    bool have_hdr = is_regular_file(hdr);
    free(hdr);
    if (!have_hdr) {
        *msg = xasprintf("corace.h not found in %s", paths->include_dir);
        return false;
    }
    if (!is_regular_file(paths->library)) {
        *msg = xasprintf("runtime library %s not found (build the corace_static target)",
                         paths->library);
        return false;
    }
    return true;
}

/* Builds sample s into the program tmp: with the checker in this build for
   checking, as `corace cc` would (compiled with -fsanitize=thread, then
   linked against the checker runtime without it: CHECKED_* in
   checked_link.h), else plain.  proc_capture's result, the last step's in r. */
static int compile_to(const struct corace_paths *paths, const struct sample *s, char **cc, size_t ncc,
                      const char *tmp, struct proc_result *r)
{
    char *tmp_o = xasprintf("%s.o", tmp);
    char *include = xasprintf("-I%s", paths->include_dir);
    bool checked = paths->race_library && is_regular_file(paths->race_library);
    static const char *const checked_libs[] = {CHECKED_LINK_LIBS};
    size_t na = 0;
    char **argv = xmalloc((ncc + COUNT(cflags) + COUNT(checked_libs) + 16) * sizeof *argv);
    for (size_t i = 0; i < ncc; i++)
        argv[na++] = cc[i];
    for (size_t i = 0; i < COUNT(cflags); i++)
        argv[na++] = (char *)cflags[i];
    argv[na++] = include;
    argv[na++] = s->path;
    if (checked) {
        argv[na++] = "-fsanitize=thread";
        argv[na++] = "-c";
        argv[na++] = "-o";
        argv[na++] = tmp_o;
    } else {
        argv[na++] = paths->library;
        for (size_t i = 0; i < COUNT(libs); i++)
            argv[na++] = (char *)libs[i];
        argv[na++] = "-o";
        argv[na++] = (char *)tmp;
    }
    argv[na] = NULL;
    int spawned = proc_capture(argv, NULL, COMPILE_TIMEOUT_S, DIAG_CAP, r);
    if (checked && spawned == 0 && r->end == PROC_EXITED && r->code == 0) {
        proc_result_free(r);
        na = ncc;
        argv[na++] = tmp_o;
        argv[na++] = paths->race_library;
        for (size_t i = 0; i < COUNT(checked_libs); i++)
            argv[na++] = (char *)checked_libs[i];
        argv[na++] = CHECKED_WRAP_LDFLAGS;
        argv[na++] = "-o";
        argv[na++] = (char *)tmp;
        argv[na] = NULL;
        spawned = proc_capture(argv, NULL, COMPILE_TIMEOUT_S, DIAG_CAP, r);
    }
    unlink(tmp_o);
    free(argv);
    free(include);
    free(tmp_o);
    return spawned;
}

/* What the compile of s by compiler cc0 came to, with the message when it
   failed. */
static enum build_status judge(int spawned, const struct proc_result *r, const char *cc0,
                               const struct sample *s, char **msg)
{
    if (spawned != 0) {
        *msg = xasprintf("cannot run the compiler: %s", strerror(errno));
        return BUILD_FAILED;
    }
    if (r->end == PROC_SPAWN_FAILED) {
        if (r->code == ENOENT)
            *msg = xasprintf("C compiler '%s' not found (set CC to a C compiler)", cc0);
        else
            *msg = xasprintf("cannot start the C compiler '%s': %s", cc0, strerror(r->code));
        return BUILD_NO_COMPILER;
    }
    if (r->end == PROC_EXITED && r->code == 0)
        return BUILD_OK;
    if (r->end == PROC_TIMEOUT)
        *msg = xasprintf("compiling %s.c: the compiler did not finish in %.0f s", s->name,
                         COMPILE_TIMEOUT_S);
    else if (r->end == PROC_SIGNALED)
        *msg = xasprintf("compiling %s.c failed (%s killed by signal %d)", s->name, cc0, r->code);
    else
        *msg = xasprintf("compiling %s.c failed (%s exited with status %d)", s->name, cc0, r->code);
    return BUILD_FAILED;
}

enum build_status build_sample(const struct corace_paths *paths, const struct cache *cache,
                               const struct sample *s, char **bin, char **msg, char **diag)
{
    *bin = *msg = *diag = NULL;
    if (!have_runtime(paths, msg))
        return BUILD_NO_RUNTIME;
    size_t source_len;
    char *source = read_file(s->path, &source_len);
    if (!source) {
        *msg = xasprintf("cannot read %s: %s", s->path, strerror(errno));
        return BUILD_FAILED;
    }

    size_t ncc;
    char **cc = compiler_words(&ncc);
    uint64_t key = program_key(paths, source, source_len);
    free(source);
    struct cache sub = *cache;
    sub.dir = xasprintf("%s/%016" PRIx64, cache->dir, config_key(paths, cc, ncc));
    char *out = NULL;
    enum build_status st = BUILD_FAILED;
    if (make_dirs(sub.dir, 0755) != 0) {
        *msg = xasprintf("cannot create %s: %s", sub.dir, strerror(errno));
        goto done;
    }
    out = cache_entry(&sub, s->name, key);
    if (access(out, X_OK) == 0) {
        st = BUILD_CACHED;
        goto done;
    }
    /* Compile to a private name, then rename: concurrent corace runs sharing
       the cache never see a half-written program. */
    char *tmp = xasprintf("%s.tmp%ld", out, (long)getpid());
    struct proc_result r;
    int spawned = compile_to(paths, s, cc, ncc, tmp, &r);
    st = judge(spawned, &r, cc[0], s, msg);
    if (st == BUILD_OK && rename(tmp, out) != 0) {
        *msg = xasprintf("cannot write %s: %s", out, strerror(errno));
        st = BUILD_FAILED;
    } else if (st == BUILD_OK) {
        cache_prune(&sub, s->name, key);
    }
    if (r.end != PROC_SPAWN_FAILED && (r.out_len || r.err_len))
        *diag = xasprintf("%s%s", r.out, r.err);
    proc_result_free(&r);   /* proc_capture fills r even when it fails */
    if (st != BUILD_OK)
        unlink(tmp);
    free(tmp);
done:
    free(sub.dir);
    for (size_t i = 0; i < ncc; i++)
        free(cc[i]);
    free(cc);
    if (st == BUILD_OK || st == BUILD_CACHED)
        *bin = out;
    else
        free(out);
    return st;
}
