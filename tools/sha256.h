/* sha256: FIPS 180-4 SHA-256, for the library hash in certification reports. */
#ifndef VPCERT_SHA256_H
#define VPCERT_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
    uint32_t h[8];   /* chaining state */
    uint64_t bytes;  /* message length so far */
    uint8_t buf[64]; /* pending block */
    size_t used;     /* bytes in buf */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
void sha256_final(struct sha256 *s, uint8_t out[32]);
/* Hex digest of a file; returns 0, or -1 if it cannot be read. */
int sha256_file(const char *path, char hex[65]);

#endif /* VPCERT_SHA256_H */
