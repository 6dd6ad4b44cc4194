/*
 * bad_wdm_paged_under_lock: impls/wdm_port.h, except that AllocateBuffer
 * asks for its PagedPool block while it still holds the device's spin lock
 * (DISPATCH_LEVEL). Breaks IRQL-1 (paged pool under a spin lock).
 */
#define WDM_BLOCK_UNDER_LOCK 1
#include "wdm_port.h"
