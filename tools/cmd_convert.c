/* cmd_convert: `vpcert decode FILE` (binary to text) and `vpcert encode
 * FILE` (text to binary), to -o FILE or stdout. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int one_arg(struct cli *c, const char *cmd) {
    if (c->nargs == 1)
        return 0;
    fprintf(stderr, "vpcert %s: takes exactly one FILE (see vpcert --help)\n",
            cmd);
    return -1;
}

int cmd_decode(struct cli *c) {
    struct program *p = malloc(sizeof *p);
    if (!p || one_arg(c, "decode") != 0 ||
        cli_load_program(c->args[0], p) != 0) {
        free(p);
        return 2;
    }
    size_t n = prog_text_write(p, NULL, 0);
    char *text = malloc(n + 1);
    int rc = 2;
    if (text) {
        prog_text_write(p, text, n + 1);
        rc = c->out_path ? (cli_write_file(c->out_path, text, n) ? 2 : 0)
                         : (fwrite(text, 1, n, stdout) == n ? 0 : 2);
    }
    free(text);
    free(p);
    return rc;
}

int cmd_encode(struct cli *c) {
    struct program *p = malloc(sizeof *p);
    if (!p || one_arg(c, "encode") != 0 ||
        cli_load_program(c->args[0], p) != 0) {
        free(p);
        return 2;
    }
    size_t n = prog_encode(p, NULL, 0);
    uint8_t *bin = malloc(n);
    int rc = 2;
    if (bin) {
        prog_encode(p, bin, n);
        if (c->out_path)
            rc = cli_write_file(c->out_path, bin, n) ? 2 : 0;
        else if (isatty(STDOUT_FILENO))
            fprintf(stderr, "vpcert encode: refusing to write binary to a "
                            "terminal; use -o FILE\n");
        else
            rc = fwrite(bin, 1, n, stdout) == n ? 0 : 2;
    }
    free(bin);
    free(p);
    return rc;
}
