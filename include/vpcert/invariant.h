/*
 * invariant: vpcert's own invariants, checked where they are stated
 * instead of only claimed in a comment.
 *
 *   VPCERT_INVARIANT(expr)   cheap (O(1)) and always on, in every build.
 *   VPCERT_EXPENSIVE_CHECKS  1 in fuzz and Debug builds (a compile
 *                            definition, see CMakeLists.txt), else 0: the
 *                            default of the executor's per-step state checks
 *                            (exec_options.check_state), which tests set.
 *
 * A failed invariant is a bug in vpcert, never in the implementation under
 * test. It writes one line to stderr,
 *   vpcert: internal error: invariant `EXPR` failed at FILE:LINE (a bug in
 *   vpcert, not in the implementation under test)
 * calls vpcert_invariant_hook if the program defines one (the executor
 * does: a child-process run then ends as vpcert's error, never as a verdict
 * on the implementation), and aborts.
 *
 * Shared by model/, the kernel stand-in, rangemap and the executor: the one
 * folder all of them may include is include/. Not part of the ABI an
 * implementation compiles against, and never used by shim/ (it shares no
 * code with vpcert's checks).
 */
#ifndef VPCERT_INVARIANT_H
#define VPCERT_INVARIANT_H

#ifdef VPCERT_IN_SHIM
#error "invariant.h is private to vpcert's checks: shim/ shares no code"
#endif

#include <stdio.h>
#include <stdlib.h>

#ifndef VPCERT_EXPENSIVE_CHECKS
#define VPCERT_EXPENSIVE_CHECKS 0
#endif

#define VPCERT_INVARIANT_PREFIX "vpcert: internal error: "

/* Defined (once) by a program that wants to learn of a failed invariant
 * before the abort; weak, so that a program without one still links. */
void vpcert_invariant_hook(const char *file, int line, const char *expr)
    __attribute__((weak));

static inline _Noreturn void vpcert_invariant_failed(const char *file, int line,
                                                     const char *expr) {
    fprintf(stderr,
            VPCERT_INVARIANT_PREFIX "invariant `%s` failed at %s:%d (a bug in "
                                    "vpcert, not in the implementation under "
                                    "test)\n",
            expr, file, line);
    fflush(stderr);
    if (vpcert_invariant_hook)
        vpcert_invariant_hook(file, line, expr);
    abort();
}

#define VPCERT_INVARIANT(expr)                                                 \
    ((expr) ? (void)0 : vpcert_invariant_failed(__FILE__, __LINE__, #expr))

#endif /* VPCERT_INVARIANT_H */
