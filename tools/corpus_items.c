/* corpus_items: the program files a command runs, read into memory: from
 * a directory the user names, or built into vpcert, so that certify and
 * conform run the same vectors from any directory. */
#include "builtin_corpus.h"
#include "cli.h"
#include "corpus.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(struct corpus_items *it, size_t n) {
    struct corpus_item *v = realloc(it->v, n * sizeof *v);
    if (!v) {
        fprintf(stderr, "vpcert: out of memory reading the corpus\n");
        return -1;
    }
    it->v = v;
    return 0;
}

int corpus_items_read(const struct corpus *paths, struct corpus_items *it) {
    memset(it, 0, sizeof *it);
    if (paths->n && grow(it, paths->n) != 0)
        return -1;
    for (size_t i = 0; i < paths->n; i++) {
        struct corpus_item *item = &it->v[it->n];
        size_t len;
        uint8_t *data = cli_read_file(paths->v[i], &len);
        if (!data)
            return -1;
        snprintf(item->name, sizeof item->name, "%s", paths->v[i]);
        item->data = item->owned = data;
        item->len = len;
        it->n++;
    }
    return 0;
}

/* The built-in files of sub, under their names "sub/FILE". */
static int builtin(const char *sub, struct corpus_items *it) {
    size_t sl = strlen(sub), n = 0;
    for (size_t i = 0; i < builtin_corpus_count; i++)
        n += strncmp(builtin_corpus[i].name, sub, sl) == 0 &&
             builtin_corpus[i].name[sl] == '/';
    if (n && grow(it, n) != 0)
        return -1;
    for (size_t i = 0; i < builtin_corpus_count; i++) {
        const struct builtin_file *b = &builtin_corpus[i];
        if (strncmp(b->name, sub, sl) != 0 || b->name[sl] != '/')
            continue;
        struct corpus_item *item = &it->v[it->n++];
        snprintf(item->name, sizeof item->name, "%s", b->name);
        item->data = b->data;
        item->len = b->len;
        item->owned = NULL;
    }
    return 0;
}

int corpus_items_of(const char *dir, const char *sub, struct corpus_items *it) {
    char path[PATH_MAX];
    struct corpus paths = {0};
    memset(it, 0, sizeof *it);
    if (!dir)
        return builtin(sub, it);
    if (os_path_join(path, sizeof path, dir, sub) != 0 || !os_is_dir(path)) {
        fprintf(stderr,
                "vpcert: %s/%s: no such directory (--corpus names a "
                "directory holding conformance/ and regressions/)\n",
                dir, sub);
        return -1;
    }
    int rc = corpus_add(&paths, path) == 0 ? corpus_items_read(&paths, it) : -1;
    corpus_free(&paths);
    return rc;
}

void corpus_items_free(struct corpus_items *it) {
    for (size_t i = 0; i < it->n; i++)
        free(it->v[i].owned);
    free(it->v);
    memset(it, 0, sizeof *it);
}

int corpus_item_program(const struct corpus_item *item, struct program *p,
                        unsigned char *cites) {
    if (cli_parse_program(item->name, item->data, item->len, p) != 0)
        return -1;
    if (cites)
        corpus_cites(cli_is_text_program(item->name) ? (const char *)item->data
                                                     : NULL,
                     item->len, p, cites);
    return 0;
}
