/*
 * vpcert shim: device lifecycle, the device's spin lock and the per-device
 * quota.
 *
 * VpcertDeviceStart/Stop manage the VPCERT_DEVICE at the start of the
 * HwDeviceExtension; the quota helpers charge and refund the bytes
 * outstanding through VideoPortAllocateBuffer, in 64 bits without wrap,
 * each under the device's spin lock (the charge is shared state a real
 * video port updates from any processor).
 */
#include "shim_internal.h"

/* The two mutant tables in mutants.h must agree, number for number. */
#define VPCERT_CHECK_MUTANT(n, name, clause, desc)                             \
    _Static_assert(MUT_##name == (n), "MUT_" #name " disagrees with the "      \
                                      "list");
VPCERT_MUTANT_LIST(VPCERT_CHECK_MUTANT)
#define VPCERT_COUNT_MUTANT(n, name, clause, desc) +1
enum { VPCERT_MUTANTS_LISTED = 0 VPCERT_MUTANT_LIST(VPCERT_COUNT_MUTANT) };
_Static_assert(VPCERT_MUTANTS_LISTED == VPCERT_MUTANT_COUNT,
               "VPCERT_MUTANT_COUNT disagrees with VPCERT_MUTANT_LIST");

#if VPCERT_MUTANT == MUT_SHARED_QUOTA
/* BUG: one charge for the whole driver instead of one per device. */
static ULONGLONG shared_charged;
#endif

#if VPCERT_MUTANT == MUT_SHARED_LIMIT
/* BUG: one limit for the whole driver, overwritten by every Start. */
static ULONGLONG shared_limit;
#endif

#if VPCERT_MUTANT == MUT_LEAK_DEVICE_RECORD
/* Size and tag of the per-device record the mutant allocates. */
#define VPCERT_DEVICE_RECORD_SIZE 64u
#define VPCERT_DEVICE_RECORD_TAG VPCERT_TAG('D', 'v', 'p', 'd')
#endif

VPCERT_DEVICE *vpcert_device(PVOID HwDeviceExtension) {
    return (VPCERT_DEVICE *)HwDeviceExtension;
}

/* Where the device's charge is kept. */
static ULONGLONG *charge_slot(VPCERT_DEVICE *dev) {
#if VPCERT_MUTANT == MUT_SHARED_QUOTA
    (void)dev;
    return &shared_charged;
#else
    return &dev->charged;
#endif
}

/* The device's quota limit. */
static ULONGLONG quota_limit(const VPCERT_DEVICE *dev) {
#if VPCERT_MUTANT == MUT_SHARED_LIMIT
    (void)dev;
    return shared_limit;
#else
    return dev->limit;
#endif
}

/* Bytes a buffer of Size costs against the quota: the requested Size. */
static ULONGLONG buffer_cost(ULONG Size) {
#if VPCERT_MUTANT == MUT_CHARGE_OVERHEAD
    return (ULONGLONG)Size + VPCERT_BUFFER_HEADER_SIZE;
#else
    return Size;
#endif
}

KIRQL vpcert_lock(VPCERT_DEVICE *dev) {
    KIRQL old;
#if VPCERT_MUTANT == MUT_LOCK_AT_DPC_CALL
    old = KeGetCurrentIrql();
    KeAcquireSpinLockAtDpcLevel(&dev->lock); /* BUG: callers at PASSIVE too */
#else
    KeAcquireSpinLock(&dev->lock, &old);
#endif
    return old;
}

void vpcert_unlock(VPCERT_DEVICE *dev, KIRQL old) {
#if VPCERT_MUTANT == MUT_LOCK_AT_DPC_CALL
    (void)old;
    KeReleaseSpinLockFromDpcLevel(&dev->lock);
#else
    KeReleaseSpinLock(&dev->lock, old);
#endif
}

/* The quota test on the charge as it stands (the lock is held). */
static int quota_test(VPCERT_DEVICE *dev, ULONG Size) {
    ULONGLONG limit = quota_limit(dev);
    ULONGLONG charged = *charge_slot(dev);
    ULONGLONG cost = buffer_cost(Size);

#if VPCERT_MUTANT == MUT_QUOTA_WRAP32
    ULONG total = (ULONG)charged + (ULONG)cost; /* BUG: wraps at 4 GiB */
    return total > limit;
#elif VPCERT_MUTANT == MUT_QUOTA_IGNORES_CHARGE
    (void)charged;
    return cost > limit;         /* BUG: what is already charged is ignored */
#else
    /* charged + cost > limit, rearranged so that nothing can wrap. */
    if (charged > limit)
        return 1;
#if VPCERT_MUTANT == MUT_QUOTA_OFF_BY_ONE
    return cost >= limit - charged;
#elif VPCERT_MUTANT == MUT_QUOTA_PLUS_ONE
    return cost > limit - charged && cost - (limit - charged) > 1;
#else
    return cost > limit - charged;
#endif
#endif
}

#if VPCERT_QUOTA_IN_STEPS
int vpcert_quota_exceeded(VPCERT_DEVICE *dev, ULONG Size) {
    KIRQL old = vpcert_lock(dev);
    int over = quota_test(dev, Size);
    vpcert_unlock(dev, old);
    return over;
}
#endif

int vpcert_quota_reserve(VPCERT_DEVICE *dev, ULONG Size) {
    KIRQL old = vpcert_lock(dev);
    if (quota_test(dev, Size)) {
#if VPCERT_MUTANT == MUT_RETURN_LOCKED
        return 0; /* BUG: returns holding the lock */
#elif VPCERT_MUTANT == MUT_UNLOCK_UNHELD
        vpcert_unlock(dev, old); /* BUG: and once more below */
#endif
        vpcert_unlock(dev, old);
        return 0;
    }
    *charge_slot(dev) += buffer_cost(Size);
    vpcert_unlock(dev, old);
    return 1;
}

#if VPCERT_QUOTA_IN_STEPS
void vpcert_quota_charge(VPCERT_DEVICE *dev, ULONG Size) {
    KIRQL old = vpcert_lock(dev);
    *charge_slot(dev) += buffer_cost(Size);
    vpcert_unlock(dev, old);
}
#endif

void vpcert_quota_refund(VPCERT_DEVICE *dev, ULONG Size) {
    KIRQL old = vpcert_lock(dev);
    *charge_slot(dev) -= buffer_cost(Size);
#if VPCERT_MUTANT == MUT_RELEASE_WRONG_IRQL
    (void)old;
    KeReleaseSpinLock(&dev->lock, DISPATCH_LEVEL); /* BUG: not the saved IRQL */
#else
    vpcert_unlock(dev, old);
#endif
}

ULONG vpcert_buffer_stamp(const VPCERT_DEVICE *dev) {
    return VPCERT_BUFFER_MAGIC | (dev->epoch & VPCERT_STAMP_EPOCH_MASK);
}

/* Reset the charge: a (re)started device owes nothing. */
static void reset_charge(VPCERT_DEVICE *dev) {
#if VPCERT_MUTANT == MUT_RESTART_KEEPS_CHARGE
    if (dev->magic == VPCERT_DEVICE_MAGIC)
        return; /* BUG: only the first start initialises the charge */
#endif
    *charge_slot(dev) = 0;
}

/* State only some mutants keep, set up by Start. */
static void start_extras(VPCERT_DEVICE *dev) {
#if VPCERT_MUTANT == MUT_LEAK_DEVICE_RECORD
    dev->record = ExAllocatePoolWithTag(NonPagedPool, VPCERT_DEVICE_RECORD_SIZE,
                                        VPCERT_DEVICE_RECORD_TAG);
#elif VPCERT_MUTANT == MUT_STALE_REUSE
    vpcert_lookaside_flush(dev);
#elif VPCERT_MUTANT == MUT_LINK_IN_BUFFER
    dev->tail = NULL;
#else
    (void)dev;
#endif
}

VPCERT_EXPORT VP_STATUS VpcertDeviceStart(PVOID HwDeviceExtension,
                                          ULONGLONG QuotaBytes) {
    VPCERT_DEVICE *dev = vpcert_device(HwDeviceExtension);

#if VPCERT_MUTANT == MUT_START_FAILS_ZERO_QUOTA
    if (QuotaBytes == 0)
        return ERROR_INVALID_PARAMETER; /* BUG: a zero quota is legal */
#endif
    KeInitializeSpinLock(&dev->lock);
#if VPCERT_MUTANT == MUT_LOCK_ORDER
    KeInitializeSpinLock(&dev->records_lock);
#endif
    vpcert_records_start(dev, dev->magic != VPCERT_DEVICE_MAGIC);
    reset_charge(dev);
    dev->magic = VPCERT_DEVICE_MAGIC;
    dev->epoch++;
    dev->limit = QuotaBytes;
#if VPCERT_MUTANT == MUT_SHARED_LIMIT
    shared_limit = QuotaBytes;
#endif
    start_extras(dev);
    dev->started = 1;
    return NO_ERROR;
}

VPCERT_EXPORT VOID VpcertDeviceStop(PVOID HwDeviceExtension) {
    VPCERT_DEVICE *dev = vpcert_device(HwDeviceExtension);

    /* The caller has released every buffer and pool block of the device. */
    vpcert_records_stop(dev);
#if VPCERT_MUTANT == MUT_STALE_REUSE
    vpcert_lookaside_flush(dev);
#endif
    /* MUT_LEAK_DEVICE_RECORD: BUG: dev->record is never freed here. */
#if VPCERT_MUTANT == MUT_RESTART_KEEPS_CHARGE
    /* Part of the bug: a stopped device is marked exhausted so that a late
     * call fails; the first-start-only initialisation never clears it. */
    *charge_slot(dev) = dev->limit;
#endif
    dev->started = 0;
}
