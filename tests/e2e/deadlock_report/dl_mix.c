/*
 * Every Go wait reason in one deadlock (cf. go-reference/dl_mix.go).  Each
 * goroutine's id is printed on stdout as "G <tag> <id>"; check_report.sh
 * checks, for each, the header "goroutine <id> [<reason>]:", the function
 * the goroutine is blocked in followed by file:LINE of the blocking call
 * (found through the LINE: markers below), and "created by <func> in
 * goroutine <id>" followed by the file:line of the co_go (GO: markers).
 *
 * expect-exit: 2
 * expect-first-line: fatal error: all goroutines are asleep - deadlock!
 * expect-goroutines: 11
 * expect-goroutine: main     | chan send               | main        | chansend   | -       | -       | -
 * expect-goroutine: mutex    | sync.Mutex.Lock         | lock_twice  | mutex      | main    | main    | mutex
 * expect-goroutine: rwlock   | sync.RWMutex.Lock       | rw_writer   | rwlock     | main    | main    | rwlock
 * expect-goroutine: rwrlock  | sync.RWMutex.RLock      | rw_reader   | rwrlock    | main    | main    | rwrlock
 * expect-goroutine: cond     | sync.Cond.Wait          | cond_waiter | cond       | main    | main    | cond
 * expect-goroutine: nilrecv  | chan receive (nil chan) | nil_recv    | nilrecv    | main    | main    | nilrecv
 * expect-goroutine: nilsend  | chan send (nil chan)    | nil_send    | nilsend    | main    | main    | nilsend
 * expect-goroutine: selnone  | select (no cases)       | select_none | selnone    | main    | main    | selnone
 * expect-goroutine: select   | select                  | select_two  | select     | main    | main    | select
 * expect-goroutine: spawner  | sync.WaitGroup.Wait     | spawner     | wg         | main    | main    | spawner
 * expect-goroutine: child    | chan receive            | chan_recv   | recv       | spawner | spawner | child
 */
#include <corace.h>
#include <stdio.h>

static co_mutex mu;
static co_rwmutex rw;
static co_mutex cond_mu;
static co_cond cond;
static co_waitgroup wg;
static co_chan *never;   /* nobody ever sends on it */
static co_chan *sel[2];  /* select_two's channels: no partner ever comes */

static void show(const char *tag, int64_t id)
{
    printf("G %s %lld\n", tag, (long long)id);
    fflush(stdout);
}

static void lock_twice(void *arg)
{
    (void)arg;
    co_mutex_lock(&mu);
    co_mutex_lock(&mu); /* LINE:mutex */
}

static void rw_writer(void *arg)
{
    (void)arg;
    co_rwmutex_lock(&rw); /* LINE:rwlock */
}

static void rw_reader(void *arg)
{
    (void)arg;
    co_rwmutex_rlock(&rw); /* LINE:rwrlock */
}

static void cond_waiter(void *arg)
{
    (void)arg;
    co_mutex_lock(&cond_mu);
    co_cond_wait(&cond, &cond_mu); /* LINE:cond */
}

static void nil_recv(void *arg)
{
    int v = 0;
    (void)arg;
    co_chan_recv(NULL, &v); /* LINE:nilrecv */
}

static void nil_send(void *arg)
{
    int v = 1;
    (void)arg;
    co_chan_send(NULL, &v); /* LINE:nilsend */
}

static void select_none(void *arg)
{
    (void)arg;
    co_select(NULL, 0, false); /* LINE:selnone */
}

static void select_two(void *arg)
{
    int in = 0, out = 1;
    co_case cases[2];
    (void)arg;
    cases[0] = CO_RECV(sel[0], &in, NULL);
    cases[1] = CO_SEND(sel[1], &out);
    co_select(cases, 2, false); /* LINE:select */
}

static void chan_recv(void *arg)
{
    int v = 0;
    (void)arg;
    co_chan_recv(never, &v); /* LINE:recv */
}

static void spawner(void *arg)
{
    (void)arg;
    show("child", co_go(chan_recv, NULL)); /* GO:child */
    co_waitgroup_wait(&wg); /* LINE:wg */
}

int main(void)
{
    int one = 1;
    co_chan *final = co_chan_make(sizeof(int), 0);

    never = co_chan_make(sizeof(int), 0);
    sel[0] = co_chan_make(sizeof(int), 0);
    sel[1] = co_chan_make(sizeof(int), 0);
    co_waitgroup_add(&wg, 1);
    co_rwmutex_rlock(&rw); /* the writer below waits for this read lock */

    show("main", co_id());
    show("mutex", co_go(lock_twice, NULL)); /* GO:mutex */
    show("rwlock", co_go(rw_writer, NULL)); /* GO:rwlock */
    co_sleep(10 * CO_MILLISECOND); /* the writer is now pending ... */
    show("rwrlock", co_go(rw_reader, NULL)); /* GO:rwrlock */
    show("cond", co_go(cond_waiter, NULL)); /* GO:cond */
    show("nilrecv", co_go(nil_recv, NULL)); /* GO:nilrecv */
    show("nilsend", co_go(nil_send, NULL)); /* GO:nilsend */
    show("selnone", co_go(select_none, NULL)); /* GO:selnone */
    show("select", co_go(select_two, NULL)); /* GO:select */
    show("spawner", co_go(spawner, NULL)); /* GO:spawner */
    co_sleep(50 * CO_MILLISECOND); /* ... so a new reader blocks too (writer-preferring) */

    co_chan_send(final, &one); /* LINE:chansend */
    return 0;
}
