/*
 * vpm.c: the reference model's state: devices, buffers, pool blocks and
 * their accounting. Judging lives in vpm_judge.c, the invariant checker in
 * vpm_check.c, the slot tables in vpm_slots.c.
 *
 * Every mutating function either succeeds completely or returns an error
 * and leaves the model unchanged.
 */
#include <string.h>

#include "vpm_internal.h"

int vpm_init(struct vpm *m, const struct vpm_config *cfg) {
    if (!m || !cfg || cfg->ndevices == 0 || cfg->ndevices > VPM_MAX_DEVICES)
        return VPM_E_CALLER;
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    vpm_slots_init(&m->buffers);
    vpm_slots_init(&m->blocks);
    return VPM_E_OK;
}

void vpm_fini(struct vpm *m) {
    if (!m)
        return;
    vpm_slots_fini(&m->buffers);
    vpm_slots_fini(&m->blocks);
    memset(m, 0, sizeof *m);
}

/* CO-5: start only a stopped device in range. QU-9: a start sets the charge
 * (and the diagnosis counters) to zero. */
int vpm_device_start(struct vpm *m, unsigned dev, uint64_t quota) {
    struct vpm_device *d;

    if (dev >= m->cfg.ndevices || m->dev[dev].started)
        return VPM_E_CALLER;
    d = &m->dev[dev];
    /* a stopped device holds nothing (stop requires it); its charge is
     * zeroed below whatever it holds (QU-9) */
    VPCERT_INVARIANT(!d->live_buffers && !d->live_blocks);
    d->started = 1;
    d->starts++;
    d->ruled_out = 0;
    d->peak = 0;
    d->quota = quota;
    d->charged = 0;
    d->released = 0;
    d->failed_sizes = 0;
    return VPM_E_OK;
}

/* CO-5: stop only a started device with nothing live. */
int vpm_device_stop(struct vpm *m, unsigned dev) {
    struct vpm_device *d;

    if (!vpm_started(m, dev))
        return VPM_E_CALLER;
    d = &m->dev[dev];
    if (d->live_buffers || d->live_blocks)
        return VPM_E_CALLER;
    VPCERT_INVARIANT(d->charged == 0); /* the charge is its live buffers' */
    d->started = 0;
    return VPM_E_OK;
}

enum vpm_result vpm_result_of_status(int32_t status) {
    switch (status) {
    case 0:
        return VPM_R_OK;
    case 8:
        return VPM_R_NOMEM;
    case 122:
        return VPM_R_QUOTA;
    case 87:
        return VPM_R_INVALID;
    default:
        return VPM_R_OTHER;
    }
}

/* Record one AllocateBuffer. NO_ERROR charges the quota and the paged pool
 * and creates a buffer (Size 0 included); any other result charges nothing
 * and only counts Size among the failed calls (for the QU-5 diagnosis). A
 * pool total beyond 2^64 bytes cannot be observed: VPM_E_CALLER. */
/* A grant of size disproves every hypothesis under which it would have
 * been refused (diagnosis only; never changes a verdict's ok). */
static void vpm_rule_out(struct vpm *m, struct vpm_device *d, uint32_t size) {
    if (!vpm_quota_applies(m, d) || size == 0)
        return;
    uint64_t room = d->quota - d->charged;
    if (size == room)
        m->exact_fit_granted = 1; /* the code, not the device: global */
    if (size > vpm_sat_sub(room, d->failed_sizes))
        d->ruled_out |= VPM_H_FAILED;
    if (size > vpm_sat_sub(room, d->released))
        d->ruled_out |= VPM_H_REFUND;
    uint64_t total = 0;
    for (unsigned i = 0; i < m->cfg.ndevices; i++)
        if (m->dev[i].started)
            total = vpm_sat_add(total, m->dev[i].charged);
    if (size > vpm_sat_sub(d->quota, total))
        d->ruled_out |= VPM_H_SHARED;
    if (d->charged + size > d->peak)
        d->peak = d->charged + size;
}

int vpm_buffer_commit(struct vpm *m, unsigned dev, uint32_t size,
                      enum vpm_result observed, uint32_t *handle) {
    struct vpm_device *d;
    struct vpm_slot *s;
    uint32_t h;
    int rc;

    if (handle)
        *handle = VPM_NO_HANDLE;
    if (!vpm_started(m, dev))
        return VPM_E_CALLER;
    d = &m->dev[dev];
    if (observed != VPM_R_OK) {
        /* QU-5 diagnosis: a charge-on-failure bug charges calls that got
         * past the quota and failed in the pool, not quota refusals. */
        if (observed == VPM_R_NOMEM) {
            d->failed_sizes = vpm_sat_add(d->failed_sizes, size);
            d->ruled_out &= (uint8_t)~VPM_H_FAILED; /* a new, unproven case */
        }
        return VPM_E_OK;
    }
    if (!handle || size > UINT64_MAX - m->pool_used[VPM_PAGED])
        return VPM_E_CALLER;
    /* so that charged + size cannot wrap either: the charge is part of the
     * paged pool's use */
    VPCERT_INVARIANT(d->charged <= m->pool_used[VPM_PAGED]);
    rc = vpm_slots_take(&m->buffers, &h);
    if (rc != VPM_E_OK)
        return rc;
    s = &m->buffers.v[h];
    s->size = size;
    s->device = (uint8_t)dev;
    s->pool = VPM_PAGED;
    vpm_rule_out(m, d, size);
    d->charged += size;
    d->live_buffers++;
    m->pool_used[VPM_PAGED] += size;
    *handle = h;
    return VPM_E_OK;
}

/* ReleaseBuffer: refund exactly Size, exactly once (QU-4). CO-1 if the
 * handle is not a live buffer. */
int vpm_buffer_release(struct vpm *m, uint32_t handle) {
    struct vpm_slot *s = vpm_slots_live(&m->buffers, handle);
    struct vpm_device *d;

    if (!s)
        return VPM_E_CALLER;
    d = &m->dev[s->device];
    /* a live buffer is part of its device's charge and of the paged pool */
    VPCERT_INVARIANT(d->charged >= s->size && d->live_buffers > 0 &&
                     m->pool_used[VPM_PAGED] >= s->size);
    d->charged -= s->size;
    d->released = vpm_sat_add(d->released, s->size);
    d->ruled_out &= (uint8_t)~VPM_H_REFUND; /* a new, unproven refund */
    d->live_buffers--;
    m->pool_used[VPM_PAGED] -= s->size;
    vpm_slots_put(&m->buffers, handle);
    return VPM_E_OK;
}

/* Record one AllocatePool: a block charges the pool of its type; NULL
 * changes nothing. CO-5/CO-4 caller errors leave the model unchanged. */
int vpm_pool_commit(struct vpm *m, unsigned dev, int type, uint64_t size,
                    enum vpm_pool_result observed, uint32_t *handle) {
    int pool = vpm_pool_of_type(type);
    struct vpm_slot *s;
    uint32_t h;
    int rc;

    if (handle)
        *handle = VPM_NO_HANDLE;
    if (!vpm_started(m, dev) || pool < 0)
        return VPM_E_CALLER;
    if (observed != VPM_P_BLOCK)
        return VPM_E_OK;
    if (!handle || size > UINT64_MAX - m->pool_used[pool])
        return VPM_E_CALLER;
    rc = vpm_slots_take(&m->blocks, &h);
    if (rc != VPM_E_OK)
        return rc;
    s = &m->blocks.v[h];
    s->size = size;
    s->device = (uint8_t)dev;
    s->pool = (uint8_t)pool;
    m->dev[dev].live_blocks++;
    m->pool_used[pool] += size;
    *handle = h;
    return VPM_E_OK;
}

/* FreePool: CO-1 if the handle is not a live block, CO-3 if the block is
 * paged and irql >= DISPATCH_LEVEL (the block then stays live). */
int vpm_pool_free(struct vpm *m, uint32_t handle, unsigned irql) {
    struct vpm_slot *s = vpm_slots_live(&m->blocks, handle);

    if (!s)
        return VPM_E_CALLER;
    if (s->pool == VPM_PAGED && irql >= VPM_DISPATCH_LEVEL)
        return VPM_E_CALLER;
    /* a live block is part of its pool's use and its device's count */
    VPCERT_INVARIANT(m->pool_used[s->pool] >= s->size &&
                     m->dev[s->device].live_blocks > 0);
    m->pool_used[s->pool] -= s->size;
    m->dev[s->device].live_blocks--;
    vpm_slots_put(&m->blocks, handle);
    return VPM_E_OK;
}

/* VPM_UNLIMITED when no quota applies; 0 for a device that is not started
 * (nothing may be allocated on it); else the bytes left. */
uint64_t vpm_quota_remaining(const struct vpm *m, unsigned dev) {
    const struct vpm_device *d = vpm_started(m, dev);

    if (!d)
        return 0;
    if (!vpm_quota_applies(m, d))
        return VPM_UNLIMITED;
    return vpm_sat_sub(d->quota, d->charged);
}

uint64_t vpm_charged(const struct vpm *m, unsigned dev) {
    const struct vpm_device *d = vpm_started(m, dev);

    return d ? d->charged : 0;
}

uint64_t vpm_pool_remaining(const struct vpm *m, enum vpm_pool pool) {
    if (pool != VPM_PAGED && pool != VPM_NONPAGED)
        return 0;
    return vpm_sat_sub(m->cfg.capacity[pool], m->pool_used[pool]);
}

uint64_t vpm_buffer_size(const struct vpm *m, uint32_t handle) {
    const struct vpm_slot *s = vpm_slots_live(&m->buffers, handle);

    return s ? s->size : 0;
}

unsigned vpm_buffer_device(const struct vpm *m, uint32_t handle) {
    const struct vpm_slot *s = vpm_slots_live(&m->buffers, handle);

    return s ? s->device : 0;
}
