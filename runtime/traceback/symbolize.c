/*
 * symbolize.c - PC to function, file and line with elfutils' libdwfl.
 *
 * Symbolization only happens when a report is printed, possibly from a
 * SIGSEGV handler on an alternate stack just before the process exits, so
 * plain malloc and a mutex are acceptable here; speed comes from caching
 * every PC's answer, since one report repeats the same PCs many times and a
 * full inline-chain lookup costs tens of microseconds.
 *
 * Strings handed out point into libdw's own tables: the Dwfl session is never
 * ended, and re-reporting (after a dlopen) only adds modules, so they stay
 * valid for the life of the process.  Only joined "comp_dir/name" paths are
 * allocated here.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stack.h"

typedef struct entry {
    uintptr_t pc;       /* 0 marks an empty slot */
    bool is_return;
    int n;
    st_frame *frames;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Set while this thread is inside libdw: a fault there whose handler asks
   for a trace must not deadlock on the lock or re-enter libdw. */
static _Thread_local bool busy;

static Dwfl *dwfl;
static bool dwfl_failed;

static entry *cache;
static size_t cache_cap, cache_used;   /* cap is a power of two */

static const Dwfl_Callbacks callbacks = {
    .find_elf = dwfl_linux_proc_find_elf,
    .find_debuginfo = dwfl_standard_find_debuginfo,
};

static bool report_modules(bool add)
{
    if (add)
        dwfl_report_begin_add(dwfl);
    else
        dwfl_report_begin(dwfl);
    int rc = dwfl_linux_proc_report(dwfl, getpid());
    return dwfl_report_end(dwfl, NULL, NULL) == 0 && rc == 0;
}

static bool session(void)
{
    if (dwfl || dwfl_failed)
        return dwfl != NULL;
    /* libdw would otherwise fetch missing debug info over the network. */
    unsetenv("DEBUGINFOD_URLS");
    dwfl = dwfl_begin(&callbacks);
    if (dwfl && !report_modules(false)) {
        dwfl_end(dwfl);
        dwfl = NULL;
    }
    dwfl_failed = dwfl == NULL;
    return dwfl != NULL;
}

static size_t slot_of(uintptr_t pc, bool is_return)
{
    uint64_t h = ((uint64_t)pc * 2 + is_return) * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 17) & (cache_cap - 1);
}

static entry *cache_find(uintptr_t pc, bool is_return)
{
    if (cache_cap == 0)
        return NULL;
    for (size_t i = slot_of(pc, is_return);; i = (i + 1) & (cache_cap - 1)) {
        if (cache[i].pc == 0)
            return NULL;
        if (cache[i].pc == pc && cache[i].is_return == is_return)
            return &cache[i];
    }
}

/* Keeps the table at most half full; a failed allocation just means the PC
   is looked up again next time. */
static void cache_put(uintptr_t pc, bool is_return, const st_frame *fr, int n)
{
    if ((cache_used + 1) * 2 > cache_cap) {
        size_t ncap = cache_cap ? cache_cap * 2 : 256;
        entry *nt = calloc(ncap, sizeof *nt);
        if (!nt)
            return;
        entry *old = cache;
        size_t ocap = cache_cap;
        cache = nt;
        cache_cap = ncap;
        for (size_t i = 0; i < ocap; i++) {
            if (old[i].pc == 0)
                continue;
            size_t j = slot_of(old[i].pc, old[i].is_return);
            while (cache[j].pc != 0)
                j = (j + 1) & (cache_cap - 1);
            cache[j] = old[i];
        }
        free(old);
    }
    st_frame *copy = malloc((size_t)n * sizeof *copy);
    if (!copy)
        return;
    memcpy(copy, fr, (size_t)n * sizeof *copy);
    size_t j = slot_of(pc, is_return);
    while (cache[j].pc != 0)
        j = (j + 1) & (cache_cap - 1);
    cache[j] = (entry){ .pc = pc, .is_return = is_return, .n = n, .frames = copy };
    cache_used++;
}

/* DWARF may name files relative to the compilation directory; Go prints
   absolute paths, so join them. */
static const char *abs_path(const char *file, const char *comp_dir)
{
    if (!file || file[0] == '/' || !comp_dir || !comp_dir[0])
        return file;
    while (file[0] == '.' && file[1] == '/')
        file += 2;
    size_t a = strlen(comp_dir), b = strlen(file);
    char *p = malloc(a + b + 2);
    if (!p)
        return file;
    memcpy(p, comp_dir, a);
    p[a] = '/';
    memcpy(p + a + 1, file, b + 1);
    return p;
}

static const char *die_name(Dwarf_Die *die)
{
    Dwarf_Attribute attr;
    /* Inlined instances and out-of-line clones carry their name only on the
       abstract origin; the _integrate variant follows it. */
    return dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
}

/* The function DIEs containing addr, innermost first: inlined instances,
   ending with the concrete subprogram.  dwarf_getscopes alone leaves the
   concrete tree at the first inlined instance (it continues with the inlined
   function's abstract definition), so, as eu-addr2line -i does, the
   innermost scope is re-read by offset and its real parents walked with
   dwarf_getscopes_die. */
static int function_scopes(Dwfl_Module *mod, Dwarf_Addr addr, Dwarf_Die *out, int max,
                           Dwarf_Addr *bias_out)
{
    Dwarf_Addr bias;
    Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, &bias);
    if (!cu)
        return 0;
    *bias_out = bias;
    Dwarf_Die *scopes = NULL;
    int ns = dwarf_getscopes(cu, addr - bias, &scopes);
    if (ns <= 0) {
        free(scopes);
        return 0;
    }
    Dwarf_Die concrete;
    Dwarf_Addr dwbias;
    Dwarf *dw = dwfl_module_getdwarf(mod, &dwbias);
    if (dw && dwarf_offdie(dw, dwarf_dieoffset(&scopes[0]), &concrete)) {
        free(scopes);
        scopes = NULL;
        ns = dwarf_getscopes_die(&concrete, &scopes);
    }
    int n = 0;
    for (int i = 0; i < ns && n < max; i++) {
        int tag = dwarf_tag(&scopes[i]);
        if (tag != DW_TAG_inlined_subroutine && tag != DW_TAG_subprogram)
            continue;
        out[n++] = scopes[i];
        if (tag == DW_TAG_subprogram)
            break;
    }
    free(scopes);
    return n;
}

/* Where the inlined instance `die` was called from. */
static void call_site(Dwarf_Die *die, const char **file, int *line)
{
    Dwarf_Die cu;
    Dwarf_Files *files;
    Dwarf_Attribute attr;
    Dwarf_Word v;
    *file = NULL;
    *line = 0;
    if (!dwarf_diecu(die, &cu, NULL, NULL))
        return;
    if (dwarf_formudata(dwarf_attr(die, DW_AT_call_file, &attr), &v) == 0
        && dwarf_getsrcfiles(&cu, &files, NULL) == 0) {
        const char *comp_dir = dwarf_formstring(dwarf_attr(&cu, DW_AT_comp_dir, &attr));
        *file = abs_path(dwarf_filesrc(files, v, NULL, NULL), comp_dir);
    }
    if (dwarf_formudata(dwarf_attr(die, DW_AT_call_line, &attr), &v) == 0)
        *line = (int)v;
}

static int resolve(uintptr_t pc, bool is_return, st_frame *out)
{
    Dwarf_Addr addr = pc - is_return;
    Dwfl_Module *mod = dwfl_addrmodule(dwfl, addr);
    /* Not in any module we know: perhaps dlopen'ed since the last report. */
    if (!mod && report_modules(true))
        mod = dwfl_addrmodule(dwfl, addr);
    if (!mod) {
        out[0] = (st_frame){ .func = "?", .file = "?", .off = pc };
        return 1;
    }

    const char *modname = dwfl_module_info(mod, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    Dwarf_Addr load_bias = 0;
    dwfl_module_getelf(mod, &load_bias);
    GElf_Off symoff = 0;
    GElf_Sym sym;
    const char *symname = dwfl_module_addrinfo(mod, addr, &symoff, &sym, NULL, NULL, NULL);

    const char *src = NULL;
    int line = 0;
    Dwfl_Line *ln = dwfl_module_getsrc(mod, addr);
    if (ln) {
        src = dwfl_lineinfo(ln, NULL, &line, NULL, NULL, NULL);
        src = abs_path(src, dwfl_line_comp_dir(ln));
    }

    Dwarf_Die fn[ST_MAX_INLINE];
    Dwarf_Addr cu_bias = 0;
    int nfn = function_scopes(mod, addr, fn, ST_MAX_INLINE - 1, &cu_bias);

    uintptr_t off;
    Dwarf_Addr low;
    if (symname)
        off = (uintptr_t)symoff + is_return;
    else if (nfn > 0 && dwarf_tag(&fn[nfn - 1]) == DW_TAG_subprogram
             && dwarf_lowpc(&fn[nfn - 1], &low) == 0)
        off = pc - (uintptr_t)(low + cu_bias);
    else
        off = pc - (uintptr_t)load_bias;

    /* Frame j is the function fn[j]; the innermost executes at the line
       table's location, each outer one at the call site of the inlined
       instance inside it. */
    int n = 0;
    const char *file = src;
    for (int j = 0; j < nfn; j++) {
        bool inl = dwarf_tag(&fn[j]) == DW_TAG_inlined_subroutine;
        const char *name = die_name(&fn[j]);
        if (!inl && symname && !name)
            name = symname;
        out[n++] = (st_frame){ .func = name ? name : "?", .file = file, .line = line,
                               .off = off, .inlined = inl };
        if (inl)
            call_site(&fn[j], &file, &line);
    }
    /* No DWARF function at all (assembly, no -g), or a chain cut short: the
       symbol table names the real function. */
    if (n == 0 || out[n - 1].inlined)
        out[n++] = (st_frame){ .func = symname ? symname : "?", .file = file, .line = line,
                               .off = off };

    for (int j = 0; j < n; j++) {
        out[j].has_src = out[j].file != NULL;
        if (!out[j].has_src) {
            out[j].file = modname ? modname : "?";
            out[j].line = 0;
            out[j].off = pc - (uintptr_t)load_bias;
        }
    }
    return n;
}

int st_symbolize(uintptr_t pc, bool is_return, st_frame *out, int max)
{
    st_frame tmp[ST_MAX_INLINE];
    int n;
    if (max <= 0)
        return 0;
    if (pc == 0 || busy) {
        out[0] = (st_frame){ .func = "?", .file = "?", .off = pc };
        return 1;
    }
    pthread_mutex_lock(&lock);
    busy = true;
    entry *e = cache_find(pc, is_return);
    if (e) {
        n = e->n;
        memcpy(tmp, e->frames, (size_t)n * sizeof tmp[0]);
    } else if (session()) {
        n = resolve(pc, is_return, tmp);
        cache_put(pc, is_return, tmp, n);
    } else {
        tmp[0] = (st_frame){ .func = "?", .file = "?", .off = pc };
        n = 1;
    }
    busy = false;
    pthread_mutex_unlock(&lock);
    if (n > max)
        n = max;
    memcpy(out, tmp, (size_t)n * sizeof out[0]);
    return n;
}
