/* render_text.c - findings as Go-format text, from their records: the one
   renderer of each kind, used by the checker as it reports and by corace
   report over a file of records.  Tracebacks are printed as
   runtime/traceback/print.c prints a goroutine's.

   Text, exactly as `go run -race` prints (golden tests in tests/unit/report):

       ==================
       WARNING: DATA RACE
       Write at 0x00c00001a0c8 by goroutine 7:      "by main goroutine:" for 1
         update_foo()
             /path/prog.c:22 +0x44                  offset of the return address
         worker()                                   from the function's start
             /path/prog.c:30 +0x1d

       Previous read at 0x00c00001a0c8 by goroutine 6:
         ...

       Goroutine 7 (running) created at:            not for main, never created
         main()
             /path/prog.c:41 +0x8c
       ==================

   Kinds are "Read", "Write", "Atomic read", "Atomic write", and the same
   after "Previous " in lower case.  Go prints no access size; JSON has it.
   An inlined frame has no "+0x" (its code has no offset of its own); a pc
   without line information prints "module+0xOFF", what addr2line takes.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE        /* open_memstream; the CLI's build defines it too */
#endif
#include "render_text.h"
#include "record.h"
#include "kinds.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define SEP "==================\n"

/* TSan's StripPathPrefix, as the checker applies it: everything up to and
   including the first occurrence of the prefix goes, then a leading "./". */
const char *rt_strip(const char *file, const char *pfx)
{
    const char *p = pfx && pfx[0] ? strstr(file, pfx) : NULL;
    if (p)
        file = p + strlen(pfx);
    if (file[0] == '.' && file[1] == '/')
        file += 2;
    return file;
}

const char *rt_mode_name(const json_t *lock) { return rt_read_mode(lock) ? "read" : "write"; }

/* The separator and the WARNING line that open a finding of kind k. */
static void opening(FILE *f, enum finding_kind k)
{
    fprintf(f, SEP "%s\n", finding_of(k)->warning);
}

/* A stack as race reports print it. */
static void text_stack(FILE *f, const char *pfx, const json_t *stack)
{
    for (size_t i = 0; i < json_array_size(stack); i++) {
        const json_t *fr = json_array_get(stack, i);
        fprintf(f, "  %s()\n", rec_str(fr, "function"));
        const char *file = rt_strip(rec_str(fr, "file"), pfx);
        if (rec_bool(fr, "nosrc"))
            fprintf(f, "      %s+0x%" PRIxPTR "\n", file, rec_hex(fr, "offset"));
        else if (rec_bool(fr, "inlined") || !rec_has(fr, "offset"))
            fprintf(f, "      %s:%" PRId64 "\n", file, rec_int(fr, "line"));
        else
            fprintf(f, "      %s:%" PRId64 " +0x%" PRIxPTR "\n", file, rec_int(fr, "line"), rec_hex(fr, "offset"));
    }
}

/* A location as Go's traceback prints it (runtime/traceback/print.c). */
static void traceback_location(FILE *f, const char *pfx, const json_t *fr, bool inlined)
{
    const char *file = rt_strip(rec_str(fr, "file"), pfx);
    uintptr_t off = rec_hex(fr, "offset");
    if (rec_bool(fr, "nosrc"))
        fprintf(f, "\t%s+0x%" PRIxPTR "\n", file, off);
    else if (inlined || off == 0)
        fprintf(f, "\t%s:%" PRId64 "\n", file, rec_int(fr, "line"));
    else
        fprintf(f, "\t%s:%" PRId64 " +0x%" PRIxPTR "\n", file, rec_int(fr, "line"), off);
}

static void traceback(FILE *f, const char *pfx, const json_t *stack)
{
    for (size_t i = 0; i < json_array_size(stack); i++) {
        const json_t *fr = json_array_get(stack, i);
        bool inl = rec_bool(fr, "inlined");
        fprintf(f, "%s(%s)\n", rec_str(fr, "function"), inl ? "..." : "");
        traceback_location(f, pfx, fr, inl);
    }
}

/* "file:line" of a stack's innermost frame, as report_site_line. */
void rt_site_line(const json_t *stack, const char *pfx, char *buf, size_t size)
{
    if (json_array_size(stack) == 0) {
        snprintf(buf, size, "?");
        return;
    }
    const json_t *fr = json_array_get(stack, 0);
    if (rec_bool(fr, "nosrc"))
        snprintf(buf, size, "%s+0x%" PRIxPTR, rt_strip(rec_str(fr, "file"), pfx), rec_hex(fr, "offset"));
    else
        snprintf(buf, size, "%s:%" PRId64, rt_strip(rec_str(fr, "file"), pfx), rec_int(fr, "line"));
}

static void text_degraded(FILE *f, const json_t *r)
{
    size_t n;
    const json_t *d = rec_items(r, "degraded", &n);
    if (n)
        fputc('\n', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "corace: detection degraded: %s\n", json_string_value(json_array_get(d, i)));
}

const char *rt_access_kind(const json_t *a, bool previous)
{
    bool w = strcmp(rec_str(a, "op"), "write") == 0, at = rec_bool(a, "atomic");
    if (previous)
        return at ? (w ? "Previous atomic write" : "Previous atomic read") : (w ? "Previous write" : "Previous read");
    return at ? (w ? "Atomic write" : "Atomic read") : (w ? "Write" : "Read");
}

static void text_race(FILE *f, const char *pfx, const json_t *r)
{
    const json_t *a = rec_get(r, "accesses");
    uintptr_t addr = rec_hex(r, "addr");
    opening(f, FINDING_RACE);
    for (int i = 0; i < 2; i++) {
        if (i)
            fputc('\n', f);
        fprintf(f, "%s at 0x%012" PRIxPTR " by ", rt_access_kind(json_array_get(a, i), i == 1), addr);
        int64_t g = rec_int(json_array_get(a, i), "goroutine");
        if (g == 1)
            fputs("main goroutine:\n", f);
        else
            fprintf(f, "goroutine %" PRId64 ":\n", g);
        text_stack(f, pfx, rec_get(json_array_get(a, i), "stack"));
    }
    /* The creation stacks of the goroutines other than main, the current
       access's first: the order of "goroutines". */
    size_t ng;
    const json_t *gs = rec_items(r, "goroutines", &ng);
    for (size_t i = 0; i < ng; i++) {
        int64_t id = rec_int(json_array_get(gs, i), "id");
        if (id == 1)
            continue;
        fprintf(f, "\nGoroutine %" PRId64 " (%s) created at:\n", id, rec_str(json_array_get(gs, i), "state"));
        text_stack(f, pfx, rec_get(json_array_get(gs, i), "created"));
    }
    text_degraded(f, r);
    fputs(SEP, f);
}

static void text_copy(FILE *f, const char *pfx, const json_t *r)
{
    opening(f, FINDING_COPY);
    fprintf(f, "%s at 0x%012" PRIxPTR " is a copy of the one at 0x%012" PRIxPTR ", made after that one was used\n\n",
            rec_str(r, "type"), rec_hex(r, "addr"), rec_hex(r, "original"));
    int64_t g = rec_int(r, "goroutine");
    if (g == 1)
        fputs("Copy used by main goroutine:\n", f);
    else
        fprintf(f, "Copy used by goroutine %" PRId64 ":\n", g);
    text_stack(f, pfx, rec_get(r, "stack"));
    if (rec_has(r, "first_stack")) {
        fputs("\nOriginal first used at:\n", f);
        text_stack(f, pfx, rec_get(r, "first_stack"));
    }
    fputs(SEP, f);
}

bool rt_read_mode(const json_t *lock) { return strcmp(rec_str(lock, "mode"), "read") == 0; }

static void text_wait_cycle(FILE *f, const char *pfx, const json_t *r)
{
    size_t n;
    const json_t *st = rec_items(r, "steps", &n);
    char held[512], wants[512];
    opening(f, FINDING_WAIT_CYCLE);
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(st, i), *h = rec_get(s, "holds"), *w = rec_get(s, "wants");
        rt_site_line(rec_get(w, "stack"), pfx, wants, sizeof wants);
        if (rec_bool(s, "pending")) {
            fprintf(f, "goroutine %" PRId64 " waits for %s 0x%012" PRIxPTR " (Lock) at %s, and new readers queue behind it\n",
                    rec_int(s, "goroutine"), rec_str(w, "type"), rec_hex(w, "addr"), wants);
            continue;
        }
        rt_site_line(rec_get(h, "stack"), pfx, held, sizeof held);
        fprintf(f, "goroutine %" PRId64 " holds %s 0x%012" PRIxPTR " (%s at %s) and waits for %s 0x%012" PRIxPTR
                   " (%s) at %s\n",
                rec_int(s, "goroutine"), rec_str(h, "type"), rec_hex(h, "addr"), rt_read_mode(h) ? "read-locked" : "locked", held,
                rec_str(w, "type"), rec_hex(w, "addr"), rt_read_mode(w) ? "RLock" : "Lock", wants);
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(st, i), *h = rec_get(s, "holds"), *w = rec_get(s, "wants");
        fprintf(f, "\ngoroutine %" PRId64 " [%s]:\n", rec_int(s, "goroutine"), rec_str(s, "waitreason"));
        text_stack(f, pfx, rec_get(w, "stack"));
        if (!rec_bool(s, "pending")) {
            fprintf(f, "%s 0x%012" PRIxPTR " %s at:\n", rec_str(h, "type"), rec_hex(h, "addr"),
                    rt_read_mode(h) ? "read-locked" : "locked");
            text_stack(f, pfx, rec_get(h, "stack"));
        }
    }
    fputs("\nCoffman conditions (all four hold, so no goroutine of the cycle can go on):\n", f);
    fputs("  mutual exclusion: each lock admits one writer, or readers while no writer is queued\n", f);
    fputs("  hold and wait:    each goroutine keeps what it holds while it waits\n", f);
    fputs("  no preemption:    a lock is released only by an Unlock; nothing takes it away\n", f);
    fputs("  circular wait:    ", f);
    for (size_t i = 0; i <= n; i++)
        fprintf(f, "%sgoroutine %" PRId64, i ? " -> " : "", rec_int(json_array_get(st, i % n), "goroutine"));
    fputc('\n', f);
}

/* One lock call of the unsafe scenario, in goroutine column col. */
static void scenario_lock(FILE *f, size_t col, bool read, uintptr_t addr)
{
    fprintf(f, "%*s%slock(0x%012" PRIxPTR ");\n", col ? (int)(7 + 27 * col) : 2, "", read ? "r" : "", addr);
}

/* lockdep's picture of a lock-order cycle of n goroutines, a column each:
   every one takes the lock it holds, then, last first, each asks for the
   next one's (between classes, any lock of the class will do: the next
   step's own). */
static void scenario(FILE *f, const json_t *st, size_t n, bool classes)
{
    fputs("\nPossible unsafe scenario:\n\n", f);
    /* Headings 27 columns apart, from column 7. */
    for (size_t i = 0; i < n; i++)
        fprintf(f, i + 1 < n ? "       goroutine %-10" PRId64 : "       goroutine %" PRId64 "\n",
                rec_int(json_array_get(st, i), "goroutine"));
    for (size_t i = 0; i < n; i++)
        fputs(i + 1 < n ? "       ----                " : "       ----\n", f);
    for (size_t i = 0; i < n; i++) {
        const json_t *h = rec_get(json_array_get(st, i), "holds");
        scenario_lock(f, i, rt_read_mode(h), rec_hex(h, "addr"));
    }
    for (size_t i = n; i-- > 0;) {
        const json_t *w = rec_get(json_array_get(st, i), "wants");
        uintptr_t addr = classes ? rec_hex(rec_get(json_array_get(st, (i + 1) % n), "holds"), "addr") : rec_hex(w, "addr");
        scenario_lock(f, i, rt_read_mode(w), addr);
    }
    fputs("\n *** DEADLOCK ***\n", f);
}

static void text_lock_order(FILE *f, const char *pfx, const json_t *r)
{
    size_t n;
    const json_t *st = rec_items(r, "steps", &n);
    bool classes = rec_bool(r, "classes");
    opening(f, FINDING_LOCK_ORDER);
    fprintf(f, "%zu %s taken in a cycle:", n, classes ? "lock classes are" : "locks are");
    for (size_t i = 0; i < n; i++)
        fprintf(f, " 0x%012" PRIxPTR " ->", rec_hex(rec_get(json_array_get(st, i), "holds"), "addr"));
    fprintf(f, " 0x%012" PRIxPTR "\n", rec_hex(rec_get(json_array_get(st, 0), "holds"), "addr"));
    if (classes) {
        fputs("Lock classes (the order is between all locks allocated at one place, not these alone):\n", f);
        for (size_t i = 0; i < n; i++) {
            const json_t *l = rec_get(json_array_get(st, i), "holds");
            fprintf(f, "  %s 0x%012" PRIxPTR ": offset %" PRId64 " in a block allocated at %s\n", rec_str(l, "type"),
                    rec_hex(l, "addr"), rec_int(l, "class_offset"), rec_has(l, "class_site") ? rec_str(l, "class_site") : "?");
        }
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(st, i), *h = rec_get(s, "holds"), *w = rec_get(s, "wants");
        fprintf(f, "\ngoroutine %" PRId64 " took %s 0x%012" PRIxPTR "%s:\n", rec_int(s, "goroutine"), rec_str(h, "type"),
                rec_hex(h, "addr"), rt_read_mode(h) ? " (read)" : "");
        text_stack(f, pfx, rec_get(h, "stack"));
        fprintf(f, "and then asked for %s 0x%012" PRIxPTR "%s:\n", rec_str(w, "type"), rec_hex(w, "addr"),
                rt_read_mode(w) ? " (read)" : "");
        text_stack(f, pfx, rec_get(w, "stack"));
    }
    scenario(f, st, n, classes);
}

static void text_recursive_read(FILE *f, const char *pfx, const json_t *r)
{
    const json_t *st = rec_get(r, "steps");
    const json_t *rh = rec_get(json_array_get(st, 0), "holds"), *rw = rec_get(json_array_get(st, 0), "wants"), *ww = rec_get(json_array_get(st, 1), "wants");
    int64_t rg = rec_int(json_array_get(st, 0), "goroutine"), wg = rec_int(json_array_get(st, 1), "goroutine");
    uintptr_t addr = rec_hex(rh, "addr");
    opening(f, FINDING_LOCK_ORDER);
    fprintf(f, "goroutine %" PRId64 " read-locks %s 0x%012" PRIxPTR " while it holds it for reading, and goroutine %" PRId64
               " write-locks it:\na Lock between the two RLocks waits for the first, and the second waits for the Lock\n",
            rg, rec_str(rh, "type"), addr, wg);
    fprintf(f, "\ngoroutine %" PRId64 " took %s 0x%012" PRIxPTR " (read):\n", rg, rec_str(rh, "type"), addr);
    text_stack(f, pfx, rec_get(rh, "stack"));
    fputs("and then asked for it again (read):\n", f);
    text_stack(f, pfx, rec_get(rw, "stack"));
    fprintf(f, "\ngoroutine %" PRId64 " asked for it (write):\n", wg);
    text_stack(f, pfx, rec_get(ww, "stack"));
    fputs("\nPossible unsafe scenario:\n\n", f);
    fprintf(f, "       goroutine %-10" PRId64 "       goroutine %" PRId64 "\n", rg, wg);
    fputs("       ----                       ----\n", f);
    fprintf(f, "  rlock(0x%012" PRIxPTR ");\n", addr);
    fprintf(f, "                                  lock(0x%012" PRIxPTR ");\n", addr);
    fprintf(f, "  rlock(0x%012" PRIxPTR ");\n", addr);
    fputs("\n *** DEADLOCK ***\n", f);
}

static const char *partial_object_name(const char *wr)
{
    if (strcmp(wr, "sync.WaitGroup.Wait") == 0)
        return "the WaitGroup";
    if (strcmp(wr, "sync.Cond.Wait") == 0)
        return "the Cond";
    if (strcmp(wr, "select") == 0)
        return "any of its channels";
    return "the channel";
}

/* One goroutine of a partial-deadlock report; the header before the first
   of a report (victim 0), the closing line after the last. */
static void text_partial(FILE *f, const char *pfx, const json_t *r)
{
    int64_t victim = rec_int(r, "victim"), victims = rec_has(r, "victims") ? rec_int(r, "victims") : 1;
    if (victim == 0)
        opening(f, FINDING_PARTIAL);
    else
        fputc('\n', f);
    const char *wr = rec_str(r, "waitreason");
    int64_t g = rec_int(r, "goroutine");
    size_t nobj;
    const json_t *obj = rec_items(r, "objects", &nobj);
    fprintf(f, "goroutine %" PRId64 " is blocked forever on %s", g, wr);
    if (nobj == 0) {
        /* Blocked forever by itself: nil channels or an empty select. */
        fputs(strcmp(wr, "select (no cases)") == 0 ? ": a select with no cases never proceeds\n"
              : strcmp(wr, "select") == 0         ? ": every case's channel is nil\n"
                                                  : ": a nil channel is never ready\n", f);
    } else {
        const char *sep = strcmp(wr, "select") == 0 ? " over " : " ";
        for (size_t i = 0; i < nobj; i++) {
            fprintf(f, "%s0x%012" PRIxPTR, sep, (uintptr_t)strtoull(json_string_value(json_array_get(obj, i)), NULL, 16));
            sep = ", ";
        }
        fprintf(f, ": no running, runnable or timer-waiting goroutine can reach %s\n", partial_object_name(wr));
    }
    fprintf(f, "goroutine %" PRId64 " [%s]:\n", g, wr);
    traceback(f, pfx, rec_get(r, "stack"));
    size_t nc;
    const json_t *created = rec_items(r, "created", &nc);
    if (g != 1 && nc) {
        fprintf(f, "created by %s in goroutine %" PRId64 "\n", rec_str(json_array_get(created, 0), "function"), rec_int(r, "created_by"));
        /* The offset belongs to the real function even when the name is an
           inlined one's. */
        traceback_location(f, pfx, json_array_get(created, 0), false);
    }
    if (victim + 1 >= victims) {
        text_degraded(f, r);
        fputs(SEP, f);
    }
}

/* A goroutine as Go's tracebacks show it: header, stack, creation. */
static void text_goroutine(FILE *f, const char *pfx, int64_t id, const char *state, const json_t *stack,
                           const json_t *g)
{
    fprintf(f, "goroutine %" PRId64 " [%s]:\n", id, state);
    traceback(f, pfx, stack);
    size_t nc;
    const json_t *created = rec_items(g, "created", &nc);
    if (id != 1 && nc) {
        fprintf(f, "created by %s in goroutine %" PRId64 "\n", rec_str(json_array_get(created, 0), "function"), rec_int(g, "created_by"));
        traceback_location(f, pfx, json_array_get(created, 0), false);
    }
}

/* One leaked goroutine: the checker's block for it alone. */
static void text_leak(FILE *f, const char *pfx, const json_t *r)
{
    bool blocked = strcmp(rec_str(r, "state"), "blocked") == 0;
    opening(f, FINDING_LEAK);
    if (blocked)
        fprintf(f, "1 goroutine still blocked when %s\n", rec_str(r, "when"));
    else
        fprintf(f, "1 goroutine still runnable when %s (lost work: it never finished)\n", rec_str(r, "when"));
    fputc('\n', f);
    text_goroutine(f, pfx, rec_int(r, "goroutine"), rec_str(r, "waitreason"), rec_get(r, "stack"), r);
    text_degraded(f, r);
    fputs(SEP, f);
}

/* The program's death, as the runtime printed it. */
static void text_fatal(FILE *f, const char *pfx, const json_t *r)
{
    fprintf(f, "%s\n", rec_str(r, "message"));
    size_t n;
    const json_t *g = rec_items(r, "goroutines", &n);
    for (size_t i = 0; i < n; i++) {
        fputc('\n', f);
        const json_t *gi = json_array_get(g, i);
        text_goroutine(f, pfx, rec_int(gi, "id"), rec_str(gi, "state"), rec_get(gi, "stack"), gi);
    }
}

void rt_render(FILE *f, const char *pfx, const json_t *r)
{
    const char *k = rec_str(r, "kind");
    if (!strcmp(k, "leak")) {
        text_leak(f, pfx, r);
        return;
    }
    if (!strcmp(k, "deadlock") || !strcmp(k, "runtime-error") || !strcmp(k, "timeout")) {
        text_fatal(f, pfx, r);
        return;
    }
    if (!strcmp(k, "race")) {
        text_race(f, pfx, r);
        return;
    }
    if (!strcmp(k, "copy")) {
        text_copy(f, pfx, r);
        return;
    }
    if (!strcmp(k, "partial-deadlock")) {
        text_partial(f, pfx, r);
        return;
    }
    if (!strcmp(k, "wait-cycle"))
        text_wait_cycle(f, pfx, r);
    else if (!strcmp(k, "lock-order"))
        text_lock_order(f, pfx, r);
    else
        text_recursive_read(f, pfx, r);
    text_degraded(f, r);
    fputs(SEP, f);
}

char *rt_text(const char *pfx, const json_t *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return NULL;
    rt_render(m, pfx, r);
    fclose(m);
    return buf;
}

/* The one-line message of a finding. */
void rt_summary(const json_t *r, char *buf, size_t size)
{
    const char *k = rec_str(r, "kind");
    if (!strcmp(k, "race")) {
        const json_t *a = rec_get(r, "accesses");
        snprintf(buf, size, "Data race at 0x%012" PRIxPTR ": %s by goroutine %" PRId64 " and %s by goroutine %" PRId64,
                 rec_hex(r, "addr"), rt_access_kind(json_array_get(a, 0), false), rec_int(json_array_get(a, 0), "goroutine"),
                 rt_access_kind(json_array_get(a, 1), true), rec_int(json_array_get(a, 1), "goroutine"));
    } else if (!strcmp(k, "copy")) {
        snprintf(buf, size, "%s at 0x%012" PRIxPTR " is a copy of the one at 0x%012" PRIxPTR
                            ", made after that one was used",
                 rec_str(r, "type"), rec_hex(r, "addr"), rec_hex(r, "original"));
    } else if (!strcmp(k, "partial-deadlock")) {
        snprintf(buf, size, "Partial deadlock: goroutine %" PRId64 " is blocked forever on %s",
                 rec_int(r, "goroutine"), rec_str(r, "waitreason"));
    } else if (!strcmp(k, "leak")) {
        snprintf(buf, size, "Goroutine leak: goroutine %" PRId64 " still %s (%s) when %s", rec_int(r, "goroutine"),
                 rec_str(r, "state"), rec_str(r, "waitreason"), rec_str(r, "when"));
    } else if (!strcmp(k, "deadlock") || !strcmp(k, "runtime-error") || !strcmp(k, "timeout")) {
        snprintf(buf, size, "%s", rec_str(r, "message"));
    } else {
        size_t n;
        rec_items(r, "steps", &n);
        snprintf(buf, size, !strcmp(k, "wait-cycle") ? "Deadlock: %zu goroutines wait for each other's locks in a cycle"
                           : !strcmp(k, "lock-order") ? "Potential deadlock: lock-order inversion between %zu goroutines"
                                                      : "Potential deadlock: recursive read lock with a writer (%zu goroutines)",
                 n);
    }
}

void rt_render_all(FILE *f, const char *pfx, json_t *const *recs, size_t n)
{
    unsigned races = 0;
    for (size_t i = 0; i < n; i++) {
        rt_render(f, pfx, recs[i]);
        races += strcmp(rec_str(recs[i], "kind"), "race") == 0;
    }
    if (races)
        fprintf(f, "Found %u data race(s)\n", races);
}
