/*
 * bad_leak_stop: VpcertDeviceStart allocates a small NonPagedPool block of
 * per-device statistics; VpcertDeviceStop forgets to free it.
 * Breaks KP-LEAK-1 at the first stop (every vector: every device is stopped
 * at the end; kp-leak-1-stop-frees-all.vpt op 3 stops one explicitly).
 */
#define BASE_ON_START(d)                                                       \
    ((d)->spare = ExAllocatePoolWithTag(NonPagedPool, 64, BASE_TAG))
/* FAULT: no BASE_ON_STOP freeing (d)->spare */
#include "common.h"
