/*
 * fuzz_common: what the fuzz targets share: field-by-field comparison of
 * programs (no memcmp: struct padding is not part of a program) and
 * printing a program in text form on a failure. Header-only so that each
 * target stays one translation unit plus the libraries.
 */
#ifndef VPCERT_FUZZ_COMMON_H
#define VPCERT_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "program.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Compare two operations field by field; describe the first difference. */
static inline int fuzz_op_diff(const struct prog_op *a, const struct prog_op *b,
                               char *why, size_t cap) {
#define VPF_FIELD(f)                                                           \
    if (a->f != b->f) {                                                        \
        snprintf(why, cap, #f " %llu vs %llu", (unsigned long long)a->f,       \
                 (unsigned long long)b->f);                                    \
        return 1;                                                              \
    }
    VPF_FIELD(code)
    VPF_FIELD(dev)
    VPF_FIELD(dispatch)
    VPF_FIELD(inject)
    VPF_FIELD(pool_type)
    VPF_FIELD(expect)
    VPF_FIELD(expect_alt[0])
    VPF_FIELD(expect_alt[1])
    VPF_FIELD(expect_alt[2])
    VPF_FIELD(expect_alt[3])
    VPF_FIELD(clause)
    VPF_FIELD(index)
    VPF_FIELD(tag)
    VPF_FIELD(value)
    VPF_FIELD(size.kind)
    VPF_FIELD(size.delta)
    VPF_FIELD(size.value)
    VPF_FIELD(thread)
    VPF_FIELD(yield)
#undef VPF_FIELD
    return 0;
}

/* Compare two programs field by field. Returns 0 when equal, else 1 with
 * the first difference in why. */
static inline int fuzz_prog_diff(const struct program *a,
                                 const struct program *b, char *why,
                                 size_t cap) {
    char d[160];
    if (a->version != b->version) {
        snprintf(why, cap, "version %u vs %u", (unsigned)a->version,
                 (unsigned)b->version);
        return 1;
    }
    for (unsigned i = 0; i < 2; i++)
        if (a->capacity[i] != b->capacity[i]) {
            snprintf(why, cap, "capacity[%u] %llu vs %llu", i,
                     (unsigned long long)a->capacity[i],
                     (unsigned long long)b->capacity[i]);
            return 1;
        }
    if (a->ndevices != b->ndevices) {
        snprintf(why, cap, "ndevices %u vs %u", (unsigned)a->ndevices,
                 (unsigned)b->ndevices);
        return 1;
    }
    for (unsigned i = 0; i < PROG_MAX_DEVICES; i++)
        if (a->quota[i] != b->quota[i]) {
            snprintf(why, cap, "quota[%u] %llu vs %llu", i,
                     (unsigned long long)a->quota[i],
                     (unsigned long long)b->quota[i]);
            return 1;
        }
    for (unsigned i = 0; i < PROG_MAX_THREADS; i++)
        if (a->priority[i] != b->priority[i]) {
            snprintf(why, cap, "priority[%u] %u vs %u", i,
                     (unsigned)a->priority[i], (unsigned)b->priority[i]);
            return 1;
        }
    if (a->nops != b->nops) {
        snprintf(why, cap, "nops %u vs %u", (unsigned)a->nops,
                 (unsigned)b->nops);
        return 1;
    }
    for (uint32_t i = 0; i < a->nops; i++) {
        if (fuzz_op_diff(&a->ops[i], &b->ops[i], d, sizeof d)) {
            snprintf(why, cap, "op %u (%s): %s", (unsigned)i,
                     prog_op_name(a->ops[i].code), d);
            return 1;
        }
    }
    return 0;
}

/* Print p in text form to stderr, its first `upto` operations only
 * (upto >= p->nops: all). `scratch` is a program-sized buffer the caller
 * owns (programs are too large for the stack). */
static inline void fuzz_print_program(const char *title,
                                      const struct program *p, uint32_t upto,
                                      struct program *scratch) {
    memcpy(scratch, p, sizeof *scratch);
    if (upto < scratch->nops)
        scratch->nops = upto;
    size_t n = prog_text_write(scratch, NULL, 0);
    char *text = malloc(n + 1);
    fprintf(stderr, "---- %s (%u of %u operations) ----\n", title,
            (unsigned)scratch->nops, (unsigned)p->nops);
    if (text) {
        prog_text_write(scratch, text, n + 1);
        fwrite(text, 1, n, stderr);
    }
    fprintf(stderr, "---- end ----\n");
    free(text);
}

/* Print the input as hex (at most 256 bytes) to stderr. */
static inline void fuzz_print_hex(const uint8_t *data, size_t size) {
    fprintf(stderr, "input (%zu bytes):", size);
    for (size_t i = 0; i < size && i < 256; i++)
        fprintf(stderr, "%s%02x", i % 32 ? " " : "\n  ", data[i]);
    fprintf(stderr, "%s\n", size > 256 ? " ..." : "");
}

#endif /* VPCERT_FUZZ_COMMON_H */
