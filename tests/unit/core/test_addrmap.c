/* detector/core/addrmap.h: the detector's one address-keyed hash map. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detector/core/addrmap.h"
#include "one_case_suite.h"

/* n keys, from 1 up, whose home slot in m is home. */
static void keys_homed_at(const addrmap *m, size_t home, uint64_t *out, int n)
{
    for (uint64_t k = 1; n > 0; k++)
        if (addrmap_home(m, k) == home) {
            *out++ = k;
            n--;
        }
}

static uint64_t *put(addrmap *m, uint64_t key, uint64_t value)
{
    uint64_t *v = addrmap_insert(m, key, NULL);
    ck_assert_ptr_nonnull(v);
    *v = value;
    return v;
}

static uint64_t get(const addrmap *m, uint64_t key)
{
    const uint64_t *v = addrmap_find(m, key);
    ck_assert_msg(v != NULL, "key %llu lost", (unsigned long long)key);
    return *v;
}

START_TEST(insert_find_overwrite)
{
    addrmap m = ADDRMAP_INIT(sizeof(uint64_t));
    ck_assert_ptr_null(addrmap_find(&m, 0x1000));
    ck_assert_uint_eq(addrmap_capacity(&m), 0);
    bool added = false;
    uint64_t *v = addrmap_insert(&m, 0x1000, &added);
    ck_assert(added);
    ck_assert_uint_eq(*v, 0);   /* a new value starts zeroed */
    *v = 7;
    put(&m, 0x2000, 9);
    ck_assert_uint_eq(addrmap_count(&m), 2);
    ck_assert_uint_eq(get(&m, 0x1000), 7);
    ck_assert_uint_eq(get(&m, 0x2000), 9);
    ck_assert_ptr_null(addrmap_find(&m, 0x3000));
    /* Inserting a present key finds it: the value stays until overwritten. */
    uint64_t *again = addrmap_insert(&m, 0x1000, &added);
    ck_assert(!added);
    ck_assert_uint_eq(*again, 7);
    *again = 11;
    ck_assert_uint_eq(get(&m, 0x1000), 11);
    ck_assert_uint_eq(addrmap_count(&m), 2);
    /* The first table fills one page. */
    ck_assert_uint_eq(addrmap_capacity(&m) * 16, 4096);
    addrmap_free(&m);
    ck_assert_uint_eq(addrmap_count(&m), 0);
    ck_assert_ptr_null(addrmap_find(&m, 0x1000));
}
END_TEST

START_TEST(delete_shifts_runs_that_wrap_the_end)
{
    addrmap m = ADDRMAP_INIT(sizeof(uint64_t));
    put(&m, 1, 1);   /* makes the table, so homes are known */
    addrmap_delete(&m, 1);
    size_t cap = addrmap_capacity(&m), last = cap - 1;
    uint64_t at_last[3], at_zero[1];
    keys_homed_at(&m, last, at_last, 3);
    keys_homed_at(&m, 0, at_zero, 1);
    /* a, b, c all want the last slot: they run over the end into 0 and 1;
       d, homed at 0, lands after them at 2. */
    for (int i = 0; i < 3; i++)
        put(&m, at_last[i], 100 + (uint64_t)i);
    put(&m, at_zero[0], 200);
    ck_assert_uint_eq(addrmap_find_slot(&m, at_last[0]), last);
    ck_assert_uint_eq(addrmap_find_slot(&m, at_last[1]), 0);
    ck_assert_uint_eq(addrmap_find_slot(&m, at_last[2]), 1);
    ck_assert_uint_eq(addrmap_find_slot(&m, at_zero[0]), 2);

    /* Deleting a pulls b back over the end, c to 0 and d home to 1... */
    ck_assert(addrmap_delete(&m, at_last[0]));
    ck_assert_uint_eq(addrmap_find_slot(&m, at_last[1]), last);
    ck_assert_uint_eq(addrmap_find_slot(&m, at_last[2]), 0);
    ck_assert_uint_eq(addrmap_find_slot(&m, at_zero[0]), 1);
    ck_assert_uint_eq(addrmap_key_at(&m, 2), 0);
    ck_assert_uint_eq(get(&m, at_last[1]), 101);
    ck_assert_uint_eq(get(&m, at_last[2]), 102);
    ck_assert_uint_eq(get(&m, at_zero[0]), 200);
    ck_assert_ptr_null(addrmap_find(&m, at_last[0]));

    /* ...and deleting c (at 0) must not move d before its home (0). */
    ck_assert(addrmap_delete(&m, at_last[2]));
    ck_assert_uint_eq(addrmap_find_slot(&m, at_zero[0]), 0);
    ck_assert(!addrmap_delete(&m, at_last[2]));
    ck_assert_uint_eq(addrmap_count(&m), 2);
    addrmap_free(&m);
}
END_TEST

START_TEST(delete_keeps_a_member_at_its_home)
{
    addrmap m = ADDRMAP_INIT(0);
    ck_assert(addrmap_insert(&m, 1, NULL) != NULL);
    addrmap_delete(&m, 1);
    uint64_t at5[2], at6[1];
    keys_homed_at(&m, 5, at5, 2);
    keys_homed_at(&m, 6, at6, 1);
    /* at5[0] at 5, at5[1] at 6, at6[0] pushed to 7; deleting at5[0] moves
       at5[1] to 5 and at6[0] back home to 6. */
    addrmap_insert(&m, at5[0], NULL);
    addrmap_insert(&m, at5[1], NULL);
    addrmap_insert(&m, at6[0], NULL);
    ck_assert_uint_eq(addrmap_find_slot(&m, at6[0]), 7);
    addrmap_delete(&m, at5[0]);
    ck_assert_uint_eq(addrmap_find_slot(&m, at5[1]), 5);
    ck_assert_uint_eq(addrmap_find_slot(&m, at6[0]), 6);
    ck_assert(addrmap_contains(&m, at6[0]));
    ck_assert(!addrmap_contains(&m, at5[0]));
    addrmap_free(&m);
}
END_TEST

START_TEST(grows_at_half_full)
{
    addrmap m = ADDRMAP_INIT(sizeof(uint64_t));
    size_t grown = 0, cap = 0;
    for (uint64_t k = 1; k <= 10000; k++) {
        put(&m, k << 4, k * 3);
        ck_assert_uint_le(2 * addrmap_count(&m), addrmap_capacity(&m));
        if (addrmap_capacity(&m) != cap) {
            if (cap)
                ck_assert_uint_eq(addrmap_capacity(&m), 2 * cap);
            cap = addrmap_capacity(&m);
            grown++;
        }
    }
    ck_assert_uint_eq(addrmap_capacity(&m), 32768);
    ck_assert_uint_eq(grown, 8);   /* 256, 512, ..., 32768 */
    for (uint64_t k = 1; k <= 10000; k++)
        ck_assert_uint_eq(get(&m, k << 4), k * 3);
    ck_assert_ptr_null(addrmap_find(&m, 10001 << 4));
    addrmap_free(&m);
}
END_TEST

/* A value wider than a word moves whole through growth and shifts. */
typedef struct wide {
    uint64_t a, b;
    uint32_t c;
} wide;

START_TEST(wide_values_move_whole)
{
    addrmap m = ADDRMAP_INIT(sizeof(wide));
    ck_assert_uint_eq(m.stride, 8 + 24);
    for (uint64_t k = 1; k <= 3000; k++) {
        wide *w = addrmap_insert(&m, k * 0x1000, NULL);
        *w = (wide){ k, ~k, (uint32_t)(k * 7) };
    }
    for (uint64_t k = 1; k <= 3000; k += 2)
        ck_assert(addrmap_delete(&m, k * 0x1000));
    for (uint64_t k = 2; k <= 3000; k += 2) {
        const wide *w = addrmap_find(&m, k * 0x1000);
        ck_assert_ptr_nonnull(w);
        ck_assert_uint_eq(w->a, k);
        ck_assert_uint_eq(w->b, ~k);
        ck_assert_uint_eq(w->c, (uint32_t)(k * 7));
    }
    ck_assert_uint_eq(addrmap_count(&m), 1500);
    addrmap_free(&m);
}
END_TEST

/* Many random inserts, overwrites, deletes and lookups against a plain
   array; keys from a small range, so that every key comes and goes often,
   spaced like addresses of 8-byte words. */
#define REF_KEYS 3000
START_TEST(random_ops_match_a_reference)
{
    static uint64_t ref[REF_KEYS + 1];
    static bool present[REF_KEYS + 1];
    addrmap m = ADDRMAP_INIT(sizeof(uint64_t));
    size_t n = 0;
    srandom(12345);
    for (int op = 0; op < 400000; op++) {
        uint64_t i = 1 + (uint64_t)random() % REF_KEYS, key = 0x7f0000000000ull + i * 8;
        switch (random() % 4) {
        case 0:
        case 1: {
            bool added;
            uint64_t *v = addrmap_insert(&m, key, &added);
            ck_assert_ptr_nonnull(v);
            ck_assert_int_eq(added, !present[i]);
            if (present[i])
                ck_assert_uint_eq(*v, ref[i]);
            else
                n++;
            *v = ref[i] = (uint64_t)random();
            present[i] = true;
            break;
        }
        case 2:
            ck_assert_int_eq(addrmap_delete(&m, key), present[i]);
            if (present[i])
                n--;
            present[i] = false;
            break;
        default:
            if (present[i])
                ck_assert_uint_eq(get(&m, key), ref[i]);
            else
                ck_assert_ptr_null(addrmap_find(&m, key));
        }
        ck_assert_uint_eq(addrmap_count(&m), n);
        if (op % 50000 == 0) {
            /* Every slot holds a present key, each once. */
            size_t seen = 0;
            for (size_t s = 0; s < addrmap_capacity(&m); s++) {
                uint64_t k = addrmap_key_at(&m, s);
                if (k == 0)
                    continue;
                ck_assert(present[(k - 0x7f0000000000ull) / 8]);
                seen++;
            }
            ck_assert_uint_eq(seen, n);
        }
    }
    for (uint64_t i = 1; i <= REF_KEYS; i++)
        ck_assert_int_eq(addrmap_contains(&m, 0x7f0000000000ull + i * 8), present[i]);
    addrmap_free(&m);
}
END_TEST

static void add_tests(TCase *tc)
{
    tcase_add_test(tc, insert_find_overwrite);
    tcase_add_test(tc, delete_shifts_runs_that_wrap_the_end);
    tcase_add_test(tc, delete_keeps_a_member_at_its_home);
    tcase_add_test(tc, grows_at_half_full);
    tcase_add_test(tc, wide_values_move_whole);
    tcase_add_test(tc, random_ops_match_a_reference);
    /* The reference run is long under the sanitizers and a loaded machine. */
    tcase_set_timeout(tc, 60);
}

int main(void) { return one_case_suite_run("addrmap", add_tests); }
