/*
 * cli: what the vpcert commands share: the parsed command line (struct
 * cli, filled from the option table of cli_table.c), and loading what the
 * user names (cli_load.c).
 */
#ifndef VPCERT_CLI_H
#define VPCERT_CLI_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "exec.h"
#include "program.h"

/* Every field an option sets holds the option's default (cli_table.c)
 * unless the option was given. */
struct cli {
    const char *impl_path;  /* --impl: shared object, NULL = built-in shim */
    const char *ics_path;   /* --ics: conformance statement, NULL = none */
    const char *out_path;   /* -o: output file, NULL = stdout */
    const char *report_dir; /* --out: certification report directory */
    const char *corpus;     /* --corpus: fuzz corpus directory; certify and
                               conform: DIR of conformance/, regressions/;
                               NULL: default */
    double timeout;         /* --timeout: seconds per program or case */
    double time;            /* --time: seconds for the whole command */
    uint64_t seed;          /* --seed: random phase seed */
    uint64_t cases;         /* --cases: random programs (certify) */
    uint64_t jobs;          /* --jobs: parallel fuzzer processes */
    const char *engine;     /* --engine: libfuzzer or afl */
    int no_fork;            /* --no-fork: run programs in-process */
    int verbose;            /* -v: print every program's result */
    int quiet;              /* -q: only the summary */
    int no_seeds;           /* --no-seeds: fuzz from an empty corpus */
    int merge;              /* --merge: merge new inputs into --corpus */
    int help;               /* -h: print the command's help */
    int version;            /* --version: print the version */
    struct ics ics;         /* parsed --ics, defaults otherwise */
    int nargs;              /* positional arguments */
    char **args;            /* positional arguments */
    int npass;              /* arguments after "--" (commands that pass) */
    char **pass;            /* them, for the command to pass on */
};

/* cli_load.c: each prints one line "vpcert: ..." on error. */
/* A byte string from outside (a path, an argument, a loader's message)
 * made safe to print: control characters and bytes that are not UTF-8
 * written \xHH (os_show). The result lives until 8 more calls. */
const char *cli_show(const char *s);
/* A whole file (os_file_read). NULL on error. */
uint8_t *cli_read_file(const char *path, size_t *len);
/* Write a file atomically (os_file_write). 0, or -1. */
int cli_write_file(const char *path, const void *data, size_t len);
/* Is path a program in text form (its name ends in .vpt)? */
int cli_is_text_program(const char *path);
/* Load a program: text if the name ends in .vpt, binary otherwise.
 * 0, or -1. */
int cli_load_program(const char *path, struct program *p);
/* The same from len bytes already read (name: for the form and errors). */
int cli_parse_program(const char *name, const uint8_t *data, size_t len,
                      struct program *p);
/* The implementation chosen by --impl (none or "default": the built-in
 * shim). 0, or -1. */
int cli_load_impl(const struct cli *c, struct impl *impl);
/* c->ics from --ics (defaults without it). 0, or -1. */
int cli_load_ics(struct cli *c);

int cmd_replay(struct cli *c);
int cmd_conform(struct cli *c);
int cmd_decode(struct cli *c);
int cmd_encode(struct cli *c);
int cmd_explain(struct cli *c);
int cmd_certify(struct cli *c);
int cmd_fuzz(struct cli *c);

#endif /* VPCERT_CLI_H */
