/*
 * deep_calls_16bit: counts the calls made on a device in a 16-bit field
 * and takes a count of 0 for the device's first call, which sets the charge
 * to 0. After 65,536 calls the field wraps, and a device with a buffer live
 * forgets its charge; the release of that buffer then drives the charge
 * below zero (modulo 2^64), and every later request is refused.
 * Breaks QU-4 (a later request that fits is refused) only after 65,536
 * calls on one device: certify's scale family (scale/calls-70000); the
 * certify of SPEC 1.0, whose cases make a few hundred calls, certified it.
 */
#define DC_CALL(d) ((d)->spare_n = (USHORT)((d)->spare_n + 1u))
typedef unsigned short USHORT;
#define BASE_ON_ENTRY(d, size, Buffer)                                         \
    do {                                                                       \
        if (DC_CALL(d) == 1u) /* FAULT: a wrapped count looks like the */      \
            (d)->charge = 0;  /* device's first call */                        \
    } while (0)
#define BASE_REFUND(d, size)                                                   \
    (DC_CALL(d) == 1u ? (void)((d)->charge = 0) : (void)0,                     \
     (d)->charge -= (size))
#include "common.h"
