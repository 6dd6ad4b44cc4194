/* cli_load: what the commands read and write for the user, each with its
 * error printed as one line: programs, the implementation, the ICS, and
 * files written atomically. */
#include "cli.h"

#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_SLOTS 8 /* cli_show results alive at once */

const char *cli_show(const char *s) {
    static char slot[SHOW_SLOTS][4 * PATH_MAX + 64];
    static unsigned next;
    char *out = slot[next++ % SHOW_SLOTS];
    return os_show(s, out, sizeof slot[0]);
}

uint8_t *cli_read_file(const char *path, size_t *len) {
    char err[PATH_MAX + 128];
    uint8_t *data = os_file_read(path, len, err, sizeof err);
    if (!data)
        fprintf(stderr, "vpcert: %s\n", cli_show(err));
    return data;
}

int cli_write_file(const char *path, const void *data, size_t len) {
    char err[PATH_MAX + 128];
    int rc = os_file_write(path, data, len, err, sizeof err);
    if (rc != 0)
        fprintf(stderr, "vpcert: %s\n", cli_show(err));
    return rc;
}

int cli_is_text_program(const char *path) {
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".vpt") == 0;
}

/* Why the file at path is not a binary program this vpcert reads, said
 * without guessing what it is. */
static void not_binary(const char *path, const uint8_t *data, size_t len,
                       unsigned version) {
    if (len >= 7 && memcmp(data, "vpcert ", 7) == 0)
        fprintf(stderr,
                "vpcert: %s: a program in text form; name it *.vpt (a name "
                "not ending in .vpt is read as a binary program)\n",
                cli_show(path));
    else
        fprintf(stderr,
                "vpcert: %s: not a program this vpcert reads: a binary "
                "program starts with its format version (1 to %u here), this "
                "file with byte %u (a newer vpcert's program, or not a "
                "program)\n",
                cli_show(path), PROG_FORMAT_VERSION, version);
}

int cli_parse_program(const char *name, const uint8_t *data, size_t len,
                      struct program *p) {
    if (cli_is_text_program(name)) {
        char err[PATH_MAX + 512];
        int rc =
            prog_text_parse((const char *)data, len, name, p, err, sizeof err);
        if (rc != 0)
            fprintf(stderr, "vpcert: %s\n", cli_show(err));
        return rc;
    }
    if (prog_decode(data, len, p) == PROG_DECODE_NEWER) {
        not_binary(name, data, len, p->version);
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
        fprintf(stderr, "vpcert: %s\n", cli_show(err));
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
