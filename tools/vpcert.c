/*
 * vpcert: the command-line tool. One table of commands and one table of
 * options drive both argument parsing and --help.
 */
#include "clauses.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VPCERT_VERSION "0.1.0"

struct command {
    const char *name;          /* subcommand */
    int (*run)(struct cli *c); /* entry point */
    const char *args;          /* positional arguments */
    const char *help;          /* one line */
};

static const struct command commands[] = {
    {"conform", cmd_conform, "[DIR|FILE...]",
     "run the conformance vectors (default corpus/conformance) and print a "
     "per-clause summary"},
    {"replay", cmd_replay, "FILE|DIR...",
     "replay programs, each in a child process under a time limit; ends with "
     "'N passed, N failed'"},
    {"fuzz", cmd_fuzz, "[OPTIONS]",
     "run a differential fuzzing campaign (default 60 s) against the built-in "
     "shim"},
    {"certify", cmd_certify, "--ics FILE LIB.so",
     "certify a shared object: a verdict per SPEC clause and a report (--out "
     "DIR)"},
    {"explain", cmd_explain, "FILE",
     "print the program with the model's verdict beside each step"},
    {"decode", cmd_decode, "FILE", "print a binary program in text form"},
    {"encode", cmd_encode, "FILE",
     "turn a text program into its binary form (to -o FILE or stdout)"},
};

enum opt_id {
    O_IMPL,
    O_ICS,
    O_OUT,
    O_REPORT,
    O_TIME,
    O_SEED,
    O_CASES,
    O_JOBS,
    O_CORPUS,
    O_MERGE,
    O_NO_SEEDS,
    O_TIMEOUT,
    O_NOFORK,
    O_VERBOSE,
    O_QUIET,
    O_HELP,
    O_VERSION
};

struct option_def {
    enum opt_id id;   /* which option */
    const char *lng;  /* --long */
    char shrt;        /* -s, 0 if none */
    const char *arg;  /* argument name, NULL for a flag */
    const char *help; /* one line, default included */
};

static const struct option_def options[] = {
    {O_IMPL, "impl", 0, "PATH",
     "implementation: a shared object (default: the built-in shim)"},
    {O_ICS, "ics", 0, "FILE",
     "implementation conformance statement (default: all defaults)"},
    {O_OUT, "output", 'o', "FILE", "output file (encode; default stdout)"},
    {O_REPORT, "out", 0, "DIR",
     "certify: report directory (default vpcert-report)"},
    {O_TIME, "time", 0, "S",
     "time budget in seconds (certify: default 100; fuzz: 60)"},
    {O_SEED, "seed", 0, "N", "seed of the random programs (default 1)"},
    {O_CASES, "cases", 0, "N", "certify: random programs to run (default 300)"},
    {O_JOBS, "jobs", 0, "N", "fuzz: parallel libFuzzer processes (default 1)"},
    {O_CORPUS, "corpus", 0, "DIR",
     "fuzz: working corpus (default vpcert-work/corpus); with --merge, the "
     "corpus merged into"},
    {O_MERGE, "merge", 0, NULL,
     "fuzz: merge the new inputs into --corpus DIR (libFuzzer -merge=1)"},
    {O_NO_SEEDS, "no-seeds", 0, NULL,
     "fuzz: start from an empty corpus (no seeds, no regressions)"},
    {O_TIMEOUT, "timeout", 0, "S",
     "time limit per program in seconds (default 10; certify 2)"},
    {O_NOFORK, "no-fork", 0, NULL,
     "run programs in this process (for debuggers)"},
    {O_VERBOSE, "verbose", 'v', NULL, "print every program's result"},
    {O_QUIET, "quiet", 'q', NULL, "print only the summary"},
    {O_HELP, "help", 'h', NULL, "this help"},
    {O_VERSION, "version", 0, NULL, "print the version"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void usage(FILE *f) {
    fprintf(f,
            "vpcert %s: fuzzing and conformance harness for the video port "
            "memory services\n\nusage: vpcert COMMAND [OPTIONS] [ARGS]\n\n"
            "commands:\n",
            VPCERT_VERSION);
    for (size_t i = 0; i < COUNT(commands); i++)
        fprintf(f, "  %-8s %-14s %s\n", commands[i].name, commands[i].args,
                commands[i].help);
    fprintf(f, "\noptions:\n");
    for (size_t i = 0; i < COUNT(options); i++) {
        char left[40];
        char shrt[8] = "    ";
        if (options[i].shrt)
            snprintf(shrt, sizeof shrt, "-%c, ", options[i].shrt);
        snprintf(left, sizeof left, "%s--%s%s%s", shrt, options[i].lng,
                 options[i].arg ? " " : "",
                 options[i].arg ? options[i].arg : "");
        fprintf(f, "  %-24s %s\n", left, options[i].help);
    }
    fprintf(f,
            "\nexit status: 0 clean, 1 findings, 2 usage or input error.\n"
            "Spec: SPEC.md (%zu clauses). Programs: *.vpt is text, anything "
            "else binary.\n",
            spec_clause_count());
}

static const struct option_def *find_option(const char *a) {
    for (size_t i = 0; i < COUNT(options); i++) {
        if (a[1] == '-' && strcmp(a + 2, options[i].lng) == 0)
            return &options[i];
        if (a[1] != '-' && a[2] == 0 && a[1] == options[i].shrt && a[1])
            return &options[i];
    }
    return NULL;
}

static int set_option(struct cli *c, const struct option_def *o,
                      const char *v) {
    char *end;
    switch (o->id) {
    case O_IMPL:
        c->impl_path = v;
        break;
    case O_ICS:
        c->ics_path = v;
        break;
    case O_OUT:
        c->out_path = v;
        break;
    case O_TIMEOUT:
        c->timeout = strtod(v, &end);
        if (*end || c->timeout <= 0) {
            fprintf(stderr,
                    "vpcert: --timeout takes a positive number of seconds, not "
                    "'%s'\n",
                    v);
            return -1;
        }
        break;
    case O_REPORT:
        c->report_dir = v;
        break;
    case O_TIME:
        c->time = strtod(v, &end);
        if (*end || c->time <= 0) {
            fprintf(
                stderr,
                "vpcert: --time takes a positive number of seconds, not '%s'\n",
                v);
            return -1;
        }
        break;
    case O_SEED:
    case O_CASES: {
        unsigned long long n = strtoull(v, &end, 0);
        if (*end || !*v || (o->id == O_CASES && n > 4000)) {
            fprintf(stderr, "vpcert: --%s takes a number%s, not '%s'\n", o->lng,
                    o->id == O_CASES ? " up to 4000" : "", v);
            return -1;
        }
        if (o->id == O_SEED)
            c->seed = n;
        else
            c->cases = (unsigned)n;
        break;
    }
    case O_JOBS:
        c->jobs = (int)strtol(v, &end, 10);
        if (*end || !*v || c->jobs < 1 || c->jobs > 64) {
            fprintf(stderr,
                    "vpcert: --jobs takes a number from 1 to 64, not '%s'\n",
                    v);
            return -1;
        }
        break;
    case O_CORPUS:
        c->corpus = v;
        break;
    case O_MERGE:
        c->merge = 1;
        break;
    case O_NO_SEEDS:
        c->no_seeds = 1;
        break;
    case O_NOFORK:
        c->no_fork = 1;
        break;
    case O_VERBOSE:
        c->verbose = 1;
        break;
    case O_QUIET:
        c->quiet = 1;
        break;
    case O_HELP:
        usage(stdout);
        exit(0);
    case O_VERSION:
        printf("vpcert %s\n", VPCERT_VERSION);
        exit(0);
    }
    return 0;
}

static int parse_args(struct cli *c, int argc, char **argv) {
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || a[1] == 0) {
            c->args[c->nargs++] = argv[i];
            continue;
        }
        const struct option_def *o = find_option(a);
        if (!o) {
            fprintf(stderr, "vpcert: unknown option '%s' (see vpcert --help)\n",
                    a);
            return -1;
        }
        if (o->arg && i + 1 >= argc) {
            fprintf(stderr, "vpcert: option '%s' needs %s\n", a, o->arg);
            return -1;
        }
        if (set_option(c, o, o->arg ? argv[++i] : NULL) != 0)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("vpcert %s\n", VPCERT_VERSION);
        return 0;
    }
    struct cli c;
    memset(&c, 0, sizeof c);
    c.seed = 1;
    c.cases = 300;
    c.args = calloc((size_t)argc, sizeof *c.args);
    if (!c.args)
        return 2;
    for (size_t i = 0; i < COUNT(commands); i++) {
        if (strcmp(argv[1], commands[i].name) != 0)
            continue;
        int rc = parse_args(&c, argc, argv) != 0 || cli_load_ics(&c) != 0
                     ? 2
                     : commands[i].run(&c);
        free(c.args);
        return rc;
    }
    fprintf(stderr, "vpcert: unknown command '%s' (see vpcert --help)\n",
            argv[1]);
    free(c.args);
    return 2;
}
