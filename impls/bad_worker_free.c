/*
 * bad_worker_free: impls/common.h, except that the block of a large buffer
 * (64 KiB or more) is freed on a thread the port starts, which it waits
 * for: a Windows port whose big frees ran in a system thread, brought to
 * Linux with a thread of its own. vpcert's kernel stand-in serves no kernel
 * call from a thread vpcert did not start (SPEC.md HOST-2): the free never
 * happens. Breaks HOST-2, at the first release of such a buffer.
 */
#include <vpcert/video.h>

#include <pthread.h>

struct base_hdr;
static VOID FreeBlock(struct base_hdr *Header);

#define BASE_BLOCK_FREE(h) FreeBlock(h)
#include "common.h"

#define BIG_FREE (64u * 1024u) /* a buffer this big is freed by the worker */

static void *FreeOnWorker(void *Header) {
    struct base_hdr *h = Header;
    ExFreePoolWithTag(h, h->tag);
    return NULL;
}

static VOID FreeBlock(struct base_hdr *Header) {
    pthread_t Worker;
    if (Header->size < BIG_FREE ||
        pthread_create(&Worker, NULL, FreeOnWorker, Header) != 0) {
        ExFreePoolWithTag(Header, Header->tag);
        return;
    }
    pthread_join(Worker, NULL);
}
