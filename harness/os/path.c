/* path: what a path names, and paths made from paths. */
#include "os.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int os_is_file(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int os_is_dir(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int os_path_join(char *out, size_t cap, const char *dir, const char *name) {
    int n = snprintf(out, cap, "%s/%s", dir, name);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}

int os_path_abs(const char *path, char *out) {
    char buf[PATH_MAX], d[PATH_MAX];
    if (realpath(path, out))
        return 0;
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    char *slash = strrchr(buf, '/');
    const char *base = slash ? slash + 1 : buf;
    const char *dir = slash ? (slash == buf ? "/" : buf) : ".";
    if (slash)
        *slash = 0;
    if (!realpath(dir, d))
        return -1;
    return os_path_join(out, PATH_MAX, strcmp(d, "/") ? d : "", base);
}

int os_path_within(const char *path, const char *dir) {
    size_t n = strlen(dir);
    return strncmp(path, dir, n) == 0 && (path[n] == 0 || path[n] == '/');
}
