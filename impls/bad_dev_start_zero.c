/*
 * bad_dev_start_zero: VpcertDeviceStart treats a quota of 0 as a
 * configuration error and returns ERROR_INVALID_PARAMETER.
 * Breaks DEV-1 at program start in every vector with a quota-0 device
 * (dev-1-start-any-quota.vpt, qu-3-one-byte-over.vpt, zero-1-size-zero.vpt,
 * kp-leak-2-end-nothing-live.vpt).
 */
#define BASE_START_STATUS(q)                                                   \
    ((q) == 0 ? ERROR_INVALID_PARAMETER : NO_ERROR) /* FAULT */
#include "common.h"
