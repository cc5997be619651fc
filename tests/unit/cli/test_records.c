/* test_records.c - cli/records.c and record_shape.c: the loader of the
   checker's JSON Lines records, a record per non-blank line, each checked
   against the shape of its kind; one error line naming PATH:LINE. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detector/report/record.h"
#include "cli/records.h"
#include "one_case_suite.h"

#define F "{\"function\":\"main.f\",\"file\":\"/s/a.c\",\"line\":3,\"inlined\":false,\"pc\":\"0x401000\"}"
#define L(addr, mode) "{\"addr\":\"" addr "\",\"type\":\"sync.Mutex\",\"mode\":\"" mode "\",\"stack\":[" F "]}"
#define ACCESS(g, op) "{\"goroutine\":" #g ",\"op\":\"" op "\",\"atomic\":false,\"stack\":[" F "]}"
#define GOROUTINE(id) "{\"id\":" #id ",\"state\":\"chan receive\",\"stack\":[" F "],\"created\":[" F "],\"created_by\":1}"

/* A good record of every kind. */
static const char *const good[] = {
    "{\"kind\":\"race\",\"addr\":\"0x10\",\"size\":4,\"accesses\":[" ACCESS(2, "write") "," ACCESS(1, "read")
    "],\"goroutines\":[{\"id\":2,\"state\":\"running\",\"created\":[" F "]}]}",
    "{\"kind\":\"copy\",\"type\":\"sync.Mutex\",\"addr\":\"0x10\",\"original\":\"0x20\",\"goroutine\":2}",
    "{\"kind\":\"wait-cycle\",\"classes\":false,\"steps\":[{\"goroutine\":2,\"waitreason\":\"sync.Mutex.Lock\","
    "\"pending\":false,\"holds\":" L("0x30", "write") ",\"wants\":" L("0x40", "write") "}]}",
    "{\"kind\":\"lock-order\",\"classes\":false,\"steps\":[{\"goroutine\":2,\"holds\":" L("0x30", "write")
    ",\"wants\":" L("0x40", "write") "},{\"goroutine\":3,\"holds\":" L("0x40", "write") ",\"wants\":"
    L("0x30", "write") "}]}",
    "{\"kind\":\"recursive-read\",\"classes\":false,\"steps\":[{\"goroutine\":2,\"holds\":" L("0x30", "read")
    ",\"wants\":" L("0x30", "read") "},{\"goroutine\":3,\"wants\":" L("0x30", "write") "}]}",
    "{\"kind\":\"partial-deadlock\",\"goroutine\":5,\"waitreason\":\"chan receive\",\"objects\":[\"0x50\"],"
    "\"stack\":[" F "],\"created\":[" F "],\"created_by\":1}",
    "{\"kind\":\"leak\",\"goroutine\":4,\"state\":\"blocked\",\"waitreason\":\"chan send\",\"when\":\"main returned\","
    "\"stack\":[" F "],\"created\":[" F "],\"created_by\":1}",
    "{\"kind\":\"deadlock\",\"message\":\"fatal error: all goroutines are asleep - deadlock!\",\"goroutines\":["
    GOROUTINE(1) "," GOROUTINE(2) "]}",
    "{\"kind\":\"runtime-error\",\"message\":\"panic: boom\",\"goroutines\":[" GOROUTINE(1) "]}",
    "{\"kind\":\"timeout\",\"message\":\"SIGQUIT: quit\",\"goroutines\":[" GOROUTINE(1) "]}",
};
#define NKINDS (sizeof good / sizeof *good)

/* A record of each kind with something wrong, and what the loader says. */
static const struct {
    const char *line, *error;
} bad_shapes[] = {
    {"{\"kind\":\"race\",\"addr\":\"0x10\",\"size\":4,\"accesses\":[" ACCESS(2, "write") "],\"goroutines\":[]}",
     "race: \"accesses\" has 1 items, want 2"},
    {"{\"kind\":\"copy\",\"type\":\"sync.Mutex\",\"addr\":\"0x10\",\"goroutine\":2}", "copy has no \"original\""},
    {"{\"kind\":\"wait-cycle\",\"classes\":false,\"steps\":[{\"goroutine\":2,\"pending\":false,\"holds\":"
     L("0x30", "write") ",\"wants\":" L("0x40", "write") "}]}",
     "wait-cycle: step 0 has no \"waitreason\""},
    {"{\"kind\":\"lock-order\",\"classes\":false,\"steps\":[{\"goroutine\":2,\"holds\":" L("0x30", "exclusive")
     ",\"wants\":" L("0x40", "write") "}]}",
     "lock-order: step 0: \"holds\": \"mode\" is \"exclusive\", want \"read\" or \"write\""},
    {"{\"kind\":\"recursive-read\",\"classes\":false,\"steps\":[{\"goroutine\":2,\"wants\":" L("0x30", "read") "}]}",
     "recursive-read: \"steps\" has 1 items"},
    {"{\"kind\":\"partial-deadlock\",\"goroutine\":5,\"waitreason\":\"chan receive\",\"objects\":[\"chan\"],"
     "\"stack\":[],\"created\":[],\"created_by\":1}",
     "partial-deadlock: \"objects\" holds something other than hex addresses"},
    {"{\"kind\":\"leak\",\"goroutine\":4,\"state\":\"sleeping\",\"waitreason\":\"chan send\",\"when\":\"exit\","
     "\"stack\":[],\"created\":[],\"created_by\":1}",
     "leak: \"state\" is \"sleeping\", want \"blocked\" or \"runnable\""},
    {"{\"kind\":\"deadlock\",\"message\":\"fatal error\",\"goroutines\":[{\"id\":-1,\"state\":\"x\",\"stack\":[],"
     "\"created\":[],\"created_by\":0}]}",
     "deadlock: goroutine 0: \"id\" is no non-negative integer"},
    {"{\"kind\":\"runtime-error\",\"message\":7,\"goroutines\":[]}",
     "runtime-error: \"message\" is a number, want a string"},
    {"{\"kind\":\"timeout\",\"message\":\"SIGQUIT: quit\"}", "timeout has no \"goroutines\""},
    {"{\"kind\":\"race\",\"addr\":\"16\",\"size\":4,\"accesses\":[],\"goroutines\":[]}",
     "race: \"addr\" is no hex address (\"0x...\")"},
    {"{\"kind\":\"copy\",\"type\":\"sync.Mutex\",\"addr\":\"0x10\",\"original\":\"0x20\",\"goroutine\":2,"
     "\"stack\":[{\"function\":\"f\",\"file\":\"a.c\",\"line\":1.5,\"inlined\":false}]}",
     "copy: frame 0 of \"stack\": \"line\" is no non-negative integer"},
    {"{\"kind\":\"nope\"}", "unknown record kind \"nope\""},
    {"[1,2]", "a record must be a JSON object, this is an array"},
    {"{\"type\":\"x\"}", "the record has no \"kind\""},
};

/* A directory of this test's own (each test runs in a forked child). */
static char dir[512];

static void make_dir(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/test_records_XXXXXX", t && t[0] == '/' ? t : P_tmpdir);
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d)) != NULL;) {
        char p[800];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        if (e->d_name[0] != '.')
            unlink(p);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

/* A file of text under dir; its path (static). */
static const char *file_of_n(const char *name, const char *text, size_t len);
static const char *file_of(const char *name, const char *text) { return file_of_n(name, text, strlen(text)); }

static const char *file_of_n(const char *name, const char *text, size_t len)
{
    static char path[600];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(text, 1, len, f), len);
    fclose(f);
    return path;
}

/* records_load of path; what it printed on stderr in err (without the
   newline; "" when nothing). */
static bool load(const char *path, record_set *rs, char *err, size_t size)
{
    char errpath[600];
    snprintf(errpath, sizeof errpath, "%s/stderr", dir);
    fflush(stderr);
    int saved = dup(2);
    FILE *e = fopen(errpath, "w+");
    ck_assert_ptr_nonnull(e);
    dup2(fileno(e), 2);
    bool ok = records_load(path, rs);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    rewind(e);
    size_t n = fread(err, 1, size - 1, e);
    err[n] = '\0';
    fclose(e);
    return ok;
}

/* The one error line a file of text[0..len) gives. */
static void fails_with_n(const char *text, size_t len, const char *want)
{
    record_set rs;
    char err[1024], line[1200];
    const char *path = file_of_n("bad.jsonl", text, len);
    ck_assert_msg(!load(path, &rs, err, sizeof err), "loaded: %s", text);
    ck_assert_uint_eq(rs.n, 0);
    snprintf(line, sizeof line, "corace: report: %s%s\n", path, want);
    ck_assert_str_eq(err, line);
}

static void fails_with(const char *text, const char *want) { fails_with_n(text, strlen(text), want); }

START_TEST(a_good_record_of_each_kind)
{
    char text[16384] = "";
    for (size_t i = 0; i < NKINDS; i++) {
        strcat(text, good[i]);
        strcat(text, "\n");
    }
    record_set rs;
    char err[256];
    ck_assert(load(file_of("good.jsonl", text), &rs, err, sizeof err));
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(rs.n, NKINDS);
    static const char *const kinds[] = {"race", "copy", "wait-cycle", "lock-order", "recursive-read",
                                        "partial-deadlock", "leak", "deadlock", "runtime-error", "timeout"};
    for (size_t i = 0; i < NKINDS; i++) {
        ck_assert_str_eq(rec_str(rs.recs[i], "kind"), kinds[i]);
        ck_assert_uint_eq(rs.lines[i], i + 1);
    }
    ck_assert_uint_eq(rec_hex(rs.recs[0], "addr"), 0x10);
    ck_assert_int_eq(rec_int(rs.recs[1], "goroutine"), 2);
    records_free(&rs);
    ck_assert_uint_eq(rs.n, 0);
}
END_TEST

START_TEST(a_bad_shape_of_each_kind)
{
    for (size_t i = 0; i < sizeof bad_shapes / sizeof *bad_shapes; i++) {
        char text[4096], want[300];
        /* After a good line, so that the line number counts. */
        snprintf(text, sizeof text, "%s\n%s\n", good[1], bad_shapes[i].line);
        snprintf(want, sizeof want, ":2: %s", bad_shapes[i].error);
        fails_with(text, want);
    }
}
END_TEST

START_TEST(malformed_lines)
{
    fails_with("{\"kind\":\"race\",\"addr\":", ":1: unexpected token near end of file at column 22");
    fails_with("\nnot json\n", ":2: invalid token near 'not' at column 3");
    fails_with("{\"kind\":\"copy\"} x\n", ":1: end of file expected near 'x' at column 17");
    fails_with("{\"kind\":\"copy\",\"type\":\"sync.Mutex\\u00zz\"}\n",
               ":1: invalid escape near '\"sync.Mutex\\u00z' at column 38");
    fails_with("{\"kind\":\"copy\",\"kind\":\"race\"}\n", ":1: duplicate object key near '\"kind\"' at column 21");
    char deep[6002];
    memset(deep, '[', 3000);
    memset(deep + 3000, ']', 3000);
    strcpy(deep + 6000, "\n");
    fails_with(deep, ":1: maximum parsing depth reached near '[' at column 2049");
    fails_with("==================\nWARNING: GOROUTINE LEAK\n",
               ":1: a text report ('==================') that is never closed");
}
END_TEST

START_TEST(no_records_and_no_file)
{
    fails_with("", ": no records (write them with 'corace run --format json -o FILE')");
    fails_with(" \n\t\r\n\n", ": no records (write them with 'corace run --format json -o FILE')");
    fails_with_n("{\"a\":\"\0\"}\n", 10, ": binary data, not JSON Lines");
    record_set rs;
    char err[256];
    ck_assert(!load("/nonexistent/r.jsonl", &rs, err, sizeof err));
    ck_assert_str_eq(err, "corace: report: /nonexistent/r.jsonl: No such file or directory\n");
}
END_TEST

/* Blank lines and the checker's text reports between records are skipped;
   the lines still count. */
START_TEST(blank_lines_and_text_reports)
{
    char text[4096];
    snprintf(text, sizeof text, "\n  \t\r\n%s\r\n==================\nWARNING: GOROUTINE LEAK\n\n==================\n%s",
             good[1], good[6]);
    record_set rs;
    char err[256];
    ck_assert(load(file_of("mixed.jsonl", text), &rs, err, sizeof err));
    ck_assert_uint_eq(rs.n, 2);
    ck_assert_uint_eq(rs.lines[0], 3);
    ck_assert_uint_eq(rs.lines[1], 8);
    records_free(&rs);
}
END_TEST

/* Strings are UTF-8, as the checker writes them (a stray byte of a name
   became U+FFFD there): any code point, escaped or not, and NUL are kept. */
START_TEST(bytes_kept)
{
    const char *text = "{\"kind\":\"copy\",\"type\":\"T\\u00e9\xef\xbf\xbd\",\"addr\":\"0x10\",\"original\":\"0x20\","
                       "\"goroutine\":2,\"stack\":[{\"function\":\"f\xf4\x8f\xbf\xbf\",\"file\":\"a\\u0000b\","
                       "\"line\":1,\"inlined\":true}]}\n";
    record_set rs;
    char err[256];
    ck_assert(load(file_of("bytes.jsonl", text), &rs, err, sizeof err));
    ck_assert_str_eq(rec_str(rs.recs[0], "type"), "T\xc3\xa9\xef\xbf\xbd");
    const json_t *fr = rec_at(rs.recs[0], "stack", 0);
    ck_assert_str_eq(rec_str(fr, "function"), "f\xf4\x8f\xbf\xbf");
    ck_assert_uint_eq(json_string_length(rec_get(fr, "file")), 3);
    records_free(&rs);
}
END_TEST

/* A line that is not UTF-8 is no JSON: refused, naming its line. */
START_TEST(not_utf8_refused)
{
    const char *text = "\n{\"kind\":\"copy\",\"type\":\"sync.Mu\xfftex\",\"addr\":\"0x10\",\"original\":\"0x20\","
                       "\"goroutine\":2,\"stack\":[]}\n";
    record_set rs;
    char err[256];
    ck_assert(!load(file_of("raw.jsonl", text), &rs, err, sizeof err));
    ck_assert_msg(strstr(err, "raw.jsonl:2: unable to decode byte 0xff") != NULL, "%s", err);
}
END_TEST

START_TEST(take_moves_records)
{
    record_set a, b;
    char err[256];
    char text[2048];
    snprintf(text, sizeof text, "%s\n%s\n", good[1], good[6]);
    ck_assert(load(file_of("a.jsonl", text), &a, err, sizeof err));
    ck_assert(load(file_of("b.jsonl", good[0]), &b, err, sizeof err));
    records_take(&a, &b);
    ck_assert_uint_eq(a.n, 3);
    ck_assert_uint_eq(b.n, 0);
    ck_assert_str_eq(rec_str(a.recs[2], "kind"), "race");
    ck_assert_uint_eq(a.lines[2], 1);
    records_free(&a);
}
END_TEST

static void add_tests(TCase *tc)
{
    tcase_add_checked_fixture(tc, make_dir, remove_dir);
    tcase_add_test(tc, a_good_record_of_each_kind);
    tcase_add_test(tc, a_bad_shape_of_each_kind);
    tcase_add_test(tc, malformed_lines);
    tcase_add_test(tc, no_records_and_no_file);
    tcase_add_test(tc, blank_lines_and_text_reports);
    tcase_add_test(tc, bytes_kept);
    tcase_add_test(tc, not_utf8_refused);
    tcase_add_test(tc, take_moves_records);
}

int main(void) { return one_case_suite_run("records", add_tests); }
