/* ccdriver.c - `corace cc`: classify a compiler command line and run it checked.
 *
 * A compile line gets -fsanitize=thread -g and -I<include dir>.  A line that
 * links must not carry -fsanitize=thread (gcc would add libtsan.so to the
 * program), so its sources are compiled one by one into a temporary
 * directory with the checking flags, and the objects are linked, in their
 * places on the line, against the checker runtime. */
#include "ccdriver.h"

#include "checked_link.h"
#include "exitcodes.h"
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

/* Options whose value is the next argument (gcc's and clang's). */
static const char *const takes_arg[] = {
    "-o", "-x", "-I", "-D", "-U", "-include", "-imacros", "-iquote", "-isystem", "-idirafter",
    "-iprefix", "-iwithprefix", "-iwithprefixbefore", "-isysroot", "-imultilib", "-L", "-l",
    "-MF", "-MT", "-MQ", "-Xlinker", "-Xassembler", "-Xpreprocessor", "-Xclang", "-T", "-u",
    "-z", "-e", "-aux-info", "--param", "-B", "-wrapper", "--sysroot", "-target", "-arch",
    "-dumpbase", "-dumpdir", "-mllvm", "-gcc-toolchain", "-working-directory",
};

/* Of those, the ones only the linker uses. */
static const char *const link_arg[] = {"-L", "-l", "-Xlinker", "-T", "-u", "-z", "-e"};

/* Options that make the driver print something and stop. */
static bool is_info_option(const char *a)
{
    static const char *const info[] = {"--version", "--help", "--target-help", "-dumpversion",
                                       "-dumpfullversion", "-dumpmachine", "-dumpspecs", "-###"};
    return in_list(a, info, COUNT(info)) || strncmp(a, "-print-", 7) == 0 ||
           strncmp(a, "--print-", 8) == 0 || strncmp(a, "--help=", 7) == 0;
}

/* Joined link-only options, dropped when a source is compiled on its own. */
static bool is_link_option(const char *a)
{
    static const char *const exact[] = {"-shared", "-static", "-rdynamic", "-s", "-pie",
                                        "-no-pie", "-r", "-nostdlib", "-nostartfiles",
                                        "-nodefaultlibs", "-static-libgcc", "-static-pie"};
    return in_list(a, exact, COUNT(exact)) || strncmp(a, "-l", 2) == 0 ||
           strncmp(a, "-L", 2) == 0 || strncmp(a, "-Wl,", 4) == 0 ||
           strncmp(a, "-fuse-ld=", 9) == 0;
}

static bool is_source_name(const char *a)
{
    static const char *const ext[] = {".c",  ".i",   ".s",   ".S",   ".sx", ".cc", ".cp",
                                      ".cxx", ".cpp", ".CPP", ".c++", ".C",  ".ii"};
    const char *dot = strrchr(a, '.');
    const char *slash = strrchr(a, '/');
    if (!dot || (slash && dot < slash))
        return false;
    return in_list(dot, ext, COUNT(ext));
}

/* -lcorace, or a path to libcorace.a/.so: the checked runtime replaces it. */
static bool is_plain_runtime(const char *a)
{
    if (strcmp(a, "-lcorace") == 0)
        return true;
    const char *base = strrchr(a, '/');
    base = base ? base + 1 : a;
    return strcmp(base, "libcorace.a") == 0 || strncmp(base, "libcorace.so", 12) == 0;
}

/* One pass over the arguments: which are inputs, and of which language. */
struct scan {
    bool compile_only, partial, has_g, info;
    int ninputs;
    signed char *source; /* per argument: 1 a source to compile, 0 other, -1 an option's value */
    const char **lang;   /* per source: the -x language in force, or NULL */
};

static void scan_args(char *const *args, int nargs, struct scan *s)
{
    memset(s, 0, sizeof *s);
    s->source = xmalloc((size_t)nargs + 1);
    s->lang = xmalloc(((size_t)nargs + 1) * sizeof *s->lang);
    const char *lang = NULL;
    bool dash_m = false;
    for (int i = 0; i < nargs; i++) {
        const char *a = args[i];
        s->source[i] = 0;
        s->lang[i] = NULL;
        if (a[0] == '-' && a[1] != '\0') {
            if (is_info_option(a))
                s->info = true;
            if (!strcmp(a, "-c") || !strcmp(a, "-S") || !strcmp(a, "-E") ||
                !strcmp(a, "-fsyntax-only"))
                s->compile_only = true;
            if (!strcmp(a, "-M") || !strcmp(a, "-MM"))
                dash_m = true;
            if (!strcmp(a, "-shared") || !strcmp(a, "-r"))
                s->partial = true;
            if (a[1] == 'g' && strcmp(a, "-gcc-toolchain") != 0)
                s->has_g = true;
            if (strcmp(a, "-x") == 0 && i + 1 < nargs)
                lang = strcmp(args[i + 1], "none") ? args[i + 1] : NULL;
            else if (strncmp(a, "-x", 2) == 0 && a[2])
                lang = strcmp(a + 2, "none") ? a + 2 : NULL;
            if (in_list(a, takes_arg, COUNT(takes_arg)) && i + 1 < nargs)
                s->source[++i] = -1, s->lang[i] = NULL;
            continue;
        }
        s->ninputs++;
        if (lang || is_source_name(a) || strcmp(a, "-") == 0) {
            s->source[i] = 1;
            s->lang[i] = lang;
        }
    }
    if (dash_m)
        s->compile_only = true; /* -M and -MM imply -E */
}

static void scan_free(struct scan *s)
{
    free(s->source);
    free(s->lang);
}

enum cc_mode cc_classify(char *const *args, int nargs)
{
    struct scan s;
    scan_args(args, nargs, &s);
    enum cc_mode m = s.info || s.ninputs == 0 ? CC_PASSTHROUGH
                     : s.compile_only          ? CC_COMPILE
                     : s.partial               ? CC_LINK_PARTIAL
                                               : CC_LINK;
    scan_free(&s);
    return m;
}

void cc_compiler(struct argv_buf *cc)
{
    split_words(cc, getenv("CORACE_CC"), "cc");
}

static void push_checking_flags(struct argv_buf *out, bool has_g)
{
    argv_push(out, CHECKED_COMPILE_FLAG);
    if (!has_g)
        argv_push(out, CHECKED_DEBUG_FLAG);
}

void cc_compile_argv(struct argv_buf *out, char *const *cc, const struct corace_paths *paths,
                     char *const *args, int nargs)
{
    struct scan s;
    scan_args(args, nargs, &s);
    for (size_t i = 0; cc[i]; i++)
        argv_push(out, cc[i]);
    push_checking_flags(out, s.has_g);
    for (int i = 0; i < nargs; i++)
        argv_push(out, args[i]);
    argv_push(out, xasprintf("-I%s", paths->include_dir));
    scan_free(&s);
}

/* -fsanitize=LIST without "thread" (NULL when nothing is left). */
static const char *without_thread(const char *a)
{
    const char *p = "-fsanitize=";
    if (strncmp(a, p, strlen(p)) != 0)
        return a;
    char *list = xstrdup(a + strlen(p));
    char *out = xstrdup(p);
    bool any = false;
    for (char *save = NULL, *t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (strcmp(t, "thread") == 0)
            continue;
        char *next = xasprintf("%s%s%s", out, any ? "," : "", t);
        free(out);
        out = next;
        any = true;
    }
    free(list);
    if (!any) {
        free(out);
        return NULL;
    }
    return out;
}

/* Run argv in the foreground.  The exit status to use; 2 after a message
   when it cannot be started. */
static bool spawn_failed;

static int run(char *const *argv)
{
    fflush(stdout);
    fflush(stderr);
    struct proc_result r;
    if (proc_foreground(argv, &r) != 0) {
        cli_error("cannot run %s: %s", argv[0], strerror(errno));
        return EXIT_CC_CANNOT;
    }
    if (r.end == PROC_SPAWN_FAILED) {
        spawn_failed = true;
        if (r.code == ENOENT)
            cli_error("C compiler '%s' not found (set CORACE_CC to a C compiler)", argv[0]);
        else
            cli_error("cannot start the C compiler '%s': %s", argv[0], strerror(r.code));
        return EXIT_CC_CANNOT;
    }
    if (r.end == PROC_SIGNALED)
        return 128 + r.code;
    return r.code;
}

/* The base name of a source without its extension, for its object's name. */
static char *stem(const char *src)
{
    const char *base = strrchr(src, '/');
    base = base ? base + 1 : src;
    if (strcmp(base, "-") == 0)
        return xstrdup("stdin");
    char *s = xstrdup(base);
    char *dot = strrchr(s, '.');
    if (dot && dot != s)
        *dot = '\0';
    return s;
}

/* The checker runtime a checked link needs: 0, or 2 after a message. */
static int check_runtime(const struct corace_paths *paths)
{
    if (!paths->race_library) {
        cli_error("the checker runtime libcorace_race.a is not part of this build "
                  "(no corace_race target): cannot link a checked program");
        return EXIT_CC_CANNOT;
    }
    if (!is_regular_file(paths->race_library)) {
        cli_error("checker runtime %s not found (build the corace_race target)",
                  paths->race_library);
        return EXIT_CC_CANNOT;
    }
    if (!is_regular_file(paths->library)) {
        cli_error("runtime library %s not found (build the corace_static target)",
                  paths->library);
        return EXIT_CC_CANNOT;
    }
    return 0;
}

/* The options every separate compile gets: all but the inputs, -o, -x
   (given per source) and the linker's. */
static void compile_options(char *const *args, int nargs, const struct scan *s, struct argv_buf *copts)
{
    for (int i = 0; i < nargs; i++) {
        const char *a = args[i];
        if (s->source[i] != 0 || !(a[0] == '-' && a[1]))
            continue; /* inputs, and option values (taken with their option) */
        bool value = i + 1 < nargs && s->source[i + 1] == -1;
        if (strncmp(a, "-o", 2) == 0 || strncmp(a, "-x", 2) == 0 ||
            in_list(a, link_arg, COUNT(link_arg)) || is_link_option(a))
            continue;
        argv_push(copts, a);
        if (value)
            argv_push(copts, args[i + 1]);
    }
}

/* Compiles src (in language lang, when given) checked into obj; the
   compiler's status. */
static int compile_one(char *const *cc, const struct corace_paths *paths, const struct argv_buf *copts,
                       const char *src, const char *lang, bool has_g, const char *obj)
{
    struct argv_buf c = {0};
    for (size_t k = 0; cc[k]; k++)
        argv_push(&c, cc[k]);
    push_checking_flags(&c, has_g);
    for (size_t k = 0; k < copts->n; k++)
        argv_push(&c, copts->v[k]);
    if (lang) {
        argv_push(&c, "-x");
        argv_push(&c, lang);
    }
    argv_push(&c, src);
    if (lang) {
        argv_push(&c, "-x");
        argv_push(&c, "none");
    }
    argv_push(&c, "-c");
    argv_push(&c, "-o");
    argv_push(&c, obj);
    char *inc = xasprintf("-I%s", paths->include_dir);
    argv_push(&c, inc);
    int rc = run(c.v);
    free(inc);
    argv_free(&c);
    return rc;
}

/* Links the objects (objs[i] in place of source args[i]) with the rest of
   the command line and, unless partial (-r), the checker's archive. */
static int link_objects(char *const *cc, const struct corace_paths *paths, char *const *args, int nargs,
                        const struct scan *s, bool partial, char **objs)
{
    struct argv_buf l = {0};
    for (size_t k = 0; cc[k]; k++)
        argv_push(&l, cc[k]);
    for (int i = 0; i < nargs; i++) {
        const char *a = args[i];
        if (s->source[i] == 1) {
            argv_push(&l, objs[i]);
            continue;
        }
        if (s->source[i] == -1)
            continue; /* pushed with its option */
        bool value = i + 1 < nargs && s->source[i + 1] == -1;
        if (strncmp(a, "-x", 2) == 0)
            continue; /* every source is an object now (-x's value is skipped above) */
        if (!partial && is_plain_runtime(a))
            continue;
        if (!strcmp(a, "-l") && value && !partial && !strcmp(args[i + 1], "corace"))
            continue;
        const char *kept = without_thread(a);
        if (!kept)
            continue;
        argv_push(&l, kept);
        if (value)
            argv_push(&l, args[i + 1]);
    }
    if (!partial) {
        static const char *const libs[] = {CHECKED_LINK_LIBS};
        /* The checker's archive holds the runtime too (docs/libraries.md). */
        argv_push(&l, paths->race_library);
        for (size_t k = 0; k < COUNT(libs); k++)
            argv_push(&l, libs[k]);
        argv_push(&l, CHECKED_WRAP_LDFLAGS);
    }
    int status = run(l.v);
    argv_free(&l);
    return status;
}

static int link_line(char *const *cc, const struct corace_paths *paths, char *const *args,
                     int nargs, const struct scan *s, bool partial)
{
    struct argv_buf copts = {0};
    compile_options(args, nargs, s, &copts);
    char *tmpdir = NULL;
    char **objs = xmalloc(((size_t)nargs + 1) * sizeof *objs);
    int status = 0;
    for (int i = 0; i < nargs; i++) {
        objs[i] = NULL;
        if (s->source[i] != 1)
            continue;
        if (!tmpdir) {
            tmpdir = make_temp_dir("cc");
            if (!tmpdir) {
                cli_error("cannot create a temporary directory: %s", strerror(errno));
                free(objs);
                argv_free(&copts);
                return EXIT_CC_CANNOT;
            }
        }
        char *st = stem(args[i]);
        objs[i] = xasprintf("%s/%d-%s.o", tmpdir, i, st);
        free(st);
        int rc = compile_one(cc, paths, &copts, args[i], s->lang[i], s->has_g, objs[i]);
        if (rc != 0 && status == 0)
            status = rc; /* as a driver does: compile the others too, then stop */
        if (spawn_failed)
            break; /* it would fail the same way for every source */
    }
    /* After the compiles: a compile error is worth seeing first. */
    if (status == 0 && !partial)
        status = check_runtime(paths);
    if (status == 0)
        status = link_objects(cc, paths, args, nargs, s, partial, objs);
    for (int i = 0; i < nargs; i++)
        free(objs[i]);
    free(objs);
    if (tmpdir) {
        remove_tree(tmpdir);
        free(tmpdir);
    }
    argv_free(&copts);
    return status;
}

int cc_run(char *const *cc, const struct corace_paths *paths, char *const *args, int nargs)
{
    struct scan s;
    scan_args(args, nargs, &s);
    struct argv_buf argv = {0};
    int status;
    if (s.info || s.ninputs == 0) {
        for (size_t k = 0; cc[k]; k++)
            argv_push(&argv, cc[k]);
        for (int i = 0; i < nargs; i++)
            argv_push(&argv, args[i]);
        status = run(argv.v);
    } else if (s.compile_only) {
        cc_compile_argv(&argv, cc, paths, args, nargs);
        status = run(argv.v);
    } else {
        status = link_line(cc, paths, args, nargs, &s, s.partial);
    }
    argv_free(&argv);
    scan_free(&s);
    return status;
}
