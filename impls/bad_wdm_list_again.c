/*
 * bad_wdm_list_again: impls/wdm_port.h, except that every AllocateBuffer
 * initializes the books' lookaside list again (a "reset" meant for
 * start-up) without deleting it, while records it handed out are still
 * live. Breaks LL-3.
 */
#include <vpcert/video.h>

struct _WDM_DEVICE;
static VOID ListAgain(struct _WDM_DEVICE *Device);

#define WDM_ON_ENTRY(Size) ListAgain(Device)
#include "wdm_port.h"

static VOID ListAgain(PWDM_DEVICE Device) {
    if (Device->Books != NULL)
        ExInitializeNPagedLookasideList(&Device->Books->Records, NULL, NULL, 0,
                                        sizeof(WDM_RECORD), WDM_TAG_RECORD, 0);
}
