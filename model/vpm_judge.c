/*
 * vpm_judge.c: which results SPEC.md allows for one AllocateBuffer or
 * AllocatePool call, and which clause a disallowed result breaks. Pure
 * functions of the model state and the call.
 */
#include "vpm_internal.h"

/* VPM_FAULT: a deliberately wrong model, for vpcert's own tests only
 * (tests/CMakeLists.txt, faults.model_fault_*): with it the differential
 * test must let a planted mutant through, which proves that the model's
 * judgement, not an expect line, is what catches that mutant.
 *   1  allows ERROR_INSUFFICIENT_BUFFER when the request fits the quota
 *   2  allows NO_ERROR over the quota
 *   3  always allows NULL from AllocatePool
 * 0 (the default) is the model of SPEC.md. */
#ifndef VPM_FAULT
#define VPM_FAULT 0
#endif

static struct vpm_verdict broken(struct vpm_verdict v, const char *clause,
                                 const char *why) {
    v.ok = 0;
    v.clause = clause;
    v.why = why;
    return v;
}

/* ---- AllocateBuffer ---- */

/* ZERO-1, ZERO-3: Size 0 is never over quota; the ICS zero-size choice
 * decides between NO_ERROR and ERROR_INVALID_PARAMETER. */
static uint32_t zero_allowed(const struct vpm *m, int pool_refused) {
    uint32_t a = 0;

    if (m->cfg.zero_size != VPM_ZERO_REJECT)
        a |= VPM_ALLOW(VPM_R_OK);
    if (m->cfg.zero_size != VPM_ZERO_ALLOCATE)
        a |= VPM_ALLOW(VPM_R_INVALID);
    if (pool_refused)
        a |= VPM_ALLOW(VPM_R_NOMEM);
    return a;
}

/* QU-3, QU-7, AB-RES-3: Size > 0. */
static uint32_t sized_allowed(const struct vpm *m, int over, int pool_refused) {
#if VPM_FAULT == 1
    if (!over)
        return VPM_ALLOW(VPM_R_OK) | VPM_ALLOW(VPM_R_QUOTA) |
               (pool_refused ? VPM_ALLOW(VPM_R_NOMEM) : 0u);
#elif VPM_FAULT == 2
    if (over)
        return VPM_ALLOW(VPM_R_OK) | VPM_ALLOW(VPM_R_QUOTA) |
               (pool_refused ? VPM_ALLOW(VPM_R_NOMEM) : 0u);
#endif
    if (over && (m->cfg.quota_first || !pool_refused))
        return VPM_ALLOW(VPM_R_QUOTA);
    if (over)
        return VPM_ALLOW(VPM_R_NOMEM);
    if (pool_refused)
        return VPM_ALLOW(VPM_R_OK) | VPM_ALLOW(VPM_R_NOMEM);
    return VPM_ALLOW(VPM_R_OK);
}

/* QU-6 diagnosis of a refusal: would the request be over quota had the
 * quota, or the quota remaining, been kept in 32 bits? (Only possible when
 * the quota is 2^32 or more.) */
static int refused_by_32bit_wrap(const struct vpm_device *d, uint32_t size) {
    uint32_t q32 = (uint32_t)d->quota;
    /* q32 - charged in a 32-bit register: exact in 64 bits, then cut. */
    uint32_t room32 =
        (uint32_t)((uint64_t)q32 + 0x100000000ull - (uint32_t)d->charged);

    return size > vpm_sat_sub(q32, d->charged) || size > room32;
}

/* QU-6 diagnosis of a grant: would the request fit had Charged + Size been
 * computed in 32 bits? */
static int granted_by_32bit_wrap(const struct vpm_device *d, uint32_t size) {
    uint32_t sum32 = (uint32_t)((uint64_t)(uint32_t)d->charged + size);

    return sum32 <= d->quota;
}

/* ERROR_INSUFFICIENT_BUFFER for a request the quota covers: AB-RES-4 when
 * no quota applies, else the most likely quota bug. */
/* QU-1 diagnosis: would the observation follow if the devices shared one
 * charge (the sum over started devices), or if this device were held to
 * another started device's limit? refused: the observation was a refusal.
 * O(devices), at most VPM_MAX_DEVICES. */
static int shared_quota_explains(const struct vpm *m,
                                 const struct vpm_device *d, uint32_t size,
                                 int refused) {
    uint64_t total = 0;
    int others = 0;
    for (unsigned i = 0; i < m->cfg.ndevices; i++)
        if (m->dev[i].started) {
            total = vpm_sat_add(total, m->dev[i].charged);
            others += &m->dev[i] != d;
        }
    if (!others)
        return 0;
    if (refused && !(d->ruled_out & VPM_H_SHARED) &&
        size > vpm_sat_sub(d->quota, total))
        return 1;
    for (unsigned i = 0; i < m->cfg.ndevices; i++) {
        const struct vpm_device *o = &m->dev[i];
        /* o's limit cannot be the one in force for d if d has held more */
        if (o == d || !o->started || o->quota == d->quota ||
            (refused && d->peak > o->quota))
            continue;
        int fits = o->quota == VPM_UNLIMITED ||
                   size <= vpm_sat_sub(o->quota, d->charged);
        if (fits != refused)
            return 1;
    }
    return 0;
}

static struct vpm_verdict blame_refusal(const struct vpm *m,
                                        const struct vpm_device *d,
                                        uint32_t size, struct vpm_verdict v) {
    if (!vpm_quota_applies(m, d))
        return broken(v, "AB-RES-4",
                      "ERROR_INSUFFICIENT_BUFFER, yet no quota applies");
    /* Hypotheses, most specific first, each tried only if history has not
     * disproved it: a restart kept the charge (QU-9); another device's
     * charge or limit applies (QU-1); an exact fit refused is an off-by-one
     * at the boundary (QU-2); pool-refused calls were charged (QU-5);
     * refunds were lost (QU-4); 32-bit arithmetic (QU-6). */
    uint64_t room = d->quota - d->charged;
    if (d->starts > 1 && d->released == 0 && d->failed_sizes == 0 &&
        d->charged == 0)
        return broken(
            v, "QU-9",
            "quota refusal after a restart: the charge was not reset");
    if (shared_quota_explains(m, d, size, 1))
        return broken(
            v, "QU-1",
            "quota refusal explained only by another device's charge or limit");
    if (size == room && !m->exact_fit_granted)
        return broken(v, "QU-2",
                      !(d->ruled_out & VPM_H_FAILED) && d->failed_sizes
                          ? "the exact fit refused: the quota test is off by "
                            "one, or a pool-refused call kept its charge "
                            "(QU-5)"
                          : "the exact fit refused: the quota test is off by "
                            "one");
    if (!(d->ruled_out & VPM_H_FAILED) &&
        size > vpm_sat_sub(room, d->failed_sizes))
        return broken(v, "QU-5",
                      "quota refusal explained only by charging failed calls");
    if (!(d->ruled_out & VPM_H_REFUND) && size > vpm_sat_sub(room, d->released))
        return broken(v, "QU-4",
                      "quota refusal explained only by a lost refund");
    if (refused_by_32bit_wrap(d, size))
        return broken(
            v, "QU-6",
            "quota refusal explained only by 32-bit quota arithmetic");
    return broken(v, "QU-2",
                  "quota remaining covers Size, yet ERROR_INSUFFICIENT_BUFFER");
}

/* NO_ERROR or ERROR_NOT_ENOUGH_MEMORY for a request over quota. */
static struct vpm_verdict blame_overrun(const struct vpm *m,
                                        const struct vpm_device *d,
                                        uint32_t size, enum vpm_result observed,
                                        struct vpm_verdict v) {
    /* A 32-bit wrap lets the request through the quota test: granted, or
     * refused by the pool it then reached. Either way the cause is QU-6. */
    if (granted_by_32bit_wrap(d, size))
        return broken(
            v, "QU-6",
            observed == VPM_R_NOMEM
                ? "over quota, yet sent to the pool as Charged + Size wraps 32 "
                  "bits"
                : "over quota, yet granted as Charged + Size wraps 32 bits");
    if (observed == VPM_R_NOMEM)
        return broken(v, "QU-7",
                      "quota and pool both refuse, and the ICS declares "
                      "quota-first, yet ERROR_NOT_ENOUGH_MEMORY");
    if (size <= vpm_sat_sub(d->quota, vpm_sat_sub(d->charged, d->released)))
        return broken(v, "QU-4",
                      "over quota, granted only if refunds counted twice");
    if (shared_quota_explains(m, d, size, 0))
        return broken(v, "QU-1",
                      "over quota, granted only under another device's limit");
    return broken(v, "QU-3", "Size exceeds the quota remaining, yet NO_ERROR");
}

static struct vpm_verdict blame_buffer(const struct vpm *m,
                                       const struct vpm_device *d,
                                       uint32_t size, int pool_refused,
                                       enum vpm_result observed, int over,
                                       struct vpm_verdict v) {
    if ((unsigned)observed >= VPM_R_OTHER ||
        (observed == VPM_R_INVALID && size > 0))
        return broken(v, "AB-RES-1",
                      "AllocateBuffer returned a status it may not return");
    if (size == 0 && (observed == VPM_R_OK || observed == VPM_R_INVALID))
        return broken(v, "ZERO-3",
                      "Size 0 result differs from the ICS "
                      "zero-size declaration");
    if (observed == VPM_R_NOMEM && !pool_refused)
        return broken(v, "AB-RES-3",
                      "ERROR_NOT_ENOUGH_MEMORY, yet no pool "
                      "request was refused");
    if (observed == VPM_R_QUOTA && !over)
        return blame_refusal(m, d, size, v);
    if (observed == VPM_R_QUOTA)
        return broken(v, "QU-7",
                      "quota and pool both refuse, and the ICS declares "
                      "pool-first, yet ERROR_INSUFFICIENT_BUFFER");
    return blame_overrun(m, d, size, observed, v);
}

/* The results allowed from device state d. */
static uint32_t buffer_allowed(const struct vpm *m, const struct vpm_device *d,
                               uint32_t size, int pool_refused) {
    int over = size > 0 && vpm_over_quota(m, d, size);
    return size == 0 ? zero_allowed(m, pool_refused)
                     : sized_allowed(m, over, pool_refused);
}

uint32_t vpm_buffer_allowed(const struct vpm *m, unsigned dev, uint64_t charged,
                            uint32_t size, int pool_refused) {
    const struct vpm_device *d = vpm_started(m, dev);
    struct vpm_device at;

    if (!d)
        return 0;
    at = *d;
    at.charged = charged;
    return buffer_allowed(m, &at, size, pool_refused);
}

struct vpm_verdict vpm_buffer_judge(const struct vpm *m, unsigned dev,
                                    uint32_t size, int pool_refused,
                                    enum vpm_result observed) {
    struct vpm_verdict v = {.allowed = 0, .ok = 0, .clause = 0, .why = 0};
    const struct vpm_device *d = vpm_started(m, dev);
    int over;

    if (!d)
        return broken(v, "CO-5", "AllocateBuffer on a device not started");
    over = size > 0 && vpm_over_quota(m, d, size);
    v.allowed = buffer_allowed(m, d, size, pool_refused);
    if ((unsigned)observed <= VPM_R_OTHER &&
        (v.allowed & VPM_ALLOW((unsigned)observed))) {
        v.ok = 1;
        return v;
    }
    return blame_buffer(m, d, size, pool_refused, observed, over, v);
}

/* ---- AllocatePool ---- */

struct vpm_verdict vpm_pool_judge(const struct vpm *m, unsigned dev, int type,
                                  uint64_t size, unsigned irql,
                                  int pool_refused,
                                  enum vpm_pool_result observed) {
    struct vpm_verdict v = {.allowed = 0, .ok = 0, .clause = 0, .why = 0};
    int pool = vpm_pool_of_type(type);

    if (!vpm_started(m, dev))
        return broken(v, "CO-5", "AllocatePool on a device not started");
    if (pool < 0)
        return broken(v, "CO-4", "pool type is not 0, 1, 4 or 5");
    if (pool == VPM_PAGED && irql >= VPM_DISPATCH_LEVEL)
        return broken(v, "CO-3", "paged pool type at DISPATCH_LEVEL or above");
    v.allowed = VPM_ALLOW(VPM_P_BLOCK);
    if (pool_refused || size == 0 || VPM_FAULT == 3) /* AP-RES-1, ZERO-2 */
        v.allowed |= VPM_ALLOW(VPM_P_NULL);
    if ((unsigned)observed <= VPM_P_NULL &&
        (v.allowed & VPM_ALLOW((unsigned)observed))) {
        v.ok = 1;
        return v;
    }
    if (observed == VPM_P_NULL && irql >= VPM_DISPATCH_LEVEL)
        return broken(v, "IRQL-2",
                      "nonpaged AllocatePool at DISPATCH_LEVEL "
                      "returned NULL, yet no pool request was "
                      "refused");
    return broken(v, "AP-RES-1",
                  "AllocatePool returned NULL, yet no pool request was "
                  "refused");
}
