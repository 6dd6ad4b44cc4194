/* cmd_convert: `vpcert decode FILE` (binary to text) and `vpcert encode
 * FILE` (text to binary), to -o FILE or stdout. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A program's form: its size in bytes when out is NULL, else written. */
typedef size_t (*form_fn)(const struct program *p, void *out, size_t cap);

static size_t text_form(const struct program *p, void *out, size_t cap) {
    return prog_text_write(p, out, cap); /* cap counts the NUL */
}

static size_t binary_form(const struct program *p, void *out, size_t cap) {
    return prog_encode(p, out, cap);
}

/* Load the one FILE of cmd and write its form to -o FILE or stdout (never
 * binary bytes to a terminal). Exit status: 0, or 2. */
static int convert(struct cli *c, const char *cmd, form_fn form, int binary) {
    struct program *p = malloc(sizeof *p);
    int rc = 2;
    if (c->nargs != 1)
        fprintf(stderr,
                "vpcert %s: takes exactly one FILE (see vpcert %s --help)\n",
                cmd, cmd);
    if (!p || c->nargs != 1 || cli_load_program(c->args[0], p) != 0) {
        free(p);
        return 2;
    }
    size_t n = form(p, NULL, 0);
    char *out = malloc(n + 1);
    if (out) {
        form(p, out, n + 1);
        if (c->out_path)
            rc = cli_write_file(c->out_path, out, n) ? 2 : 0;
        else if (binary && isatty(STDOUT_FILENO))
            fprintf(stderr,
                    "vpcert %s: refusing to write binary to a "
                    "terminal; use -o FILE\n",
                    cmd);
        else
            rc = fwrite(out, 1, n, stdout) == n ? 0 : 2;
    }
    free(out);
    free(p);
    return rc;
}

int cmd_decode(struct cli *c) {
    return convert(c, "decode", text_form, 0);
}

int cmd_encode(struct cli *c) {
    return convert(c, "encode", binary_form, 1);
}
