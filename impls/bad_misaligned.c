/*
 * bad_misaligned: the space in front of each buffer is the header's own
 * size, 40 bytes, not rounded up to 16 (fine on x86, where 8 was the pool
 * alignment), so every buffer is 8 bytes off 16-byte alignment.
 * Breaks BUF-1 at the first grant (e.g. buf-1-aligned.vpt op 0).
 */
#define BASE_HDR sizeof(struct base_hdr) /* FAULT: 40, not rounded to 16 */
#include "common.h"
