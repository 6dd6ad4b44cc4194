/* exec_check: vpcert's own state, checked while it runs: O(1) counts after
 * every step (always), and the expensive state checks (exec_options
 * .check_state; on by default in fuzz and Debug builds). */
#include "exec_internal.h"

/* The state checks are O(live) each. EXEC_CHECK_EVERY: after every one of
 * the first EXEC_CHECK_ALL steps of a run (operations, repeats unrolled),
 * then after every EXEC_CHECK_PERIOD-th. EXEC_CHECK_SPARSE (the fuzz
 * target's default): after the steps whose number, counted from 1, is a
 * power of two or a multiple of EXEC_CHECK_PERIOD. Both once more after the
 * last step (exec_run). A long run costs O(live) per EXEC_CHECK_PERIOD
 * steps instead of per step (bench/check_cost.sh: every step cost
 * fuzz_diff 2.5 times its CPU time on programs of 4096 bytes); a short one
 * costs O(live) per step when dense, log2(steps) + 1 checks when sparse.
 * State that went wrong stays wrong, so a later check still catches it:
 * sparse, by the time the run has twice as many steps, or at its end. */
#define EXEC_CHECK_ALL 64u
#define EXEC_CHECK_PERIOD 64u

int exec_check_due(int schedule, uint32_t step) {
    if (schedule == EXEC_CHECK_SPARSE)
        return ((step + 1) & step) == 0 || (step + 1) % EXEC_CHECK_PERIOD == 0;
    return step < EXEC_CHECK_ALL || step % EXEC_CHECK_PERIOD == 0;
}

/* What the executor hands out, the model holds and the handed-out table
 * holds are the same allocations, one for one. Not after a stop: a MUST
 * finding or an error may leave an operation half done. */
void exec_check_counts(const struct executor *x) {
    if (exec_stopped(x))
        return;
    VPCERT_INVARIANT(x->handed.n == x->bufs.n + x->blocks.n);
    VPCERT_INVARIANT(x->model.buffers.live == x->bufs.n);
    VPCERT_INVARIANT(x->model.blocks.live == x->blocks.n);
}

/* One live set against its positions, the handed-out table and (buffers)
 * the model's size and device of each. */
static const char *live_why(const struct executor *x,
                            const struct exec_liveset *set, int buffers) {
    for (uint32_t i = 0; i < set->n; i++) {
        const struct exec_live *l = set->v[i];
        if (l->pos != i)
            return "a live allocation's position is wrong";
        if (!exec_handed_has(&x->handed, l))
            return "a live allocation is not in the handed-out table";
        if (buffers && (vpm_buffer_size(&x->model, l->model) != l->size ||
                        vpm_buffer_device(&x->model, l->model) != l->dev))
            return "a live buffer differs from the model's";
    }
    return NULL;
}

void exec_check_state(struct executor *x) {
    const char *why;
    if (exec_stopped(x))
        return;
    if ((why = vpm_check_invariants(&x->model)) != NULL)
        exec_fail(x, EXEC_ERR_BUG, "the model's state is inconsistent: %s",
                  why);
    else if ((why = kernel_check_consistency(x->k)) != NULL)
        exec_fail(x, EXEC_ERR_BUG,
                  "the kernel stand-in's state is inconsistent: %s", why);
    else if ((why = exec_handed_check(&x->handed)) != NULL ||
             (why = live_why(x, &x->bufs, 1)) != NULL ||
             (why = live_why(x, &x->blocks, 0)) != NULL ||
             (why = exec_sched_check(x)) != NULL)
        exec_fail(x, EXEC_ERR_BUG, "the executor's state is inconsistent: %s",
                  why);
}
