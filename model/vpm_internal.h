/*
 * vpm_internal.h: helpers shared by the model's translation units. Not part
 * of the model's API (model/vpm.h is).
 */
#ifndef VPCERT_VPM_INTERNAL_H
#define VPCERT_VPM_INTERNAL_H

#ifndef VPCERT_IN_MODEL
#error "vpm_internal.h is private to model/"
#endif

#include "vpcert/invariant.h"
#include "vpcert/pool_types.h"
#include "vpm.h"

#define VPM_NO_HANDLE UINT32_MAX /* "no handle" and end of a free list */
#define VPM_DISPATCH_LEVEL 2u

static inline uint64_t vpm_sat_add(uint64_t a, uint64_t b) {
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static inline uint64_t vpm_sat_sub(uint64_t a, uint64_t b) {
    return a > b ? a - b : 0;
}

/* The device `dev` if it is in range and started, else NULL. */
static inline const struct vpm_device *vpm_started(const struct vpm *m,
                                                   unsigned dev) {
    if (dev >= m->cfg.ndevices || dev >= VPM_MAX_DEVICES ||
        !m->dev[dev].started)
        return NULL;
    return &m->dev[dev];
}

/* Whether the ICS quota applies to the device at all. */
static inline int vpm_quota_applies(const struct vpm *m,
                                    const struct vpm_device *d) {
    return m->cfg.quota_enabled && d->quota != VPM_UNLIMITED;
}

/* Whether a request of `size` bytes is over the device's quota. */
static inline int vpm_over_quota(const struct vpm *m,
                                 const struct vpm_device *d, uint64_t size) {
    return vpm_quota_applies(m, d) && size > vpm_sat_sub(d->quota, d->charged);
}

/* The pool backing a VP_POOL_TYPE, or -1 if drivers may not pass it
 * (the pool-type table, vpcert/pool_types.h). */
static inline int vpm_pool_of_type(int type) {
    const struct vpcert_pool_type *t = vpcert_pool_type_of(type);
    return !t ? -1 : t->paged ? VPM_PAGED : VPM_NONPAGED;
}

/* Slot tables (vpm_slots.c). A handle is a slot index; freed slots go on a
 * LIFO free list and are handed out again first. */
void vpm_slots_init(struct vpm_slots *s);
void vpm_slots_fini(struct vpm_slots *s);
/* Take a free slot (growing the table by doubling if none), mark it live and
 * return its index in *h. VPM_E_NOMEM if the table cannot grow. */
int vpm_slots_take(struct vpm_slots *s, uint32_t *h);
/* The live slot `h`, or NULL if `h` is not a live handle. */
struct vpm_slot *vpm_slots_live(const struct vpm_slots *s, uint32_t h);
/* Return the live slot `h` to the free list. */
void vpm_slots_put(struct vpm_slots *s, uint32_t h);
/* Consistency of the table itself (free list, live count), or NULL. */
const char *vpm_slots_check(const struct vpm_slots *s);

#endif /* VPCERT_VPM_INTERNAL_H */
