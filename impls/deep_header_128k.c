/*
 * deep_header_128k: requests a little under 128 KiB are rounded up to a
 * 128 KiB block (to share one lookaside of such blocks), but the rounding
 * forgets the 48-byte header in front of the buffer: for Size from
 * 128 KiB - 47 to 128 KiB - 1 the buffer runs past its block.
 * Breaks BUF-2 at those sizes alone: certify's size sweeps (2^17 - 1, - 8,
 * - 16, - 32); the certify of SPEC 1.0, whose sizes are 128 KiB - 1 ...
 * nowhere near, certified it.
 */
#define BASE_BLOCK_BYTES(size)                                                 \
    ((size) > 0x20000u - 64u && (size) < 0x20000u                              \
         ? (SIZE_T)0x20000u /* FAULT: the header does not fit */               \
         : (SIZE_T)BASE_HDR + ((size) ? (SIZE_T)(size) : 1u))
#include "common.h"
