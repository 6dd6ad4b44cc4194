/*
 * base: impls/common.h with no fault, the control for the bad_* examples.
 * Header-based buffers (48-byte header in one PagedPool block), device
 * state in the HwDeviceExtension, per-device quota, quota-first, Size 0
 * granted as a one-byte buffer that charges nothing. It certifies under
 * impls/default.ics; each bad_*.c differs from it by one fault.
 */
#include "common.h"
