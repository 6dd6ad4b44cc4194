/*
 * mutator: a structure-aware libFuzzer custom mutator for fuzz_diff_sa.
 * Programs are mutated as operations: insert, delete, duplicate, swap,
 * re-target an operation, set a size to a boundary of the current state
 * (quota remainder, remainder +- 1, pool remainder around the header, 0,
 * 0xFFFFFFFF), set a device's quota or a pool's capacity to a boundary.
 * A quarter of the time it leaves the bytes to libFuzzer's own mutator.
 * Everything goes through the total decoder and the canonical encoder, so
 * every output is a valid program.
 */
#include "program.h"
#include "vpcert/pool_types.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed);

static struct program prog; /* large: never on the stack */
static uint8_t out[1 << 16];

static uint32_t rnd(uint32_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void boundary_size(struct prog_size *sz, uint32_t *s) {
    static const int32_t paged_deltas[] = {-17, -16, -15, -1, 0, 1};
    static const uint64_t literals[] = {0,
                                        1,
                                        16,
                                        4095,
                                        4096,
                                        4097,
                                        0xFFFFFFFEull,
                                        0xFFFFFFFFull,
                                        0x100000000ull,
                                        0x140000000ull};
    memset(sz, 0, sizeof *sz);
    switch (rnd(s) % 4) {
    case 0:
        sz->kind = PROG_SZ_QUOTA;
        sz->delta = (int32_t)(rnd(s) % 3) - 1; /* remainder -1, 0, +1 */
        break;
    case 1:
        sz->kind = (uint8_t)(rnd(s) % 2 ? PROG_SZ_PAGED : PROG_SZ_NONPAGED);
        sz->delta = paged_deltas[rnd(s) % 6];
        break;
    default:
        sz->value = literals[rnd(s) % 10];
    }
}

/* A random operation. Fields an opcode does not use are harmless: the
 * encoder writes only what the opcode takes and the decoder normalizes the
 * rest, so libFuzzer always runs a canonical program. */
static void random_op(struct prog_op *op, const struct program *p,
                      uint32_t *s) {
    static const uint32_t tags[] = {0x74737444u /* Dtst */,
                                    0x62707644u /* Dvpb */};
    memset(op, 0, sizeof *op);
    op->clause = UINT16_MAX;
    op->code = (uint8_t)(rnd(s) % PROG_OP_COUNT);
    op->dev = (uint8_t)(rnd(s) % p->ndevices);
    op->index = rnd(s) % 8;
    op->pool_type = vpcert_pool_type_at(rnd(s) % VPCERT_POOL_TYPE_COUNT)->value;
    op->dispatch = (uint8_t)(rnd(s) % 2);
    op->tag = tags[rnd(s) % 2];
    op->inject = (uint8_t)(rnd(s) % PROG_INJ_COUNT);
    op->value = op->inject == PROG_INJ_ABOVE ? 4096 : 1 + rnd(s) % 3;
    boundary_size(&op->size, s);
}

static void mutate_header(struct program *p, uint32_t *s) {
    static const uint64_t quotas[] = {0,
                                      1,
                                      4096,
                                      65536,
                                      0xFFFFFFFFull,
                                      0x100000000ull,
                                      UINT64_MAX - 1,
                                      PROG_QUOTA_UNLIMITED};
    static const uint64_t caps[] = {0, 4096, 65536, 1u << 20, 6ull << 30};
    if (rnd(s) % 2)
        p->quota[rnd(s) % p->ndevices] = quotas[rnd(s) % 8];
    else
        p->capacity[rnd(s) % 2] = caps[rnd(s) % 5];
}

static void mutate_ops(struct program *p, uint32_t *s) {
    uint32_t n = p->nops, i = n ? rnd(s) % n : 0, j = n ? rnd(s) % n : 0;
    switch (rnd(s) % 6) {
    case 0: /* insert */
        if (n < PROG_MAX_OPS) {
            memmove(&p->ops[i + 1], &p->ops[i], (n - i) * sizeof p->ops[0]);
            random_op(&p->ops[i], p, s);
            p->nops++;
        }
        break;
    case 1: /* delete */
        if (n) {
            memmove(&p->ops[i], &p->ops[i + 1], (n - i - 1) * sizeof p->ops[0]);
            p->nops--;
        }
        break;
    case 2: /* duplicate */
        if (n && n < PROG_MAX_OPS) {
            memmove(&p->ops[i + 1], &p->ops[i], (n - i) * sizeof p->ops[0]);
            p->nops++;
        }
        break;
    case 3: /* swap */
        if (n > 1) {
            struct prog_op t = p->ops[i];
            p->ops[i] = p->ops[j];
            p->ops[j] = t;
        }
        break;
    case 4: /* a boundary size for the current state */
        for (uint32_t k = 0; k < n; k++) {
            struct prog_op *op = &p->ops[(i + k) % n];
            if (op->code == PROG_OP_ALLOC_BUFFER ||
                op->code == PROG_OP_ALLOC_POOL) {
                boundary_size(&op->size, s);
                if (op->code == PROG_OP_ALLOC_BUFFER &&
                    op->size.kind == PROG_SZ_LITERAL &&
                    op->size.value > 0xFFFFFFFFull)
                    op->size.value = 0xFFFFFFFFull;
                break;
            }
        }
        break;
    default:
        mutate_header(p, s);
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size,
                               unsigned int seed) {
    uint32_t s = seed * 2654435761u + 1;
    if (rnd(&s) % 4 == 0 || prog_decode(data, size, &prog) != PROG_DECODE_OK)
        return LLVMFuzzerMutate(data, size, max_size);
    for (unsigned k = 1 + rnd(&s) % 3; k > 0; k--)
        mutate_ops(&prog, &s);
    size_t n = prog_encode(&prog, out, sizeof out);
    if (n > max_size || n > sizeof out)
        return LLVMFuzzerMutate(data, size, max_size);
    memcpy(data, out, n);
    return n;
}
