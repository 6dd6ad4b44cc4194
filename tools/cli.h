/* cli: what the vpcert subcommands share (options, file loading). */
#ifndef VPCERT_CLI_H
#define VPCERT_CLI_H

#include <limits.h>
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

/* cli_load.c: each prints one line "vpcert: ..." on error. */
/* A whole file (os_file_read). NULL on error. */
uint8_t *cli_read_file(const char *path, size_t *len);
/* Write a file atomically (os_file_write). 0, or -1. */
int cli_write_file(const char *path, const void *data, size_t len);
/* Is path a program in text form (its name ends in .vpt)? */
int cli_is_text_program(const char *path);
/* Load a program: text if the name ends in .vpt, binary otherwise.
 * 0, or -1. */
int cli_load_program(const char *path, struct program *p);
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
