/*
 * bad_memory_hog: when the pool refuses a buffer of 1 GiB or more, the
 * implementation "makes room": it grows a reserve in process memory, 64 MiB
 * at a time, touching every page, and asks the pool again after each step,
 * until the pool grants (a pool too small for the request never does). At
 * 4 GiB it stops growing and keeps waiting, holding the 4 GiB, so a run
 * without a memory limit ends in a time-out rather than taking all of the
 * machine's memory.
 * Runs away in exactly one place of the conformance vectors:
 * ab-res-4-quota-code-needs-quota.vpt op 2 (0xFFFFFFFF on an unlimited
 * device, refused by a 64 KiB pool), so the clause is AB-RES-4.
 * Run it only under a memory limit, as `vpcert certify` does (2 GiB per
 * case); `vpcert conform` has none and shows a TIMEOUT.
 */
#include <vpcert/video.h>

#include <stdlib.h>
#include <string.h>

#define BAD_STEP ((size_t)64 << 20)
#define BAD_CAP ((size_t)4 << 30)

static void *volatile bad_reserve; /* newest chunk; each links the previous */

struct base_hdr;
static struct base_hdr *bad_make_room(PVOID ext, ULONG size);
#define BASE_RETRY(d, size) bad_make_room((PVOID)(d), (size))
#include "common.h"

static struct base_hdr *bad_make_room(PVOID ext, ULONG size) {
    size_t held = 0;
    struct base_hdr *h = NULL;
    if (size < (1u << 30))
        return NULL;
    while (!h && held < BAD_CAP) { /* FAULT: grows until the pool grants */
        void **chunk = malloc(BAD_STEP);
        if (!chunk)
            break;
        memset(chunk, 0xA5, BAD_STEP);
        chunk[0] = bad_reserve;
        bad_reserve = chunk;
        held += BAD_STEP;
        h = base_block_get(ext, size);
    }
    while (!h && bad_reserve != NULL) /* then waits, holding what it took */
        continue;
    return h;
}
