/*
 * bad_double_free: ReleaseBuffer frees the buffer but leaves it in the
 * device's list of live buffers, so VpcertDeviceStop, which frees what the
 * caller "forgot", frees it a second time.
 * Breaks KP-FREE-2 at the first stop of a device that had a buffer
 * (kp-free-2-no-double-free.vpt at its end; every AllocateBuffer vector).
 */
#define BASE_UNTRACK(d, h) ((void)(d), (void)(h)) /* FAULT: stays listed */
#include "common.h"
