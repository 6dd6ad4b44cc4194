/*
 * exec_lin: overlapping calls judged against the model (SPEC.md CONC-1).
 * In a concurrent phase every AllocateBuffer and ReleaseBuffer joins its
 * device's group: the calls made since none was in progress on that device.
 * A call that ends alone in its group overlapped nothing and the executor
 * judges it by the model at once, as in a serialized run. Otherwise the
 * group is checked when its last call returns: is there an order of its
 * calls, consistent with real time (a call that returned before another
 * was entered comes first), in which the model allows every result?
 *
 * The search runs through the group's entries and returns in time order,
 * keeping the set of possible states: where each call still in progress is
 * (not in effect yet, in effect, or, for a call that fails for lack of
 * pool, holding its Size as a reservation it will give back). At most one
 * call per thread is in progress, so a state is 4 base-3 digits (slot =
 * thread), 81 states; the charge of a state is the charge before the group
 * plus the effect of every call that has returned and of the calls in
 * progress as the state has them, whatever their order. When a call
 * returns, every state is extended by letting calls in progress move on
 * where the model allows it (vpm_buffer_allowed from that state's charge),
 * and only the states in which the returning call is in effect are kept.
 * No state left: no order explains the results. Cost: O(calls x 81 x 4 x 2)
 * model questions per group, O(1) each.
 */
#include "clauses.h"
#include "exec_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS PROG_MAX_THREADS /* calls in progress at once, one per thread */
#define STATES 81u             /* 3^SLOTS: a phase (enum lin_phase) per slot */
_Static_assert(SLOTS == 4, "STATES is 3 to the power SLOTS");

uint32_t exec_lin_enter(struct executor *x, unsigned dev, uint32_t size,
                        int release) {
    if (!x->sched || !x->sched->active || dev >= PROG_MAX_DEVICES)
        return UINT32_MAX;
    if (!x->lin && !(x->lin = calloc(1, sizeof *x->lin))) {
        exec_fail(x, EXEC_ERR_HOST, "vpcert ran out of memory");
        return UINT32_MAX;
    }
    struct exec_lin_group *g = &x->lin->dev[dev];
    if (g->n == g->cap) {
        uint32_t cap = g->cap ? g->cap * 2 : 16;
        struct exec_lin_call *v = realloc(g->v, cap * sizeof *v);
        if (!v) {
            exec_fail(x, EXEC_ERR_HOST, "vpcert ran out of memory");
            return UINT32_MAX;
        }
        g->v = v;
        g->cap = cap;
    }
    if (g->n == 0)
        g->charge0 = vpm_charged(&x->model, dev);
    struct exec_lin_call *c = &g->v[g->n];
    memset(c, 0, sizeof *c);
    c->inv = ++x->lin->clock;
    c->op = x->op;
    c->size = size;
    c->release = (uint8_t)release;
    c->thread = (uint8_t)x->sched->cur;
    g->pending++;
    return g->n++;
}

int exec_lin_alone(const struct executor *x, unsigned dev, uint32_t i) {
    return x->lin && dev < PROG_MAX_DEVICES && x->lin->dev[dev].n == 1 &&
           i == 0;
}

/* Where a call in progress is in a state of the search: not in effect
 * yet, holding its Size (a call that will fail for lack of pool, while it
 * holds a reservation it gives back: SPEC.md CONC-1), or in effect. */
enum lin_phase { LIN_WAITING = 0, LIN_HOLDING = 1, LIN_DONE = 2 };

/* What a call adds to the charge in a phase (a release: its Size taken
 * off, as a wrapping unsigned sum that the other calls bring back above
 * zero). */
static uint64_t effect(const struct exec_lin_call *c, unsigned phase) {
    if (phase == LIN_WAITING)
        return 0;
    if (c->release)
        return phase == LIN_DONE ? (uint64_t)0 - c->size : 0;
    if (phase == LIN_HOLDING)
        return c->size;
    return c->result == VPM_R_OK ? c->size : 0;
}

/* The calls in progress, by slot (thread), for the search. */
struct lin_slots {
    const struct exec_lin_call *c[SLOTS]; /* call in progress, or NULL */
    uint64_t base; /* charge before the group plus the returned calls */
};

/* A state: the phase of each slot, a base-3 number (slot t its digit t). */
static unsigned phase_of(unsigned state, unsigned t) {
    for (; t; t--)
        state /= 3;
    return state % 3;
}

static uint64_t charge_of(const struct lin_slots *sl, unsigned state) {
    uint64_t ch = sl->base;
    for (unsigned t = 0; t < SLOTS; t++, state /= 3)
        if (sl->c[t])
            ch += effect(sl->c[t], state % 3);
    return ch;
}

/* May call c take effect (to = LIN_DONE) or start holding (LIN_HOLDING)
 * from this charge? A release always may, a hold only for a call that
 * failed for lack of pool and whose Size fitted then, and a hold ends at
 * any time (its result was decided while it fitted). */
static int allowed(const struct executor *x, unsigned dev,
                   const struct exec_lin_call *c, unsigned from, unsigned to,
                   uint64_t charge) {
    if (c->release || from == LIN_HOLDING)
        return 1;
    uint32_t ok =
        vpm_buffer_allowed(&x->model, dev, charge, c->size, c->refused);
    if (to == LIN_HOLDING)
        return c->result == VPM_R_NOMEM && c->size &&
               (ok & VPM_ALLOW(VPM_R_OK));
    return (ok & VPM_ALLOW(c->result)) != 0;
}

/* The states set (a bitmap of base-3 states) can reach by letting calls in
 * progress take effect or hold; a step raises a digit, so one pass in
 * increasing order reaches them all. */
static void lin_close(const struct executor *x, unsigned dev,
                      const struct lin_slots *sl, uint8_t *set) {
    for (unsigned m = 0; m < STATES; m++) {
        if (!set[m])
            continue;
        uint64_t ch = charge_of(sl, m);
        for (unsigned u = 0, unit = 1; u < SLOTS; u++, unit *= 3) {
            unsigned ph = phase_of(m, u);
            if (!sl->c[u] || ph == LIN_DONE)
                continue;
            for (unsigned to = ph + 1; to <= LIN_DONE; to++)
                if (allowed(x, dev, sl->c[u], ph, to, ch))
                    set[m + (to - ph) * unit] = 1;
        }
    }
}

/* Call in slot t returns: of the states reachable, those where it is in
 * effect, with its slot emptied. Returns how many are left. */
static unsigned lin_return(const struct executor *x, unsigned dev,
                           struct lin_slots *sl, uint8_t *set, unsigned t) {
    uint8_t kept[STATES];
    unsigned n = 0, unit = 1;
    for (unsigned u = 0; u < t; u++)
        unit *= 3;
    lin_close(x, dev, sl, set);
    memset(kept, 0, sizeof kept);
    for (unsigned m = 0; m < STATES; m++)
        if (set[m] && phase_of(m, t) == LIN_DONE && !kept[m - 2 * unit]) {
            kept[m - 2 * unit] = 1;
            n++;
        }
    memcpy(set, kept, sizeof kept);
    sl->base += effect(sl->c[t], LIN_DONE);
    sl->c[t] = NULL;
    return n;
}

static int by_time(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The index of the call at whose return no state is left, or -1 when
 * the group is linearizable. Entries and returns are walked in time
 * order: each as (time << 32 | call index << 1 | is_return). */
static int64_t lin_search(const struct executor *x, unsigned dev,
                          const struct exec_lin_group *g, uint64_t *ev) {
    struct lin_slots sl;
    uint8_t set[STATES] = {1}; /* nothing in progress has taken effect */
    memset(&sl, 0, sizeof sl);
    sl.base = g->charge0;
    for (uint32_t i = 0; i < g->n; i++) {
        ev[2 * i] = g->v[i].inv << 32 | (uint64_t)i << 1;
        ev[2 * i + 1] = g->v[i].resp << 32 | (uint64_t)i << 1 | 1;
    }
    qsort(ev, 2 * (size_t)g->n, sizeof *ev, by_time);
    for (uint32_t k = 0; k < 2 * g->n; k++) {
        uint32_t i = (uint32_t)(ev[k] & 0xFFFFFFFFu) >> 1;
        const struct exec_lin_call *c = &g->v[i];
        if (!(ev[k] & 1)) {
            sl.c[c->thread] = c;
            continue;
        }
        if (!lin_return(x, dev, &sl, set, c->thread))
            return i;
    }
    return -1;
}

/* The finding: the calls of the group around the one that could not be
 * explained, and why. */
static void lin_report(struct executor *x, unsigned dev,
                       const struct exec_lin_group *g, uint32_t bad) {
    char obs[96] = "", exp[96], det[160];
    const struct exec_lin_call *c = &g->v[bad];
    for (uint32_t i = 0; i < g->n && strlen(obs) + 24 < sizeof obs; i++) {
        const struct exec_lin_call *o = &g->v[i];
        if (o->inv > c->resp || o->resp < c->inv)
            continue; /* overlaps not the call in question */
        size_t at = strlen(obs);
        if (o->release)
            snprintf(obs + at, sizeof obs - at, "%st%u release %u",
                     at ? ", " : "", (unsigned)o->thread, (unsigned)o->size);
        else
            snprintf(obs + at, sizeof obs - at, "%st%u alloc %u=%s",
                     at ? ", " : "", (unsigned)o->thread, (unsigned)o->size,
                     o->result == VPM_R_OK      ? "OK"
                     : o->result == VPM_R_QUOTA ? "122"
                     : o->result == VPM_R_NOMEM ? "8"
                                                : "other");
    }
    snprintf(exp, sizeof exp,
             "an order of the %u overlapping calls the model "
             "allows (charge %llu before)",
             (unsigned)g->n, (unsigned long long)g->charge0);
    /* Never a release: a release may always take effect, so every state
     * left before its return keeps a successor (lin_return). */
    VPCERT_INVARIANT(!c->release);
    snprintf(det, sizeof det, "%s (device %u)",
             c->result == VPM_R_OK
                 ? "granted, yet every order of the overlapping calls puts it "
                   "over the quota: checked and charged apart?"
             : c->result == VPM_R_QUOTA
                 ? "refused for quota, yet the quota covers it in every order "
                   "of the overlapping calls: a charge or refund lost?"
                 : "no order of the overlapping calls explains this result",
             dev);
    uint32_t op = x->op;
    x->op = c->op;
    exec_find(x, "CONC-1", exp, obs, det);
    x->op = op;
}

void exec_lin_return(struct executor *x, unsigned dev, uint32_t i, int refused,
                     int result) {
    struct exec_lin_group *g = &x->lin->dev[dev];
    g->v[i].resp = ++x->lin->clock;
    g->v[i].refused = (uint8_t)(refused != 0);
    g->v[i].result = (uint8_t)result;
    if (--g->pending)
        return;
    if (g->n > 1) {
        uint64_t *ev = malloc(2 * (size_t)g->n * sizeof *ev);
        int64_t bad = ev ? lin_search(x, dev, g, ev) : -1;
        free(ev);
        if (!ev)
            exec_fail(x, EXEC_ERR_HOST, "vpcert ran out of memory");
        x->r->overlaps++;
        if (bad >= 0)
            lin_report(x, dev, g, (uint32_t)bad);
    }
    g->n = 0;
}

void exec_lin_free(struct executor *x) {
    if (!x->lin)
        return;
    for (unsigned d = 0; d < PROG_MAX_DEVICES; d++)
        free(x->lin->dev[d].v);
    free(x->lin);
    x->lin = NULL;
}
