/* plot: stats.png, four panels over time (exec/s, coverage, corpus,
 * findings) drawn on an indexed-colour canvas with a 5x7 pixel font, the
 * way AFL's plot tool shows a campaign. */
#include "os.h"
#include "png.h"
#include "stats.h"
#include "strf.h"

#include <stdlib.h>
#include <string.h>

#define W 640     /* canvas width */
#define H 520     /* canvas height */
#define LEFT 72   /* left margin (values) */
#define RIGHT 16  /* right margin */
#define TOP 28    /* title band */
#define BOTTOM 28 /* time axis band */
#define GAP 10    /* between panels */
#define PANELS 4  /* exec/s, coverage, corpus, findings */

enum { BG, INK, GRID, C_RATE, C_COV, C_CORPUS, C_FIND, NCOLORS };
static const uint8_t palette[NCOLORS][3] = {
    {255, 255, 255}, {0, 0, 0},     {215, 215, 215}, {31, 90, 200},
    {20, 150, 60},   {220, 120, 0}, {200, 30, 30}};

/* 5x7 glyphs, a row per byte from the top, bit 4 the leftmost column. */
static const char glyph_chars[] =
    " 0123456789abcdefghijklmnopqrstuvwxyz/.:-%()+";
static const uint8_t glyphs[][7] = {{0, 0, 0, 0, 0, 0, 0},
                                    {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E},
                                    {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E},
                                    {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F},
                                    {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E},
                                    {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02},
                                    {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E},
                                    {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E},
                                    {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08},
                                    {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E},
                                    {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C},
                                    {0, 0, 0x0E, 0x01, 0x0F, 0x11, 0x0F},
                                    {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x1E},
                                    {0, 0, 0x0E, 0x10, 0x10, 0x11, 0x0E},
                                    {0x01, 0x01, 0x0D, 0x13, 0x11, 0x11, 0x0F},
                                    {0, 0, 0x0E, 0x11, 0x1F, 0x10, 0x0E},
                                    {0x06, 0x09, 0x08, 0x1C, 0x08, 0x08, 0x08},
                                    {0, 0, 0x0F, 0x11, 0x0F, 0x01, 0x0E},
                                    {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11},
                                    {0x04, 0, 0x0C, 0x04, 0x04, 0x04, 0x0E},
                                    {0x02, 0, 0x06, 0x02, 0x02, 0x12, 0x0C},
                                    {0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12},
                                    {0x0C, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E},
                                    {0, 0, 0x1A, 0x15, 0x15, 0x11, 0x11},
                                    {0, 0, 0x16, 0x19, 0x11, 0x11, 0x11},
                                    {0, 0, 0x0E, 0x11, 0x11, 0x11, 0x0E},
                                    {0, 0, 0x1E, 0x11, 0x1E, 0x10, 0x10},
                                    {0, 0, 0x0D, 0x13, 0x0F, 0x01, 0x01},
                                    {0, 0, 0x16, 0x19, 0x10, 0x10, 0x10},
                                    {0, 0, 0x0E, 0x10, 0x0E, 0x01, 0x1E},
                                    {0x08, 0x08, 0x1C, 0x08, 0x08, 0x09, 0x06},
                                    {0, 0, 0x11, 0x11, 0x11, 0x13, 0x0D},
                                    {0, 0, 0x11, 0x11, 0x11, 0x0A, 0x04},
                                    {0, 0, 0x11, 0x11, 0x15, 0x15, 0x0A},
                                    {0, 0, 0x11, 0x0A, 0x04, 0x0A, 0x11},
                                    {0, 0, 0x11, 0x11, 0x0F, 0x01, 0x0E},
                                    {0, 0, 0x1F, 0x02, 0x04, 0x08, 0x1F},
                                    {0, 0x01, 0x02, 0x04, 0x08, 0x10, 0},
                                    {0, 0, 0, 0, 0, 0x0C, 0x0C},
                                    {0, 0x0C, 0x0C, 0, 0x0C, 0x0C, 0},
                                    {0, 0, 0, 0x1F, 0, 0, 0},
                                    {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03},
                                    {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02},
                                    {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08},
                                    {0, 0x04, 0x04, 0x1F, 0x04, 0x04, 0}};

static void dot(uint8_t *px, int x, int y, uint8_t color) {
    if (x >= 0 && x < W && y >= 0 && y < H)
        px[y * W + x] = color;
}

/* Text at (x, y), its top-left corner, each pixel scale x scale; upper
 * case is drawn as lower case, a character without a glyph as a space. */
static void text(uint8_t *px, int x, int y, int scale, const char *s) {
    for (; *s; s++, x += 6 * scale) {
        char ch = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
        const char *g = strchr(glyph_chars, ch);
        size_t k = g && ch ? (size_t)(g - glyph_chars) : 0;
        for (int r = 0; r < 7 * scale; r++)
            for (int c = 0; c < 5 * scale; c++)
                if (glyphs[k][r / scale] & (0x10 >> (c / scale)))
                    dot(px, x + c, y + r, INK);
    }
}

/* A line from (x0, y0) to (x1, y1), Bresenham's way, 2 pixels thick. */
static void line(uint8_t *px, int x0, int y0, int x1, int y1, uint8_t color) {
    int dx = abs(x1 - x0), dy = -abs(y1 - y0), err = dx + dy;
    int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    for (;;) {
        dot(px, x0, y0, color);
        dot(px, x0, y0 - 1, color);
        if (x0 == x1 && y0 == y1)
            return;
        int e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

/* A number in at most 7 characters: 1234, 12.3k, 4.56m. */
static void number(char *out, size_t cap, double v) {
    if (v >= 1e9)
        strf(out, cap, "%.2fg", v / 1e9);
    else if (v >= 1e6)
        strf(out, cap, "%.2fm", v / 1e6);
    else if (v >= 1e4)
        strf(out, cap, "%.1fk", v / 1e3);
    else
        strf(out, cap, "%.0f", v);
}

static double value(const struct stats_sample *x, int panel) {
    switch (panel) {
    case 0:
        return x->rate;
    case 1:
        return (double)x->cov;
    case 2:
        return (double)x->corpus;
    default:
        return (double)x->findings;
    }
}

/* Panel k: frame, grid, its name and scale, and the samples as a line. */
static void panel(uint8_t *px, const struct stats *s, int k, double tmax) {
    static const char *const names[PANELS] = {"exec/s", "coverage", "corpus",
                                              "findings"};
    int ph = (H - TOP - BOTTOM - (PANELS - 1) * GAP) / PANELS;
    int y0 = TOP + k * (ph + GAP), y1 = y0 + ph, x0 = LEFT, x1 = W - RIGHT;
    double vmax = 1;
    for (size_t i = 0; i < s->n; i++)
        if (value(&s->v[i], k) > vmax)
            vmax = value(&s->v[i], k);
    for (int q = 1; q < 4; q++)
        for (int x = x0; x <= x1; x += 2)
            dot(px, x, y1 - q * ph / 4, GRID);
    for (int x = x0; x <= x1; x++)
        dot(px, x, y0, INK), dot(px, x, y1, INK);
    for (int y = y0; y <= y1; y++)
        dot(px, x0, y, INK), dot(px, x1, y, INK);
    char label[32];
    number(label, sizeof label, vmax);
    text(px, x0 - 6 - 6 * (int)strlen(label), y0, 1, label);
    text(px, x0 - 12, y1 - 7, 1, "0");
    text(px, x0 + 6, y0 + 5, 1, names[k]);
    int px_prev = -1, py_prev = -1;
    for (size_t i = 0; i < s->n; i++) {
        int x = x0 + (int)((x1 - x0) * (s->v[i].t / tmax));
        int y = y1 - (int)((ph - 2) * (value(&s->v[i], k) / vmax)) - 1;
        if (px_prev >= 0)
            line(px, px_prev, py_prev, x, y, (uint8_t)(C_RATE + k));
        else
            dot(px, x, y, (uint8_t)(C_RATE + k));
        px_prev = x;
        py_prev = y;
    }
}

int stats_plot(const struct stats *s, const char *png_path, char *err,
               size_t errlen) {
    uint8_t *px = calloc((size_t)W * H, 1), *png = NULL;
    size_t len = 0;
    double tmax = s->n ? s->v[s->n - 1].t : 0;
    char label[48];
    if (tmax <= 0)
        tmax = 1;
    if (px) {
        text(px, LEFT, 6, 2, "vpcert fuzz");
        for (int k = 0; k < PANELS; k++)
            panel(px, s, k, tmax);
        strf(label, sizeof label, "%.0f s", tmax);
        text(px, W - RIGHT - 6 * (int)strlen(label), H - BOTTOM + 8, 1, label);
        text(px, LEFT, H - BOTTOM + 8, 1, "0 s");
        text(px, W / 2 - 24, H - BOTTOM + 8, 1, "time (s)");
        struct png_image im = {W, H, px, palette, NCOLORS};
        png = png_encode(&im, &len);
    }
    int rc = png ? os_file_write(png_path, png, len, err, errlen) : -1;
    if (!png)
        strf(err, errlen, "%s: out of memory", png_path);
    free(px);
    free(png);
    return rc;
}
