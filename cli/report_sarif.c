/* report_sarif.c - records as one SARIF 2.1.0 document for code scanning:
   a result per record, its stacks as related locations and thread flows,
   its text as a property. */
#include "report_formats.h"
#include "exitcodes.h"
#include "json_bytes.h"
#include "detector/report/record.h"
#include "detector/report/render_text.h"
#include "util.h"
#include "detector/report/kinds.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The loader accepts only the kinds of the table. */
static const char *rule_of(const json_t *r) { return finding_by_record(rec_str(r, "kind"))->rule; }

/* {"text": s} */
static json_t *sarif_text(const char *s) { return json_pack("{s:o}", "text", jb_string(s)); }

/* An artifact location: a relative path (after --strip-path-prefix) is a
   relative URI against %SRCROOT%; an absolute one a file: URI.  RFC 3986:
   everything but unreserved characters and '/' percent-encoded. */
static json_t *sarif_artifact(const char *file)
{
    bool abs = file[0] == '/';
    char *uri = xmalloc(strlen(file) * 3 + 8), *u = uri;
    if (abs)
        u += sprintf(u, "file://");
    for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '.' || *p == '_' || *p == '~' || *p == '/')
            *u++ = (char)*p;
        else
            u += sprintf(u, "%%%02X", *p);
    }
    *u = '\0';
    json_t *a = json_pack("{s:s}", "uri", uri);
    free(uri);
    if (!abs)
        json_object_set_new(a, "uriBaseId", json_string("%SRCROOT%"));
    return a;
}

/* A location for a frame; id < 0: none; message optional. */
static json_t *sarif_location(const char *pfx, const json_t *fr, int id, const char *message)
{
    json_t *loc = json_object();
    if (id >= 0)
        json_object_set_new(loc, "id", json_integer(id));
    json_t *phys = json_pack("{s:o}", "artifactLocation", sarif_artifact(rt_strip(rec_str(fr, "file"), pfx)));
    int64_t line = rec_int(fr, "line");
    if (line > 0 && !rec_bool(fr, "nosrc"))
        json_object_set_new(phys, "region", json_pack("{s:I}", "startLine", (json_int_t)line));
    json_object_set_new(loc, "physicalLocation", phys);
    json_object_set_new(loc, "logicalLocations",
                        json_pack("[{s:o,s:s}]", "name", jb_string(rec_str(fr, "function")), "kind", "function"));
    if (message)
        json_object_set_new(loc, "message", sarif_text(message));
    return loc;
}

/* The stacks of a finding, each with what it shows. */
typedef struct labeled {
    const json_t *stack;
    char what[160];
} labeled;

static size_t stacks_of(const json_t *r, labeled *out, size_t max)
{
    size_t n = 0;
    const char *k = rec_str(r, "kind");
#define ADD(st, ...)                                                         \
    do {                                                                     \
        const json_t *s_ = (st);                                                 \
        if (n < max && json_array_size(s_)) {                     \
            out[n].stack = s_;                                               \
            snprintf(out[n].what, sizeof out[n].what, __VA_ARGS__);          \
            n++;                                                             \
        }                                                                    \
    } while (0)
    if (!strcmp(k, "race")) {
        const json_t *a = rec_get(r, "accesses");
        for (int i = 0; i < 2; i++)
            ADD(rec_get(json_array_get(a, i), "stack"), "%s by goroutine %" PRId64, rt_access_kind(json_array_get(a, i), i == 1),
                rec_int(json_array_get(a, i), "goroutine"));
        size_t ng;
        const json_t *gs = rec_items(r, "goroutines", &ng);
        for (size_t i = 0; i < ng; i++)
            ADD(rec_get(json_array_get(gs, i), "created"), "goroutine %" PRId64 " created", rec_int(json_array_get(gs, i), "id"));
    } else if (!strcmp(k, "copy")) {
        ADD(rec_get(r, "stack"), "copy used by goroutine %" PRId64, rec_int(r, "goroutine"));
        ADD(rec_get(r, "first_stack"), "original first used");
    } else if (!strcmp(k, "partial-deadlock") || !strcmp(k, "leak")) {
        ADD(rec_get(r, "stack"), "goroutine %" PRId64 " [%s]", rec_int(r, "goroutine"), rec_str(r, "waitreason"));
        ADD(rec_get(r, "created"), "goroutine %" PRId64 " created", rec_int(r, "goroutine"));
    } else if (!strcmp(k, "deadlock") || !strcmp(k, "runtime-error") || !strcmp(k, "timeout")) {
        size_t ng;
        const json_t *gs = rec_items(r, "goroutines", &ng);
        for (size_t i = 0; i < ng; i++)
            ADD(rec_get(json_array_get(gs, i), "stack"), "goroutine %" PRId64 " [%s]", rec_int(json_array_get(gs, i), "id"), rec_str(json_array_get(gs, i), "state"));
    } else {
        size_t ns;
        const json_t *st = rec_items(r, "steps", &ns);
        for (size_t i = 0; i < ns; i++) {
            const json_t *h = rec_get(json_array_get(st, i), "holds"), *w = rec_get(json_array_get(st, i), "wants");
            int64_t g = rec_int(json_array_get(st, i), "goroutine");
            ADD(rec_get(w, "stack"), "goroutine %" PRId64 " asks for %s 0x%012" PRIxPTR " (%s)", g, rec_str(w, "type"),
                rec_hex(w, "addr"), rt_mode_name(w));
            if (h)
                ADD(rec_get(h, "stack"), "goroutine %" PRId64 " holds %s 0x%012" PRIxPTR " (%s)", g, rec_str(h, "type"),
                    rec_hex(h, "addr"), rt_mode_name(h));
        }
    }
#undef ADD
    return n;
}

/* A thread flow per stack, outermost frame first (execution order). */
static json_t *sarif_code_flows(const char *pfx, const labeled *st, size_t ns)
{
    json_t *flows = json_array();
    for (size_t i = 0; i < ns; i++) {
        json_t *locs = json_array();
        size_t nf = json_array_size(st[i].stack);
        for (size_t j = 0; j < nf; j++) {
            const json_t *fr = json_array_get(st[i].stack, nf - 1 - j);
            json_array_append_new(locs, json_pack("{s:I,s:o}", "nestingLevel", (json_int_t)j, "location",
                                                  sarif_location(pfx, fr, -1, rec_str(fr, "function"))));
        }
        json_array_append_new(flows, json_pack("{s:o,s:o}", "message", sarif_text(st[i].what), "locations", locs));
    }
    return json_pack("[{s:o}]", "threadFlows", flows);
}

static json_t *sarif_result(const char *pfx, const json_t *r)
{
    const char *rule = rule_of(r);
    labeled st[16];
    size_t ns = stacks_of(r, st, 16);
    char msg[512];
    rt_summary(r, msg, sizeof msg);
    json_t *res = json_pack("{s:s,s:I,s:s,s:o}", "ruleId", rule, "ruleIndex", (json_int_t)finding_rule_index(rule),
                            "level", "error", "message", sarif_text(msg));
    json_t *locs = json_array();
    if (ns)
        json_array_append_new(locs, sarif_location(pfx, json_array_get(st[0].stack, 0), -1, NULL));
    json_object_set_new(res, "locations", locs);
    if (ns > 1) {
        json_t *rel = json_array();
        for (size_t i = 1; i < ns; i++)
            json_array_append_new(rel, sarif_location(pfx, json_array_get(st[i].stack, 0), (int)i, st[i].what));
        json_object_set_new(res, "relatedLocations", rel);
    }
    if (ns)
        json_object_set_new(res, "codeFlows", sarif_code_flows(pfx, st, ns));
    char *text = rt_text(pfx, r);
    if (!text)
        cli_die(EXIT_FAIL, "report: out of memory");
    json_object_set_new(res, "properties", json_pack("{s:o,s:o}", "kind", jb_string(rec_str(r, "kind")), "report",
                                                     jb_string(text)));
    free(text);
    return res;
}

static json_t *sarif_driver(void)
{
    json_t *rules = json_array();
    for (size_t i = 0; i < finding_nrules; i++)
        json_array_append_new(rules, json_pack("{s:s,s:o,s:{s:s}}", "id", finding_rules[i].id, "shortDescription",
                                               sarif_text(finding_rules[i].description), "defaultConfiguration",
                                               "level", "error"));
    return json_pack("{s:s,s:s,s:s,s:o}", "name", "corace", "version", CORACE_VERSION, "informationUri",
                     "https://github.com/corace/corace", "rules", rules);
}

void report_sarif(FILE *f, const char *pfx, const record_set *rs)
{
    json_t *run = json_pack("{s:{s:o}}", "tool", "driver", sarif_driver());
    if (pfx && pfx[0])
        json_object_set_new(run, "originalUriBaseIds",
                            json_pack("{s:{s:{s:s}}}", "%SRCROOT%", "description", "text",
                                      "The source root: file paths are relative to it (corace report "
                                      "--strip-path-prefix)"));
    json_t *results = json_array();
    for (size_t i = 0; i < rs->n; i++)
        json_array_append_new(results, sarif_result(pfx, rs->recs[i]));
    json_object_set_new(run, "results", results);
    json_t *doc = json_pack("{s:s,s:s,s:[o]}", "$schema",
                            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
                            "version", "2.1.0", "runs", run);
    if (!doc || jb_dumpf(doc, f) != 0)
        cli_die(EXIT_FAIL, "report: the SARIF document cannot be written");
    fputc('\n', f);
    json_decref(doc);
}
