/*
 * vpm_check.c: the model's invariant checker. Recomputes every counter the
 * model maintains incrementally from the live slots and compares. O(slots);
 * for tests and the model-alone fuzzer only.
 */
#include "vpm_internal.h"

struct vpm_sums {
    uint64_t charged[VPM_MAX_DEVICES];
    uint64_t buffers[VPM_MAX_DEVICES];
    uint64_t blocks[VPM_MAX_DEVICES];
    uint64_t pool[2];
};

static const char *sum_buffers(const struct vpm *m, struct vpm_sums *t) {
    uint32_t i;

    for (i = 0; i < m->buffers.len; i++) {
        const struct vpm_slot *s = &m->buffers.v[i];
        if (!s->live)
            continue;
        if (s->device >= m->cfg.ndevices || !m->dev[s->device].started)
            return "a live buffer belongs to a device not started";
        if (s->pool != VPM_PAGED)
            return "a live buffer is not charged to the paged pool";
        t->charged[s->device] += s->size;
        t->buffers[s->device]++;
        t->pool[VPM_PAGED] += s->size;
    }
    return NULL;
}

static const char *sum_blocks(const struct vpm *m, struct vpm_sums *t) {
    uint32_t i;

    for (i = 0; i < m->blocks.len; i++) {
        const struct vpm_slot *s = &m->blocks.v[i];
        if (!s->live)
            continue;
        if (s->device >= m->cfg.ndevices || !m->dev[s->device].started)
            return "a live pool block belongs to a device not started";
        if (s->pool != VPM_PAGED && s->pool != VPM_NONPAGED)
            return "a live pool block has no valid pool";
        t->blocks[s->device]++;
        t->pool[s->pool] += s->size;
    }
    return NULL;
}

static const char *compare_devices(const struct vpm *m,
                                   const struct vpm_sums *t) {
    unsigned i;

    for (i = 0; i < VPM_MAX_DEVICES; i++) {
        const struct vpm_device *d = &m->dev[i];
        if (i >= m->cfg.ndevices && d->started)
            return "a device beyond ndevices is started";
        if (d->charged != t->charged[i])
            return "device charge differs from the sum of its live buffers";
        if (d->live_buffers != t->buffers[i])
            return "device live_buffers differs from its live buffers";
        if (d->live_blocks != t->blocks[i])
            return "device live_blocks differs from its live pool blocks";
    }
    return NULL;
}

const char *vpm_check_invariants(const struct vpm *m) {
    struct vpm_sums t = {
        .charged = {0}, .buffers = {0}, .blocks = {0}, .pool = {0}};
    const char *why;

    if (m->cfg.ndevices == 0 || m->cfg.ndevices > VPM_MAX_DEVICES)
        return "ndevices is out of range";
    if ((why = vpm_slots_check(&m->buffers)) != NULL ||
        (why = vpm_slots_check(&m->blocks)) != NULL)
        return why;
    if ((why = sum_buffers(m, &t)) != NULL || (why = sum_blocks(m, &t)) != NULL)
        return why;
    if ((why = compare_devices(m, &t)) != NULL)
        return why;
    if (m->pool_used[VPM_PAGED] != t.pool[VPM_PAGED])
        return "paged pool_used differs from its live buffers and blocks";
    if (m->pool_used[VPM_NONPAGED] != t.pool[VPM_NONPAGED])
        return "nonpaged pool_used differs from its live blocks";
    return NULL;
}
