/*
 * test_pool.c - sync.Pool (runtime/pool).
 */
#include "unit_util.h"

static int news;
static int new_items[64];

static void *new_item(void)
{
    new_items[news] = 1000 + news;
    return &new_items[news++];
}

START_TEST(get_calls_new_when_empty)
{
    co_pool p = {0};
    co_pool_init(&p, new_item);
    news = 0;
    int *a = co_pool_get(&p);
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(news, 1);
    ck_assert_int_eq(*a, 1000);
    int *b = co_pool_get(&p);
    ck_assert_int_eq(news, 2);
    ck_assert_ptr_ne(a, b);
}
END_TEST

START_TEST(get_returns_put_item)
{
    co_pool p = {0};
    co_pool_init(&p, new_item);
    news = 0;
    int x = 5;
    co_pool_put(&p, &x);
    int *got = co_pool_get(&p);
    ck_assert_ptr_eq(got, &x);
    ck_assert_int_eq(news, 0); /* no New while an item was there */
    int *fresh = co_pool_get(&p); /* empty again */
    ck_assert_int_eq(news, 1);
    ck_assert_ptr_ne(fresh, &x);
}
END_TEST

START_TEST(zero_value_get_null)
{
    co_pool p = {0}; /* no New */
    ck_assert_ptr_null(co_pool_get(&p));
    int x = 1;
    co_pool_put(&p, &x);
    ck_assert_ptr_eq(co_pool_get(&p), &x);
    ck_assert_ptr_null(co_pool_get(&p));
}
END_TEST

START_TEST(put_null_is_ignored)
{
    /* Go: Put(nil) is a no-op; Get then calls New */
    co_pool p = {0};
    co_pool_init(&p, new_item);
    news = 0;
    co_pool_put(&p, NULL);
    int *a = co_pool_get(&p);
    ck_assert_ptr_nonnull(a);
    ck_assert_int_eq(news, 1);
}
END_TEST

START_TEST(many_items_all_returned)
{
    co_pool p = {0};
    int xs[100];
    int seen[100] = {0};
    for (int i = 0; i < 100; i++) {
        xs[i] = i;
        co_pool_put(&p, &xs[i]);
    }
    for (int i = 0; i < 100; i++) {
        int *v = co_pool_get(&p);
        ck_assert_ptr_nonnull(v);
        ck_assert(v >= xs && v < xs + 100);
        ck_assert_int_eq(seen[*v], 0); /* each item comes out once */
        seen[*v] = 1;
    }
    ck_assert_ptr_null(co_pool_get(&p));
}
END_TEST

static co_pool shared_pool;

static void pool_user(void *arg)
{
    co_chan *done = arg;
    for (int i = 0; i < 50; i++) {
        int *v = co_pool_get(&shared_pool);
        ck_assert_ptr_nonnull(v);
        co_yield();
        co_pool_put(&shared_pool, v);
    }
    send_int(done, 0);
}

START_TEST(shared_between_goroutines)
{
    co_pool_init(&shared_pool, new_item);
    news = 0;
    co_chan *done = co_chan_make(sizeof(int), 0);
    for (int i = 0; i < 4; i++)
        co_go(pool_user, done);
    for (int i = 0; i < 4; i++)
        recv_int(done);
    ck_assert_int_le(news, 4); /* at most one item per concurrent user */
    ck_assert_int_ge(news, 1);
    unit_assert_no_leak();
}
END_TEST

Suite *pool_suite(void)
{
    Suite *s = suite_create("pool");
    tcase_add_test(unit_tcase(s, "get_calls_new"), get_calls_new_when_empty);
    tcase_add_test(unit_tcase(s, "get_returns_put"), get_returns_put_item);
    tcase_add_test(unit_tcase(s, "zero_value_null"), zero_value_get_null);
    tcase_add_test(unit_tcase(s, "put_null"), put_null_is_ignored);
    tcase_add_test(unit_tcase(s, "many_items"), many_items_all_returned);
    tcase_add_test(unit_tcase(s, "shared"), shared_between_goroutines);
    return s;
}

int main(void)
{
    return unit_run(pool_suite());
}
