/* tree: removing a directory and everything in it, dot files included. */
#include "os.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TREE_DEPTH 64 /* deeper trees are not vpcert's */

static int remove_at(int at, const char *name, int depth) {
    if (unlinkat(at, name, 0) == 0 || errno == ENOENT)
        return 0;
    if ((errno != EISDIR && errno != EPERM) || depth > TREE_DEPTH)
        return -1;
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    int rc = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        rc |= remove_at(dirfd(d), e->d_name, depth + 1);
    }
    closedir(d);
    return unlinkat(at, name, AT_REMOVEDIR) == 0 ? rc : -1;
}

int os_tree_remove(const char *path) {
    return remove_at(AT_FDCWD, path, 0);
}
