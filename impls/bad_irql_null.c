/*
 * bad_irql_null: AllocatePool plays safe and refuses every request above
 * PASSIVE_LEVEL, without asking the pool, though nonpaged pool may be
 * allocated at DISPATCH_LEVEL.
 * Breaks IRQL-2 at the first AllocatePool at DISPATCH_LEVEL
 * (irql-2-nonpaged-at-dispatch.vpt op 0, irql-1 op 0, ...).
 */
#define BASE_OWN_ALLOCATE_POOL
#include "common.h"

PVOID VideoPortAllocatePool(PVOID HwDeviceExtension, VP_POOL_TYPE PoolType,
                            SIZE_T NumberOfBytes, ULONG Tag) {
    (void)HwDeviceExtension;
    if (KeGetCurrentIrql() > PASSIVE_LEVEL)
        return NULL; /* FAULT: nonpaged types are legal here */
    return ExAllocatePoolWithTag((POOL_TYPE)PoolType, NumberOfBytes, Tag);
}
