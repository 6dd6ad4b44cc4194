/*
 * cli_parse: the command line of one command, read by the option table:
 * defaults first, then every option given, each value read strictly
 * (number.c). A bad command line gets one line on stderr naming the
 * command and the option.
 */
#ifndef VPCERT_CLI_PARSE_H
#define VPCERT_CLI_PARSE_H

#include "cli_table.h"

/* The command named name, or -1. */
int cli_command_find(const char *name);
/* Fill c for command cmd from argv[first..argc-1]: the table's defaults,
 * then the options and positional arguments (c->args must have room for
 * argc entries). "--" ends the options: what follows goes to c->pass for a
 * command that passes arguments on (cli_command_def.passes), else to the
 * positional arguments. 0, or -1 with the reason printed. */
int cli_parse(struct cli *c, enum cli_command cmd, int first, int argc,
              char **argv);

#endif /* VPCERT_CLI_PARSE_H */
