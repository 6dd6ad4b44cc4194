/* corpus: collecting program files, and what a vector cites. */
#include "corpus.h"

#include "clauses.h"
#include "cli.h"
#include "os.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int ends_with(const char *s, const char *tail) {
    size_t n = strlen(s), t = strlen(tail);
    return n > t && strcmp(s + n - t, tail) == 0;
}

/* Files beside the programs that are not programs. */
static int not_a_program(const char *name) {
    return strncmp(name, "README", 6) == 0 || ends_with(name, ".md") ||
           ends_with(name, ".txt") || ends_with(name, ".ics");
}

static int push(struct corpus *c, const char *path) {
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        char **v = realloc(c->v, cap * sizeof *v);
        if (!v)
            return -1;
        c->v = v;
        c->cap = cap;
    }
    if (!(c->v[c->n] = strdup(path)))
        return -1;
    c->n++;
    return 0;
}

static int add_dir(struct corpus *c, const char *dir) {
    struct os_list l;
    char err[PATH_MAX + 64], sub[PATH_MAX];
    if (os_dir_list(dir, &l, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert: %s\n", cli_show(err));
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++) {
        if (not_a_program(l.v[i].name))
            continue;
        rc = os_path_join(sub, sizeof sub, dir, l.v[i].name) != 0 ? -1
             : l.v[i].kind == OS_DIR ? add_dir(c, sub)
                                     : push(c, sub);
    }
    os_list_free(&l);
    return rc;
}

static int by_path(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int corpus_add(struct corpus *c, const char *path) {
    size_t before = c->n;
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "vpcert: %s: %s\n", cli_show(path), strerror(errno));
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return push(c, path);
    if (add_dir(c, path) != 0)
        return -1;
    if (c->n > before) /* an empty directory adds nothing (c->v may be NULL) */
        qsort(c->v + before, c->n - before, sizeof *c->v, by_path);
    return 0;
}

int corpus_collect(struct corpus *c, int nargs, char *const *args,
                   const char *dflt) {
    if (nargs == 0 && dflt)
        return corpus_add(c, dflt);
    for (int i = 0; i < nargs; i++)
        if (corpus_add(c, args[i]) != 0)
            return -1;
    return 0;
}

void corpus_free(struct corpus *c) {
    for (size_t i = 0; i < c->n; i++)
        free(c->v[i]);
    free(c->v);
    memset(c, 0, sizeof *c);
}

void corpus_cites(const char *text, size_t len, const struct program *p,
                  unsigned char *cites) {
    memset(cites, 0, spec_clause_count());
    for (uint32_t i = 0; i < p->nops; i++)
        if (p->ops[i].clause != UINT16_MAX)
            cites[p->ops[i].clause] = 1;
    for (size_t pos = 0; text && pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        char line[512];
        if (n >= 10 && n < sizeof line &&
            !memcmp(text + pos, "# clauses:", 10)) {
            memcpy(line, text + pos, n);
            line[n] = 0;
            char *save = NULL;
            for (char *t = strtok_r(line + 10, " \t\r,", &save); t;
                 t = strtok_r(NULL, " \t\r,", &save))
                if (spec_clause_index(t) >= 0)
                    cites[spec_clause_index(t)] = 1;
        }
        pos += n + 1;
    }
}
