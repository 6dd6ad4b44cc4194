/*
 * bad_free_ext: VpcertDeviceStop "frees its device context", which is the
 * HwDeviceExtension: memory the caller owns, never handed out by the pool.
 * Breaks KP-FREE-1 (an address the pool never handed out) at the first stop
 * of every vector.
 */
#define BASE_ON_STOP(d) ExFreePool(d) /* FAULT: foreign pointer */
#include "common.h"
