/*
 * bad_wdm_free2_tag: impls/wdm_port.h, except that ReleaseBuffer frees the
 * buffer's block with ExFreePool2 and the books' tag instead of the
 * block's. Breaks KP-TAG-1.
 */
#define WDM_BUFFER_FREE_TAG WDM_TAG_BOOKS
#include "wdm_port.h"
