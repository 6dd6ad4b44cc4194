/*
 * bad_wdm_return_locked: impls/wdm_port.h, except that the quota-refused
 * path of AllocateBuffer returns without releasing the device's spin lock.
 * Breaks LK-3 (a service returns holding a lock).
 */
#define WDM_UNLOCK_REFUSED(Device, Irql) ((void)(Device), (void)(Irql))
#include "wdm_port.h"
