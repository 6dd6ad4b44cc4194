/*
 * vpcert: the command-line tool. `vpcert COMMAND [OPTIONS] [ARGS]`: the
 * command and option tables (cli_table.c) drive parsing (cli_parse.c) and
 * help (cli_help.c); each command is a cmd_*.c.
 */
#include "cli_help.h"
#include "cli_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_help(const char *a) {
    return !strcmp(a, "--help") || !strcmp(a, "-h") || !strcmp(a, "help");
}

/* Parse the command line of cmd, then run it (or print its help). */
static int run(enum cli_command cmd, int argc, char **argv) {
    struct cli c;
    memset(&c, 0, sizeof c);
    c.args = calloc((size_t)argc, sizeof *c.args);
    if (!c.args)
        return 2;
    int rc;
    if (cli_parse(&c, cmd, 2, argc, argv) != 0)
        rc = 2;
    else if (c.help)
        rc = (cli_help_command(stdout, cmd), 0);
    else if (c.version)
        rc = (printf("vpcert %s\n", VPCERT_VERSION), 0);
    else
        rc = cli_load_ics(&c) != 0 ? 2 : cli_commands[cmd].run(&c);
    free(c.args);
    return rc;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        cli_help_all(stderr);
        return 2;
    }
    if (is_help(argv[1]) && argc > 2 && cli_command_find(argv[2]) >= 0) {
        cli_help_command(stdout, (enum cli_command)cli_command_find(argv[2]));
        return 0;
    }
    if (is_help(argv[1])) {
        cli_help_all(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("vpcert %s\n", VPCERT_VERSION);
        return 0;
    }
    int cmd = cli_command_find(argv[1]);
    if (cmd < 0) {
        fprintf(stderr, "vpcert: unknown command '%s' (see vpcert --help)\n",
                cli_show(argv[1]));
        return 2;
    }
    return run((enum cli_command)cmd, argc, argv);
}
