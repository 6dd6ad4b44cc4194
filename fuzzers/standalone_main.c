/*
 * standalone_main: a main() for the fuzz targets without libFuzzer, so
 * that they build with any compiler and replay a corpus (CTest, gcc
 * builds, debuggers). Runs LLVMFuzzerTestOneInput once on every file
 * given and on every file in every directory given (sorted, not
 * recursive, dot files skipped), one line per file. A target that finds
 * something aborts, which ends the replay with the file's line last.
 *
 *   replay_diff FILE|DIR...
 */
#include "os.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned long replayed;

/* Run the target on one file. Returns 0, or -1 if it cannot be read. */
static int run_file(const char *path) {
    char err[4096 + 64];
    size_t n;
    uint8_t *buf = os_file_read(path, &n, err, sizeof err);
    if (!buf) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    printf("%s (%zu bytes): ", path, n);
    fflush(stdout);
    /* A copy of exactly n bytes, as libFuzzer passes: ASan then catches a
     * read past the end of the input. */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy) {
        free(buf);
        return -1;
    }
    memcpy(copy, buf, n);
    free(buf);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
    printf("ok\n");
    fflush(stdout);
    replayed++;
    return 0;
}

/* The regular files of a directory, under the listing rule of os_dir_list. */
static int run_dir(const char *path) {
    struct os_list l;
    char err[4096 + 64], file[4096];
    if (os_dir_list(path, &l, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < l.n; i++)
        if (l.v[i].kind == OS_FILE &&
            (os_path_join(file, sizeof file, path, l.v[i].name) != 0 ||
             run_file(file) != 0))
            rc = -1;
    os_list_free(&l);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr,
                "usage: %s FILE|DIR...\n"
                "runs the fuzz target once on every input given "
                "(built without libFuzzer)\n",
                argv[0]);
        return 2;
    }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "%s: %s\n", argv[i], strerror(errno));
            rc = 2;
        } else if (S_ISDIR(st.st_mode) ? run_dir(argv[i]) : run_file(argv[i])) {
            rc = 2;
        }
    }
    printf("%lu inputs replayed%s\n", replayed, rc ? ", some unreadable" : "");
    return rc;
}
