/*
 * test_golden: the binary encoder's canonical bytes are pinned. For every
 * fuzzers/seeds-src/X.vpt, encode(parse(X.vpt)) must equal the checked-in
 * corpus/seeds/X.bin byte for byte, and every X.bin must have its X.vpt.
 * The round-trip fixpoint alone (decode(encode(p)) == p) holds for an
 * encoder that writes every value raw instead of through the selector,
 * size and tag tables; these bytes do not.
 *
 * usage: test_golden SEEDS_SRC_DIR SEEDS_BIN_DIR
 */
#include "program.h"
#include "testhelper.h"

#include <dirent.h>

/* Names in dir ending in ext, without it; returns the count (<= max). */
static unsigned names(const char *dir, const char *ext, char out[][256],
                      unsigned max) {
    DIR *d = opendir(dir);
    unsigned n = 0;
    size_t el = strlen(ext);
    for (struct dirent *e; d && (e = readdir(d)) && n < max;) {
        size_t len = strlen(e->d_name);
        if (len > el && len - el < 256 &&
            strcmp(e->d_name + len - el, ext) == 0) {
            memcpy(out[n], e->d_name, len - el);
            out[n++][len - el] = 0;
        }
    }
    if (d)
        closedir(d);
    return n;
}

static const char *src_dir, *bin_dir;
static struct program prog;

static void golden_one(const char *name) {
    char path[600], err[300];
    size_t tn = 0, bn = 0;
    snprintf(path, sizeof path, "%s/%s.vpt", src_dir, name);
    char *text = th_read_file(path, &tn);
    snprintf(path, sizeof path, "%s/%s.bin", bin_dir, name);
    char *bin = th_read_file(path, &bn);
    CHECK(text && bin, "format");
    if (text && bin) {
        int rc = prog_text_parse(text, tn, name, &prog, err, sizeof err);
        CHECK(rc == 0, "format");
        size_t n = rc == 0 ? prog_encode(&prog, NULL, 0) : 0;
        uint8_t *enc = malloc(n ? n : 1);
        if (enc)
            prog_encode(&prog, enc, n);
        int same = enc && n == bn && memcmp(enc, bin, n) == 0;
        CHECK(same, "format");
        if (!same)
            fprintf(stderr,
                    "  %s: encode(parse(%s.vpt)) is %zu bytes, %s.bin "
                    "%zu, or they differ\n",
                    name, name, n, name, bn);
        free(enc);
    }
    free(text);
    free(bin);
}

static void format_encoder_golden_bytes(void) {
    static char src[64][256], bin[64][256];
    unsigned ns = names(src_dir, ".vpt", src, 64);
    unsigned nb = names(bin_dir, ".bin", bin, 64);
    CHECK(ns > 0 && ns == nb, "format");
    for (unsigned i = 0; i < ns; i++)
        golden_one(src[i]);
    for (unsigned i = 0; i < nb; i++) {
        int found = 0;
        for (unsigned j = 0; j < ns; j++)
            found |= strcmp(bin[i], src[j]) == 0;
        CHECK(found, "format");
    }
}

int main(int argc, char **argv) {
    static const struct th_test tests[] = {TEST(format_encoder_golden_bytes)};
    if (argc != 3) {
        fprintf(stderr, "usage: test_golden SEEDS_SRC_DIR SEEDS_BIN_DIR\n");
        return 2;
    }
    src_dir = argv[1];
    bin_dir = argv[2];
    return th_run(tests, 1, 1, argv);
}
