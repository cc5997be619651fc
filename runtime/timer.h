/*
 * timer.h - the timer heap behind co_sleep, co_after and tickers.
 *
 * Timers fire from the scheduler: before picking the next goroutine, and
 * while idle, when the scheduler sleeps until the earliest one.  A timer is
 * the "one more case" of a park: co_sleep parks on a timer that readies it.
 */
#ifndef CORACE_TIMER_H
#define CORACE_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef struct tmr tmr;
struct tmr {
    int64_t when;               /* co_now() deadline */
    int64_t period;             /* > 0 for tickers: re-armed after firing */
    uint64_t seq;               /* arming order: equal deadlines fire FIFO */
    int64_t heap_idx;           /* position in the heap, -1 when not armed */
    void (*fire)(tmr *t, int64_t now);
    void *arg;
};

void timer_arm(tmr *t, int64_t when);
void timer_disarm(tmr *t);
/* Number of armed timers. */
extern uint32_t timer_count;
/* Fire every timer due at now; returns whether any fired. */
bool timer_fire_due(int64_t now);
/* The i-th armed timer, in heap order; NULL past timer_count. */
tmr *timer_nth(uint32_t i);
/* Whether some armed timer can make a goroutine runnable: a sleeper's, or
   one feeding a channel a goroutine is blocked receiving from.  With none
   runnable and none of these, the timers only fill channels nobody reads:
   every goroutine is asleep for good, however long the program waits. */
bool timer_can_wake(void);
/* Block the thread until the earliest timer's deadline (no goroutine can run). */
void timer_sleep_until_next(void);

#endif
