/* png: indexed-colour PNG files with stored deflate blocks. */
#include "png.h"

#include <stdlib.h>
#include <string.h>

#define STORED_MAX 65535u /* bytes in one stored deflate block */

/* CRC-32 (ISO 3309, the polynomial 0xEDB88320 reflected), bit by bit:
 * a plot is written once per campaign. */
static uint32_t crc32_of(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (c & 1u ? 0xEDB88320u : 0u);
    }
    return ~c;
}

static uint8_t *put32(uint8_t *o, uint32_t v) {
    o[0] = (uint8_t)(v >> 24);
    o[1] = (uint8_t)(v >> 16);
    o[2] = (uint8_t)(v >> 8);
    o[3] = (uint8_t)v;
    return o + 4;
}

/* A chunk: length, type, data, CRC of type and data. Returns the end. */
static uint8_t *chunk(uint8_t *o, const char type[4], const uint8_t *data,
                      uint32_t n) {
    o = put32(o, n);
    memcpy(o, type, 4);
    if (n)
        memcpy(o + 4, data, n);
    o = put32(o + 4 + n, crc32_of(o, 4 + (size_t)n));
    return o;
}

/* The zlib stream of raw (filter 0 before each row, then the row's
 * indices), in stored blocks; *n its size. Adler-32 at the end. */
static uint8_t *zlib_stored(const uint8_t *raw, size_t rawlen, size_t *n) {
    size_t blocks = rawlen / STORED_MAX + 1;
    uint8_t *z = malloc(2 + blocks * 5 + rawlen + 4);
    if (!z)
        return NULL;
    uint8_t *o = z;
    *o++ = 0x78; /* deflate, 32 KiB window */
    *o++ = 0x01; /* no preset dictionary, fastest; (0x78 << 8 | 1) % 31 == 0 */
    size_t at = 0;
    do {
        size_t k = rawlen - at < STORED_MAX ? rawlen - at : STORED_MAX;
        *o++ = (uint8_t)(at + k == rawlen); /* BFINAL, BTYPE 00 */
        *o++ = (uint8_t)k;
        *o++ = (uint8_t)(k >> 8);
        *o++ = (uint8_t)~k;
        *o++ = (uint8_t)(~k >> 8);
        memcpy(o, raw + at, k);
        o += k;
        at += k;
    } while (at < rawlen);
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < rawlen; i++) {
        a = (a + raw[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    o = put32(o, b << 16 | a);
    *n = (size_t)(o - z);
    return z;
}

uint8_t *png_encode(const struct png_image *im, size_t *len) {
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (!im->w || !im->h || !im->ncolors || im->ncolors > 256)
        return NULL;
    size_t row = 1 + (size_t)im->w, rawlen = row * im->h, zlen;
    uint8_t *raw = malloc(rawlen), *z = NULL, *out = NULL;
    if (raw) {
        for (uint32_t y = 0; y < im->h; y++) {
            raw[y * row] = 0; /* filter type None */
            memcpy(raw + y * row + 1, im->px + (size_t)y * im->w, im->w);
        }
        z = zlib_stored(raw, rawlen, &zlen);
    }
    if (z)
        out = malloc(8 + 3 * 12 + 13 + 3 * (size_t)im->ncolors + zlen + 12);
    if (out) {
        uint8_t ihdr[13], *o = out;
        put32(put32(ihdr, im->w), im->h);
        memcpy(ihdr + 8, "\x08\x03\x00\x00\x00", 5); /* 8 bit, indexed */
        memcpy(o, sig, 8);
        o = chunk(o + 8, "IHDR", ihdr, 13);
        o = chunk(o, "PLTE", im->palette[0], 3 * im->ncolors);
        o = chunk(o, "IDAT", z, (uint32_t)zlen);
        o = chunk(o, "IEND", NULL, 0);
        *len = (size_t)(o - out);
    }
    free(raw);
    free(z);
    return out;
}
