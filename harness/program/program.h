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

#define PROG_FORMAT_VERSION 3u /* program format version (binary and text) */
#define PROG_MAX_DEVICES 4u    /* devices a program may declare */
#define PROG_MAX_THREADS 4u    /* threads operations may run on (version 3) */
#define PROG_YIELD_POINTS 16u  /* switch points of a call a yield can name */
#ifndef PROG_MAX_OPS
#define PROG_MAX_OPS                                                           \
    4096u /* operations a program may hold (bench/ builds more) */
#endif
#define PROG_QUOTA_UNLIMITED UINT64_MAX
/* Operations a run executes at most, repeats unrolled (prog_run_next); the
 * rest of a longer run is not executed. */
#define PROG_MAX_STEPS (1u << 18)

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
    PROG_OP_REPEAT = 8,    /* run the `index` operations before it `value` more
                              times (format version 2) */
    PROG_OP_COUNT = 9
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

/* The ICS choices an AllocateBuffer outcome can depend on: an `expect`
 * annotation may state the outcome under each (format version 2). */
enum prog_choice {
    PROG_CH_NONE = 0,       /* quota = none */
    PROG_CH_POOL_FIRST = 1, /* quota = per-device, quota-order = pool-first */
    PROG_CH_ALLOCATE = 2,   /* zero-size = allocate */
    PROG_CH_REJECT = 3,     /* zero-size = reject */
    PROG_CH_COUNT = 4
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
    uint8_t expect_alt[PROG_CH_COUNT]; /* outcome under each enum prog_choice
                                          (alloc_buffer), PROG_EX_NONE: as
                                          `expect` */
    uint16_t clause; /* clause index cited by expect, UINT16_MAX if none */
    uint32_t index;  /* live buffer/block selector (taken modulo live count);
                        repeat: operations repeated */
    uint32_t tag;    /* pool tag (alloc pool, inject tag) */
    uint64_t value;  /* inject: count or size; repeat: extra times */
    struct prog_size size; /* alloc ops: requested size */
    uint8_t thread; /* thread it runs on (version 3; 0 for start, stop and
                       repeat, which run with every other thread idle) */
    uint16_t yield; /* version 3, calls only: bit k set = at the k-th switch
                       point of the call (0 = service entry) its thread's
                       priority drops below every thread that has not
                       yielded (SPEC.md "Threads") */
};

struct program {
    uint32_t version;     /* PROG_FORMAT_VERSION */
    uint64_t capacity[2]; /* pool bytes: [0] paged, [1] nonpaged */
    uint32_t ndevices;    /* 1..PROG_MAX_DEVICES */
    uint64_t
        quota[PROG_MAX_DEVICES]; /* per device, PROG_QUOTA_UNLIMITED = none */
    uint8_t priority[PROG_MAX_THREADS]; /* thread ids, highest priority
                                           first: a permutation of 0..3
                                           (version 3; 0 1 2 3 before) */
    uint32_t nops;                      /* operations used */
    struct prog_op ops[PROG_MAX_OPS];   /* the operations */
};

/* A program with default header: one device, unlimited quota, 1 MiB pools. */
void prog_init(struct program *p);
/* The bytes of p that hold something: the header and its nops operations;
 * prog_copy reads no more. */
size_t prog_bytes(const struct program *p);
/* Copy p into to (a whole struct program) without reading past
 * prog_bytes(p). */
void prog_copy(struct program *to, const struct program *p);
/* The oldest format version that can express p (1 without repeat and
 * per-choice expectations, 2 with them, 3 with threads, yields or another
 * priority order): what the writers put in front. */
unsigned prog_min_version(const struct program *p);
/* Operations that may carry a thread (the others run with every thread
 * idle) and a yield (those that call the implementation). */
int prog_op_threaded(unsigned code);
int prog_op_calls(unsigned code);
/* Threads p's operations use: 1 + the highest thread of an operation. */
unsigned prog_threads(const struct program *p);
/* The permutation of 0..PROG_MAX_THREADS-1 numbered n (mod 24), and back;
 * the binary form's priority byte. */
void prog_priority_of(unsigned n, uint8_t out[PROG_MAX_THREADS]);
unsigned prog_priority_number(const uint8_t order[PROG_MAX_THREADS]);

/* The order a run executes operations in, repeats unrolled: each call of
 * prog_run_next gives the index of the next operation to execute (repeat
 * operations are followed here and never returned), or -1 at the end of
 * the program or after max_steps operations, repeats included. A repeat
 * with n = index and t = value jumps back n operations until it has done so
 * t times, then counts afresh and falls through, so repeats nest. */
struct prog_run {
    const struct program *p; /* the program */
    uint32_t pc;             /* index of the next operation to visit */
    uint64_t steps;          /* operations visited so far, repeats included */
    uint64_t max_steps;      /* visits allowed (PROG_MAX_STEPS at most) */
    uint64_t *done;          /* per operation: jumps its repeat has made since
                                it last fell through (NULL: no repeat) */
};
/* 0, or -1 when the counters cannot be allocated. */
int prog_run_init(struct prog_run *r, const struct program *p,
                  uint64_t max_steps);
int64_t prog_run_next(struct prog_run *r);
void prog_run_fini(struct prog_run *r);
/* After operations were removed from p (a minimizer): a repeat of more
 * operations than precede it repeats those that do, as a run does and as
 * both forms write it. */
void prog_normalize(struct program *p);
/* Operations a run of p executes (repeats unrolled, capped at max_steps),
 * repeat operations not counted; UINT64_MAX if out of memory. */
uint64_t prog_run_length(const struct program *p, uint64_t max_steps);

/* Binary form (binary.c). decode is total: every byte string gives a
 * program, except one whose version byte is newer than this build, which
 * returns PROG_DECODE_NEWER (reported, never misread); bytes of an older
 * version decode as that version defined them. encode writes the canonical
 * bytes, in the oldest version that can express the program;
 * decode(encode(p)) == p for every program decode made. */
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
const char *prog_choice_name(unsigned choice); /* "none", "pool-first"... */
/* Format a tag: 'Dvpb' when all four bytes are printable, else 0x...  */
void prog_tag_format(uint32_t tag, char out[16]);

#endif /* VPCERT_PROGRAM_H */
