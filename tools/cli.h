/* cli: what the vpcert subcommands share (options, file loading). */
#ifndef VPCERT_CLI_H
#define VPCERT_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "exec.h"
#include "program.h"

struct cli {
    const char *impl_path;  /* --impl: shared object, NULL = built-in shim */
    const char *ics_path;   /* --ics: conformance statement */
    const char *out_path;   /* -o: output file */
    double timeout;         /* --timeout: seconds per program */
    int no_fork;            /* --no-fork: run programs in-process */
    int verbose;            /* -v: print every program's result */
    int quiet;              /* -q: only the summary */
    const char *report_dir; /* --out: certification report directory */
    double time;    /* --time: time budget in seconds, 0 = command default */
    uint64_t seed;  /* --seed: random phase seed */
    unsigned cases; /* --cases: random programs (certify) */
    int no_seeds;   /* --no-seeds: fuzz from an empty corpus */
    int jobs;       /* --jobs: parallel fuzzing processes, 0 = 1 (fuzz) */
    const char *corpus; /* --corpus: corpus directory (fuzz) */
    int merge;          /* --merge: merge new inputs into --corpus (fuzz) */
    struct ics ics;     /* parsed --ics, defaults otherwise */
    int nargs;          /* positional arguments */
    char **args;        /* positional arguments */
};

/* Read a whole file. Returns NULL and prints one line on error. */
uint8_t *cli_read_file(const char *path, size_t *len);
/* Load a program: text if the name ends in .vpt, binary otherwise.
 * Returns 0, or prints "PATH: ..." and returns -1. */
int cli_load_program(const char *path, struct program *p);
/* Write a file atomically (temporary + rename). */
int cli_write_file(const char *path, const void *data, size_t len);
/* Load the implementation chosen by --impl. */
int cli_load_impl(const struct cli *c, struct impl *impl);

int cmd_replay(struct cli *c);
int cmd_conform(struct cli *c);
int cmd_decode(struct cli *c);
int cmd_encode(struct cli *c);
int cmd_explain(struct cli *c);
int cmd_certify(struct cli *c);
int cmd_fuzz(struct cli *c);

#endif /* VPCERT_CLI_H */
