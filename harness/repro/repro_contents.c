/*
 * repro_contents: the contents a C reproducer writes into each allocation
 * it keeps and checks before giving it back (BUF-4), as vpcert's executor
 * does: the whole allocation up to the write limit (or two windows), else
 * its first and last REPRO_WINDOW bytes, the same bytes vpcert writes. The
 * values are the reproducer's own (byte i of seed s: a xorshift of s and
 * i), not the executor's: a change is a change whatever was written, and
 * the reproducer shares no code with the executor it checks.
 */
#include "repro_internal.h"

#define REPRO_WINDOW 4096u /* bytes at each end of a large allocation */

static unsigned char content_byte(uint32_t seed, uint64_t i) {
    uint32_t x = seed ^ (uint32_t)i ^ (uint32_t)(i >> 32) << 16;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return (unsigned char)(x ^ (x >> 8) ^ (uint32_t)(i >> 8));
}

/* The windows written: [0] and, for a large allocation, [1]. */
static int windows(uint64_t size, uint64_t limit, uint64_t from[2],
                   uint64_t len[2]) {
    from[0] = 0;
    if (size <= limit || size <= 2 * (uint64_t)REPRO_WINDOW) {
        len[0] = size;
        return 1;
    }
    len[0] = len[1] = REPRO_WINDOW;
    from[1] = size - REPRO_WINDOW;
    return 2;
}

void repro_contents_write(unsigned char *p, uint64_t size, uint32_t seed,
                          uint64_t limit) {
    uint64_t from[2], len[2];
    int n = windows(size, limit, from, len);
    for (int w = 0; w < n; w++)
        for (uint64_t i = from[w]; i < from[w] + len[w]; i++)
            p[i] = content_byte(seed, i);
}

int repro_contents_intact(const unsigned char *p, uint64_t size, uint32_t seed,
                          uint64_t limit) {
    uint64_t from[2], len[2];
    int n = windows(size, limit, from, len);
    for (int w = 0; w < n; w++)
        for (uint64_t i = from[w]; i < from[w] + len[w]; i++)
            if (p[i] != content_byte(seed, i))
                return 0;
    return 1;
}
