/*
 * vpm: the vpcert reference model of the video port memory services.
 *
 * Pure C11, no I/O, no globals, deterministic. All state lives in a
 * `struct vpm` that the caller owns. The model never sees addresses: it
 * knows devices (by index), quotas, live buffers and pool blocks (by the
 * handles it hands out), and for every call it says which results SPEC.md
 * allows, and which clause a disallowed result breaks.
 *
 * Pool refusals are facts about the environment (the kernel stand-in), not
 * about the implementation: the caller tells the model whether any pool
 * request made during the call was refused (`pool_refused`), and the model
 * uses it in the relational clauses AB-RES-3 and AP-RES-1.
 *
 * Cost: every function is O(1) in the number of live buffers and blocks
 * (handles index slot arrays; freed slots are recycled).
 *
 * This model shares no code with shim/ (the implementation under test).
 */
#ifndef VPCERT_VPM_H
#define VPCERT_VPM_H

#include <stddef.h>
#include <stdint.h>

#define VPM_MAX_DEVICES 8u
#define VPM_UNLIMITED UINT64_MAX /* quota value meaning "no limit" */

/* Results of VideoPortAllocateBuffer, as the model names them. */
enum vpm_result {
    VPM_R_OK = 0,      /* NO_ERROR (0) */
    VPM_R_NOMEM = 1,   /* ERROR_NOT_ENOUGH_MEMORY (8) */
    VPM_R_QUOTA = 2,   /* ERROR_INSUFFICIENT_BUFFER (122) */
    VPM_R_INVALID = 3, /* ERROR_INVALID_PARAMETER (87), Size 0 only */
    VPM_R_OTHER = 4    /* any other VP_STATUS */
};
#define VPM_ALLOW(r) (1u << (r))

/* Results of VideoPortAllocatePool. */
enum vpm_pool_result { VPM_P_BLOCK = 0, VPM_P_NULL = 1 };

/* Pools, as the model tracks them (payload bytes only). */
enum vpm_pool { VPM_PAGED = 0, VPM_NONPAGED = 1 };

/* ICS choices the model depends on. */
enum vpm_zero_size {
    VPM_ZERO_ANY = 0,      /* undeclared: allocate or reject both accepted */
    VPM_ZERO_ALLOCATE = 1, /* Size 0 gives NO_ERROR and a distinct buffer */
    VPM_ZERO_REJECT = 2    /* Size 0 gives ERROR_INVALID_PARAMETER */
};

struct vpm_config {
    uint64_t capacity[2]; /* pool capacity in bytes, by enum vpm_pool */
    unsigned ndevices;    /* number of devices, 1..VPM_MAX_DEVICES */
    int quota_enabled;    /* ICS quota = per-device (1) or none (0) */
    int quota_first; /* ICS quota-order = quota-first (1) or pool-first (0) */
    enum vpm_zero_size zero_size; /* ICS zero-size */
};

/* One device as the model sees it. */
struct vpm_device {
    int started;           /* between DeviceStart and DeviceStop */
    uint64_t quota;        /* bytes; VPM_UNLIMITED = no limit */
    uint64_t charged;      /* bytes charged by live buffers */
    uint64_t released;     /* bytes refunded since start (diagnosis) */
    uint64_t failed_sizes; /* Sizes of pool-refused calls since start (QU-5
                              diagnosis) */
    uint64_t live_buffers; /* live buffers on this device */
    uint64_t live_blocks;  /* live pool blocks on this device */
    uint32_t starts;       /* DeviceStart calls so far (QU-9 diagnosis) */
    uint8_t ruled_out;     /* diagnosis hypotheses a grant since start disproved
                              (VPM_H_*) */
    uint64_t peak; /* most bytes charged at once since start (QU-1 diagnosis) */
};

/* Diagnosis hypotheses about a quota bug, ruled out by history: a grant
 * that the hypothesis would have refused disproves it. */
#define VPM_H_FAILED 2u /* pool-refused calls charged (QU-5) */
#define VPM_H_REFUND 4u /* refunds lost (QU-4) */
#define VPM_H_SHARED 8u /* one charge shared by all devices (QU-1) */

/* Slot of a live buffer or block; handles index these. */
struct vpm_slot {
    uint64_t size;      /* bytes requested */
    uint32_t next_free; /* free-list link when unused */
    uint8_t device;     /* owning device index */
    uint8_t live;       /* 1 while allocated */
    uint8_t pool;       /* enum vpm_pool (blocks only) */
    uint8_t pad;        /* unused */
};

struct vpm_slots {
    struct vpm_slot *v; /* slot array (malloc'd) */
    uint32_t len;       /* slots in use or on the free list */
    uint32_t cap;       /* allocated slots */
    uint32_t free_head; /* first free slot, UINT32_MAX if none */
    uint32_t live;      /* live slots */
};

struct vpm {
    struct vpm_config cfg;                  /* configuration, copied */
    struct vpm_device dev[VPM_MAX_DEVICES]; /* devices by index */
    uint64_t pool_used[2];                  /* payload bytes live per pool */
    int exact_fit_granted;    /* an exact fit was ever granted (rules out QU-2
                                 off-by-one) */
    struct vpm_slots buffers; /* live AllocateBuffer buffers */
    struct vpm_slots blocks;  /* live AllocatePool blocks */
};

/* The model's answer for one call. */
struct vpm_verdict {
    uint32_t allowed; /* bitmask of VPM_ALLOW(enum vpm_result) or of enum
                         vpm_pool_result */
    int ok;           /* 1 if the observed result is allowed */
    const char
        *clause;     /* when !ok: the SPEC.md clause ID broken, e.g. "QU-2" */
    const char *why; /* when !ok: one short static sentence for the report */
};

/* Return codes of the mutating functions. */
#define VPM_E_OK 0
#define VPM_E_CALLER (-1) /* the call breaks a caller obligation (CO-*) */
#define VPM_E_NOMEM (-2)  /* the model could not grow its own tables */

int vpm_init(struct vpm *m, const struct vpm_config *cfg);
void vpm_fini(struct vpm *m);

/* Device lifecycle. Start: CO-5 forbids starting a started device.
 * Stop: CO-5 forbids stopping a device with live buffers or blocks. */
int vpm_device_start(struct vpm *m, unsigned dev, uint64_t quota);
int vpm_device_stop(struct vpm *m, unsigned dev);

/* Map a VP_STATUS to enum vpm_result. */
enum vpm_result vpm_result_of_status(int32_t status);

/* VideoPortAllocateBuffer(dev, size): judge the observed result, given
 * whether a pool request made during the call was refused. Pure. */
struct vpm_verdict vpm_buffer_judge(const struct vpm *m, unsigned dev,
                                    uint32_t size, int pool_refused,
                                    enum vpm_result observed);
/* The results vpm_buffer_judge would allow had the device's charge been
 * `charged` (its quota and everything else as they are): the sequential
 * specification of one call from any state, which is what a check of
 * concurrent calls against the model needs (SPEC.md CONC-1). A bitmask of
 * VPM_ALLOW(enum vpm_result); 0 for a device not started. Pure, O(1). */
uint32_t vpm_buffer_allowed(const struct vpm *m, unsigned dev, uint64_t charged,
                            uint32_t size, int pool_refused);
/* Record the observed result (after judging). On VPM_R_OK charges the
 * quota and returns a handle in *handle. */
int vpm_buffer_commit(struct vpm *m, unsigned dev, uint32_t size,
                      enum vpm_result observed, uint32_t *handle);
/* VideoPortReleaseBuffer: refund and forget. CO-1 if handle not live. */
int vpm_buffer_release(struct vpm *m, uint32_t handle);

/* VideoPortAllocatePool(dev, type, size) at irql: judge and commit. A pool
 * type outside {0,1,4,5} or a paged type at irql >= 2 is a caller error:
 * judge returns ok=0 with clause "CO-3"/"CO-4". */
struct vpm_verdict vpm_pool_judge(const struct vpm *m, unsigned dev, int type,
                                  uint64_t size, unsigned irql,
                                  int pool_refused,
                                  enum vpm_pool_result observed);
int vpm_pool_commit(struct vpm *m, unsigned dev, int type, uint64_t size,
                    enum vpm_pool_result observed, uint32_t *handle);
int vpm_pool_free(struct vpm *m, uint32_t handle, unsigned irql);

/* Queries (O(1)). */
uint64_t vpm_quota_remaining(const struct vpm *m,
                             unsigned dev); /* VPM_UNLIMITED if none */
uint64_t vpm_charged(const struct vpm *m,
                     unsigned dev); /* bytes charged; 0 if not started */
uint64_t vpm_pool_remaining(const struct vpm *m,
                            enum vpm_pool pool); /* payload view */
uint64_t vpm_buffer_size(const struct vpm *m, uint32_t handle);
unsigned vpm_buffer_device(const struct vpm *m, uint32_t handle);
/* Check the model's internal invariants (sums, counts). O(live) — for the
 * model-alone fuzzer and tests only. Returns NULL or a description. */
const char *vpm_check_invariants(const struct vpm *m);

#endif /* VPCERT_VPM_H */
