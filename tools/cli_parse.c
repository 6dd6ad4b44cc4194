/* cli_parse: options and arguments of one command, by the table. */
#include "cli_parse.h"

#include "number.h"

#include <stdio.h>
#include <string.h>

int cli_command_find(const char *name) {
    for (int i = 0; i < CMD_COUNT; i++)
        if (strcmp(name, cli_commands[i].name) == 0)
            return i;
    return -1;
}

/* Does argument a ("--name" or "-L") name option o? */
static int names(const struct cli_option *o, const char *a) {
    if (a[1] == '-')
        return strcmp(a + 2, o->name) == 0;
    return o->letter && a[1] == o->letter && a[2] == 0;
}

/* The row of option a for cmd; NULL, with *elsewhere set when another
 * command has it. */
static const struct cli_option *find(const char *a, enum cli_command cmd,
                                     int *elsewhere) {
    *elsewhere = 0;
    for (size_t i = 0; i < cli_noptions; i++) {
        if (!names(&cli_options[i], a))
            continue;
        if (cli_options[i].commands & (1u << cmd))
            return &cli_options[i];
        *elsewhere = 1;
    }
    return NULL;
}

/* Set option o of c from text. NULL, or why text is refused. */
static const char *set(struct cli *c, const struct cli_option *o,
                       const char *text) {
    void *dest = (char *)c + o->dest;
    switch (o->kind) {
    case CLI_FLAG:
        *(int *)dest = 1;
        return NULL;
    case CLI_PATH:
        if (!*text)
            return "empty";
        *(const char **)dest = text;
        return NULL;
    case CLI_SECONDS:
        return number_read_seconds(text, CLI_SECONDS_MAX, (double *)dest);
    case CLI_UINT:
        return number_read_uint(text, o->min, o->max, (uint64_t *)dest);
    case CLI_CHOICE:
        for (const char *w = o->value; *w; w += strcspn(w, "|"), w += !!*w)
            if (strlen(text) == strcspn(w, "|") &&
                strncmp(w, text, strlen(text)) == 0) {
                *(const char **)dest = text;
                return NULL;
            }
        return "not one of the choices";
    }
    return "unknown kind";
}

/* What a value of option o must be, for an error line. */
static void expected(const struct cli_option *o, char *out, size_t cap) {
    switch (o->kind) {
    case CLI_SECONDS:
        snprintf(out, cap, "seconds, more than 0 and at most %.0f",
                 CLI_SECONDS_MAX);
        break;
    case CLI_UINT:
        snprintf(out, cap, "a whole number from %llu to %llu",
                 (unsigned long long)o->min, (unsigned long long)o->max);
        break;
    case CLI_CHOICE:
        snprintf(out, cap, "one of %s", o->value);
        break;
    default:
        snprintf(out, cap, "a name");
    }
}

/* Set o from text, or print why not. 0, or -1. */
static int take(struct cli *c, enum cli_command cmd, const struct cli_option *o,
                const char *text) {
    const char *why = set(c, o, text);
    if (!why)
        return 0;
    char want[96];
    expected(o, want, sizeof want);
    fprintf(stderr, "vpcert %s: --%s '%s': %s; expected %s\n",
            cli_commands[cmd].name, o->name, cli_show(text), why, want);
    return -1;
}

/* The table's defaults for cmd. */
static int defaults(struct cli *c, enum cli_command cmd) {
    for (size_t i = 0; i < cli_noptions; i++) {
        const struct cli_option *o = &cli_options[i];
        if ((o->commands & (1u << cmd)) && o->dflt &&
            take(c, cmd, o, o->dflt) != 0)
            return -1;
    }
    return 0;
}

/* Option argv[*i] (and its value); 0, or -1 with the reason printed. */
static int option(struct cli *c, enum cli_command cmd, int *i, int argc,
                  char **argv) {
    const char *a = argv[*i], *name = cli_commands[cmd].name;
    int elsewhere;
    const struct cli_option *o = find(a, cmd, &elsewhere);
    if (!o && elsewhere)
        fprintf(stderr,
                "vpcert %s: %s is not an option of %s (see vpcert %s "
                "--help)\n",
                name, cli_show(a), name, name);
    else if (!o)
        fprintf(stderr,
                "vpcert %s: unknown option '%s' (see vpcert %s --help)\n", name,
                cli_show(a), name);
    if (!o)
        return -1;
    if (o->kind == CLI_FLAG)
        return take(c, cmd, o, "");
    if (*i + 1 >= argc) {
        fprintf(stderr, "vpcert %s: --%s needs a value %s\n", name, o->name,
                o->value);
        return -1;
    }
    return take(c, cmd, o, argv[++*i]);
}

int cli_parse(struct cli *c, enum cli_command cmd, int first, int argc,
              char **argv) {
    if (defaults(c, cmd) != 0)
        return -1;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0 && cli_commands[cmd].passes) {
            c->pass = argv + i + 1;
            c->npass = argc - i - 1;
            return 0;
        }
        if (strcmp(a, "--") == 0) { /* the rest are arguments */
            while (++i < argc)
                c->args[c->nargs++] = argv[i];
            return 0;
        }
        if (a[0] != '-' || a[1] == 0)
            c->args[c->nargs++] = argv[i];
        else if (option(c, cmd, &i, argc, argv) != 0)
            return -1;
    }
    return 0;
}
