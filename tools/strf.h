/* strf: snprintf that says whether the text fit, for the fixed buffers of
 * paths and arguments in tools/. Header-only. */
#ifndef VPCERT_STRF_H
#define VPCERT_STRF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Format into out; 0, or -1 when the text was truncated. */
__attribute__((format(printf, 3, 4))) static inline int
strf(char *out, size_t cap, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

#endif /* VPCERT_STRF_H */
