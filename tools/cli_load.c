/* cli_load: what the commands read and write for the user, each with its
 * error printed as one line: programs, the implementation, the ICS, and
 * files written atomically. */
#include "cli.h"

#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t *cli_read_file(const char *path, size_t *len) {
    char err[PATH_MAX + 128];
    uint8_t *data = os_file_read(path, len, err, sizeof err);
    if (!data)
        fprintf(stderr, "vpcert: %s\n", err);
    return data;
}

int cli_write_file(const char *path, const void *data, size_t len) {
    char err[PATH_MAX + 128];
    int rc = os_file_write(path, data, len, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "vpcert: %s\n", err);
    return rc;
}

int cli_is_text_program(const char *path) {
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".vpt") == 0;
}

int cli_parse_program(const char *name, const uint8_t *data, size_t len,
                      struct program *p) {
    if (cli_is_text_program(name)) {
        char err[300];
        int rc =
            prog_text_parse((const char *)data, len, name, p, err, sizeof err);
        if (rc != 0)
            fprintf(stderr, "vpcert: %s\n", err);
        return rc;
    }
    if (prog_decode(data, len, p) == PROG_DECODE_NEWER) {
        fprintf(stderr,
                "vpcert: %s:0: format version %u is newer than this "
                "vpcert (%u)\n",
                name, (unsigned)p->version, PROG_FORMAT_VERSION);
        return -1;
    }
    return 0;
}

int cli_load_program(const char *path, struct program *p) {
    size_t len;
    uint8_t *data = cli_read_file(path, &len);
    if (!data)
        return -1;
    int rc = cli_parse_program(path, data, len, p);
    free(data);
    return rc;
}

int cli_load_impl(const struct cli *c, struct impl *impl) {
    char err[IMPL_ERR_MAX + PATH_MAX];
    if (!c->impl_path || strcmp(c->impl_path, "default") == 0) {
        impl_builtin(impl);
        return 0;
    }
    if (impl_open(impl, c->impl_path, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert: %s\n", err);
        return -1;
    }
    return 0;
}

int cli_load_ics(struct cli *c) {
    char err[PATH_MAX + 128];
    if (ics_load(c->ics_path, &c->ics, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "vpcert: %s\n", err);
    return -1;
}
