/* exec_report: findings, vpcert's own errors, kernel events, signatures. */
#include "clauses.h"
#include "exec_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void exec_trace(struct executor *x, struct exec_trace *t) {
    if (!x->o->on_trace)
        return;
    t->op = x->op;
    t->step = x->step;
    t->in_op = (uint8_t)x->in_ops;
    x->o->on_trace(x->o->trace_ctx, t);
}

void exec_trace_live(struct executor *x, const struct exec_live *l,
                     enum exec_trace_kind kind) {
    if (!x->o->on_trace)
        return;
    struct exec_trace t = {.kind = (uint8_t)kind,
                           .ptr = (uintptr_t)l->ptr,
                           .size = l->size,
                           .seed = l->seed};
    exec_trace(x, &t);
}

int exec_stopped(const struct executor *x) {
    return x->r->must_failed || x->r->error != EXEC_OK;
}

void exec_fail(struct executor *x, enum exec_error error, const char *fmt,
               ...) {
    struct exec_result *r = x->r;
    va_list ap;
    if (r->error != EXEC_OK)
        return;
    r->error = error;
    va_start(ap, fmt);
    vsnprintf(r->error_text, sizeof r->error_text, fmt, ap);
    va_end(ap);
}

/* The progress vpcert_invariant_hook marks, per thread (exec_run sets it
 * for the length of a run). */
static _Thread_local struct exec_progress *watched;

void exec_watch_invariants(struct exec_progress *progress) {
    watched = progress;
}

/* One of vpcert's invariants failed (vpcert/invariant.h), the process is
 * about to abort: say so where the parent of a child-process run looks, so
 * that the abort is reported as vpcert's error, never as a verdict on the
 * call the implementation was making. */
void vpcert_invariant_hook(const char *file, int line, const char *expr) {
    if (watched)
        snprintf(watched->vpcert_error, sizeof watched->vpcert_error,
                 "vpcert's own invariant `%s` failed at %s:%d", expr, file,
                 line);
}

void exec_find(struct executor *x, const char *clause, const char *expected,
               const char *observed, const char *detail) {
    struct exec_result *r = x->r;
    const struct spec_clause *c = spec_clause_find(clause);
    if (!c) {
        exec_fail(x, EXEC_ERR_BUG,
                  "a check cited the unknown clause ID '%.40s' (a bug in "
                  "vpcert)",
                  clause ? clause : "(null)");
        return;
    }
    int level = (int)c->level;
    if (r->must_failed || level == SPEC_MAY)
        return;
    for (uint32_t i = 0; level == SPEC_SHOULD && i < r->nfindings; i++)
        if (strcmp(r->f[i].clause, clause) == 0)
            return; /* first per SHOULD clause */
    if (r->nfindings == EXEC_MAX_FINDINGS && level == SPEC_SHOULD)
        return;
    struct exec_finding *f =
        &r->f[r->nfindings < EXEC_MAX_FINDINGS ? r->nfindings++
                                               : EXEC_MAX_FINDINGS - 1];
    snprintf(f->clause, sizeof f->clause, "%s", clause);
    f->level = level;
    f->op = x->op;
    snprintf(f->expected, sizeof f->expected, "%s", expected ? expected : "");
    snprintf(f->observed, sizeof f->observed, "%s", observed ? observed : "");
    snprintf(f->detail, sizeof f->detail, "%s", detail ? detail : "");
    if (x->o->on_trace) {
        struct exec_trace t = {.kind = EXEC_TR_FINDING,
                               .flag = (uint8_t)x->scanning};
        snprintf(t.clause, sizeof t.clause, "%s", clause);
        exec_trace(x, &t);
    }
    if (level == SPEC_MUST)
        r->must_failed = 1;
}

/* A violation about locks or the IRQL, not about a block (LK-*, IRQL-3,
 * IRQL-4): its event carries no size or tag. */
static int about_locks(const struct kernel_event *e) {
    return e->clause && (strncmp(e->clause, "LK-", 3) == 0 ||
                         strcmp(e->clause, "IRQL-3") == 0 ||
                         strcmp(e->clause, "IRQL-4") == 0);
}

/* A violation about a lookaside list itself (LL-1, LL-3), not about an
 * entry (LL-2): its address is the list's. */
static int about_list(const struct kernel_event *e) {
    return e->clause &&
           (strcmp(e->clause, "LL-1") == 0 || strcmp(e->clause, "LL-3") == 0);
}

/* Where a violation happened: the lock, the lookaside list, the block (or
 * the address passed), else the request that broke the rule before any
 * block existed. */
static void violation_place(const struct kernel_event *e, char *out,
                            size_t cap) {
    char tag[16];
    prog_tag_format(e->tag, tag);
    if (about_list(e) && e->size)
        snprintf(out, cap,
                 "lookaside list %#lx (%llu-byte entries, tag %s), irql %u",
                 (unsigned long)e->addr, (unsigned long long)e->size, tag,
                 (unsigned)e->irql);
    else if (about_list(e))
        snprintf(out, cap, "lookaside list %#lx, irql %u",
                 (unsigned long)e->addr, (unsigned)e->irql);
    else if (about_locks(e) && e->addr)
        snprintf(out, cap, "lock %#lx, irql %u", (unsigned long)e->addr,
                 (unsigned)e->irql);
    else if (about_locks(e))
        snprintf(out, cap, "irql %u", (unsigned)e->irql);
    else if (e->addr)
        snprintf(out, cap, "block %#lx (%llu bytes), tag %s, irql %u",
                 (unsigned long)e->addr, (unsigned long long)e->size, tag,
                 (unsigned)e->irql);
    else
        snprintf(out, cap, "request of %llu bytes, tag %s, irql %u",
                 (unsigned long long)e->size, tag, (unsigned)e->irql);
}

static void event_violation(struct executor *x, const struct kernel_event *e) {
    char obs[sizeof x->r->f[0].observed], place[128];
    const char *what = e->detail ? e->detail : "violation";
    violation_place(e, place, sizeof place);
    snprintf(obs, sizeof obs, "%s: %s", what, place);
    exec_find(x, e->clause ? e->clause : "KP-FREE-1",
              about_locks(e) ? "no lock or IRQL rule broken"
                             : "no pool rule broken",
              obs, e->detail);
}

/* A call that could not return (BC-1, EX-1, LK-1): what ended it. */
static void event_fatal(struct executor *x, const struct kernel_event *e) {
    const struct kernel_fatal *f = kernel_fatal(x->k);
    char obs[96], det[160];
    if (f->clause && strcmp(f->clause, "BC-1") == 0) {
        snprintf(det, sizeof det,
                 "KeBugCheckEx(0x%08lX, 0x%llX, 0x%llX, 0x%llX, 0x%llX)",
                 (unsigned long)f->code, (unsigned long long)f->param[0],
                 (unsigned long long)f->param[1],
                 (unsigned long long)f->param[2],
                 (unsigned long long)f->param[3]);
        snprintf(obs, sizeof obs, "%.95s", det);
        snprintf(det + strlen(det), sizeof det - strlen(det),
                 ": the implementation called for a bug check");
    } else if (f->clause && strcmp(f->clause, "EX-1") == 0) {
        snprintf(obs, sizeof obs, "exception 0x%08lX escaped the service",
                 (unsigned long)f->code);
        snprintf(det, sizeof det, "%s", e->detail ? e->detail : "");
    } else { /* LK-1, the lock still held by the thread that asked again */
        snprintf(obs, sizeof obs, "%s %#lx acquired twice",
                 kernel_lock_kind(x->k, e->addr) == 2 ? "fast mutex"
                                                      : "spin lock",
                 (unsigned long)e->addr);
        snprintf(det, sizeof det, "%s", e->detail ? e->detail : "");
    }
    exec_find(x, e->clause ? e->clause : "BC-1", "the call returns", obs, det);
}

/* Alone, the log is cleared; while other threads' calls are in progress,
 * the events before the oldest of theirs are dropped and the rest kept
 * (their positions, saved in their exec_thread, move down with them). */
void exec_events_clear(struct executor *x) {
    struct exec_sched *s = x->sched;
    size_t keep = SIZE_MAX;
    if (s && s->active)
        for (unsigned t = 0; t < PROG_MAX_THREADS; t++)
            if (t != s->cur && s->th[t].point && !s->th[t].done &&
                s->th[t].ev_from < keep)
                keep = s->th[t].ev_from;
    if (keep == SIZE_MAX) {
        kernel_events_clear(x->k);
        x->ev_from = x->scanned = 0;
        return;
    }
    kernel_events_discard(x->k, keep);
    for (unsigned t = 0; t < PROG_MAX_THREADS; t++)
        if (t != s->cur && s->th[t].point && !s->th[t].done) {
            s->th[t].ev_from -= keep;
            s->th[t].scanned -= keep;
        }
    x->ev_from = x->scanned = kernel_event_count(x->k);
}

const struct kernel_event *exec_call_event(const struct executor *x,
                                           size_t *i) {
    unsigned thread = kernel_thread(x->k);
    size_t n = kernel_event_count(x->k);
    if (*i < x->ev_from)
        *i = x->ev_from;
    while (*i < n) {
        const struct kernel_event *e = kernel_event_at(x->k, (*i)++);
        if (e->thread == thread)
            return e;
    }
    return NULL;
}

int exec_scan_events(struct executor *x) {
    int refused = 0;
    size_t lost = kernel_events_lost(x->k);
    if (lost)
        exec_fail(x, EXEC_ERR_HOST,
                  "the kernel stand-in could not record %zu events (host "
                  "out of memory): the run cannot be judged",
                  lost);
    const struct kernel_event *e;
    /* KP-OVR-1 at once: an overrun of a block allocated during this call
     * (a header written past a short block) is reported before anything
     * else is checked on that memory. The checks append their events.
     * Events before x->scanned were seen by an earlier scan of this call. */
    size_t n0 = kernel_event_count(x->k);
    for (size_t i = x->scanned; i < n0 && (e = exec_call_event(x, &i)) != NULL;)
        if (e->kind == KN_EV_ALLOC)
            kernel_check_guard_of(x->k, e);
    size_t n = kernel_event_count(x->k);
    x->scanning = 1;
    for (size_t i = x->scanned;
         i < n && (e = exec_call_event(x, &i)) != NULL;) {
        if (e->kind == KN_EV_REFUSE)
            refused = 1;
        else if (e->kind == KN_EV_VIOLATION)
            event_violation(x, e);
        else if (e->kind == KN_EV_FATAL)
            event_fatal(x, e);
        else if (e->kind == KN_EV_NOTE)
            x->r->notes++;
    }
    x->scanning = 0;
    x->scanned = n;
    return refused;
}

void exec_check_call_leaks(struct executor *x, const char *clause) {
    const struct kernel_event *e;
    for (size_t i = 0; (e = exec_call_event(x, &i)) != NULL;) {
        /* A block a lookaside list caches is the list's (SPEC.md LL-1), and
         * one it handed on to another thread's call is that call's. */
        if (e->kind != KN_EV_ALLOC ||
            !kernel_block_kept_by(x->k, e->block_id, e->thread))
            continue;
        char obs[96];
        snprintf(obs, sizeof obs, "block of %llu bytes still live",
                 (unsigned long long)e->size);
        exec_find(x, clause, "every block of a failed call freed", obs,
                  "the call failed but kept a pool block it allocated");
        return;
    }
}

void exec_allowed_text(uint32_t allowed, int pool, const char *sep, char *out,
                       size_t cap) {
    /* the model's results are in the order of the program's expectations:
     * VPM_R_OK.. from PROG_EX_NO_ERROR, VPM_P_BLOCK.. from PROG_EX_BLOCK */
    unsigned first = pool ? PROG_EX_BLOCK : PROG_EX_NO_ERROR;
    unsigned count = pool ? VPM_P_NULL + 1 : VPM_R_INVALID + 1;
    out[0] = 0;
    for (unsigned i = 0; i < count; i++)
        if (allowed & VPM_ALLOW(i))
            snprintf(out + strlen(out), cap - strlen(out), "%s%s",
                     out[0] ? sep : "", prog_expect_name(first + i));
}

/* The class of a text: its words without digits, joined by '_' ("status
 * 122" -> "status", "[0x10, +16) overlaps [0x20, 0x30)" -> "overlaps"). */
static void text_class(const char *s, char *out, size_t cap) {
    size_t n = 0;
    while (*s) {
        while (*s && !(*s >= 'A' && *s <= 'Z') && !(*s >= 'a' && *s <= 'z') &&
               !(*s >= '0' && *s <= '9'))
            s++;
        const char *w = s;
        int digits = 0;
        while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
               (*s >= '0' && *s <= '9') || *s == '_' || *s == '-') {
            digits |= *s >= '0' && *s <= '9';
            s++;
        }
        if (digits || s == w)
            continue;
        for (const char *c = n ? w - 1 : w; c < s && n + 1 < cap; c++)
            out[n++] = c < w ? '_' : *c;
    }
    out[n < cap ? n : cap - 1] = 0;
}

void exec_signature(const struct exec_finding *f, char *out, size_t cap) {
    /* Stable across inputs: the clause and the classes of what was seen and
     * what was expected, never addresses or sizes. */
    char obs[64], exp[64];
    text_class(f->observed, obs, sizeof obs);
    text_class(f->expected, exp, sizeof exp);
    snprintf(out, cap, "%s:%s-vs-%s", f->clause, obs, exp);
}
