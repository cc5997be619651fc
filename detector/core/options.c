/*
 * options.c - the CORACE_OPTIONS parser, --help and docs table, all
 * generated from options.inc.
 *
 * Defaults are static initializers, so corace_opts is right even before
 * options_init runs (a report from a constructor still gets exitcode 66).
 * Strings given in CORACE_OPTIONS are copies, freed when a later pair or
 * options_reset replaces them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "options.h"

static const struct corace_options defaults = {
#define OPTION(type, name, def, help) .name = def,
#include "options.inc"
#undef OPTION
};

struct corace_options corace_opts = {
#define OPTION(type, name, def, help) .name = def,
#include "options.inc"
#undef OPTION
};
struct corace_options_set corace_opts_set;

static const char *const format_names[] = {
    [CORACE_FORMAT_TEXT] = "text",
    [CORACE_FORMAT_JSON] = "json",
    [CORACE_FORMAT_DOT] = "dot",
};

/* Parsers: v is the whole value; return false if it is not one. */

static bool parse_int(const char *v, void *dst)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 0);
    if (errno || end == v || *end || x < -2147483647L - 1 || x > 2147483647L)
        return false;
    *(int *)dst = (int)x;
    return true;
}

static bool parse_bool(const char *v, void *dst)
{
    static const char *const yes[] = { "1", "true", "yes", "on" };
    static const char *const no[] = { "0", "false", "no", "off" };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *(bool *)dst = true;
            return true;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *(bool *)dst = false;
            return true;
        }
    }
    return false;
}

static bool parse_uint64(const char *v, void *dst)
{
    char *end;
    errno = 0;
    if (*v == '-' || *v == '+')
        return false;
    unsigned long long x = strtoull(v, &end, 0);
    if (errno || end == v || *end)
        return false;
    *(uint64_t *)dst = (uint64_t)x;
    return true;
}

static bool parse_string(const char *v, void *dst)
{
    /* Unquoted, a value may hold both quote characters; it could then not
       be written back (options_print_values), so it is refused. */
    if (strchr(v, '"') && strchr(v, '\''))
        return false;
    char *copy = strdup(v);
    if (!copy)
        return false;
    *(const char **)dst = copy;
    return true;
}

static bool parse_format(const char *v, void *dst)
{
    for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
        if (strcmp(v, format_names[i]) == 0) {
            *(corace_format *)dst = (corace_format)i;
            return true;
        }
    }
    return false;
}

static const char want_int[] = "an integer";
static const char want_bool[] = "0 or 1 (also false/true, no/yes, off/on)";
static const char want_uint64[] = "an unsigned 64-bit integer";
static const char want_string[] = "a string that does not hold both ' and \"";
static const char want_format[] = "text, json or dot";

/* Printers: a value as it is written in CORACE_OPTIONS. */

static void print_int(FILE *f, const void *v) { fprintf(f, "%d", *(const int *)v); }
static void print_bool(FILE *f, const void *v) { fputs(*(const bool *)v ? "1" : "0", f); }
static void print_uint64(FILE *f, const void *v) { fprintf(f, "%" PRIu64, *(const uint64_t *)v); }
static void print_format(FILE *f, const void *v) { fputs(format_names[*(const corace_format *)v], f); }

static void print_string(FILE *f, const void *v)
{
    const char *s = *(const char *const *)v;
    /* Quoted, so that the text reads back as the same value; a value
       holding both quote characters cannot be written, and cannot be
       given either. */
    char q = strchr(s, '"') ? '\'' : '"';
    fprintf(f, "%c%s%c", q, s, q);
}

typedef struct option_desc {
    const char *name;
    const char *type;
    const char *help;
    const char *want;                     /* what a bad value should have been */
    size_t off;                           /* of the field in struct corace_options */
    size_t set_off;                       /* of the flag in struct corace_options_set */
    bool (*parse)(const char *v, void *dst);
    void (*print)(FILE *f, const void *v);
} option_desc;

static const option_desc table[] = {
#define OPTION(type, name, def, help) \
    { #name, #type, help, want_##type, offsetof(struct corace_options, name), \
      offsetof(struct corace_options_set, name), parse_##type, print_##type },
#include "options.inc"
#undef OPTION
};
#define NOPTIONS (sizeof table / sizeof table[0])

static void *field(struct corace_options *o, const option_desc *d)
{
    return (char *)o + d->off;
}

static const option_desc *lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0)
            return &table[i];
    return NULL;
}

/* Checks beyond the type's. */
static bool in_range(const option_desc *d, const struct corace_options *o)
{
    if (strcmp(d->name, "exitcode") == 0)
        return o->exitcode >= 0 && o->exitcode <= 255;
    if (strcmp(d->name, "strategy") == 0)
        return strcmp(o->strategy, "entry") == 0 || strcmp(o->strategy, "random") == 0 ||
               strcmp(o->strategy, "pct") == 0;
    if (strcmp(d->name, "pct_depth") == 0)
        return o->pct_depth >= 1 && o->pct_depth <= 64;
    if (strcmp(d->name, "pct_steps") == 0)
        return o->pct_steps >= 0;
    return true;
}

/* What a value out of in_range's bounds should have been. */
static const char *range_hint(const option_desc *d)
{
    if (strcmp(d->name, "exitcode") == 0)
        return " from 0 to 255";
    if (strcmp(d->name, "pct_depth") == 0)
        return " from 1 to 64";
    if (strcmp(d->name, "pct_steps") == 0)
        return " of 0 or more";
    return "";
}

/* A string option that was given holds the copy parse_string made: free it
   when it is replaced (or reset), so that repeated pairs leak nothing. */
static void free_given_string(const option_desc *d, bool given)
{
    if (given && d->parse == parse_string)
        free((void *)*(const char **)field(&corace_opts, d));
}

static bool is_sep(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == ',';
}

/* v for an error message, which is one line: a quoted value may hold a
   newline or another control character; those are written as C escapes. */
static void printable(const char *v, char *out, size_t outlen)
{
    size_t n = 0;
    for (; *v && n + 5 < outlen; v++) {
        unsigned char c = (unsigned char)*v;
        if (c == '\n' || c == '\r' || c == '\t')
            n += (size_t)snprintf(out + n, outlen - n, "\\%c",
                                  c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
        else if (c < 0x20 || c == 0x7f)
            n += (size_t)snprintf(out + n, outlen - n, "\\x%02x", c);
        else
            out[n++] = (char)c;
    }
    out[n] = '\0';
}

bool options_parse(const char *s, char *err, size_t errlen)
{
    const char *p = s ? s : "";
    for (;;) {
        while (is_sep(*p))
            p++;
        if (!*p)
            return true;
        const char *name = p;
        while (*p && *p != '=' && !is_sep(*p))
            p++;
        size_t nlen = (size_t)(p - name);
        const option_desc *d = lookup(name, nlen);
        if (!d) {
            snprintf(err, errlen, "unknown option '%.*s'", (int)nlen, name);
            return false;
        }
        if (*p != '=') {
            snprintf(err, errlen, "option '%s' needs a value: %s=VALUE", d->name, d->name);
            return false;
        }
        p++;
        const char *val = p;
        size_t vlen;
        if (*p == '"' || *p == '\'') {
            const char *close = strchr(p + 1, *p);
            if (!close) {
                snprintf(err, errlen, "unterminated quote in the value of '%s'", d->name);
                return false;
            }
            val = p + 1;
            vlen = (size_t)(close - val);
            p = close + 1;
        } else {
            while (*p && !is_sep(*p))
                p++;
            vlen = (size_t)(p - val);
        }
        char *v = strndup(val, vlen);
        if (!v) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        struct corace_options tmp = corace_opts;
        bool parsed = d->parse(v, field(&tmp, d));
        bool ok = parsed && in_range(d, &tmp);
        if (!ok) {
            if (parsed && d->parse == parse_string)   /* a string out of range (strategy) */
                free((void *)*(const char **)field(&tmp, d));
            char shown[128];
            printable(v, shown, sizeof shown);
            /* A string with a fixed set of values says which. */
            const char *want = strcmp(d->name, "strategy") == 0 ? "entry, random or pct" : d->want;
            snprintf(err, errlen, "bad value '%s' for option '%s' (want %s%s)", shown, d->name,
                     want, range_hint(d));
            free(v);
            return false;
        }
        free(v);
        bool *given = (bool *)((char *)&corace_opts_set + d->set_off);
        free_given_string(d, *given);
        corace_opts = tmp;
        *given = true;
    }
}

void options_reset(void)
{
    for (size_t i = 0; i < NOPTIONS; i++)
        free_given_string(&table[i], *(bool *)((char *)&corace_opts_set + table[i].set_off));
    corace_opts = defaults;
    memset(&corace_opts_set, 0, sizeof corace_opts_set);
}

void options_init(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    char err[512];
    if (!options_parse(getenv("CORACE_OPTIONS"), err, sizeof err)) {
        fprintf(stderr, "corace: CORACE_OPTIONS: %s\n", err);
        exit(2);
    }
    if (corace_opts.help)
        options_print_help(stderr);
    if (corace_opts.verbosity >= 1) {
        fputs("corace: CORACE_OPTIONS in effect: ", stderr);
        options_print_values(stderr);
        fputc('\n', stderr);
    }
}

void options_print_help(FILE *f)
{
    fputs("CORACE_OPTIONS: name=value pairs separated by spaces or colons, e.g.\n"
          "  CORACE_OPTIONS=\"halt_on_error=1 log_path=/tmp/race\"\n"
          "(quote a value with ' or \" to include a separator).  Options and defaults:\n",
          f);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const option_desc *d = &table[i];
        char buf[64];
        FILE *m = fmemopen(buf, sizeof buf, "w");
        int w = 0;
        if (m) {
            fprintf(m, "%s=", d->name);
            d->print(m, (const char *)&defaults + d->off);
            w = (int)ftell(m);
            fclose(m);
        }
        fprintf(f, "  %.*s%*s %s\n", w, buf, w < 28 ? 28 - w : 0, "", d->help);
    }
}

static void put_md(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', f);
        fputc(*s, f);
    }
}

void options_print_markdown(FILE *f)
{
    fputs("| option | type | default | what it does |\n"
          "|---|---|---|---|\n",
          f);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const option_desc *d = &table[i];
        fprintf(f, "| `%s` | %s | `", d->name, d->type);
        d->print(f, (const char *)&defaults + d->off);
        fputs("` | ", f);
        put_md(f, d->help);
        fputs(" |\n", f);
    }
}

void options_print_values(FILE *f)
{
    for (size_t i = 0; i < NOPTIONS; i++) {
        const option_desc *d = &table[i];
        fprintf(f, "%s%s=", i ? " " : "", d->name);
        d->print(f, (const char *)&corace_opts + d->off);
    }
}
