/*
 * bad_wdm_list_kept: impls/wdm_port.h, except that VpcertDeviceStop frees
 * the books without deleting the lookaside list inside them. Breaks LL-1
 * (a lookaside list still alive when its device stops).
 */
#define WDM_DELETE_RECORDS(Books) ((void)(Books))
#include "wdm_port.h"
