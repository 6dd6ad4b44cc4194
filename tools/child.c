/* child: outcomes of a program run, and a run in this process. */
#include "child.h"

#include <stdio.h>
#include <string.h>

const char *child_outcome_name(enum child_outcome o) {
    static const char *const names[CH_COUNT] = {"PASS", "FAIL",    "CRASH",
                                                "EXIT", "TIMEOUT", "MEMORY",
                                                "KILL", "ERROR",   "STOPPED"};
    return (unsigned)o < CH_COUNT ? names[o] : "?";
}

void child_run_here(const struct program *p, const struct impl *impl,
                    const struct exec_options *o, struct child_result *res) {
    memset(res, 0, sizeof *res);
    int rc = exec_run(p, impl, o, &res->r);
    res->out = rc < 0 ? CH_ERROR : res->r.must_failed ? CH_FAIL : CH_PASS;
    if (rc < 0)
        snprintf(res->what, sizeof res->what, "%s", res->r.error_text);
}

int child_abnormal(const struct child_result *res) {
    return res->out >= CH_CRASH && res->out <= CH_KILL;
}
