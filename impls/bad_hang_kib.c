/*
 * bad_hang_kib: after a pool refusal the implementation records the refused
 * Size in KiB, counting up in a ULONG: kib * 1024 wraps before it passes a
 * Size above 0xFFFFFC00, and the loop never ends.
 * Hangs in exactly one place of the conformance vectors:
 * ab-res-4-quota-code-needs-quota.vpt op 2 (0xFFFFFFFF on an unlimited
 * device, refused by a 64 KiB pool), so the clause is AB-RES-4.
 */
#include <vpcert/video.h>

static volatile ULONG bad_refused_kib; /* last refusal, for a debugger */

struct base_hdr;
static struct base_hdr *bad_note_refusal(ULONG size) {
    volatile ULONG kib = 0;
    while (kib * 1024u < size) /* FAULT: wraps for size > 0xFFFFFC00 */
        kib++;
    bad_refused_kib = kib;
    return NULL;
}

#define BASE_RETRY(d, size) bad_note_refusal(size)
#include "common.h"
