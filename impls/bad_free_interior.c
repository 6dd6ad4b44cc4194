/*
 * bad_free_interior: ReleaseBuffer hands the pool the pointer the caller
 * gave back (as the open implementation does, which has no header) instead
 * of the start of the block, 48 bytes before it.
 * Breaks KP-FREE-1 at the first release (kp-free-1-block-start.vpt op 2,
 * and every vector: vpcert releases everything before a stop).
 */
#define BASE_BLOCK_FREE(h) ExFreePool(base_user_of(h)) /* FAULT: interior */
#include "common.h"
