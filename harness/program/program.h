/*
 * program: a vpcert program, the plain-data form shared by the binary
 * decoder (fuzzer inputs), the text form (people, conformance vectors) and
 * the executor. Operations are plain structs; sizes may be symbolic
 * (quota remainder + delta, pool remainder + delta), resolved by the
 * executor against the current state, so that mutation keeps programs at
 * the boundaries that matter.
 */
#ifndef VPCERT_PROGRAM_H
#define VPCERT_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#define PROG_FORMAT_VERSION 1u /* program format version (binary and text) */
#define PROG_MAX_DEVICES 4u    /* devices a program may declare */
#ifndef PROG_MAX_OPS
#define PROG_MAX_OPS                                                           \
    4096u /* operations a program may hold (bench/ builds more) */
#endif
#define PROG_QUOTA_UNLIMITED UINT64_MAX

enum prog_opcode {
    PROG_OP_ALLOC_BUFFER = 0,   /* VideoPortAllocateBuffer(dev, size) */
    PROG_OP_RELEASE_BUFFER = 1, /* VideoPortReleaseBuffer(live buffer #index) */
    PROG_OP_ALLOC_POOL =
        2, /* VideoPortAllocatePool(dev, type, size, tag) at irql */
    PROG_OP_FREE_POOL = 3, /* VideoPortFreePool(live block #index) at irql */
    PROG_OP_TOUCH = 4,     /* verify then rewrite live buffer #index */
    PROG_OP_INJECT = 5,    /* kernel stand-in failure injection */
    PROG_OP_START = 6,     /* VpcertDeviceStart(dev, its quota) */
    PROG_OP_STOP = 7,      /* release everything of dev, VpcertDeviceStop */
    PROG_OP_COUNT = 8
};

enum prog_size_kind {
    PROG_SZ_LITERAL = 0,  /* size = value */
    PROG_SZ_QUOTA = 1,    /* size = device's quota remaining + delta */
    PROG_SZ_PAGED = 2,    /* size = paged pool remaining + delta */
    PROG_SZ_NONPAGED = 3, /* size = nonpaged pool remaining + delta */
    PROG_SZ_COUNT = 4
};

enum prog_inject_kind {
    PROG_INJ_NEXT = 0,  /* refuse the next value requests */
    PROG_INJ_ABOVE = 1, /* refuse requests above value bytes */
    PROG_INJ_TAG = 2,   /* refuse requests with tag value */
    PROG_INJ_CLEAR = 3, /* clear all injections */
    PROG_INJ_COUNT = 4
};

/* What an `expect` annotation says. */
enum prog_expect {
    PROG_EX_NONE = 0,
    PROG_EX_NO_ERROR = 1,            /* AllocateBuffer: 0 */
    PROG_EX_NOT_ENOUGH_MEMORY = 2,   /* AllocateBuffer: 8 */
    PROG_EX_INSUFFICIENT_BUFFER = 3, /* AllocateBuffer: 122 */
    PROG_EX_INVALID_PARAMETER = 4,   /* AllocateBuffer: 87 */
    PROG_EX_BLOCK = 5,               /* AllocatePool: non-NULL */
    PROG_EX_NULL = 6,                /* AllocatePool: NULL */
    PROG_EX_COUNT = 7
};

struct prog_size {
    uint8_t kind;   /* enum prog_size_kind */
    int32_t delta;  /* added to the remainder (symbolic kinds), -128..127 */
    uint64_t value; /* literal bytes (PROG_SZ_LITERAL) */
};

struct prog_op {
    uint8_t code;      /* enum prog_opcode */
    uint8_t dev;       /* device index (alloc ops, start, stop) */
    uint8_t dispatch;  /* pool ops: 1 = call at DISPATCH_LEVEL */
    uint8_t inject;    /* enum prog_inject_kind (PROG_OP_INJECT) */
    uint8_t pool_type; /* VP_POOL_TYPE: 0, 1, 4 or 5 (PROG_OP_ALLOC_POOL) */
    uint8_t expect;    /* enum prog_expect, PROG_EX_NONE when absent */
    uint16_t clause;   /* clause index cited by expect, UINT16_MAX if none */
    uint32_t index; /* live buffer/block selector (taken modulo live count) */
    uint32_t tag;   /* pool tag (alloc pool, inject tag) */
    uint64_t value; /* inject: count or size */
    struct prog_size size; /* alloc ops: requested size */
};

struct program {
    uint32_t version;     /* PROG_FORMAT_VERSION */
    uint64_t capacity[2]; /* pool bytes: [0] paged, [1] nonpaged */
    uint32_t ndevices;    /* 1..PROG_MAX_DEVICES */
    uint64_t
        quota[PROG_MAX_DEVICES]; /* per device, PROG_QUOTA_UNLIMITED = none */
    uint32_t nops;               /* operations used */
    struct prog_op ops[PROG_MAX_OPS]; /* the operations */
};

/* A program with default header: one device, unlimited quota, 1 MiB pools. */
void prog_init(struct program *p);

/* Binary form (binary.c). decode is total: every byte string gives a
 * program, except one whose version byte is newer than this build, which
 * returns PROG_DECODE_NEWER (reported, never misread). encode writes the
 * canonical bytes; decode(encode(p)) == p for every program decode made. */
#define PROG_DECODE_OK 0
#define PROG_DECODE_NEWER 1
int prog_decode(const uint8_t *data, size_t len, struct program *p);
/* Returns bytes written, or the size needed if cap is too small. */
size_t prog_encode(const struct program *p, uint8_t *out, size_t cap);

/* Text form (text.c). prog_text_write returns bytes written (excluding NUL),
 * or the size needed when cap is too small. prog_text_parse fills err with
 * "FILE:LINE:COL: message" and returns -1 on a syntax error. */
size_t prog_text_write(const struct program *p, char *out, size_t cap);
int prog_text_parse(const char *text, size_t len, const char *file,
                    struct program *p, char *err, size_t errlen);

/* One operation in text form (no newline); returns its length. */
size_t prog_text_op(const struct prog_op *op, char *out, size_t cap);

/* The kinds of operations p holds (and whether it has more than one
 * device), as enum spec_has bits of harness/spec/clauses.h (holds.c). */
unsigned prog_holds(const struct program *p);

/* Names, shared by text and reports. */
const char *prog_op_name(unsigned code);
const char *prog_expect_name(unsigned ex);
const char *prog_pool_type_name(unsigned type);
/* Format a tag: 'Dvpb' when all four bytes are printable, else 0x...  */
void prog_tag_format(uint32_t tag, char out[16]);

#endif /* VPCERT_PROGRAM_H */
