/* afl_screen: the counters an afl-fuzz instance draws on its screen, and
 * values of its fuzzer_stats file (afl_screen.h). */
#include "afl_screen.h"

#include <stdlib.h>
#include <string.h>

/* A number as afl-fuzz shows it on its screen (u_stringify_int: 9999,
 * 12.3k, 456k, 7.89M, 1.23G), or a plain one; 0 if none. */
static double screen_number(const char *s) {
    char *end;
    double v = strtod(s, &end);
    static const char units[] = "kMGT";
    const char *u = *end ? strchr(units, *end) : NULL;
    for (long k = u ? u - units + 1 : 0; k > 0; k--)
        v *= 1000;
    return v;
}

/* One line of an instance's screen (ctx: its struct afl_screen): its escape
 * sequences and line-drawing shifts removed, then the counters it shows read
 * ("total execs :", "corpus count :", "map density : A% / B%") and, once,
 * "Target map size:". afl-fuzz writes its plot_data and fuzzer_stats only after
 * its first minute; its screen shows these five times a second from the start.
 */
void afl_screen_line(void *ctx, const char *raw) {
    struct afl_screen *v = ctx;
    char line[512];
    size_t n = 0;
    for (const char *p = raw; *p && n < sizeof line - 1; p++) {
        if (*p == 0x1b) { /* ESC [ ... letter, or ESC x y */
            if (p[1] == '[')
                for (p += 2; *p && !((*p >= '@' && *p <= '~')); p++)
                    ;
            else if (p[1])
                p += p[2] ? 2 : 1;
            if (!*p)
                break;
        } else if ((unsigned char)*p >= ' ') {
            line[n++] = *p;
        }
    }
    line[n] = 0;
    static const char *const keys[] = {
        "total execs :", "corpus count :", "map density :", "Target map size:"};
    for (unsigned k = 0; k < 4; k++) {
        const char *at = strstr(line, keys[k]);
        if (!at)
            continue;
        at += strlen(keys[k]);
        if (k == 2) /* "A% / B%": B, the whole map's density */
            at = strchr(at, '/') ? strchr(at, '/') + 1 : at;
        double x = screen_number(at + strspn(at, " "));
        if (k == 0)
            v->execs = (unsigned long long)x;
        else if (k == 1)
            v->corpus = (size_t)x;
        else if (k == 2)
            v->density = x;
        else
            v->map_size = x;
    }
}

/* The value of `key` in a fuzzer_stats file ("key : value" lines). */
double afl_stats_value(const char *text, const char *key) {
    size_t n = strlen(key);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l += !!l) {
        if (strncmp(l, key, n) == 0 && (l[n] == ' ' || l[n] == ':'))
            return strtod(l + n + strcspn(l + n, ":") + 1, NULL);
    }
    return 0;
}
