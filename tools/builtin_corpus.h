/*
 * builtin_corpus: the conformance vectors, the regressions and the fuzzing
 * seeds of corpus/, built into vpcert (cmake/embed_corpus.cmake writes the
 * table at build time), so that what certify and conform run, and what
 * fuzz starts from, never depends on the directory vpcert runs in.
 */
#ifndef VPCERT_BUILTIN_CORPUS_H
#define VPCERT_BUILTIN_CORPUS_H

#include <stddef.h>

/* One file of corpus/. */
struct builtin_file {
    const char *name;          /* "conformance/qu-2-exact-fit.vpt" */
    const unsigned char *data; /* its bytes, followed by a NUL */
    size_t len;                /* bytes, the NUL not counted */
};

extern const struct builtin_file builtin_corpus[]; /* sorted by name */
extern const size_t builtin_corpus_count;          /* entries */

#endif /* VPCERT_BUILTIN_CORPUS_H */
