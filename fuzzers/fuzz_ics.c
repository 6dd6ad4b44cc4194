/*
 * fuzz_ics: the input is an implementation conformance statement.
 * ics_parse must never crash (ASan/UBSan), and:
 *   on an error, err is one line "fuzz.ics:LINE:COL: message" with no
 *   control character and no byte that is not UTF-8 (it reaches a
 *   terminal);
 *   on success, the values are ones SPEC.md allows (AllocateBuffer and
 *   ReleaseBuffer declared; AllocatePool and FreePool together or not at
 *   all; a zero-size form that exists), ics_write's text parses back to
 *   the same statement, and a UTF-8 byte order mark in front changes
 *   nothing.
 * Any violation prints the input and abort()s.
 */
#include "ics.h"
#include "impl.h"
#include "os.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const uint8_t *data, size_t size, const char *what,
                 const char *detail) {
    char shown[8192];
    os_show_n((const char *)data, size < 2048 ? size : 2048, shown,
              sizeof shown);
    fprintf(stderr,
            "vpcert-fuzz-ics: %s%s%s\n---- input (%zu bytes) ----\n%s\n", what,
            detail ? ": " : "", detail ? detail : "", size, shown);
    abort();
}

static int same(const struct ics *a, const struct ics *b) {
    return a->quota_enabled == b->quota_enabled &&
           a->quota_first == b->quota_first && a->services == b->services &&
           a->zero_size == b->zero_size;
}

/* err is one line, "fuzz.ics:N:N: ...", and shows as it is. */
static void check_message(const uint8_t *data, size_t size, const char *err,
                          size_t cap) {
    char shown[1024];
    const char *nul = memchr(err, 0, cap);
    unsigned line, col;
    if (!nul)
        fail(data, size, "the message is not terminated", NULL);
    if (sscanf(err, "fuzz.ics:%u:%u: ", &line, &col) != 2 || !line || !col)
        fail(data, size, "the message is not FILE:LINE:COL: ...", err);
    os_show(err, shown, sizeof shown);
    if (strcmp(shown, err) != 0)
        fail(data, size,
             "the message holds control characters or bytes "
             "that are not UTF-8",
             shown);
}

static void check_values(const uint8_t *data, size_t size,
                         const struct ics *ics) {
    unsigned pool = ics->services & (SVC_ALLOCATE_POOL | SVC_FREE_POOL);
    if ((ics->services & IMPL_REQUIRED) != IMPL_REQUIRED)
        fail(data, size, "accepted without AllocateBuffer and ReleaseBuffer",
             NULL);
    if (pool && pool != (SVC_ALLOCATE_POOL | SVC_FREE_POOL))
        fail(data, size,
             "accepted AllocatePool without FreePool or the "
             "reverse",
             NULL);
    if (ics->services & ~SVC_ALL)
        fail(data, size, "a service that does not exist", NULL);
    if (ics->zero_size < 0 || ics->zero_size > 2 ||
        (ics->quota_enabled != 0 && ics->quota_enabled != 1) ||
        (ics->quota_first != 0 && ics->quota_first != 1))
        fail(data, size, "a value out of range", NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    struct ics a, b;
    char err[1024], text[512];
    memset(err, 0x55, sizeof err);
    int rc =
        ics_parse((const char *)data, size, "fuzz.ics", &a, err, sizeof err);
    if (rc != 0)
        check_message(data, size, err, sizeof err);
    else
        check_values(data, size, &a);
    /* A byte order mark in front changes nothing (not even a column). */
    int has_bom = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    uint8_t *bom = has_bom ? NULL : malloc(size + 3);
    if (!bom)
        return 0;
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, data, size);
    char err2[1024];
    int rc2 = ics_parse((const char *)bom, size + 3, "fuzz.ics", &b, err2,
                        sizeof err2);
    free(bom);
    if (rc2 != rc || (rc == 0 && !same(&a, &b)) ||
        (rc != 0 && strcmp(err, err2) != 0))
        fail(data, size, "a byte order mark in front changes the result",
             rc ? err2 : NULL);
    if (rc != 0)
        return 0;
    size_t n = ics_write(&a, text, sizeof text);
    if (n >= sizeof text)
        fail(data, size, "ics_write does not fit its buffer", NULL);
    if (ics_parse(text, n, "written.ics", &b, err, sizeof err) != 0)
        fail(data, size, "what ics_write wrote does not parse", err);
    if (!same(&a, &b))
        fail(data, size, "parse(write(ics)) != ics", text);
    return 0;
}
