/* where: vpcert's files beside its binary, installed or in the build tree
 * (where.h). The relative install directories and the two trees come from
 * CMake (VPCERT_INSTALL_*, VPCERT_SOURCE_DIR, VPCERT_BINARY_DIR). */
#include "where.h"

#include "os.h"
#include "strf.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The installation prefix vpcert runs from (the parent of its directory),
 * into out. 0, or -1. */
static int prefix(char out[PATH_MAX]) {
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len <= 0)
        return -1;
    exe[len] = 0;
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash || slash == exe)
            return -1;
        *slash = 0;
    }
    return strf(out, PATH_MAX, "%s", exe);
}

/* path, made absolute, into out when it is a regular file. */
static int found(const char *path, char out[PATH_MAX]) {
    return os_is_file(path) && realpath(path, out) ? 0 : -1;
}

int where_data(const char *name, char out[PATH_MAX]) {
    char pre[PATH_MAX], cand[PATH_MAX + 64];
    if (prefix(pre) == 0 &&
        strf(cand, sizeof cand, "%s/%s/vpcert/%s", pre, VPCERT_INSTALL_DATADIR,
             name) == 0 &&
        found(cand, out) == 0)
        return 0;
    return strf(cand, sizeof cand, "%s/%s", VPCERT_SOURCE_DIR, name) == 0
               ? found(cand, out)
               : -1;
}

int where_repro(struct where_repro *w) {
    char pre[PATH_MAX], cand[PATH_MAX + 64], lib[PATH_MAX];
    memset(w, 0, sizeof *w);
    if (prefix(pre) == 0 &&
        strf(cand, sizeof cand, "%s/%s/libvpcert_repro.so", pre,
             VPCERT_INSTALL_LIBDIR) == 0 &&
        found(cand, lib) == 0 &&
        strf(cand, sizeof cand, "%s/%s/vpcert/repro.h", pre,
             VPCERT_INSTALL_INCLUDEDIR) == 0 &&
        os_is_file(cand)) {
        strf(w->include[0], PATH_MAX, "%s/%s", pre, VPCERT_INSTALL_INCLUDEDIR);
        strf(w->include[1], PATH_MAX, "%s/%s/vpcert", pre,
             VPCERT_INSTALL_INCLUDEDIR);
        w->ninclude = 2;
    } else if (strf(cand, sizeof cand, "%s/libvpcert_repro.so",
                    VPCERT_BINARY_DIR) == 0 &&
               found(cand, lib) == 0) {
        strf(w->include[0], PATH_MAX, "%s/include", VPCERT_SOURCE_DIR);
        strf(w->include[1], PATH_MAX, "%s/harness/repro", VPCERT_SOURCE_DIR);
        w->ninclude = 2;
    } else {
        return -1;
    }
    char *slash = strrchr(lib, '/');
    *slash = 0;
    return strf(w->libdir, PATH_MAX, "%s", lib);
}
