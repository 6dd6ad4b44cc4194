/* cli_help: help text from the command and option tables. */
#include "cli_help.h"

#include "clauses.h"

#include <string.h>

#define WIDTH 79 /* columns of help text */
#define LEFT 25  /* column where an option's text starts */

/* Print text, wrapped at WIDTH, on lines that start at column indent; the
 * cursor is at column col (moved on to indent first). Ends the line. */
static void wrap(FILE *f, const char *text, int col, int indent) {
    if (col >= indent && col > 0)
        col = WIDTH; /* no room before the indent: start a new line */
    else
        col += fprintf(f, "%*s", indent - col, "");
    for (int first = 1; *text; first = 0) {
        text += strspn(text, " ");
        int n = (int)strcspn(text, " ");
        if (!first && col + 1 + n > WIDTH)
            col = WIDTH;
        if (col == WIDTH)
            col = fprintf(f, "\n%*s", indent, "") - 1;
        else if (!first)
            col += fprintf(f, " ");
        col += fprintf(f, "%.*s", n, text);
        text += n;
    }
    fputc('\n', f);
}

/* An option's text: its help, its range and default, and (when commands)
 * the commands that take it. */
static void option_text(const struct cli_option *o, int commands, char *out,
                        size_t cap) {
    size_t n = (size_t)snprintf(out, cap, "%s", o->help);
    const char *open = " (";
    if (o->kind == CLI_UINT && o->max != UINT64_MAX) {
        n += (size_t)snprintf(out + n, cap - n, " (%llu to %llu",
                              (unsigned long long)o->min,
                              (unsigned long long)o->max);
        open = ", ";
    }
    if (o->dflt)
        n += (size_t)snprintf(out + n, cap - n, "%sdefault %s", open, o->dflt);
    if (o->dflt || strcmp(open, ", ") == 0)
        n += (size_t)snprintf(out + n, cap - n, ")");
    const char *sep = " [";
    for (int c = 0; commands && o->commands != CMD_ALL && c < CMD_COUNT; c++)
        if (o->commands & (1u << c)) {
            n += (size_t)snprintf(out + n, cap - n, "%s%s", sep,
                                  cli_commands[c].name);
            sep = ", ";
        }
    if (strcmp(sep, ", ") == 0)
        snprintf(out + n, cap - n, "]");
}

/* One option: "  -L, --name VALUE   text", the text wrapped. */
static void option_line(FILE *f, const struct cli_option *o, int commands) {
    char left[40], letter[8] = "    ", text[400];
    if (o->letter)
        snprintf(letter, sizeof letter, "-%c, ", o->letter);
    snprintf(left, sizeof left, "%s--%s%s%s", letter, o->name,
             o->value ? " " : "", o->value ? o->value : "");
    option_text(o, commands, text, sizeof text);
    wrap(f, text, fprintf(f, "  %s", left), LEFT);
}

void cli_help_all(FILE *f) {
    fprintf(f,
            "vpcert %s: fuzzing and conformance harness for the video port "
            "memory services\n\nusage: vpcert COMMAND [OPTIONS] [ARGS]\n"
            "       vpcert COMMAND --help   (that command's options and an "
            "example)\n\ncommands:\n",
            VPCERT_VERSION);
    for (int i = 0; i < CMD_COUNT; i++) {
        int col = fprintf(f, "  %-8s %s", cli_commands[i].name,
                          cli_commands[i].usage);
        wrap(f, cli_commands[i].help, col, LEFT);
    }
    fprintf(f, "\noptions [the commands that take each]:\n");
    for (size_t i = 0; i < cli_noptions; i++)
        option_line(f, &cli_options[i], 1);
    fprintf(f,
            "\nexit status: 0 clean, 1 findings, 2 usage or input error.\n"
            "Spec: SPEC.md (%zu clauses). Programs: *.vpt is text, anything "
            "else binary.\n",
            spec_clause_count());
}

void cli_help_command(FILE *f, enum cli_command cmd) {
    const struct cli_command_def *d = &cli_commands[cmd];
    fprintf(f, "usage: vpcert %s [OPTIONS]%s%s\n\n", d->name,
            d->usage[0] ? " " : "", d->usage);
    wrap(f, d->help, 0, 0);
    fprintf(f, "\noptions:\n");
    for (size_t i = 0; i < cli_noptions; i++)
        if (cli_options[i].commands & (1u << cmd))
            option_line(f, &cli_options[i], 0);
    if (d->passes) {
        int col = fprintf(f, "  -- ...");
        wrap(f, d->passes, col, LEFT);
    }
    fprintf(f, "\nexample:\n  %s\n", d->example);
}
