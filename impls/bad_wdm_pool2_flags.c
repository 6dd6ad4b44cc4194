/*
 * bad_wdm_pool2_flags: impls/wdm_port.h, except that buffer blocks are
 * asked of ExAllocatePool2 with no POOL_FLAG_* naming a pool (the flags
 * were meant to come from a table that was never filled). Breaks
 * KP-POOL2-1.
 */
#define WDM_BUFFER_FLAGS 0
#include "wdm_port.h"
