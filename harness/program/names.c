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
}

unsigned prog_min_version(const struct program *p) {
    for (uint32_t i = 0; i < p->nops; i++) {
        const struct prog_op *op = &p->ops[i];
        if (op->code == PROG_OP_REPEAT)
            return 2;
        for (unsigned c = 0; c < PROG_CH_COUNT; c++)
            if (op->expect_alt[c])
                return 2;
    }
    return 1;
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
