/* test_render_text.c - detector/report/render_text.c: records rendered as
   Go-format text, the one renderer the checker and corace report share,
   byte for byte. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "detector/report/render_text.h"
#include "one_case_suite.h"

#define SEP "==================\n"

/* The text of one record given as JSON, file paths shortened by pfx. */
static char *text_of(const char *json, const char *pfx)
{
    json_error_t e;
    json_t *r = json_loads(json, 0, &e);
    ck_assert_msg(r != NULL, "bad test record: %s", e.text);
    char *t = rt_text(pfx, r);
    ck_assert_ptr_nonnull(t);
    json_decref(r);
    return t;
}

static void renders(const char *json, const char *pfx, const char *want)
{
    char *t = text_of(json, pfx);
    ck_assert_str_eq(t, want);
    free(t);
}

static const char race[] =
    "{\"kind\":\"race\",\"addr\":\"0xc000012345\",\"size\":8,\"accesses\":["
    "{\"goroutine\":7,\"op\":\"write\",\"atomic\":false,\"stack\":["
    "{\"function\":\"main.bump\",\"file\":\"/src/app/nlu.c\",\"line\":12,\"inlined\":false,\"offset\":\"0x1a\"},"
    "{\"function\":\"main.worker\",\"file\":\"/src/app/nlu.c\",\"line\":20,\"inlined\":true,\"offset\":\"0x8\"}]},"
    "{\"goroutine\":1,\"op\":\"read\",\"atomic\":true,\"stack\":["
    "{\"function\":\"main.main\",\"file\":\"./nlu.c\",\"line\":30,\"inlined\":false,\"offset\":\"0x4\"}]}],"
    "\"goroutines\":[{\"id\":7,\"state\":\"running\",\"created\":["
    "{\"function\":\"main.main\",\"file\":\"/src/app/nlu.c\",\"line\":28,\"inlined\":false,\"offset\":\"0x2b\"}]},"
    "{\"id\":1,\"state\":\"running\",\"created\":[]}],\"degraded\":[\"shadow memory full\"]}";

START_TEST(race_text)
{
    renders(race, "/src/",
            SEP "WARNING: DATA RACE\n"
                "Write at 0x00c000012345 by goroutine 7:\n"
                "  main.bump()\n"
                "      app/nlu.c:12 +0x1a\n"
                "  main.worker()\n"
                "      app/nlu.c:20\n"
                "\n"
                "Previous atomic read at 0x00c000012345 by main goroutine:\n"
                "  main.main()\n"
                "      nlu.c:30 +0x4\n"
                "\n"
                "Goroutine 7 (running) created at:\n"
                "  main.main()\n"
                "      app/nlu.c:28 +0x2b\n"
                "\n"
                "corace: detection degraded: shadow memory full\n" SEP);
    /* Without a prefix the paths stay whole (but for a leading "./"). */
    char *t = text_of(race, "");
    ck_assert_ptr_nonnull(strstr(t, "      /src/app/nlu.c:12 +0x1a\n"));
    ck_assert_ptr_nonnull(strstr(t, "      nlu.c:30 +0x4\n"));
    free(t);
    char line[256];
    json_t *r = json_loads(race, 0, NULL);
    rt_summary(r, line, sizeof line);
    ck_assert_str_eq(line, "Data race at 0x00c000012345: Write by goroutine 7 and Previous atomic read by goroutine 1");
    json_decref(r);
}
END_TEST

#define LOCK(addr, fn, line, off)                                                                   \
    "{\"addr\":\"" addr "\",\"type\":\"sync.Mutex\",\"mode\":\"write\",\"stack\":[{\"function\":\"" fn \
    "\",\"file\":\"/src/ab.c\",\"line\":" #line ",\"inlined\":false,\"offset\":\"" off "\"}]}"

START_TEST(lock_order_text)
{
    renders("{\"kind\":\"lock-order\",\"classes\":false,\"steps\":["
            "{\"goroutine\":2,\"holds\":" LOCK("0x1000", "main.a", 10, "0x10") ",\"wants\":"
            LOCK("0x2000", "main.b", 11, "0x11") "},"
            "{\"goroutine\":3,\"holds\":" LOCK("0x2000", "main.c", 20, "0x20") ",\"wants\":"
            LOCK("0x1000", "main.d", 21, "0x21") "}]}",
            "/src/",
            SEP "WARNING: POTENTIAL DEADLOCK (lock-order inversion)\n"
                "2 locks are taken in a cycle: 0x000000001000 -> 0x000000002000 -> 0x000000001000\n"
                "\n"
                "goroutine 2 took sync.Mutex 0x000000001000:\n"
                "  main.a()\n"
                "      ab.c:10 +0x10\n"
                "and then asked for sync.Mutex 0x000000002000:\n"
                "  main.b()\n"
                "      ab.c:11 +0x11\n"
                "\n"
                "goroutine 3 took sync.Mutex 0x000000002000:\n"
                "  main.c()\n"
                "      ab.c:20 +0x20\n"
                "and then asked for sync.Mutex 0x000000001000:\n"
                "  main.d()\n"
                "      ab.c:21 +0x21\n"
                "\n"
                "Possible unsafe scenario:\n"
                "\n"
                "       goroutine 2                goroutine 3\n"
                "       ----                       ----\n"
                "  lock(0x000000001000);\n"
                "                                  lock(0x000000002000);\n"
                "                                  lock(0x000000001000);\n"
                "  lock(0x000000002000);\n"
                "\n"
                " *** DEADLOCK ***\n" SEP);
}
END_TEST

START_TEST(leak_text)
{
    renders("{\"kind\":\"leak\",\"goroutine\":4,\"state\":\"blocked\",\"waitreason\":\"chan send\","
            "\"when\":\"main returned\",\"stack\":["
            "{\"function\":\"main.producer\",\"file\":\"/src/p.c\",\"line\":7,\"inlined\":false,\"offset\":\"0x33\"},"
            "{\"function\":\"main.helper\",\"file\":\"/src/p.c\",\"line\":9,\"inlined\":true,\"offset\":\"0x5\"}],"
            "\"created\":[{\"function\":\"main.main\",\"file\":\"/src/p.c\",\"line\":15,\"inlined\":false,"
            "\"offset\":\"0x44\"}],\"created_by\":1}",
            "/src/",
            SEP "WARNING: GOROUTINE LEAK\n"
                "1 goroutine still blocked when main returned\n"
                "\n"
                "goroutine 4 [chan send]:\n"
                "main.producer()\n"
                "\tp.c:7 +0x33\n"
                "main.helper(...)\n"
                "\tp.c:9\n"
                "created by main.main in goroutine 1\n"
                "\tp.c:15 +0x44\n" SEP);
    /* Runnable, a frame without source, no creation stack. */
    renders("{\"kind\":\"leak\",\"goroutine\":5,\"state\":\"runnable\",\"waitreason\":\"runnable\","
            "\"when\":\"the program exited\",\"stack\":[{\"function\":\"spin\",\"file\":\"/lib/libx.so\","
            "\"line\":0,\"inlined\":false,\"offset\":\"0x1f0\",\"nosrc\":true}],\"created\":[],\"created_by\":1}",
            "",
            SEP "WARNING: GOROUTINE LEAK\n"
                "1 goroutine still runnable when the program exited (lost work: it never finished)\n"
                "\n"
                "goroutine 5 [runnable]:\n"
                "spin()\n"
                "\t/lib/libx.so+0x1f0\n" SEP);
}
END_TEST

/* The records of a file, then the count of races. */
START_TEST(all_records_and_the_found_line)
{
    json_t *r = json_loads(race, 0, NULL);
    json_t *recs[] = {r, r};
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    rt_render_all(m, "/src/", recs, 2);
    fclose(m);
    char *one = text_of(race, "/src/");
    ck_assert_uint_eq(len, 2 * strlen(one) + strlen("Found 2 data race(s)\n"));
    ck_assert_str_eq(buf + 2 * strlen(one), "Found 2 data race(s)\n");
    free(one);
    free(buf);
    json_decref(r);
}
END_TEST

static void add_tests(TCase *tc)
{
    tcase_add_test(tc, race_text);
    tcase_add_test(tc, lock_order_text);
    tcase_add_test(tc, leak_text);
    tcase_add_test(tc, all_records_and_the_found_line);
}

int main(void) { return one_case_suite_run("render_text", add_tests); }
