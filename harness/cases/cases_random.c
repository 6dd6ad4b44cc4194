/*
 * cases_random: random bytes through the total decoder (format version 1,
 * so no repeat: a random program is as long as the fuzzer's), exactly what
 * the differential fuzzer explores, reproducible from the seed. Without the
 * pool services, pool operations become touches.
 */
#include "cases_internal.h"


static uint64_t next_rand(uint64_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

int cases_random(const struct cases_options *o, struct program *scratch,
                 cases_emit_fn emit, void *ctx) {
    uint64_t s = o->seed * 0x9E3779B97F4A7C15ull + 1;
    uint8_t bytes[600];
    for (unsigned i = 0; i < o->random; i++) {
        size_t len = 24 + next_rand(&s) % (sizeof bytes - 24);
        for (size_t j = 0; j < len; j++)
            bytes[j] = (uint8_t)next_rand(&s);
        bytes[0] = 1;
        prog_decode(bytes, len, scratch);
        for (uint32_t k = 0; k < scratch->nops; k++) {
            struct prog_op *op = &scratch->ops[k];
            op->expect = 0; /* random expectations mean nothing */
            op->clause = UINT16_MAX;
        }
        int rc = cb_emit_seeded(o, CASES_RANDOM, i, scratch, emit, ctx);
        if (rc)
            return rc;
    }
    return 0;
}
