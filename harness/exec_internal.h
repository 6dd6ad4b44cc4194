/*
 * exec_internal: the executor's state, shared by exec.c (the operations),
 * exec_mem.c (live allocations and memory checks) and exec_report.c
 * (findings). Grouped by the file that owns each declaration.
 */
#ifndef VPCERT_EXEC_INTERNAL_H
#define VPCERT_EXEC_INTERNAL_H

#include "exec.h"
#include "kshim.h"
#include "rangemap.h"
#include "vpm.h"

/* A buffer or pool block handed to the caller and not yet given back. */
struct vpx_live {
    struct rmap_node node; /* [ptr, ptr + max(size,1)) in the handed-out map */
    void *ptr;             /* what the implementation returned */
    uint64_t size;         /* bytes requested */
    uint64_t block_id;     /* kernel shim block backing it at allocation */
    uintptr_t block_start; /* that block's first byte */
    uintptr_t block_end;   /* one past that block's last byte */
    uint32_t model;        /* model handle */
    uint32_t pos;          /* index in its vpx_liveset */
    uint32_t seed;         /* content pattern seed */
    uint8_t dev;           /* owning device */
    uint8_t pool_type;     /* VP_POOL_TYPE for blocks */
};

struct vpx_liveset {
    struct vpx_live **v; /* dense array, swap-remove */
    uint32_t n;          /* live entries */
    uint32_t cap;        /* capacity */
};

struct vpx {
    const struct vp_program *p;         /* the program */
    const struct vp_impl *impl;         /* implementation under test */
    const struct vpx_options *o;        /* options */
    struct vpx_result *r;               /* findings and counters */
    struct vpm model;                   /* reference model */
    struct kshim *k;                    /* kernel shim */
    struct rmap handed;                 /* ranges handed to the caller */
    struct vpx_liveset bufs;            /* live AllocateBuffer buffers */
    struct vpx_liveset blocks;          /* live AllocatePool blocks */
    unsigned char *ext[VP_MAX_DEVICES]; /* HwDeviceExtension per device */
    int started[VP_MAX_DEVICES];        /* device started */
    uint32_t op;                        /* current operation index */
    uint32_t next_seed;                 /* pattern seed generator */
    int oom;                            /* vpcert itself ran out of memory */
    int raising_expect; /* the finding being raised comes from an expect */
};

/* exec_report.c */
void vpx_find(struct vpx *x, const char *clause, const char *expected,
              const char *observed, const char *detail);
int vpx_stopped(const struct vpx *x);
/* Scan the kernel shim's events since the last clear: report violations,
 * count notes; returns 1 if a request was refused. */
int vpx_scan_events(struct vpx *x);
/* Report blocks allocated during this call that are still live. */
void vpx_check_call_leaks(struct vpx *x, const char *clause);

/* exec_mem.c */
int vpx_live_add(struct vpx_liveset *s, struct vpx_live *l);
void vpx_live_del(struct vpx_liveset *s, struct vpx_live *l);
void vpx_live_free_all(struct vpx_liveset *s);
/* Containment of [ptr, ptr+size) in one live kernel block (BUF-2 /
 * AP-RES-2); fills *b. Returns 1 if contained. */
int vpx_contained(struct vpx *x, void *ptr, uint64_t size,
                  struct kshim_block_info *b);
/* Register a new allocation after its checks; NULL on OOM or clash
 * (a clash is reported as BUF-3). */
struct vpx_live *vpx_hand_out(struct vpx *x, void *ptr, uint64_t size,
                              const struct kshim_block_info *b);
/* Write the pattern / verify it (BUF-4). verify returns 1 if intact. */
void vpx_pattern_write(struct vpx *x, struct vpx_live *l);
int vpx_pattern_verify(struct vpx *x, struct vpx_live *l);
/* After a release/free: the backing block must be gone unless another
 * live allocation still lies in it (RB-1 / AP-FREE-1). */
void vpx_check_given_back(struct vpx *x, const struct vpx_live *l,
                          const char *clause);

#endif /* VPCERT_EXEC_INTERNAL_H */
