/* fiber: coroutines for the executor's threads. See fiber.h. */
#include "fiber.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VPCERT_FIBER_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(VPCERT_FIBER_ASAN)
#define VPCERT_FIBER_ASAN 1
#endif
#ifdef VPCERT_FIBER_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

/* Under valgrind a stack switch by less than its --max-stackframe looks
 * like a frame pushed or popped (it marks the memory between undefined or
 * inaccessible): each fiber's stack is registered with it. The requests
 * are a few instructions that do nothing outside valgrind. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define VPCERT_FIBER_VALGRIND 1
#endif
#endif

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VPCERT_FIBER_ASM 1
#else
#include <ucontext.h>
#endif

struct fiber {
#ifdef VPCERT_FIBER_ASM
    void *sp; /* saved stack pointer while switched out */
#else
    ucontext_t uc; /* saved context while switched out */
#endif
    unsigned char *map; /* the mapping: guard page, then the stack */
    size_t map_len;     /* its length, 0 for the main fiber */
    void (*fn)(void *); /* what the fiber runs */
    void *arg;          /* passed to fn */
    const void *bottom; /* lowest address of its stack (ASan) */
    size_t size;        /* bytes of its stack (ASan) */
    void *fake;         /* ASan's fake stack while switched out */
    unsigned vg_stack;  /* valgrind's id of its stack (0: none) */
};

/* The fiber that switched to the running one (ASan learns the main
 * stack's bounds from it). One host thread runs a set of fibers. */
static _Thread_local struct fiber *fiber_from;

/* Announce the switch to ASan (start) and its arrival (finish). */
static void fiber_leave(struct fiber *from, struct fiber *to, int last) {
    fiber_from = from;
#ifdef VPCERT_FIBER_ASAN
    __sanitizer_start_switch_fiber(last ? NULL : &from->fake, to->bottom,
                                   to->size);
#else
    (void)to;
    (void)last;
#endif
}

static void fiber_arrive(struct fiber *self) {
#ifdef VPCERT_FIBER_ASAN
    struct fiber *from = fiber_from;
    __sanitizer_finish_switch_fiber(self ? self->fake : NULL,
                                    from ? &from->bottom : NULL,
                                    from ? &from->size : NULL);
#else
    (void)self;
#endif
}

/* The first thing a fiber runs, on its own stack. */
static void fiber_start(struct fiber *f) {
    fiber_arrive(NULL);
    f->fn(f->arg);
    abort(); /* fn must switch away for good instead of returning */
}

#ifdef VPCERT_FIBER_ASM
/* vpcert_fiber_swap(save, sp): push the callee-saved registers and the
 * SSE/x87 control words, store the stack pointer in *save, load sp, pop
 * the same and return on the other stack. vpcert_fiber_boot is where a
 * new fiber's first swap returns to: r12 holds the fiber, r13 fiber_start. */
__asm__(".text\n"
        ".globl vpcert_fiber_swap\n"
        ".hidden vpcert_fiber_swap\n"
        ".type vpcert_fiber_swap,@function\n"
        "vpcert_fiber_swap:\n"
        "  pushq %rbp\n"
        "  pushq %rbx\n"
        "  pushq %r12\n"
        "  pushq %r13\n"
        "  pushq %r14\n"
        "  pushq %r15\n"
        "  subq $8, %rsp\n"
        "  stmxcsr (%rsp)\n"
        "  fnstcw 4(%rsp)\n"
        "  movq %rsp, (%rdi)\n"
        "  movq %rsi, %rsp\n"
        "  ldmxcsr (%rsp)\n"
        "  fldcw 4(%rsp)\n"
        "  addq $8, %rsp\n"
        "  popq %r15\n"
        "  popq %r14\n"
        "  popq %r13\n"
        "  popq %r12\n"
        "  popq %rbx\n"
        "  popq %rbp\n"
        "  ret\n"
        ".size vpcert_fiber_swap, .-vpcert_fiber_swap\n"
        ".globl vpcert_fiber_boot\n"
        ".hidden vpcert_fiber_boot\n"
        ".type vpcert_fiber_boot,@function\n"
        "vpcert_fiber_boot:\n"
        "  movq %r12, %rdi\n"
        "  andq $-16, %rsp\n"
        "  callq *%r13\n"
        "  ud2\n"
        ".size vpcert_fiber_boot, .-vpcert_fiber_boot\n");
void vpcert_fiber_swap(void **save, void *sp);
void vpcert_fiber_boot(void);

/* The stack a new fiber's first swap pops: control words, r15..rbp, the
 * return address (vpcert_fiber_boot), then a slot keeping it aligned. */
static void fiber_prepare(struct fiber *f, unsigned char *top) {
    uint64_t *sp = (uint64_t *)(void *)top;
    *--sp = 0;                                      /* alignment slot */
    *--sp = (uint64_t)(uintptr_t)vpcert_fiber_boot; /* return address */
    *--sp = 0;                                      /* rbp */
    *--sp = 0;                                      /* rbx */
    *--sp = (uint64_t)(uintptr_t)f;                 /* r12: the fiber */
    *--sp = (uint64_t)(uintptr_t)fiber_start;       /* r13: its entry */
    *--sp = 0;                                      /* r14 */
    *--sp = 0;                                      /* r15 */
    *--sp = 0x037Full << 32 | 0x1F80u; /* fcw (high), mxcsr (low): defaults */
    f->sp = sp;
}
#else
/* makecontext passes ints only: the fiber to start goes through here. */
static _Thread_local struct fiber *fiber_starting;

static void fiber_trampoline(void) {
    fiber_start(fiber_starting);
}

static int fiber_prepare(struct fiber *f, unsigned char *top) {
    if (getcontext(&f->uc) != 0)
        return -1;
    f->uc.uc_stack.ss_sp = (void *)f->bottom;
    f->uc.uc_stack.ss_size = (size_t)(top - (unsigned char *)f->bottom);
    f->uc.uc_link = NULL;
    makecontext(&f->uc, fiber_trampoline, 0);
    return 0;
}
#endif

int fiber_restart(struct fiber *f) {
    if (!f || !f->map_len)
        return -1;
#ifdef VPCERT_FIBER_ASAN
    /* frames of a fiber abandoned in a call keep their redzones */
    ASAN_UNPOISON_MEMORY_REGION(f->bottom, f->size);
#endif
    f->fake = NULL;
#ifdef VPCERT_FIBER_ASM
    fiber_prepare(f, f->map + f->map_len);
    return 0;
#else
    return fiber_prepare(f, f->map + f->map_len);
#endif
}

struct fiber *fiber_main(void) {
    return calloc(1, sizeof(struct fiber));
}

struct fiber *fiber_new(size_t stack, void (*fn)(void *), void *arg) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = (stack + page - 1) / page * page + page;
    struct fiber *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->map = mmap(NULL, len, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (f->map == MAP_FAILED) {
        free(f);
        return NULL;
    }
    f->map_len = len;
    mprotect(f->map, page, PROT_NONE); /* an overflow faults, not corrupts */
    f->fn = fn;
    f->arg = arg;
    f->bottom = f->map + page;
    f->size = len - page;
#ifdef VPCERT_FIBER_VALGRIND
    f->vg_stack = VALGRIND_STACK_REGISTER(f->bottom, f->map + len);
#endif
    if (fiber_restart(f) != 0) {
        fiber_delete(f);
        return NULL;
    }
    return f;
}

void fiber_delete(struct fiber *f) {
    if (!f)
        return;
    if (f->map_len) {
#ifdef VPCERT_FIBER_ASAN
        /* frames of a fiber abandoned in a call keep their redzones */
        ASAN_UNPOISON_MEMORY_REGION(f->bottom, f->size);
#endif
#ifdef VPCERT_FIBER_VALGRIND
        VALGRIND_STACK_DEREGISTER(f->vg_stack);
#endif
        munmap(f->map, f->map_len);
    }
    free(f);
}

void fiber_switch(struct fiber *from, struct fiber *to, int last) {
    fiber_leave(from, to, last);
#ifdef VPCERT_FIBER_ASM
    vpcert_fiber_swap(&from->sp, to->sp);
#else
    fiber_starting = to;
    swapcontext(&from->uc, &to->uc);
#endif
    fiber_arrive(from);
}
