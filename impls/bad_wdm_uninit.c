/*
 * bad_wdm_uninit: impls/wdm_port.h, except that buffers are allocated with
 * POOL_FLAG_UNINITIALIZED while the code still relies on the header's
 * Released flag starting at zero: the stand-in fills the block with 0xCD
 * (HS-ZERO-1), every buffer looks released already, and ReleaseBuffer
 * frees nothing. Breaks RB-1.
 */
#define WDM_BUFFER_FLAGS (POOL_FLAG_PAGED | POOL_FLAG_UNINITIALIZED)
#include "wdm_port.h"
