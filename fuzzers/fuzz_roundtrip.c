/*
 * fuzz_roundtrip: the input is a binary program. With p1 = decode(bytes):
 *   decode(encode(p1)) == p1, field for field;
 *   encode(decode(encode(p1))) == encode(p1), byte for byte (canonical
 *   fixpoint);
 *   parse(write(p1)) succeeds and gives p1, and encode of it gives
 *   encode(p1) byte for byte;
 *   a version byte newer than this build is reported, never misread.
 * Any violation prints the input and the programs, then abort().
 */
#include "fuzz_common.h"

static struct program p1, p2, p3, scratch;

static void fail(const uint8_t *data, size_t size, const char *what,
                 const char *detail) {
    fprintf(stderr, "vpcert-fuzz-roundtrip: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    fuzz_print_hex(data, size);
    fuzz_print_program("decoded program", &p1, UINT32_MAX, &scratch);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char why[200], err[300];
    if (prog_decode(data, size, &p1) == PROG_DECODE_NEWER) {
        if (size == 0 || data[0] <= PROG_FORMAT_VERSION ||
            p1.version != data[0])
            fail(data, size, "PROG_DECODE_NEWER for a version this build reads",
                 NULL);
        return 0;
    }
    if (size && data[0] > PROG_FORMAT_VERSION)
        fail(data, size, "a newer version byte was decoded", NULL);
    if (p1.ndevices < 1 || p1.ndevices > PROG_MAX_DEVICES ||
        p1.nops > PROG_MAX_OPS)
        fail(data, size, "decoded program header out of range", NULL);

    /* binary: decode(encode(p1)) == p1, encode is a fixpoint */
    size_t n1 = prog_encode(&p1, NULL, 0);
    uint8_t *e1 = malloc(n1), *e2 = NULL, *e3 = NULL;
    char *text = NULL;
    if (!e1)
        return 0;
    if (prog_encode(&p1, e1, n1) != n1)
        fail(data, size, "prog_encode length differs from its size query",
             NULL);
    if (prog_decode(e1, n1, &p2) != PROG_DECODE_OK)
        fail(data, size, "decode(encode(p)) reports a newer version", NULL);
    if (fuzz_prog_diff(&p1, &p2, why, sizeof why))
        fail(data, size, "decode(encode(p)) != p", why);
    size_t n2 = prog_encode(&p2, NULL, 0);
    if (n2 != n1 || !(e2 = malloc(n2)) || prog_encode(&p2, e2, n2) != n2 ||
        memcmp(e1, e2, n1) != 0)
        fail(data, size, "encode(decode(encode(p))) != encode(p)", NULL);

    /* text: parse(write(p1)) == p1 */
    size_t tn = prog_text_write(&p1, NULL, 0);
    text = malloc(tn + 1);
    if (text) {
        if (prog_text_write(&p1, text, tn + 1) != tn || strlen(text) != tn)
            fail(data, size,
                 "prog_text_write length differs from its size query", NULL);
        if (prog_text_parse(text, tn, "written.vpt", &p3, err, sizeof err) != 0)
            fail(data, size, "the text of a decoded program does not parse",
                 err);
        if (fuzz_prog_diff(&p1, &p3, why, sizeof why))
            fail(data, size, "parse(write(p)) != p", why);
        size_t n3 = prog_encode(&p3, NULL, 0);
        if (n3 != n1 || !(e3 = malloc(n3)) || prog_encode(&p3, e3, n3) != n3 ||
            memcmp(e1, e3, n1) != 0)
            fail(data, size, "encode(parse(write(p))) != encode(p)", NULL);
    }
    free(e1);
    free(e2);
    free(e3);
    free(text);
    return 0;
}
