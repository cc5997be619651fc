/*
 * corace.h - Go's concurrency model in C.
 *
 * The one public header: goroutines, channels, select, sync, time and the
 * checker annotations.  Every public name starts with co_ or CO_; names that
 * start with co__ or fields that start with an underscore are private and
 * may change without notice.  The zero value of every sync type is ready to
 * use, as in Go.
 */
#ifndef CORACE_H
#define CORACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CO_EXTERN __attribute__((visibility("default")))
#else
#define CO_EXTERN
#endif

/* ---- Goroutines and scheduler ------------------------------------------------ */

typedef void (*co_fn)(void *arg);

CO_EXTERN int64_t co_go(co_fn fn, void *arg);      /* go fn(arg); returns the new id (main is 1) */
CO_EXTERN void    co_yield(void);                  /* runtime.Gosched */
CO_EXTERN int64_t co_id(void);                     /* id of the running goroutine */
CO_EXTERN int     co_num_goroutine(void);          /* runtime.NumGoroutine, main included */
CO_EXTERN int     co_maxprocs(int n);              /* runtime.GOMAXPROCS; n <= 0 only queries */
CO_EXTERN void    co_exit(int code);               /* flush checker reports, then exit */
CO_EXTERN _Noreturn void co_panic(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* ---- Channels ------------------------------------------------------------------ */

typedef struct co_chan co_chan;

CO_EXTERN co_chan *co_chan_make(size_t elem_size, size_t cap); /* cap 0: unbuffered */
CO_EXTERN void     co_chan_send(co_chan *c, const void *elem); /* NULL c blocks forever */
CO_EXTERN bool     co_chan_recv(co_chan *c, void *elem_out);   /* false: closed and drained */
CO_EXTERN void     co_chan_close(co_chan *c);
CO_EXTERN size_t   co_chan_len(co_chan *c);
CO_EXTERN size_t   co_chan_cap(co_chan *c);
CO_EXTERN void     co_chan_free(co_chan *c);

/* ---- Select -------------------------------------------------------------------- */

typedef struct co_case {
    co_chan *_chan; /* NULL: the case never proceeds */
    void *_elem;    /* value to send, or where to store the received one */
    bool *_ok;      /* receive only: where to store ok (may be NULL) */
    int _dir;       /* 1 send, 2 receive */
} co_case;

static inline co_case CO_SEND(co_chan *c, const void *elem)
{
    co_case k = {c, (void *)(uintptr_t)elem, NULL, 1};
    return k;
}

static inline co_case CO_RECV(co_chan *c, void *elem_out, bool *ok_out)
{
    co_case k = {c, elem_out, ok_out, 2};
    return k;
}

/* Runs one ready case (uniformly at random among the ready ones) and returns its
   index; -1 at once with has_default when none is ready; n == 0 without default
   blocks forever. */
CO_EXTERN int co_select(co_case *cases, size_t n, bool has_default);

/* ---- sync ---------------------------------------------------------------------- */

/* A queue of parked goroutines, linked through records on their own stacks. */
typedef struct co__waitq {
    struct co__waiter *_head, *_tail;
} co__waitq;

typedef struct co_mutex {          /* sync.Mutex */
    int64_t _owner;                /* goroutine id holding it, 0 when unlocked */
    co__waitq _waiters;            /* goroutines blocked in Lock, FIFO */
    const void *_self;             /* address at first use: detects copies */
} co_mutex;

typedef struct co_rwmutex {        /* sync.RWMutex, writer-preferring as Go's */
    int64_t _writer;               /* goroutine id holding the write lock, or 0 */
    int32_t _readers;              /* read locks held */
    int32_t _pending_writers;      /* writers blocked in Lock */
    co__waitq _wwaiters;           /* blocked writers, FIFO */
    co__waitq _rwaiters;           /* blocked readers */
    const void *_self;
} co_rwmutex;

typedef struct co_waitgroup {      /* sync.WaitGroup */
    int64_t _count;                /* outstanding Add - Done */
    co__waitq _waiters;            /* goroutines in Wait */
    const void *_self;
} co_waitgroup;

typedef struct co_cond {           /* sync.Cond; the Locker is passed to Wait */
    co__waitq _waiters;
    const void *_self;
} co_cond;

typedef struct co_once {           /* sync.Once */
    int32_t _done;                 /* fn has returned */
    int32_t _running;              /* fn is running */
    co__waitq _waiters;            /* Do callers waiting for fn to return */
} co_once;

typedef struct co_pool {           /* sync.Pool */
    void *(*_new)(void);           /* New, or NULL: Get then returns NULL when empty */
    void **_items;                 /* LIFO of put items */
    size_t _len, _cap;
} co_pool;

CO_EXTERN void co_mutex_lock(co_mutex *m);
CO_EXTERN void co_mutex_unlock(co_mutex *m);
CO_EXTERN bool co_mutex_trylock(co_mutex *m);
CO_EXTERN void co_rwmutex_lock(co_rwmutex *m);
CO_EXTERN void co_rwmutex_unlock(co_rwmutex *m);
CO_EXTERN void co_rwmutex_rlock(co_rwmutex *m);
CO_EXTERN void co_rwmutex_runlock(co_rwmutex *m);
CO_EXTERN bool co_rwmutex_trylock(co_rwmutex *m);
CO_EXTERN bool co_rwmutex_tryrlock(co_rwmutex *m);
CO_EXTERN void co_waitgroup_add(co_waitgroup *wg, int delta);
CO_EXTERN void co_waitgroup_done(co_waitgroup *wg);
CO_EXTERN void co_waitgroup_wait(co_waitgroup *wg);
CO_EXTERN void co_cond_wait(co_cond *c, co_mutex *m);
CO_EXTERN void co_cond_signal(co_cond *c);
CO_EXTERN void co_cond_broadcast(co_cond *c);
CO_EXTERN void co_once_do(co_once *o, co_fn fn, void *arg);
CO_EXTERN void  co_pool_init(co_pool *p, void *(*new_fn)(void));
CO_EXTERN void *co_pool_get(co_pool *p);
CO_EXTERN void  co_pool_put(co_pool *p, void *x);

/* ---- Time ---------------------------------------------------------------------- */

#define CO_NANOSECOND  1LL
#define CO_MICROSECOND 1000LL
#define CO_MILLISECOND 1000000LL
#define CO_SECOND      1000000000LL

typedef struct co_ticker co_ticker;

CO_EXTERN int64_t    co_now(void);                 /* monotonic ns */
CO_EXTERN void       co_sleep(int64_t ns);         /* time.Sleep */
CO_EXTERN co_chan   *co_after(int64_t ns);         /* time.After: chan of int64, cap 1 */
CO_EXTERN co_ticker *co_ticker_make(int64_t period_ns);
CO_EXTERN co_chan   *co_ticker_chan(co_ticker *t);
CO_EXTERN void       co_ticker_stop(co_ticker *t);

/* ---- Checker annotations ----------------------------------------------------------- */

CO_EXTERN void co_race_read(const void *addr, size_t size);
CO_EXTERN void co_race_write(const void *addr, size_t size);
CO_EXTERN void co_race_acquire(const void *sync_addr);
CO_EXTERN void co_race_release(const void *sync_addr);

#ifdef __cplusplus
}
#endif

#endif /* CORACE_H */
