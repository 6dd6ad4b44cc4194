/*
 * fuzz_text: the input is a text program. prog_text_parse must never crash
 * (ASan/UBSan) and must fill err on a syntax error. When it succeeds:
 *   write -> parse gives the identical program, field for field;
 *   encode -> decode gives the same program;
 *   the writers honour their capacity (truncate, NUL-terminate, report the
 *   full size).
 * Any violation prints the input and both programs, then abort().
 */
#include "fuzz_common.h"

static struct program p1, p2, p3, scratch;

static void fail(const uint8_t *data, size_t size, const char *what,
                 const char *detail) {
    fprintf(stderr, "vpcert-fuzz-text: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    fprintf(stderr, "---- input text (%zu bytes) ----\n", size);
    fwrite(data, 1, size < 4096 ? size : 4096, stderr);
    fprintf(stderr, "\n");
    fuzz_print_program("parsed program", &p1, UINT32_MAX, &scratch);
    abort();
}

/* prog_text_write into an exactly sized buffer of cap bytes: it must report
 * the full length n, write at most cap bytes, NUL-terminate, and give a
 * prefix of the full text. */
static void check_text_cap(const uint8_t *data, size_t size, const char *full,
                           size_t n, size_t cap) {
    char *small = malloc(cap ? cap : 1);
    if (!small)
        return;
    size_t got = prog_text_write(&p1, cap ? small : NULL, cap);
    if (got != n)
        fail(data, size,
             "prog_text_write with a small buffer reports another length",
             NULL);
    if (cap && (small[cap - 1 < n ? cap - 1 : n] != 0 ||
                memcmp(small, full, cap - 1 < n ? cap - 1 : n) != 0))
        fail(data, size,
             "prog_text_write with a small buffer is not a NUL-terminated "
             "prefix",
             NULL);
    free(small);
}

static void check_encode_cap(const uint8_t *data, size_t size,
                             const uint8_t *full, size_t n, size_t cap) {
    uint8_t *small = malloc(cap ? cap : 1);
    if (!small)
        return;
    size_t got = prog_encode(&p1, cap ? small : NULL, cap);
    if (got != n || (cap && memcmp(small, full, cap < n ? cap : n) != 0))
        fail(data, size, "prog_encode with a small buffer misbehaves", NULL);
    free(small);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char err[300], why[200];
    memset(err, 0x55, sizeof err);
    if (prog_text_parse((const char *)data, size, "fuzz.vpt", &p1, err,
                        sizeof err) != 0) {
        if (!memchr(err, 0, sizeof err) || strncmp(err, "fuzz.vpt:", 9) != 0)
            fail(data, size, "parse error message is not FILE:LINE:COL: ...",
                 NULL);
        return 0;
    }
    if (p1.ndevices < 1 || p1.ndevices > PROG_MAX_DEVICES ||
        p1.nops > PROG_MAX_OPS)
        fail(data, size, "parsed program header out of range", NULL);

    /* text -> program -> text -> program */
    size_t n = prog_text_write(&p1, NULL, 0);
    char *text = malloc(n + 1);
    if (!text)
        return 0;
    if (prog_text_write(&p1, text, n + 1) != n || strlen(text) != n)
        fail(data, size, "prog_text_write length differs from its size query",
             NULL);
    if (prog_text_parse(text, n, "written.vpt", &p2, err, sizeof err) != 0)
        fail(data, size, "the written text does not parse", err);
    if (fuzz_prog_diff(&p1, &p2, why, sizeof why))
        fail(data, size, "parse(write(p)) != p", why);
    check_text_cap(data, size, text, n, size % (n + 1));

    /* program -> binary -> program */
    size_t bn = prog_encode(&p1, NULL, 0);
    uint8_t *bin = malloc(bn);
    if (!bin) {
        free(text);
        return 0;
    }
    if (prog_encode(&p1, bin, bn) != bn)
        fail(data, size, "prog_encode length differs from its size query",
             NULL);
    if (prog_decode(bin, bn, &p3) != PROG_DECODE_OK)
        fail(data, size, "decode(encode(p)) reports a newer version", NULL);
    if (fuzz_prog_diff(&p1, &p3, why, sizeof why))
        fail(data, size, "decode(encode(p)) != p", why);
    check_encode_cap(data, size, bin, bn, size % (bn + 1));
    free(bin);
    free(text);
    return 0;
}
