/*
 * bad_hdr_not_counted: the pool request is Size bytes; the 48-byte header
 * in front of the buffer is forgotten, so the buffer runs past its block.
 * Breaks BUF-2 at the first grant (the buffer is not inside one live pool
 * block; e.g. buf-2-size-bytes-in-block.vpt op 0).
 */
/* FAULT: no BASE_HDR */
#define BASE_BLOCK_BYTES(size) ((size) ? (SIZE_T)(size) : (SIZE_T)1u)
#include "common.h"
