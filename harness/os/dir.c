/* dir: directory listings under one rule, and what is built on them. */
#include "os.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static enum os_kind kind_of(const char *dir, const char *name) {
    char p[PATH_MAX];
    struct stat st;
    if (os_path_join(p, sizeof p, dir, name) != 0 || stat(p, &st) != 0)
        return OS_OTHER;
    return S_ISREG(st.st_mode)   ? OS_FILE
           : S_ISDIR(st.st_mode) ? OS_DIR
                                 : OS_OTHER;
}

/* Append one entry; 0, or -1 when out of memory. */
static int list_add(struct os_list *l, size_t *cap, const char *dir,
                    const char *name) {
    if (l->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        struct os_entry *nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        *cap = nc;
    }
    char *copy = strdup(name);
    if (!copy)
        return -1;
    l->v[l->n].name = copy;
    l->v[l->n++].kind = kind_of(dir, name);
    return 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct os_entry *)a)->name,
                  ((const struct os_entry *)b)->name);
}

int os_dir_list(const char *dir, struct os_list *list, char *err,
                size_t errlen) {
    size_t cap = 0;
    list->v = NULL;
    list->n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; rc == 0 && (e = readdir(d));)
        if (e->d_name[0] != '.')
            rc = list_add(list, &cap, dir, e->d_name);
    closedir(d);
    if (rc != 0) {
        snprintf(err, errlen, "%s: out of memory", dir);
        os_list_free(list);
        return -1;
    }
    if (list->n)
        qsort(list->v, list->n, sizeof *list->v, by_name);
    return 0;
}

void os_list_free(struct os_list *list) {
    for (size_t i = 0; i < list->n; i++)
        free(list->v[i].name);
    free(list->v);
    list->v = NULL;
    list->n = 0;
}

size_t os_dir_count_files(const char *dir) {
    struct os_list l;
    char err[8];
    size_t n = 0;
    if (os_dir_list(dir, &l, err, sizeof err) != 0)
        return 0;
    for (size_t i = 0; i < l.n; i++)
        n += l.v[i].kind == OS_FILE;
    os_list_free(&l);
    return n;
}

void os_dir_empty(const char *dir) {
    struct os_list l;
    char err[8], p[PATH_MAX];
    if (os_dir_list(dir, &l, err, sizeof err) != 0)
        return;
    for (size_t i = 0; i < l.n; i++)
        if (l.v[i].kind == OS_FILE &&
            os_path_join(p, sizeof p, dir, l.v[i].name) == 0)
            unlink(p);
    os_list_free(&l);
}

int os_dir_make(const char *path) {
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *s = tmp + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
            return -1;
        *s = '/';
    }
    if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
        return -1;
    if (!os_is_dir(tmp)) {
        errno = ENOTDIR;
        return -1;
    }
    return 0;
}
