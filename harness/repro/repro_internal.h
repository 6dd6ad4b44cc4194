/*
 * repro_internal: the C reproducers' runtime state, shared by repro.c
 * (set-up, calls, what ends a call) and repro_query.c (the queries).
 */
#ifndef VPCERT_REPRO_INTERNAL_H
#define VPCERT_REPRO_INTERNAL_H

#ifndef VPCERT_IN_REPRO
#error "repro_internal.h is private to harness/repro/"
#endif

#include <signal.h>
#include <stddef.h>

#include "kernel.h"
#include "repro.h"

#define REPRO_MAX_DEVICES 8u

/* An allocation handed out and not given back. */
struct repro_live {
    uintptr_t start;       /* its first byte */
    uint64_t size;         /* bytes asked for */
    uint32_t seed;         /* the contents written into it */
    uint64_t block_id;     /* the pool block backing it when handed out */
    uintptr_t block_start; /* that block's first byte */
    uintptr_t block_end;   /* one past its last byte (at least one byte) */
};

struct repro {
    struct repro_setup s;                  /* as the recorded run */
    char clause[16];                       /* the clause reproduced */
    struct kernel *k;                      /* the kernel stand-in */
    unsigned char *ext[REPRO_MAX_DEVICES]; /* device extensions */
    struct repro_live *live;               /* allocations handed out */
    size_t nlive;                          /* how many */
    size_t cap;                            /* room in live */
    volatile sig_atomic_t in_call;         /* a call is in progress */
    const char *charged;                   /* the clause it is charged to */
    KIRQL irql;                            /* the IRQL it was entered at */
    double call_start;                     /* when it began (monotonic s) */
    int timer;                             /* the watchdog timer runs */
};

/* [p, p + size) in one live block no lookaside list caches (as the
 * executor's containment check); fills *b. */
int repro_contained(struct repro *r, const void *p, uint64_t size,
                    struct kernel_block_info *b);
/* repro_contents.c: write the contents of seed into the size bytes at p
 * (all of them up to limit, else both ends), or check them (1: intact). */
void repro_contents_write(unsigned char *p, uint64_t size, uint32_t seed,
                          uint64_t limit);
int repro_contents_intact(const unsigned char *p, uint64_t size, uint32_t seed,
                          uint64_t limit);
/* The live allocation starting at p, or NULL. */
struct repro_live *repro_live_of(struct repro *r, const void *p);

#endif /* VPCERT_REPRO_INTERNAL_H */
