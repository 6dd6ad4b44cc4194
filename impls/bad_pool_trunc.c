/*
 * bad_pool_trunc: AllocatePool passes NumberOfBytes on as a ULONG, so a
 * SIZE_T above 4 GiB loses its high half and the block is far too small.
 * Breaks AP-RES-2 (ap-res-1-null-needs-refusal.vpt op 4: 0x100000001 bytes
 * come back as a one-byte block; ap-res-2-full-size-t.vpt op 3).
 */
#define BASE_POOL_BYTES(t, n) ((ULONG)(n)) /* FAULT: truncated */
#include "common.h"
