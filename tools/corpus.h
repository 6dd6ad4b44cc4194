/*
 * corpus: the program files a command runs, from the command line or a
 * directory, and the clauses a conformance vector cites.
 */
#ifndef VPCERT_CORPUS_H
#define VPCERT_CORPUS_H

#include <stddef.h>

#include "program.h"

struct corpus {
    char **v;   /* paths, malloc'd */
    size_t n;   /* count */
    size_t cap; /* capacity of v */
};

/* Add path: a file as it is, or a directory's program files, found
 * recursively under the listing rule of os_dir_list, leaving out what is
 * not a program (README*, *.md, *.txt, *.ics); what one call adds is
 * sorted. 0, or -1 with "vpcert: PATH: reason" printed. */
int corpus_add(struct corpus *c, const char *path);
/* corpus_add for each argument, or for dflt when there is none (NULL:
 * nothing). 0, or -1 with the reason printed. */
int corpus_collect(struct corpus *c, int nargs, char *const *args,
                   const char *dflt);
void corpus_free(struct corpus *c);
/* Clauses a vector cites (cites[k] = 1 for clause index k, the rest 0):
 * the clause= of p's expect lines and the IDs of the "# clauses:" lines of
 * its text (len bytes; NULL for a binary program). */
void corpus_cites(const char *text, size_t len, const struct program *p,
                  unsigned char *cites);

/* One program file of a corpus, read: from a directory, or built into
 * vpcert (tools/builtin_corpus.h). */
struct corpus_item {
    char name[256];      /* "conformance/FILE", or the path given */
    const uint8_t *data; /* its bytes (NUL after them) */
    size_t len;          /* bytes */
    uint8_t *owned;      /* data when read from a file (freed), else NULL */
};
struct corpus_items {
    struct corpus_item *v; /* the files, sorted by name */
    size_t n;              /* count */
};
/* The program files of corpus subdirectory sub ("conformance",
 * "regressions", "seeds"): from dir/sub when dir is given, where a missing
 * directory is an error, else the ones built into vpcert. 0, or -1 with the
 * reason printed. */
int corpus_items_of(const char *dir, const char *sub, struct corpus_items *it);
/* The files named by paths (corpus_add), read. 0, or -1 printed. */
int corpus_items_read(const struct corpus *paths, struct corpus_items *it);
void corpus_items_free(struct corpus_items *it);
/* Item i as a program, and what it cites (cites may be NULL). 0, or -1
 * with the reason printed. */
int corpus_item_program(const struct corpus_item *item, struct program *p,
                        unsigned char *cites);

#endif /* VPCERT_CORPUS_H */
