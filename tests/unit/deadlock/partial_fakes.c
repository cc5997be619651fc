/* partial_fakes.c - see partial_fakes.h. */
#include "partial_fakes.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detector/core/depot.h"
#include "detector/core/heapmap.h"
#include "detector/core/options.h"
#include "detector/report/record.h"
#include "detector/report/render_text.h"
#include "detector/report/report.h"
#include "detector/report/suppressions.h"
#include "runtime/traceback/stack.h"

enum { MAX_BLOCKS = 64, MAX_TIMERS = 8, MAX_GOROUTINES = 16 };

/* Everything that names the test's objects, in malloc'd memory (see the
   header). */
typedef struct world {
    struct g *first, *last;
    /* The stacks, one after the other in creation order, so that one's
       top is the next one's bottom. */
    uintptr_t stacks[MAX_GOROUTINES][FAKE_STACK_WORDS];
    unsigned nstacks;
    heapmap_block blocks[MAX_BLOCKS];   /* sorted by base */
    size_t nblocks;
    intro_range timers[MAX_TIMERS];
    const void *timer_chans[MAX_TIMERS];
    uint32_t ntimers;
    FILE *out;
    unsigned findings;
    char text[16384];
} world;

static world *w;
intro_g *fake_cur;
uintptr_t fake_suppressed_pc;

void fake_reset(void)
{
    w = calloc(1, sizeof *w);
    w->out = tmpfile();
    if (!w->out) abort();
    fake_cur = NULL;
    fake_suppressed_pc = 0;
}

intro_g *fake_go(int64_t id, enum intro_status st)
{
    struct g *gp = calloc(1, sizeof *gp);
    gp->id = id;
    gp->status = st;
    if (w->nstacks == MAX_GOROUTINES) abort();
    gp->stack = w->stacks[w->nstacks++];
    gp->ran = true;
    if (w->last) w->last->next = gp;
    else w->first = gp;
    w->last = gp;
    return gp;
}

void fake_wait(intro_g *gp, enum intro_wait wr, const void *obj)
{
    gp->status = INTRO_WAITING;
    gp->wr = wr;
    gp->obj = obj;
}

void fake_select_case(intro_g *gp, const void *chan, bool recv)
{
    fake_wait(gp, INTRO_WR_SELECT, NULL);
    gp->cases[gp->ncases++] = (intro_case){chan, recv};
}

void fake_hold(intro_g *gp, const void *p) { gp->stack[FAKE_SP + gp->nheld++] = (uintptr_t)p; }
void fake_hold_below_sp(intro_g *gp, const void *p) { *(uintptr_t *)fake_dead_slot(gp, 0) = (uintptr_t)p; }
void *fake_stack_slot(intro_g *gp, unsigned i) { return &gp->stack[FAKE_STACK_WORDS - 1 - i]; }
void *fake_dead_slot(intro_g *gp, unsigned i) { return &gp->stack[FAKE_SP - 1 - i]; }

void fake_never_ran(intro_g *gp, void *arg)
{
    gp->ran = false;
    gp->arg = arg;
}

void fake_unknown_stack(intro_g *gp) { gp->stack = NULL; }

void *fake_block(size_t size)
{
    void *p = calloc(1, size);
    size_t i = w->nblocks++;
    while (i && w->blocks[i - 1].base > (uintptr_t)p) {
        w->blocks[i] = w->blocks[i - 1];
        i--;
    }
    w->blocks[i] = (heapmap_block){(uintptr_t)p, size, 0};
    return p;
}

void fake_timer(void *t, size_t size, const void *chan)
{
    w->timers[w->ntimers] = (intro_range){(uintptr_t)t, (uintptr_t)t + size};
    w->timer_chans[w->ntimers++] = chan;
}

const char *fake_report_text(void)
{
    fflush(w->out);
    rewind(w->out);
    size_t n = fread(w->text, 1, sizeof w->text - 1, w->out);
    w->text[n] = '\0';
    return w->text;
}

unsigned fake_findings(void) { return w->findings; }

/* ---- runtime/introspect.h ---- */

intro_g *intro_current(void) { return fake_cur; }
intro_g *intro_first(void) { return w->first; }
intro_g *intro_next(const intro_g *gp) { return gp->next; }
int64_t intro_id(const intro_g *gp) { return gp->id; }
enum intro_status intro_status(const intro_g *gp) { return gp->status; }
enum intro_wait intro_waitreason(const intro_g *gp) { return gp->wr; }
const void *intro_wait_object(const intro_g *gp) { return gp->obj; }
uint32_t intro_select_ncases(const intro_g *gp) { return gp->wr == INTRO_WR_SELECT ? gp->ncases : 0; }
intro_case intro_select_case(const intro_g *gp, uint32_t i) { return gp->cases[i]; }
void *intro_saved_sp(const intro_g *gp)
{
    if (!gp->ran) return NULL;
    /* Without a stack, a stack pointer into nothing the fakes own. */
    return gp->stack ? (void *)&gp->stack[FAKE_SP] : (void *)(uintptr_t)0x10000;
}
intro_range intro_record(const intro_g *gp) { return gp->record; }
void *intro_entry_arg(const intro_g *gp) { return gp->arg; }
uintptr_t intro_entry_fn(const intro_g *gp) { return 0x2000 + (uintptr_t)gp->id; }
uintptr_t intro_created_pc(const intro_g *gp) { return 0x3000 + (uintptr_t)gp->id; }
int64_t intro_parent_id(const intro_g *gp) { return gp->id == 1 ? 0 : 1; }

intro_range intro_stack(const intro_g *gp)
{
    if (!gp->stack) return (intro_range){0, 0};
    return (intro_range){(uintptr_t)gp->stack, (uintptr_t)(gp->stack + FAKE_STACK_WORDS)};
}

const char *intro_waitreason_str(enum intro_wait wr)
{
    static const char *const s[] = {
        [INTRO_WR_NONE] = "",
        [INTRO_WR_CHAN_SEND] = "chan send",
        [INTRO_WR_CHAN_RECV] = "chan receive",
        [INTRO_WR_CHAN_SEND_NIL] = "chan send (nil chan)",
        [INTRO_WR_CHAN_RECV_NIL] = "chan receive (nil chan)",
        [INTRO_WR_SELECT] = "select",
        [INTRO_WR_SELECT_NO_CASES] = "select (no cases)",
        [INTRO_WR_MUTEX] = "sync.Mutex.Lock",
        [INTRO_WR_RWMUTEX_LOCK] = "sync.RWMutex.Lock",
        [INTRO_WR_RWMUTEX_RLOCK] = "sync.RWMutex.RLock",
        [INTRO_WR_WAITGROUP] = "sync.WaitGroup.Wait",
        [INTRO_WR_COND] = "sync.Cond.Wait",
        [INTRO_WR_SLEEP] = "sleep",
    };
    return s[wr];
}

bool intro_chan_timer_armed(const co_chan *c)
{
    for (uint32_t i = 0; c && i < w->ntimers; i++)
        if (w->timer_chans[i] == c) return true;
    return false;
}

uint32_t intro_timer_count(void) { return w->ntimers; }
intro_range intro_timer(uint32_t i) { return w->timers[i]; }

/* ---- detector/core ---- */

const heapmap_block *heapmap_sorted(size_t *n)
{
    *n = w->nblocks;
    return w->nblocks ? w->blocks : NULL;
}

size_t heapmap_count(void) { return w->nblocks; }

uint32_t depot_push(uint32_t parent, uintptr_t pc) { return parent * 31 + (uint32_t)pc; }

/* ---- runtime/traceback ---- */

int st_unwind_suspended(void *saved_sp, uintptr_t *pcs, int max)
{
    for (struct g *gp = w->first; gp; gp = gp->next)
        if (gp->ran && gp->stack && saved_sp == (void *)&gp->stack[FAKE_SP] && max > 0) {
            pcs[0] = 0x1000 + (uintptr_t)gp->id;
            return 1;
        }
    return 0;
}

int st_unwind_here(uintptr_t *pcs, int max)
{
    (void)pcs;
    (void)max;
    return 0;
}

/* ---- detector/report ---- */

FILE *report_stream(void) { return w->out; }
void report_other_findings(unsigned n) { w->findings += n; }

/* The checker's own choice of rendering, with the real renderers. */
void report_emit(FILE *f, json_t *rec)
{
    if (corace_opts.format == CORACE_FORMAT_JSON) {
        rec_write(f, rec);
        return;
    }
    rt_render(f, "", rec);
    json_decref(rec);
}

/* One frame per stack: function f<pc>, at t.c line pc. */
json_t *report_json_stack(uintptr_t pc, uint32_t frame)
{
    char name[32];
    (void)frame;
    snprintf(name, sizeof name, "f%" PRIxPTR, pc);
    json_t *fr = json_object();
    rec_set(fr, "function", rec_new_str(name));
    rec_set(fr, "file", rec_new_str("t.c"));
    rec_set(fr, "line", json_integer((json_int_t)pc));
    rec_set(fr, "pc", rec_new_hex(pc, 0));
    rec_set(fr, "inlined", json_false());
    json_t *a = json_array();
    json_array_append_new(a, fr);
    return a;
}

json_t *report_json_trace(uintptr_t pc, uint32_t frame) { return report_json_stack(pc, frame); }

void report_json_degraded(json_t *rec) { (void)rec; }

bool suppressions_active(void) { return fake_suppressed_pc != 0; }

bool report_suppressed_pcs(enum suppress_kind k, const uintptr_t *pcs, size_t n)
{
    return k == SUPPRESS_PARTIAL && n > 0 && pcs[0] == fake_suppressed_pc;
}

bool report_suppressed(enum suppress_kind k, const report_site *sites, size_t n)
{
    (void)k;
    (void)sites;
    (void)n;
    return false;
}
