/*
 * png_check FILE.png: is FILE a well-formed PNG, as vpcert writes them?
 * Written apart from tools/png.c (its own CRC table, its own reading) so
 * that a mistake in the writer is not shared by the check:
 *   - the 8-byte signature;
 *   - every chunk's CRC-32 over its type and data;
 *   - IHDR first (13 bytes, width and height > 0, a legal bit depth and
 *     colour type), PLTE before IDAT for an indexed image, IEND last and
 *     empty, nothing after it;
 *   - the IDAT data, joined, a zlib stream (header check bits) whose deflate
 *     blocks (stored blocks only: LEN and NLEN agree) hold exactly
 *     height x (1 + row bytes) bytes, each row's filter type at most 4,
 *     every palette index inside the palette, and whose Adler-32 matches.
 * Exit 0 and "ok WxH" when it is; 1 and the first problem otherwise.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t crc_table[256];

static int bad(const char *what) {
    printf("png_check: %s\n", what);
    return 1;
}

static uint32_t be32(const uint8_t *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static uint32_t crc(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* The zlib stream z (n bytes) of stored blocks, inflated into out (cap). */
static int inflate_stored(const uint8_t *z, size_t n, uint8_t *out, size_t cap,
                          size_t *got) {
    if (n < 6 || (z[0] & 0x0F) != 8 || ((unsigned)z[0] << 8 | z[1]) % 31)
        return bad("IDAT: not a zlib deflate stream");
    size_t at = 2, o = 0;
    for (int final = 0; !final;) {
        if (at + 5 > n)
            return bad("IDAT: truncated deflate block");
        final = z[at] & 1;
        if ((z[at] >> 1 & 3) != 0)
            return bad("IDAT: a compressed block (this check reads stored "
                       "blocks only)");
        unsigned len = z[at + 1] | z[at + 2] << 8;
        unsigned nlen = z[at + 3] | z[at + 4] << 8;
        if ((len ^ 0xFFFFu) != nlen)
            return bad("IDAT: stored block LEN and NLEN disagree");
        at += 5;
        if (at + len > n || o + len > cap)
            return bad("IDAT: a stored block runs past the data or image");
        memcpy(out + o, z + at, len);
        at += len;
        o += len;
    }
    uint32_t a = 1, b = 0;
    for (size_t i = 0; i < o; i++) {
        a = (a + out[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    if (at + 4 != n || be32(z + at) != (b << 16 | a))
        return bad("IDAT: Adler-32 mismatch or bytes after the stream");
    *got = o;
    return 0;
}

/* The image data against IHDR and PLTE. */
static int check_pixels(const uint8_t *ihdr, unsigned ncolors, const uint8_t *z,
                        size_t zlen) {
    uint32_t w = be32(ihdr), h = be32(ihdr + 4);
    unsigned depth = ihdr[8], type = ihdr[9];
    unsigned channels = type == 2 ? 3 : type == 4 ? 2 : type == 6 ? 4 : 1;
    size_t row = 1 + ((size_t)w * channels * depth + 7) / 8, got = 0;
    uint8_t *raw = malloc(row * h + 1);
    int rc = raw ? inflate_stored(z, zlen, raw, row * h, &got) : 1;
    if (rc == 0 && got != row * h)
        rc = bad("IDAT: wrong amount of image data for IHDR");
    for (uint32_t y = 0; rc == 0 && y < h; y++) {
        if (raw[y * row] > 4)
            rc = bad("IDAT: a row filter type above 4");
        for (size_t x = 1; rc == 0 && type == 3 && depth == 8 && x < row; x++)
            if (raw[y * row + x] >= ncolors)
                rc = bad("IDAT: a palette index outside PLTE");
    }
    free(raw);
    if (rc == 0)
        printf("ok %ux%u\n", (unsigned)w, (unsigned)h);
    return rc;
}

/* The bit depths PNG allows for each colour type. */
static int legal(unsigned depth, unsigned type) {
    switch (type) {
    case 0:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8 ||
               depth == 16;
    case 3:
        return depth == 1 || depth == 2 || depth == 4 || depth == 8;
    case 2:
    case 4:
    case 6:
        return depth == 8 || depth == 16;
    default:
        return 0;
    }
}

static int check(const uint8_t *f, size_t n) {
    static const uint8_t sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    const uint8_t *ihdr = NULL;
    unsigned ncolors = 0;
    uint8_t *z = malloc(n ? n : 1);
    size_t zlen = 0, at = 8;
    if (!z)
        return bad("out of memory");
    if (n < 8 || memcmp(f, sig, 8) != 0)
        return bad("no PNG signature");
    for (int first = 1;; first = 0) {
        if (at + 12 > n)
            return bad("truncated chunk (no IEND)");
        uint32_t len = be32(f + at);
        const uint8_t *type = f + at + 4, *data = f + at + 8;
        if (len > n - at - 12)
            return bad("a chunk runs past the end of the file");
        if (crc(type, 4 + (size_t)len) != be32(data + len))
            return bad("a chunk's CRC does not match");
        if (first != (memcmp(type, "IHDR", 4) == 0))
            return bad("IHDR is not the first chunk, or not the only one");
        if (first && (len != 13 || !be32(data) || !be32(data + 4) ||
                      !legal(data[8], data[9])))
            return bad("IHDR: bad size, bit depth or colour type");
        if (first)
            ihdr = data;
        if (memcmp(type, "PLTE", 4) == 0) {
            if (len % 3 || len == 0 || len > 768 || zlen)
                return bad("PLTE: bad length or after IDAT");
            ncolors = len / 3;
        }
        if (memcmp(type, "IDAT", 4) == 0) {
            memcpy(z + zlen, data, len);
            zlen += len;
        }
        at += 12 + (size_t)len;
        if (memcmp(type, "IEND", 4) == 0) {
            if (len || at != n)
                return bad("IEND not empty, or bytes after it");
            break;
        }
    }
    if (!zlen || (ihdr[9] == 3 && !ncolors))
        return bad("no IDAT, or an indexed image without PLTE");
    int rc = check_pixels(ihdr, ncolors, z, zlen);
    free(z);
    return rc;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: png_check FILE.png\n");
        return 2;
    }
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f)
        return bad("cannot open the file");
    static uint8_t buf[16u << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return check(buf, n);
}
