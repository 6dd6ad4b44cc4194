/*
 * where: the files vpcert uses that are not built into it, found from
 * where the vpcert binary is. Installed (cmake --install): vpcert in
 * PREFIX/bin, its data (SPEC.md) in PREFIX/share/vpcert, the reproducer
 * library in PREFIX/lib and its headers in PREFIX/include/vpcert. In its
 * build tree: the source tree's files and the build tree's library.
 */
#ifndef VPCERT_WHERE_H
#define VPCERT_WHERE_H

#include <limits.h>

/* What a C reproducer is compiled and linked with. */
struct where_repro {
    char include[3][PATH_MAX]; /* -I directories (video.h, repro.h) */
    unsigned ninclude;         /* how many */
    char libdir[PATH_MAX];     /* holds libvpcert_repro.so */
};

/* A data file of vpcert (e.g. "SPEC.md"), absolute, into out. 0, or -1
 * when it is in neither place. */
int where_data(const char *name, char out[PATH_MAX]);
/* The reproducer library and headers. 0, or -1 when they are not there. */
int where_repro(struct where_repro *w);

#endif /* VPCERT_WHERE_H */
