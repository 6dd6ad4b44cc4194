/*
 * bad_wdm_bugcheck_zero: impls/wdm_port.h, except that AllocateBuffer
 * calls KeBugCheckEx for a zero-byte request, as Driver Verifier does for
 * a zero-byte pool request (0xC4, parameter 0). Breaks BC-1.
 */
#define WDM_ON_ENTRY(Size)                                                     \
    do {                                                                       \
        if ((Size) == 0)                                                       \
            KeBugCheckEx(0xC4, 0, KeGetCurrentIrql(), PagedPool, 0);           \
    } while (0)
#include "wdm_port.h"
