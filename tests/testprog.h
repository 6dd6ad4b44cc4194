/*
 * testprog.h: the program a test runs, parsed from text. The tests that
 * drive the executor include it after testhelper.h.
 */
#ifndef VPCERT_TESTPROG_H
#define VPCERT_TESTPROG_H

#include "program.h"

#include <stdio.h>
#include <string.h>

static struct program prog; /* 4096 operations: never on the stack */

/* Parse text into prog; 0, or -1 with the error printed. */
static int parse(const char *text) {
    char err[256];
    int rc =
        prog_text_parse(text, strlen(text), "t.vpt", &prog, err, sizeof err);
    if (rc)
        fprintf(stderr, "%s\n", err);
    return rc;
}

#endif /* VPCERT_TESTPROG_H */
