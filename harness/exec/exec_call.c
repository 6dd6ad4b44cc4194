/* exec_call: every call into the implementation, in one place. The call is
 * made for a device at an IRQL with the kernel stand-in's escape set: a
 * call that cannot return (a bug check, an exception nobody catches, a
 * self-deadlock) ends by a longjmp back here, and becomes the finding the
 * stand-in recorded. A call that returns is checked for what it returned
 * with: no lock held (LK-3), the IRQL it was entered at (IRQL-3). In a
 * concurrent phase the call's entry is a switch point (SPEC.md "Threads"),
 * and its events are the ones its thread records from its start on. */
#include "exec_internal.h"

#include <stdio.h>

/* The kernel stand-in's escape: back to the setjmp of the running
 * thread's exec_invoke. */
static void exec_escape(void *ctx) {
    struct executor *x = ctx;
    longjmp(*x->jump, 1);
}

static void exec_dispatch(struct executor *x, struct exec_call *c) {
    const struct impl *impl = x->impl;
    void *ext = x->ext[c->dev];
    switch (c->kind) {
    case EXEC_CALL_ALLOC_BUFFER:
        c->status = impl->alloc_buffer(ext, (ULONG)c->size, &c->out);
        break;
    case EXEC_CALL_RELEASE_BUFFER:
        impl->release_buffer(ext, c->ptr);
        break;
    case EXEC_CALL_ALLOC_POOL:
        c->ret = impl->alloc_pool(ext, (VP_POOL_TYPE)c->pool_type,
                                  (SIZE_T)c->size, c->tag);
        break;
    case EXEC_CALL_FREE_POOL:
        impl->free_pool(ext, c->ptr);
        break;
    case EXEC_CALL_START:
        if (impl->dev_start)
            c->status = impl->dev_start(ext, x->p->quota[c->dev]);
        break;
    default:
        if (impl->dev_stop)
            impl->dev_stop(ext);
    }
}

/* The call about to be made, or (done) how it ended, when traced. */
static void trace_call(struct executor *x, const struct exec_call *c, int done,
                       int escaped) {
    if (!x->o->on_trace)
        return;
    struct exec_trace t = {
        .kind = done ? EXEC_TR_RETURN : EXEC_TR_CALL,
        .call = (uint8_t)c->kind,
        .dev = (uint8_t)c->dev,
        .irql = c->irql,
        .pool_type = (uint8_t)c->pool_type,
        .tag = c->tag,
        .size = c->kind == EXEC_CALL_START ? x->p->quota[c->dev] : c->size,
        .status = c->status};
    if (!done) {
        t.ptr = (uintptr_t)c->ptr;
        t.flag = (c->kind == EXEC_CALL_START && !x->impl->dev_start) ||
                 (c->kind == EXEC_CALL_STOP && !x->impl->dev_stop);
        snprintf(t.clause, sizeof t.clause, "%s", x->charged ? x->charged : "");
    } else {
        t.ptr = (uintptr_t)(c->kind == EXEC_CALL_ALLOC_POOL ? c->ret : c->out);
        t.flag = (uint8_t)escaped;
    }
    exec_trace(x, &t);
}

/* HOST-2: kernel calls made during this call from a thread vpcert did not
 * start (the stand-in serves none of them: they got NULL or nothing). */
static void check_stray(struct executor *x) {
    const char *first;
    unsigned long n = kernel_stray_calls(&first);
    if (n == x->stray)
        return;
    char obs[96];
    snprintf(obs, sizeof obs, "%.40s from a thread it started", first);
    kernel_stray_reset(); /* the next finding names its own first call */
    x->stray = 0;
    exec_find(x, "HOST-2", "kernel calls only within the service call", obs,
              "a thread the implementation started called the kernel: "
              "no program owns those calls");
}

int exec_invoke(struct executor *x, struct exec_call *c) {
    volatile int escaped = 0;
    jmp_buf jump;
    exec_events_clear(x);
    kernel_set_device(x->k, c->dev);
    kernel_set_irql(x->k, c->irql);
    kernel_set_escape(x->k, exec_escape, x);
    trace_call(x, c, 0, 0);
    x->jump = &jump;
    /* The escape's branch first: source-based coverage counts the second
     * branch of an if as the first's complement, and a setjmp that returns
     * twice would show the escape as never taken. */
    if (setjmp(jump) != 0) {
        escaped = 1;
    } else {
        exec_switch_point(x); /* the call's entry */
        exec_dispatch(x, c);
    }
    kernel_set_escape(x->k, NULL, NULL);
    x->escaped |= escaped;
    trace_call(x, c, 1, escaped);
    check_stray(x);
    if (!escaped)
        kernel_end_call(x->k, c->irql); /* LK-3, IRQL-3 */
    kernel_set_irql(x->k, PASSIVE_LEVEL);
    kernel_set_device(x->k, KN_NO_DEVICE);
    return escaped;
}
