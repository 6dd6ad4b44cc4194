/* names: program defaults and the names shared by the text form and reports. */
#include "program.h"
#include "vpcert/pool_types.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

size_t prog_bytes(const struct program *p) {
    return offsetof(struct program, ops) + p->nops * sizeof p->ops[0];
}

void prog_copy(struct program *to, const struct program *p) {
    memcpy(to, p, prog_bytes(p));
}

void prog_init(struct program *p) {
    /* The header only: operations are written as they are decoded or
     * parsed (every reader sets each op it adds), and clearing 4096 of them
     * on every fuzz input cost more than running most programs. */
    memset(p, 0, offsetof(struct program, ops));
    p->version = PROG_FORMAT_VERSION;
    p->capacity[0] = 1u << 20;
    p->capacity[1] = 1u << 20;
    p->ndevices = 1;
    for (unsigned d = 0; d < PROG_MAX_DEVICES; d++)
        p->quota[d] = PROG_QUOTA_UNLIMITED;
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++)
        p->priority[t] = (uint8_t)t;
}

unsigned prog_min_version(const struct program *p) {
    unsigned v = prog_priority_number(p->priority) ? 3 : 1;
    for (uint32_t i = 0; i < p->nops && v < 3; i++) {
        const struct prog_op *op = &p->ops[i];
        if (op->thread || op->yield)
            return 3;
        if (op->code == PROG_OP_REPEAT)
            v = 2;
        for (unsigned c = 0; c < PROG_CH_COUNT; c++)
            if (op->expect_alt[c])
                v = 2;
    }
    return v;
}

int prog_op_threaded(unsigned code) {
    return code != PROG_OP_START && code != PROG_OP_STOP &&
           code != PROG_OP_REPEAT && code < PROG_OP_COUNT;
}

int prog_op_calls(unsigned code) {
    return code == PROG_OP_ALLOC_BUFFER || code == PROG_OP_RELEASE_BUFFER ||
           code == PROG_OP_ALLOC_POOL || code == PROG_OP_FREE_POOL;
}

unsigned prog_threads(const struct program *p) {
    unsigned n = 1;
    for (uint32_t i = 0; i < p->nops; i++)
        if (p->ops[i].thread >= n)
            n = p->ops[i].thread + 1u;
    return n;
}

/* Permutations numbered by their Lehmer code: digit i (base
 * PROG_MAX_THREADS - i) is the rank of order[i] among the ids not used
 * before it; the identity is 0. */
void prog_priority_of(unsigned n, uint8_t out[PROG_MAX_THREADS]) {
    uint8_t left[PROG_MAX_THREADS];
    unsigned nleft = PROG_MAX_THREADS, fact = 1;
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++) {
        left[t] = (uint8_t)t;
        fact *= t + 1;
    }
    n %= fact;
    for (unsigned i = 0; i < PROG_MAX_THREADS; i++) {
        fact /= nleft;
        unsigned r = n / fact;
        n %= fact;
        out[i] = left[r];
        memmove(&left[r], &left[r + 1], nleft - r - 1);
        nleft--;
    }
}

unsigned prog_priority_number(const uint8_t order[PROG_MAX_THREADS]) {
    unsigned n = 0;
    for (unsigned i = 0; i < PROG_MAX_THREADS; i++) {
        unsigned rank = 0;
        for (unsigned j = i + 1; j < PROG_MAX_THREADS; j++)
            rank += order[j] < order[i];
        n = n * (PROG_MAX_THREADS - i) + rank;
    }
    return n;
}

static const char *const op_names[PROG_OP_COUNT] = {
    "alloc_buffer", "release_buffer", "alloc_pool", "free_pool", "touch",
    "inject",       "start",          "stop",       "repeat"};

const char *prog_op_name(unsigned code) {
    return code < PROG_OP_COUNT ? op_names[code] : "?";
}

static const char *const expect_names[PROG_EX_COUNT] = {
    "",
    "NO_ERROR",
    "ERROR_NOT_ENOUGH_MEMORY",
    "ERROR_INSUFFICIENT_BUFFER",
    "ERROR_INVALID_PARAMETER",
    "block",
    "null"};

const char *prog_expect_name(unsigned ex) {
    return ex < PROG_EX_COUNT ? expect_names[ex] : "?";
}

static const char *const choice_names[PROG_CH_COUNT] = {"none", "pool-first",
                                                        "allocate", "reject"};

const char *prog_choice_name(unsigned choice) {
    return choice < PROG_CH_COUNT ? choice_names[choice] : "?";
}

const char *prog_pool_type_name(unsigned type) {
    const struct vpcert_pool_type *t = vpcert_pool_type_of((long)type);
    return t ? t->name : "?";
}

void prog_tag_format(uint32_t tag, char out[16]) {
    char c[4];
    int printable = 1;
    for (unsigned i = 0; i < 4; i++) {
        c[i] = (char)((tag >> (8 * i)) & 0xFF);
        if (c[i] < 0x21 || c[i] > 0x7E || c[i] == '\'' || c[i] == '\\')
            printable = 0;
    }
    if (printable)
        snprintf(out, 16, "'%c%c%c%c'", c[0], c[1], c[2], c[3]);
    else
        snprintf(out, 16, "0x%08x", (unsigned)tag);
}
