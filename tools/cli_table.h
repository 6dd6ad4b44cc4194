/*
 * cli_table: the commands of vpcert and their options, each fact stated
 * once. The tables drive parsing (cli_parse.c) and help (cli_help.c).
 */
#ifndef VPCERT_CLI_TABLE_H
#define VPCERT_CLI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

enum cli_command {
    CMD_CONFORM,
    CMD_REPLAY,
    CMD_FUZZ,
    CMD_CERTIFY,
    CMD_EXPLAIN,
    CMD_DECODE,
    CMD_ENCODE,
    CMD_COUNT /* number of commands */
};

#define CMD(c) (1u << CMD_##c)          /* a command's bit in a mask */
#define CMD_ALL ((1u << CMD_COUNT) - 1) /* every command */

struct cli_command_def {
    const char *name;          /* as typed: vpcert NAME */
    int (*run)(struct cli *c); /* entry point */
    const char *usage;         /* after "vpcert NAME [OPTIONS] " */
    const char *help;          /* one line */
    const char *example;       /* one command line that works */
    const char *passes;        /* what it takes after "--" (its help line),
                                  NULL: after "--" come more ARGS */
};

enum cli_kind {
    CLI_FLAG,    /* no value; sets an int to 1 */
    CLI_PATH,    /* a file or directory name, not empty */
    CLI_SECONDS, /* a finite number of seconds, > 0, <= CLI_SECONDS_MAX */
    CLI_UINT,    /* a whole number from min to max, into a uint64_t */
    CLI_CHOICE   /* one of the words of value ("a|b|c"), into a const char * */
};

#define CLI_SECONDS_MAX 31536000.0 /* a year: longer is a typing error */

struct cli_option {
    const char *name;   /* --NAME */
    char letter;        /* -L, 0 when none */
    enum cli_kind kind; /* what the value is */
    const char *value;  /* the value's name in help, NULL for a flag;
                           CLI_CHOICE: the words allowed, "a|b" */
    size_t dest;        /* offsetof(struct cli, field) it sets */
    uint64_t min, max;  /* CLI_UINT: the range */
    unsigned commands;  /* CMD() mask of the commands that accept it */
    const char *dflt;   /* default, as typed on a command line; NULL: none */
    const char *help;   /* one line; the default is printed after it */
};

extern const struct cli_command_def cli_commands[CMD_COUNT];
extern const struct cli_option cli_options[];
extern const size_t cli_noptions;

#endif /* VPCERT_CLI_TABLE_H */
