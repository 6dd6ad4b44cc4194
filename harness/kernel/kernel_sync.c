/*
 * kernel_sync.c: the IRQL and the locks. The IRQL is the stand-in's
 * (KeGetCurrentIrql); VpcertRaiseIrql and VpcertLowerIrql do what
 * KfRaiseIrql and KeLowerIrql do on x64 (IRQL-4). Spin locks and fast
 * mutexes are tracked by address while they are held, the lock word itself
 * is never read: acquiring one that is held ends the call as a fatal event
 * (LK-1; the processor would spin, the thread wait, forever), releasing
 * one that is not held (LK-2) and a call at the wrong IRQL (LK-4) are
 * violations (a release is judged on its IRQL only when the lock is held).
 * kernel_end_call checks what a service returns with (LK-3, IRQL-3).
 *
 * Threads: every lock has the thread that holds it. A thread acquiring a
 * lock another thread holds waits (the scheduler runs others until it is
 * free); with no scheduler nothing else can run, which is a deadlock
 * (CONC-2). Each of these calls is a switch point.
 */
#include "kernel_internal.h"

/* ---- the table of held locks ---- */

static struct kn_lock *kn_lock_find(const struct kernel *k, uintptr_t addr) {
    for (size_t i = 0; i < k->nlocks; i++)
        if (k->locks[i].addr == addr)
            return (struct kn_lock *)&k->locks[i];
    return NULL;
}

int kn_spin_lock_held(const struct kernel *k) {
    for (size_t i = 0; i < k->nlocks; i++)
        if (k->locks[i].kind == KN_LOCK_SPIN && k->locks[i].owner == k->thread)
            return 1;
    return 0;
}

int kernel_lock_holder(const struct kernel *k, uintptr_t addr) {
    const struct kn_lock *l = k ? kn_lock_find(k, addr) : NULL;
    return l ? (int)l->owner : -1;
}

int kernel_lock_kind(const struct kernel *k, uintptr_t addr) {
    const struct kn_lock *l = k ? kn_lock_find(k, addr) : NULL;
    return l ? (int)l->kind : 0;
}

static void kn_lock_violation(struct kernel *k, uintptr_t addr,
                              const char *clause, const char *detail) {
    struct kernel_event ev = kn_event_ctx(k, KN_EV_VIOLATION);
    ev.addr = addr;
    kn_event_cite(k, ev, KN_EV_VIOLATION, clause, detail);
}

/* Wait while another thread holds the lock at addr; NULL when it is free,
 * else the current thread's own entry. Without a scheduler no other
 * thread can run: a deadlock (CONC-2), which ends the call. */
static struct kn_lock *kn_lock_wait(struct kernel *k, uintptr_t addr) {
    struct kn_lock *l;
    while ((l = kn_lock_find(k, addr)) != NULL && l->owner != k->thread) {
        if (!k->sched) {
            kn_fatal(k, "CONC-2",
                     "lock held by another thread, and no other thread can "
                     "run to release it",
                     0, NULL, addr);
            return NULL;
        }
        k->sched(k->sched_ctx, KN_SW_WAIT, addr);
    }
    return l;
}

/* LK-1: a lock is never acquired while it is held (by the same thread;
 * one another thread holds is waited for). */
static void kn_lock_take(struct kernel *k, uintptr_t addr, uint8_t kind,
                         KIRQL old) {
    if (kn_lock_wait(k, addr)) {
        kn_fatal(k, "LK-1",
                 kind == KN_LOCK_SPIN
                     ? "spin lock acquired while already held (the "
                       "processor would spin forever)"
                     : "fast mutex acquired while already held (the "
                       "thread would wait forever)",
                 0, NULL, addr);
        return;
    }
    if (k->nlocks < KN_LOCKS_MAX)
        k->locks[k->nlocks++] = (struct kn_lock){addr, kind, old, k->thread};
}

/* LK-2: a lock is released only while held, by the call of its kind.
 * Returns 1 and the IRQL from before it was acquired, or 0. */
static int kn_lock_drop(struct kernel *k, uintptr_t addr, uint8_t kind,
                        KIRQL *old) {
    struct kn_lock *l = kn_lock_find(k, addr);
    if (!l || l->kind != kind || l->owner != k->thread) {
        kn_lock_violation(k, addr, "LK-2",
                          kind == KN_LOCK_SPIN
                              ? "spin lock released without being held"
                              : "fast mutex released without being held");
        return 0;
    }
    *old = l->old_irql;
    *l = k->locks[--k->nlocks];
    return 1;
}

/* LK-4: the IRQL a lock call requires. */
static void kn_lock_irql(struct kernel *k, uintptr_t addr, int ok,
                         const char *detail) {
    if (!ok)
        kn_lock_violation(k, addr, "LK-4", detail);
}

/* ---- IRQL (IRQL-4) ---- */

KIRQL VpcertRaiseIrql(KIRQL NewIrql) {
    struct kernel *k = kn_enter("KeRaiseIrql");
    if (!k)
        return PASSIVE_LEVEL;
    KIRQL old = k->irql;
    if (NewIrql < old)
        kn_lock_violation(k, 0, "IRQL-4",
                          "KeRaiseIrql to an IRQL below the current one");
    k->irql = NewIrql;
    return old;
}

VOID VpcertLowerIrql(KIRQL NewIrql) {
    struct kernel *k = kn_enter("KeLowerIrql");
    if (!k)
        return;
    if (NewIrql > k->irql)
        kn_lock_violation(k, 0, "IRQL-4",
                          "KeLowerIrql to an IRQL above the current one");
    k->irql = NewIrql;
}

/* ---- spin locks ---- */

KIRQL KeAcquireSpinLockRaiseToDpc(PKSPIN_LOCK SpinLock) {
    struct kernel *k = kn_enter("KeAcquireSpinLockRaiseToDpc");
    if (!k)
        return PASSIVE_LEVEL;
    KIRQL old = k->irql;
    kn_lock_irql(k, (uintptr_t)SpinLock, old <= DISPATCH_LEVEL,
                 "KeAcquireSpinLock above DISPATCH_LEVEL");
    kn_lock_take(k, (uintptr_t)SpinLock, KN_LOCK_SPIN, old);
    if (k->irql < DISPATCH_LEVEL)
        k->irql = DISPATCH_LEVEL;
    return old;
}

/* Release a spin lock: LK-2, and LK-4 when it was held. */
static void kn_spin_release(struct kernel *k, PKSPIN_LOCK lock,
                            const char *wrong_irql) {
    KIRQL old;
    if (kn_lock_drop(k, (uintptr_t)lock, KN_LOCK_SPIN, &old))
        kn_lock_irql(k, (uintptr_t)lock, k->irql >= DISPATCH_LEVEL, wrong_irql);
}

VOID KeReleaseSpinLock(PKSPIN_LOCK SpinLock, KIRQL NewIrql) {
    struct kernel *k = kn_enter("KeReleaseSpinLock");
    if (!k)
        return;
    kn_spin_release(k, SpinLock, "KeReleaseSpinLock below DISPATCH_LEVEL");
    k->irql = NewIrql; /* what the caller says it was: IRQL-3 judges */
}

VOID KeAcquireSpinLockAtDpcLevel(PKSPIN_LOCK SpinLock) {
    struct kernel *k = kn_enter("KeAcquireSpinLockAtDpcLevel");
    if (!k)
        return;
    kn_lock_irql(k, (uintptr_t)SpinLock, k->irql >= DISPATCH_LEVEL,
                 "KeAcquireSpinLockAtDpcLevel below DISPATCH_LEVEL");
    kn_lock_take(k, (uintptr_t)SpinLock, KN_LOCK_SPIN, k->irql);
}

VOID KeReleaseSpinLockFromDpcLevel(PKSPIN_LOCK SpinLock) {
    struct kernel *k = kn_enter("KeReleaseSpinLockFromDpcLevel");
    if (!k)
        return;
    kn_spin_release(k, SpinLock,
                    "KeReleaseSpinLockFromDpcLevel below DISPATCH_LEVEL");
}

/* ---- fast mutexes: the stand-in keeps the WDK's fields up to date ---- */

VOID ExAcquireFastMutex(PFAST_MUTEX FastMutex) {
    struct kernel *k = kn_enter("ExAcquireFastMutex");
    if (!k)
        return;
    KIRQL old = k->irql;
    kn_lock_irql(k, (uintptr_t)FastMutex, old <= APC_LEVEL,
                 "ExAcquireFastMutex above APC_LEVEL");
    kn_lock_take(k, (uintptr_t)FastMutex, KN_LOCK_MUTEX, old);
    FastMutex->Count = 0;
    FastMutex->Owner = k;
    FastMutex->OldIrql = old;
    if (k->irql < APC_LEVEL)
        k->irql = APC_LEVEL;
}

VOID ExReleaseFastMutex(PFAST_MUTEX FastMutex) {
    struct kernel *k = kn_enter("ExReleaseFastMutex");
    if (!k)
        return;
    KIRQL old = (KIRQL)FastMutex->OldIrql;
    if (kn_lock_drop(k, (uintptr_t)FastMutex, KN_LOCK_MUTEX, &old))
        kn_lock_irql(k, (uintptr_t)FastMutex, k->irql == APC_LEVEL,
                     "ExReleaseFastMutex not at APC_LEVEL");
    FastMutex->Count = FM_LOCK_BIT;
    FastMutex->Owner = NULL;
    k->irql = old;
}

/* ---- what a service returns with (LK-3, IRQL-3) ---- */

size_t kernel_end_call(struct kernel *k, KIRQL entry_irql) {
    size_t n = 0, kept = 0;
    if (!k)
        return 0;
    for (size_t i = 0; i < k->nlocks; i++) {
        if (k->locks[i].owner != k->thread) {
            k->locks[kept++] = k->locks[i];
            continue;
        }
        kn_lock_violation(k, k->locks[i].addr, "LK-3",
                          k->locks[i].kind == KN_LOCK_SPIN
                              ? "service returned holding a spin lock"
                              : "service returned holding a fast mutex");
        n++;
    }
    if (n == 0 && k->irql != entry_irql) {
        kn_lock_violation(k, 0, "IRQL-3",
                          "service returned at another IRQL than it was "
                          "entered at");
        n++;
    }
    k->nlocks = kept;
    return n;
}

size_t kernel_locks_held(const struct kernel *k) {
    size_t n = 0;
    for (size_t i = 0; k && i < k->nlocks; i++)
        n += k->locks[i].owner == k->thread;
    return n;
}

/* ---- threads ---- */

void kernel_set_thread(struct kernel *k, unsigned t) {
    if (!k || t >= KN_THREADS || t == k->thread)
        return;
    struct kn_cpu *save = &k->cpu[k->thread], *load = &k->cpu[t];
    save->irql = k->irql;
    save->device = k->device;
    save->escape = k->escape;
    save->escape_ctx = k->escape_ctx;
    k->irql = load->irql;
    k->device = load->device;
    k->escape = load->escape;
    k->escape_ctx = load->escape_ctx;
    k->thread = (uint8_t)t;
}

unsigned kernel_thread(const struct kernel *k) {
    return k ? k->thread : 0;
}

void kernel_set_scheduler(struct kernel *k, kernel_switch_fn fn, void *ctx) {
    if (!k)
        return;
    k->sched = fn;
    k->sched_ctx = ctx;
}
