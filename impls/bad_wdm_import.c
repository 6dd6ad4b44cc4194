/*
 * bad_wdm_import: impls/wdm_port.h plus two kernel calls vpcert does not
 * provide, used where a real driver might: the pool-priority allocation
 * for its books and a stall while a device starts. vpcert refuses to load
 * it: exit status 2 and one message naming both imports and the kernel
 * calls vpcert supports (a CTest checks it; not a row of impls.txt).
 */
#include <vpcert/video.h>

typedef enum _EX_POOL_PRIORITY { NormalPoolPriority = 16 } EX_POOL_PRIORITY;
PVOID ExAllocatePoolWithTagPriority(POOL_TYPE PoolType, SIZE_T NumberOfBytes,
                                    ULONG Tag, EX_POOL_PRIORITY Priority);
VOID KeStallExecutionProcessor(ULONG MicroSeconds);

#define WDM_BOOKS_ALLOCATE()                                                   \
    (KeStallExecutionProcessor(1),                                             \
     ExAllocatePoolWithTagPriority(NonPagedPool, sizeof(WDM_BOOKS),            \
                                   WDM_TAG_BOOKS, NormalPoolPriority))
#include "wdm_port.h"
