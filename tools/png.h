/*
 * png: an indexed-colour image as the bytes of a PNG file (PNG 1.2 /
 * ISO/IEC 15948): signature, IHDR (8 bits per pixel, colour type 3), PLTE,
 * one IDAT holding a zlib stream of stored (uncompressed) deflate blocks,
 * and IEND, each chunk with its CRC-32. No compression: the plots vpcert
 * draws are a few hundred KiB, and the writer stays a page long.
 */
#ifndef VPCERT_PNG_H
#define VPCERT_PNG_H

#include <stddef.h>
#include <stdint.h>

struct png_image {
    uint32_t w, h;               /* size in pixels, each > 0 */
    const uint8_t *px;           /* w * h palette indices, row by row */
    const uint8_t (*palette)[3]; /* RGB of each index */
    unsigned ncolors;            /* palette entries, 1 to 256 */
};

/* The PNG file's bytes (malloc'd) and their count in *len; NULL when out
 * of memory or the image is empty. */
uint8_t *png_encode(const struct png_image *im, size_t *len);

#endif /* VPCERT_PNG_H */
