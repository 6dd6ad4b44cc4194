/* cli_help: `vpcert --help` (every command and option) and `vpcert
 * COMMAND --help` (its usage, its options with their defaults, an
 * example), both printed from the tables of cli_table.c. */
#ifndef VPCERT_CLI_HELP_H
#define VPCERT_CLI_HELP_H

#include <stdio.h>

#include "cli_table.h"

void cli_help_all(FILE *f);
void cli_help_command(FILE *f, enum cli_command cmd);

#endif /* VPCERT_CLI_HELP_H */
