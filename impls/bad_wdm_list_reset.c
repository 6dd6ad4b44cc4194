/*
 * bad_wdm_list_reset: impls/wdm_port.h, except that ReleaseBuffer "trims"
 * the books' lookaside list when the device's last buffer is released: it
 * initializes the list again, meaning to drop the records it caches and
 * start afresh, without deleting it first. The record of that last buffer
 * went back to the list a moment before, so the list is live and caches
 * it: the kernel would forget that record (a nonpaged block nobody frees)
 * and link the list into its list of lookaside lists a second time.
 * Breaks LL-3.
 */
#include <vpcert/video.h>

struct _WDM_DEVICE;
static VOID TrimWhenIdle(struct _WDM_DEVICE *Device);

#define WDM_ON_RELEASED(Device) TrimWhenIdle(Device)
#include "wdm_port.h"

/* The device has no buffer left: start the record list afresh. */
static VOID TrimWhenIdle(PWDM_DEVICE Device) {
    if (Device->Books->LiveCount != 0)
        return;
    ExInitializeNPagedLookasideList(&Device->Books->Records, NULL, NULL, 0,
                                    sizeof(WDM_RECORD), WDM_TAG_RECORD, 0);
    DbgPrint("wdm_port: device %p idle, record list trimmed\n", Device);
}
