/*
 * number: command-line numbers read strictly. Each reader takes the whole
 * text: no sign where none is meaningful, no blanks, no trailing
 * characters, nothing out of range; it returns NULL, or the reason the
 * text is refused ("negative", "too large", ...) for the caller to print.
 */
#ifndef VPCERT_NUMBER_H
#define VPCERT_NUMBER_H

#include <stdint.h>

/* A whole number from min to max, in decimal or 0x hexadecimal. */
const char *number_read_uint(const char *text, uint64_t min, uint64_t max,
                             uint64_t *out);
/* A duration in seconds: finite, more than 0, at most max. */
const char *number_read_seconds(const char *text, double max, double *out);

#endif /* VPCERT_NUMBER_H */
