/*
 * deep_compact_3000: every 3,000th AllocateBuffer on a device "compacts"
 * its bookkeeping and recomputes the charge from the buffers it tracks in
 * the device extension, which holds the headers of at most BASE_TRACK (26)
 * buffers: with more live, the charge comes out too small and the device
 * is granted more than its quota.
 * Breaks QU-3 only in a program of 3,000 calls with more than 26 buffers
 * live: certify's scale family (scale/buffers-4096-exact-quota); the
 * certify of SPEC 1.0 certified it.
 */
#define BASE_ON_ENTRY(d, sz, Buffer)                                           \
    do {                                                                       \
        if (++(d)->spare_n % 3000u == 0) { /* FAULT: from 26 at most */        \
            (d)->charge = 0;                                                   \
            for (ULONG i_ = 0; i_ < (d)->ntrack; i_++)                         \
                (d)->charge += (d)->track[i_]->size;                           \
        }                                                                      \
    } while (0)
#include "common.h"
