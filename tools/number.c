/* number: strict readers of command-line numbers. */
#include "number.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

/* What every number refuses before it is read. */
static const char *refuse_shape(const char *text) {
    if (!*text)
        return "empty";
    if (*text == '-')
        return "negative";
    if (!isdigit((unsigned char)*text) && *text != '.')
        return "not a number";
    return NULL;
}

const char *number_read_uint(const char *text, uint64_t min, uint64_t max,
                             uint64_t *out) {
    const char *why = refuse_shape(text);
    if (why)
        return why;
    int hex = text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    if (!isxdigit((unsigned char)text[hex ? 2 : 0]))
        return "not a whole number";
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, hex ? 16 : 10);
    if (errno == ERANGE || v > UINT64_MAX)
        return "too large";
    if (*end)
        return "not a whole number";
    if (v < min)
        return "too small";
    if (v > max)
        return "too large";
    *out = (uint64_t)v;
    return NULL;
}

const char *number_read_seconds(const char *text, double max, double *out) {
    const char *why = refuse_shape(text);
    if (why)
        return why;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (*end || end == text)
        return "not a number";
    if (errno == ERANGE && (v > 1 || v < -1))
        return "too large";
    if (!isfinite(v))
        return "not finite";
    if (v <= 0)
        return "not more than 0";
    if (v > max)
        return "too large";
    *out = v;
    return NULL;
}
