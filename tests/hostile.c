/*
 * hostile: a conforming pass-through (quota = none, every service) that
 * misbehaves in one way, chosen at build time with -DHOSTILE=N (the
 * numbers of enum below; tests/CMakeLists.txt builds one library per
 * name). Each misbehaviour is one vpcert must survive without crashing,
 * hanging, leaving processes behind or giving a false exit 0
 * (tests/hostile.sh). Written the way a buggy kernel port would be: the
 * constructor is a driver's init, the service a call that goes wrong.
 */
#include <vpcert/video.h>

/* The services are impls/passthrough.c's (conforming under quota = none),
 * AllocateBuffer through the misbehaviour below. */
#define VideoPortAllocateBuffer passthrough_allocate_buffer
#include "../impls/passthrough.c"
#undef VideoPortAllocateBuffer

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
    CTOR_EXIT = 1,         /* exit(0) while loading */
    CTOR_SEGV = 2,         /* a NULL write while loading */
    CTOR_ABORT = 3,        /* abort() while loading */
    CTOR_HANG = 4,         /* an endless loop while loading */
    CTOR_MEMORY = 5,       /* memory without end while loading */
    CTOR_CLOSE_FDS = 6,    /* closes every descriptor while loading */
    CTOR_FORK = 7,         /* forks a child that never ends, while loading */
    CTOR_FORK_RETURN = 8,  /* forks and both copies go on, while loading */
    CTOR_KILL_PARENT = 9,  /* kill(getppid(), SIGKILL) while loading */
    CTOR_KILL_GROUP = 10,  /* kill(0, SIGTERM) while loading */
    CTOR_NOISE = 11,       /* writes control bytes to stdout and stderr */
    CTOR_SLOW = 12,        /* takes 3 s to load, then conforms */
    SVC_KILL_PARENT = 13,  /* AllocateBuffer: kill(getppid(), SIGKILL) */
    SVC_KILL_GROUP = 14,   /* AllocateBuffer: kill(0, SIGTERM) */
    SVC_FORK = 15,         /* AllocateBuffer: forks a child that sleeps
                              (this and 17, 18, 21: at a program's first
                              EARLY_CALLS calls: at every call, the scale
                              family's 70,000 make a slow library, rightly
                              TIMEOUT) */
    SVC_FORK_CRASH = 16,   /* AllocateBuffer: forks a sleeper, then crashes,
                              on Size 0xFFFFFFFF (as SVC_CRASH_MAX) */
    SVC_SETSID_FORK = 17,  /* AllocateBuffer: a sleeper in its own session */
    SVC_FORK_RETURN = 18,  /* AllocateBuffer: forks, both copies return */
    SVC_EXIT = 19,         /* AllocateBuffer: exit(0) */
    SVC_HANG = 20,         /* AllocateBuffer: an endless loop */
    SVC_CLOSE_FDS = 21,    /* AllocateBuffer: closes every descriptor */
    SVC_STOP_PARENT = 22,  /* AllocateBuffer: kill(getppid(), SIGSTOP) */
    SVC_STATE_HEAP = 23,   /* AllocateBuffer: a table of 8 devices, in
                              memory from its init, never emptied: full
                              after 8 devices, in any process (state
                              carried from program to program) */
    SVC_STATE_STATIC = 24, /* the same table in static variables */
    SVC_CRASH_MAX = 25,    /* AllocateBuffer: crashes on Size 0xFFFFFFFF
                              (a conformance step citing QU-3 asks it) */
    SVC_SPIN_DEEP = 26,    /* AllocateBuffer: loops forever at a program's
                              DEEP_CALL-th call (only the scale family
                              makes that many) */
    SVC_SLEEP_DEEP = 27,   /* AllocateBuffer: sleeps forever there */
    SVC_SLOW_CPU = 28,     /* AllocateBuffer: SLOW_NS of its own CPU time
                              each call, then conforms (a slow port, not a
                              hostile one: tests/certify_load.sh) */
    CTOR_KERNEL = 29,      /* sets up driver-wide pool state while loading,
                              as DriverEntry would (HOST-2) */
    CTOR_BANNER = 30,      /* prints a banner while loading (debug output
                              and the IRQL are allowed there) */
};

#ifndef HOSTILE
#error "build with -DHOSTILE=N"
#endif

/* A write through a pointer the compiler cannot see is bad. */
static int *volatile nowhere = (int *)8;
static void crash(void) {
    *nowhere = 1;
}

static void sleep_forever(void) {
    for (;;)
        pause();
}

#define TABLE_SLOTS 8u   /* devices the table holds */
#define DEEP_CALL 3000u  /* SVC_*_DEEP: the call that never returns */
#define EARLY_CALLS 1u   /* SVC_FORK...: calls that misbehave */
#define SLOW_NS 10000L   /* SVC_SLOW_CPU: CPU time spent per call */
#define SEEN 0x5EE4DEB1u /* marks a device extension the table knows */

static unsigned *heap_devices;  /* SVC_STATE_HEAP: allocated by init */
static char *volatile kept;     /* CTOR_MEMORY: the last block taken */
static unsigned static_devices; /* SVC_STATE_STATIC */
static unsigned calls; /* AllocateBuffer calls so far in this program (static
                          data is put back between programs) */

/* A device not seen before takes a slot of the table (which is never
 * emptied); 0 when the table is full. */
static int table_admits(PVOID ext) {
    unsigned *count = HOSTILE == SVC_STATE_HEAP     ? heap_devices
                      : HOSTILE == SVC_STATE_STATIC ? &static_devices
                                                    : NULL;
    unsigned *mark = ext;
    if (!count || *mark == SEEN)
        return 1;
    if (*count == TABLE_SLOTS)
        return 0;
    ++*count;
    *mark = SEEN;
    return 1;
}

/* Spend ns of this thread's CPU time (not of the wall clock: the same
 * work however loaded the machine is). */
static void spend_cpu(long ns) {
    struct timespec a, b;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a);
    do
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &b);
    while ((b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) < ns);
}

static void close_all(void) {
    for (int fd = 0; fd < 1024; fd++)
        close(fd);
}

/* CTOR_KERNEL: a driver-wide cache, set up at load. */
static NPAGED_LOOKASIDE_LIST contexts; /* per-request contexts */
static KSPIN_LOCK cache_lock;          /* over cache_table */
static PVOID cache_table;              /* 4 KiB of driver-wide state */

static void driver_cache_init(void) {
    KIRQL irql;
    ExInitializeNPagedLookasideList(&contexts, NULL, NULL, 0, 64,
                                    VPCERT_TAG('H', 'c', 't', 'x'), 0);
    KeInitializeSpinLock(&cache_lock);
    KeAcquireSpinLock(&cache_lock, &irql);
    cache_table = ExAllocatePool2(POOL_FLAG_NON_PAGED, 4096,
                                  VPCERT_TAG('H', 't', 'b', 'l'));
    KeReleaseSpinLock(&cache_lock, irql);
}

static void driver_banner(void) {
    DbgPrint("hostile: loaded at IRQL %u\n", (unsigned)KeGetCurrentIrql());
    VideoPortDebugPrint(Info, "hostile: %s\n", "ready");
}

__attribute__((constructor)) static void driver_init(void) {
    switch (HOSTILE) {
    case CTOR_EXIT:
        exit(0);
    case CTOR_SEGV:
        crash();
        break;
    case CTOR_ABORT:
        abort();
    case CTOR_HANG:
        for (volatile int spin = 1; spin;)
            ;
        break;
    case CTOR_MEMORY:
        for (;;) {
            char *p = malloc(64u << 20);
            if (p)
                memset(p, 1, 64u << 20);
            kept = p; /* kept, so that no compiler drops the memory */
        }
    case CTOR_CLOSE_FDS:
        close_all();
        break;
    case CTOR_FORK:
        if (fork() == 0)
            sleep_forever();
        break;
    case CTOR_FORK_RETURN:
        fork();
        break;
    case CTOR_KILL_PARENT:
        kill(getppid(), SIGKILL);
        break;
    case CTOR_KILL_GROUP:
        kill(0, SIGTERM);
        break;
    case CTOR_NOISE:
        fputs("\033[31mhostile\033]0;title\007 \r\n", stdout);
        fputs("\033[2Jhostile\n", stderr);
        fflush(stdout);
        break;
    case CTOR_SLOW:
        sleep(3);
        break;
    case SVC_STATE_HEAP:
        heap_devices = calloc(1, sizeof *heap_devices);
        break;
    case CTOR_KERNEL:
        driver_cache_init();
        break;
    case CTOR_BANNER:
        driver_banner();
        break;
    default:
        break;
    }
}

static void misbehave(void) {
    int early = ++calls <= EARLY_CALLS;
    switch (HOSTILE) {
    case SVC_KILL_PARENT:
        kill(getppid(), SIGKILL);
        break;
    case SVC_KILL_GROUP:
        kill(0, SIGTERM);
        break;
    case SVC_FORK:
        if (early && fork() == 0)
            sleep_forever();
        break;
    case SVC_SETSID_FORK:
        if (early && fork() == 0) {
            setsid();
            if (fork() == 0)
                sleep_forever();
            _exit(0);
        }
        break;
    case SVC_FORK_RETURN:
        if (early)
            fork();
        break;
    case SVC_EXIT:
        exit(0);
    case SVC_HANG:
        for (volatile int spin = 1; spin;)
            ;
        break;
    case SVC_CLOSE_FDS:
        if (early)
            close_all();
        break;
    case SVC_STOP_PARENT:
        kill(getppid(), SIGSTOP);
        break;
    case SVC_SPIN_DEEP:
        if (calls == DEEP_CALL)
            for (volatile int spin = 1; spin;)
                ;
        break;
    case SVC_SLEEP_DEEP:
        if (calls == DEEP_CALL)
            sleep_forever();
        break;
    case SVC_SLOW_CPU:
        spend_cpu(SLOW_NS);
        break;
    default:
        break;
    }
}

static void crash_on(ULONG size) {
    if (HOSTILE == SVC_FORK_CRASH && size == 0xFFFFFFFFu && fork() == 0)
        sleep_forever();
    if ((HOSTILE == SVC_CRASH_MAX || HOSTILE == SVC_FORK_CRASH) &&
        size == 0xFFFFFFFFu)
        crash();
}

VP_STATUS VideoPortAllocateBuffer(PVOID HwDeviceExtension, ULONG Size,
                                  PVOID *Buffer) {
    misbehave();
    crash_on(Size);
    if (!table_admits(HwDeviceExtension)) {
        *Buffer = NULL; /* no slot for this device */
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    return passthrough_allocate_buffer(HwDeviceExtension, Size, Buffer);
}
