/*
 * bad_leak_release: ReleaseBuffer refunds the quota and marks the header
 * dead, but never gives the block back to the pool.
 * Breaks RB-1 at the first release (rb-1-release-frees-block.vpt op 4, and
 * every vector: vpcert releases everything before a stop).
 */
#define BASE_BLOCK_FREE(h) ((void)(h)) /* FAULT: the block stays live */
#include "common.h"
