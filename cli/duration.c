/* duration.c - Go's duration syntax (see duration.h). */
#include "duration.h"

#include <string.h>

static const struct unit {
    const char *name;
    double seconds;
} units[] = {
    /* Longer names first: "ms" before "m". */
    {"ns", 1e-9}, {"us", 1e-6}, {"\xc2\xb5s", 1e-6}, {"\xce\xbcs", 1e-6},
    {"ms", 1e-3}, {"s", 1.0},   {"m", 60.0},         {"h", 3600.0},
};

bool duration_parse(const char *s, double *seconds)
{
    if (!s || !*s)
        return false;
    if (strcmp(s, "0") == 0) {
        *seconds = 0;
        return true;
    }
    double total = 0;
    while (*s) {
        /* A number: digits, optionally '.', digits; at least one digit. */
        double v = 0, scale = 1;
        int digits = 0;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s++ - '0');
            digits++;
        }
        if (*s == '.') {
            s++;
            while (*s >= '0' && *s <= '9') {
                scale /= 10;
                v += (*s++ - '0') * scale;
                digits++;
            }
        }
        if (digits == 0)
            return false;
        const struct unit *u = NULL;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
            size_t n = strlen(units[i].name);
            if (strncmp(s, units[i].name, n) == 0 &&
                (!u || n > strlen(u->name)))
                u = &units[i];
        }
        if (!u)
            return false; /* a missing or unknown unit */
        s += strlen(u->name);
        total += v * u->seconds;
        if (total > 1e12)
            return false; /* beyond any timeout (Go: overflow) */
    }
    *seconds = total;
    return true;
}
