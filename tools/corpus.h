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
 * the clause= of its expect lines and the IDs of its "# clauses:" lines. */
void corpus_cites(const char *path, const struct program *p,
                  unsigned char *cites);

#endif /* VPCERT_CORPUS_H */
