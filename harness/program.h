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

#define VP_FORMAT_VERSION 1u /* program format version (binary and text) */
#define VP_MAX_DEVICES 4u    /* devices a program may declare */
#ifndef VP_MAX_OPS
#define VP_MAX_OPS                                                             \
    4096u /* operations a program may hold (bench/ builds more) */
#endif
#define VP_QUOTA_UNLIMITED UINT64_MAX

enum vp_opcode {
    VP_OP_ALLOC_BUFFER = 0,   /* VideoPortAllocateBuffer(dev, size) */
    VP_OP_RELEASE_BUFFER = 1, /* VideoPortReleaseBuffer(live buffer #index) */
    VP_OP_ALLOC_POOL =
        2, /* VideoPortAllocatePool(dev, type, size, tag) at irql */
    VP_OP_FREE_POOL = 3, /* VideoPortFreePool(live block #index) at irql */
    VP_OP_TOUCH = 4,     /* verify then rewrite live buffer #index */
    VP_OP_INJECT = 5,    /* kernel shim failure injection */
    VP_OP_START = 6,     /* VpcertDeviceStart(dev, its quota) */
    VP_OP_STOP = 7,      /* release everything of dev, VpcertDeviceStop */
    VP_OP_COUNT = 8
};

enum vp_size_kind {
    VP_SZ_LITERAL = 0,  /* size = value */
    VP_SZ_QUOTA = 1,    /* size = device's quota remaining + delta */
    VP_SZ_PAGED = 2,    /* size = paged pool remaining + delta */
    VP_SZ_NONPAGED = 3, /* size = nonpaged pool remaining + delta */
    VP_SZ_COUNT = 4
};

enum vp_inject_kind {
    VP_INJ_NEXT = 0,  /* refuse the next value requests */
    VP_INJ_ABOVE = 1, /* refuse requests above value bytes */
    VP_INJ_TAG = 2,   /* refuse requests with tag value */
    VP_INJ_CLEAR = 3, /* clear all injections */
    VP_INJ_COUNT = 4
};

/* What an `expect` annotation says. */
enum vp_expect {
    VP_EX_NONE = 0,
    VP_EX_NO_ERROR = 1,            /* AllocateBuffer: 0 */
    VP_EX_NOT_ENOUGH_MEMORY = 2,   /* AllocateBuffer: 8 */
    VP_EX_INSUFFICIENT_BUFFER = 3, /* AllocateBuffer: 122 */
    VP_EX_INVALID_PARAMETER = 4,   /* AllocateBuffer: 87 */
    VP_EX_BLOCK = 5,               /* AllocatePool: non-NULL */
    VP_EX_NULL = 6,                /* AllocatePool: NULL */
    VP_EX_COUNT = 7
};

struct vp_size {
    uint8_t kind;   /* enum vp_size_kind */
    int32_t delta;  /* added to the remainder (symbolic kinds), -128..127 */
    uint64_t value; /* literal bytes (VP_SZ_LITERAL) */
};

struct vp_op {
    uint8_t code;      /* enum vp_opcode */
    uint8_t dev;       /* device index (alloc ops, start, stop) */
    uint8_t dispatch;  /* pool ops: 1 = call at DISPATCH_LEVEL */
    uint8_t inject;    /* enum vp_inject_kind (VP_OP_INJECT) */
    uint8_t pool_type; /* VP_POOL_TYPE: 0, 1, 4 or 5 (VP_OP_ALLOC_POOL) */
    uint8_t expect;    /* enum vp_expect, VP_EX_NONE when absent */
    uint16_t clause;   /* clause index cited by expect, UINT16_MAX if none */
    uint32_t index; /* live buffer/block selector (taken modulo live count) */
    uint32_t tag;   /* pool tag (alloc pool, inject tag) */
    uint64_t value; /* inject: count or size */
    struct vp_size size; /* alloc ops: requested size */
};

struct vp_program {
    uint32_t version;               /* VP_FORMAT_VERSION */
    uint64_t capacity[2];           /* pool bytes: [0] paged, [1] nonpaged */
    uint32_t ndevices;              /* 1..VP_MAX_DEVICES */
    uint64_t quota[VP_MAX_DEVICES]; /* per device, VP_QUOTA_UNLIMITED = none */
    uint32_t nops;                  /* operations used */
    struct vp_op ops[VP_MAX_OPS];   /* the operations */
};

/* A program with default header: one device, unlimited quota, 1 MiB pools. */
void vp_program_init(struct vp_program *p);

/* Binary form (binary.c). decode is total: every byte string gives a
 * program, except one whose version byte is newer than this build, which
 * returns VP_DECODE_NEWER (reported, never misread). encode writes the
 * canonical bytes; decode(encode(p)) == p for every program decode made. */
#define VP_DECODE_OK 0
#define VP_DECODE_NEWER 1
int vp_decode(const uint8_t *data, size_t len, struct vp_program *p);
/* Returns bytes written, or the size needed if cap is too small. */
size_t vp_encode(const struct vp_program *p, uint8_t *out, size_t cap);

/* Text form (text.c). vp_text_write returns bytes written (excluding NUL),
 * or the size needed when cap is too small. vp_text_parse fills err with
 * "FILE:LINE:COL: message" and returns -1 on a syntax error. */
size_t vp_text_write(const struct vp_program *p, char *out, size_t cap);
int vp_text_parse(const char *text, size_t len, const char *file,
                  struct vp_program *p, char *err, size_t errlen);

/* One operation in text form (no newline); returns its length. */
size_t vp_text_op(const struct vp_op *op, char *out, size_t cap);

/* Names, shared by text and reports. */
const char *vp_op_name(unsigned code);
const char *vp_expect_name(unsigned ex);
const char *vp_pool_type_name(unsigned type);
/* Format a tag: 'Dvpb' when all four bytes are printable, else 0x...  */
void vp_tag_format(uint32_t tag, char out[16]);

#endif /* VPCERT_PROGRAM_H */
