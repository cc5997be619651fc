/*
 * test_chan.c - channels (runtime/chan): Go's channel semantics.
 */
#include "unit_util.h"

/* ---- buffered FIFO ------------------------------------------------------------------ */

START_TEST(buffered_fifo_single_goroutine)
{
    co_chan *c = co_chan_make(sizeof(int), 5);
    for (int i = 1; i <= 5; i++)
        send_int(c, i);
    for (int i = 1; i <= 5; i++)
        ck_assert_int_eq(recv_int(c), i);
    ck_assert_uint_eq(co_chan_len(c), 0);
    co_chan_free(c);
    unit_assert_no_leak();
}
END_TEST

struct prod {
    co_chan *c;
    int n;
};

static void producer(void *arg)
{
    struct prod *p = arg;
    for (int i = 0; i < p->n; i++)
        send_int(p->c, i);
    co_chan_close(p->c);
}

START_TEST(buffered_fifo_through_blocked_senders)
{
    /* A small buffer with a producer that blocks when it is full: values come
       out in the order they were sent, blocked senders included. */
    co_chan *c = co_chan_make(sizeof(int), 3);
    struct prod p = {c, 1000};
    co_go(producer, &p);
    int v, want = 0;
    while (co_chan_recv(c, &v)) {
        ck_assert_int_eq(v, want);
        want++;
    }
    ck_assert_int_eq(want, 1000);
    unit_assert_no_leak();
    co_chan_free(c);
}
END_TEST

static void send_val(void *arg)
{
    struct prod *p = arg;
    send_int(p->c, p->n);
}

START_TEST(blocked_senders_refill_buffer)
{
    /* cap 2 full; two more senders block; each receive moves the oldest
       blocked sender's value into the buffer, so len stays at cap */
    co_chan *c = co_chan_make(sizeof(int), 2);
    send_int(c, 1);
    send_int(c, 2);
    struct prod p3 = {c, 3}, p4 = {c, 4};
    co_go(send_val, &p3);
    co_yield(); /* sender 3 blocks first */
    co_go(send_val, &p4);
    co_yield();
    ck_assert_uint_eq(co_chan_len(c), 2);
    ck_assert_int_eq(recv_int(c), 1);
    ck_assert_uint_eq(co_chan_len(c), 2);
    ck_assert_int_eq(recv_int(c), 2);
    ck_assert_uint_eq(co_chan_len(c), 2);
    ck_assert_int_eq(recv_int(c), 3);
    ck_assert_int_eq(recv_int(c), 4);
    ck_assert_uint_eq(co_chan_len(c), 0);
    unit_assert_no_leak();
}
END_TEST

static void send_one(void *arg)
{
    send_int((co_chan *)arg, 9);
}

START_TEST(buffered_receiver_waits_when_empty)
{
    co_chan *c = co_chan_make(sizeof(int), 4);
    co_go(send_one, c);
    ck_assert_int_eq(recv_int(c), 9); /* blocks until the sender runs */
    ck_assert_uint_eq(co_chan_len(c), 0);
    unit_assert_no_leak();
}
END_TEST

struct big {
    int64_t a, b, c;
    char tag[40];
};

START_TEST(element_copied_by_value)
{
    co_chan *c = co_chan_make(sizeof(struct big), 2);
    struct big x = {1, -2, 3, "hello"};
    co_chan_send(c, &x);
    x.a = 99; /* the channel holds a copy */
    strcpy(x.tag, "changed");
    struct big y;
    memset(&y, 0, sizeof y);
    ck_assert(co_chan_recv(c, &y));
    ck_assert_int_eq(y.a, 1);
    ck_assert_int_eq(y.b, -2);
    ck_assert_int_eq(y.c, 3);
    ck_assert_str_eq(y.tag, "hello");
    co_chan_free(c);
}
END_TEST

/* ---- unbuffered rendezvous ------------------------------------------------------------ */

static int taken;        /* set by the receiver once it has the value */
static int send_returned;
static int taken_at_send_return;

static void rendezvous_sender(void *arg)
{
    co_chan *c = arg;
    send_int(c, 42);
    send_returned = 1;
    taken_at_send_return = taken;
}

START_TEST(unbuffered_sender_waits_for_receiver)
{
    taken = send_returned = taken_at_send_return = 0;
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(rendezvous_sender, c);
    /* The sender runs and blocks: no receiver yet, so send must not return. */
    for (int i = 0; i < 50; i++) {
        co_yield();
        ck_assert_int_eq(send_returned, 0);
    }
    ck_assert_uint_eq(co_chan_len(c), 0);
    int v = recv_int(c);
    taken = 1;
    ck_assert_int_eq(v, 42);
    unit_assert_no_leak();
    ck_assert_int_eq(send_returned, 1);
    ck_assert_int_eq(taken_at_send_return, 1);
    co_chan_free(c);
}
END_TEST

static int recv_returned;
static int recv_value;

static void rendezvous_receiver(void *arg)
{
    co_chan *c = arg;
    recv_value = recv_int(c);
    recv_returned = 1;
}

START_TEST(unbuffered_receiver_waits_for_sender)
{
    recv_returned = 0;
    recv_value = 0;
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(rendezvous_receiver, c);
    for (int i = 0; i < 50; i++) {
        co_yield();
        ck_assert_int_eq(recv_returned, 0);
    }
    send_int(c, 7); /* a receiver is waiting: completes */
    unit_assert_no_leak();
    ck_assert_int_eq(recv_returned, 1);
    ck_assert_int_eq(recv_value, 7);
    co_chan_free(c);
}
END_TEST

struct mpmc {
    co_chan *c, *done;
    int per;
    long sum;
};

static void mpmc_send(void *arg)
{
    struct mpmc *m = arg;
    for (int i = 1; i <= m->per; i++)
        send_int(m->c, i);
    send_int(m->done, 0);
}

static void mpmc_recv(void *arg)
{
    struct mpmc *m = arg;
    long s = 0;
    for (int i = 0; i < m->per; i++)
        s += recv_int(m->c);
    m->sum += s;
    send_int(m->done, 0);
}

START_TEST(unbuffered_many_senders_receivers)
{
    struct mpmc m = {co_chan_make(sizeof(int), 0), co_chan_make(sizeof(int), 0), 200, 0};
    for (int i = 0; i < 8; i++) {
        co_go(mpmc_send, &m);
        co_go(mpmc_recv, &m);
    }
    for (int i = 0; i < 16; i++)
        recv_int(m.done);
    ck_assert_int_eq(m.sum, 8L * 200 * 201 / 2);
    unit_assert_no_leak();
}
END_TEST

/* ---- len / cap ------------------------------------------------------------------------- */

START_TEST(len_and_cap)
{
    co_chan *u = co_chan_make(sizeof(int), 0);
    ck_assert_uint_eq(co_chan_len(u), 0);
    ck_assert_uint_eq(co_chan_cap(u), 0);
    co_chan *b = co_chan_make(sizeof(int), 3);
    ck_assert_uint_eq(co_chan_len(b), 0);
    ck_assert_uint_eq(co_chan_cap(b), 3);
    send_int(b, 1);
    send_int(b, 2);
    ck_assert_uint_eq(co_chan_len(b), 2);
    ck_assert_uint_eq(co_chan_cap(b), 3);
    recv_int(b);
    ck_assert_uint_eq(co_chan_len(b), 1);
    co_chan_close(b);
    ck_assert_uint_eq(co_chan_len(b), 1); /* close keeps buffered values */
    ck_assert_uint_eq(co_chan_cap(b), 3);
    co_chan_free(u);
    co_chan_free(b);
}
END_TEST

START_TEST(len_cap_of_nil_channel)
{
    /* Go: len and cap of a nil channel are 0. */
    ck_assert_uint_eq(co_chan_len(NULL), 0);
    ck_assert_uint_eq(co_chan_cap(NULL), 0);
}
END_TEST

/* ---- close ------------------------------------------------------------------------------ */

struct closer_res {
    int value;
    int ok;
};

static co_chan *close_c, *close_res;
static int close_started;

static void close_waiter(void *arg)
{
    (void)arg;
    int v = 777; /* must be overwritten with the zero value */
    close_started++;
    bool ok = co_chan_recv(close_c, &v);
    struct closer_res r = {v, ok};
    co_chan_send(close_res, &r);
}

START_TEST(close_wakes_all_receivers)
{
    close_c = co_chan_make(sizeof(int), 0);
    close_res = co_chan_make(sizeof(struct closer_res), 3);
    close_started = 0;
    for (int i = 0; i < 3; i++)
        co_go(close_waiter, NULL);
    for (int i = 0; i < 1000 && close_started < 3; i++)
        co_yield();
    co_yield();
    ck_assert_int_eq(close_started, 3);
    ck_assert_uint_eq(co_chan_len(close_res), 0); /* all blocked */
    co_chan_close(close_c);
    for (int i = 0; i < 3; i++) {
        struct closer_res r = {-1, -1};
        ck_assert(co_chan_recv(close_res, &r));
        ck_assert_int_eq(r.ok, 0);
        ck_assert_int_eq(r.value, 0);
    }
    unit_assert_no_leak();
}
END_TEST

START_TEST(close_drains_buffered_values)
{
    co_chan *c = co_chan_make(sizeof(int), 3);
    send_int(c, 10);
    send_int(c, 20);
    co_chan_close(c);
    int v = -1;
    ck_assert(co_chan_recv(c, &v));
    ck_assert_int_eq(v, 10);
    ck_assert(co_chan_recv(c, &v));
    ck_assert_int_eq(v, 20);
    v = 5;
    ck_assert(!co_chan_recv(c, &v));
    ck_assert_int_eq(v, 0);
    /* receiving from a closed, drained channel never blocks, every time */
    for (int i = 0; i < 10; i++) {
        v = 9;
        ck_assert(!co_chan_recv(c, &v));
        ck_assert_int_eq(v, 0);
    }
    co_chan_free(c);
}
END_TEST

START_TEST(close_unbuffered_recv_zero)
{
    co_chan *c = co_chan_make(sizeof(struct big), 0);
    co_chan_close(c);
    struct big b;
    memset(&b, 0xAB, sizeof b);
    ck_assert(!co_chan_recv(c, &b));
    struct big z;
    memset(&z, 0, sizeof z);
    ck_assert(memcmp(&b, &z, sizeof b) == 0);
    co_chan_free(c);
}
END_TEST

static void close_after_sends(void *arg)
{
    co_chan *c = arg;
    send_int(c, 1);
    send_int(c, 2);
    co_chan_close(c);
}

START_TEST(range_until_closed)
{
    /* for v := range c */
    co_chan *c = co_chan_make(sizeof(int), 0);
    co_go(close_after_sends, c);
    int v, n = 0, sum = 0;
    while (co_chan_recv(c, &v)) {
        n++;
        sum += v;
    }
    ck_assert_int_eq(n, 2);
    ck_assert_int_eq(sum, 3);
    unit_assert_no_leak();
    co_chan_free(c);
}
END_TEST

/* ---- nil channels ------------------------------------------------------------------------- */

START_TEST(nil_channel_never_ready_in_select)
{
    int v = 3;
    bool ok = true;
    co_case rc[] = {CO_RECV(NULL, &v, &ok)};
    ck_assert_int_eq(co_select(rc, 1, true), -1);
    co_case sc[] = {CO_SEND(NULL, &v)};
    ck_assert_int_eq(co_select(sc, 1, true), -1);
    ck_assert_int_eq(v, 3);
}
END_TEST

static int nil_returned;

static void nil_recv_forever(void *arg)
{
    (void)arg;
    int v;
    co_chan_recv(NULL, &v);
    nil_returned = 1;
}

static void nil_send_forever(void *arg)
{
    (void)arg;
    int v = 1;
    co_chan_send(NULL, &v);
    nil_returned = 1;
}

START_TEST(nil_channel_recv_blocks)
{
    nil_returned = 0;
    co_go(nil_recv_forever, NULL);
    unit_yield_n(100);
    ck_assert_int_eq(nil_returned, 0);
    ck_assert_int_eq(co_num_goroutine(), 2); /* still parked, not exited */
}
END_TEST

START_TEST(nil_channel_send_blocks)
{
    nil_returned = 0;
    co_go(nil_send_forever, NULL);
    unit_yield_n(100);
    ck_assert_int_eq(nil_returned, 0);
    ck_assert_int_eq(co_num_goroutine(), 2);
}
END_TEST

Suite *chan_suite(void)
{
    Suite *s = suite_create("chan");
    tcase_add_test(unit_tcase(s, "buffered_fifo"), buffered_fifo_single_goroutine);
    tcase_add_test(unit_tcase(s, "buffered_fifo_blocked_senders"),
                   buffered_fifo_through_blocked_senders);
    tcase_add_test(unit_tcase(s, "element_copy"), element_copied_by_value);
    tcase_add_test(unit_tcase(s, "blocked_senders_refill"), blocked_senders_refill_buffer);
    tcase_add_test(unit_tcase(s, "buffered_receiver_waits"), buffered_receiver_waits_when_empty);
    tcase_add_test(unit_tcase(s, "unbuffered_sender_waits"),
                   unbuffered_sender_waits_for_receiver);
    tcase_add_test(unit_tcase(s, "unbuffered_receiver_waits"),
                   unbuffered_receiver_waits_for_sender);
    tcase_add_test(unit_tcase(s, "unbuffered_mpmc"), unbuffered_many_senders_receivers);
    tcase_add_test(unit_tcase(s, "len_cap"), len_and_cap);
    tcase_add_test(unit_tcase(s, "len_cap_nil"), len_cap_of_nil_channel);
    tcase_add_test(unit_tcase(s, "close_wakes_receivers"), close_wakes_all_receivers);
    tcase_add_test(unit_tcase(s, "close_drains_buffer"), close_drains_buffered_values);
    tcase_add_test(unit_tcase(s, "close_zero_value"), close_unbuffered_recv_zero);
    tcase_add_test(unit_tcase(s, "range_until_closed"), range_until_closed);
    tcase_add_test(unit_tcase(s, "nil_chan_select"), nil_channel_never_ready_in_select);
    tcase_add_test(unit_tcase(s, "nil_chan_recv_blocks"), nil_channel_recv_blocks);
    tcase_add_test(unit_tcase(s, "nil_chan_send_blocks"), nil_channel_send_blocks);
    return s;
}

int main(void)
{
    return unit_run(chan_suite());
}
