/*
 * fiber: cooperative coroutines on stacks of their own, in one host thread.
 * The executor runs the threads of a concurrent program as fibers (SPEC.md
 * "Threads"), so that which one runs is decided at switch points only, the
 * same way every time. On x86-64 a switch saves and restores the
 * callee-saved registers (a few instructions, no system call); elsewhere
 * it is swapcontext. Under AddressSanitizer every switch is announced
 * (__sanitizer_start_switch_fiber / __sanitizer_finish_switch_fiber), so
 * that ASan follows the stacks; each stack's shadow is cleared when it is
 * made, since a fiber abandoned in the middle of a call (the run stopped)
 * leaves its frames' redzones behind. Private to harness/exec/.
 */
#ifndef VPCERT_FIBER_H
#define VPCERT_FIBER_H

#ifndef VPCERT_IN_EXEC
#error "fiber.h is private to harness/exec/"
#endif

#include <stddef.h>

struct fiber;

/* The fiber of the calling host thread's own stack, to switch back to.
 * NULL if the host refuses a few bytes. */
struct fiber *fiber_main(void);
/* A fiber that will run fn(arg) on a stack of `stack` bytes (plus a guard
 * page) when first switched to; fn must never return (it switches away
 * for the last time instead). NULL if the host refuses the memory. */
struct fiber *fiber_new(size_t stack, void (*fn)(void *), void *arg);
/* Make a fiber made by fiber_new start afresh at its function when next
 * switched to, whatever it was doing (it must not be the running one). 0,
 * or -1 when it cannot (then fiber_delete it). */
int fiber_restart(struct fiber *f);
/* Free a fiber that is not running (its stack, if it has one). */
void fiber_delete(struct fiber *f);
/* Leave `from` (the running fiber) for `to`; returns when some fiber
 * switches back to `from`. With last = 1, `from` is never switched to
 * again (ASan then drops its fake stack). */
void fiber_switch(struct fiber *from, struct fiber *to, int last);

#endif /* VPCERT_FIBER_H */
