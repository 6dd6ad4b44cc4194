/*
 * test_checks: vpcert's checks on itself, each fed a deliberately wrong
 * input it must catch. White-box: compiled as a file of harness/exec and
 * harness/kernel (their *_internal.h), and with the runner of tools/
 * (runner.h), which runs the implementation in a child process.
 *  - exec_find with an unknown clause ID: a vpcert error, never a verdict;
 *  - the expensive state checks: a corrupted model, kernel stand-in or
 *    executor state is reported, and exec_run runs them after every step;
 *  - VPCERT_INVARIANT in the model, the kernel stand-in and the executor:
 *    one line naming vpcert's own invariant, then an abort; in a
 *    child-process run the abort is vpcert's error (CH_ERROR), while an
 *    implementation's own abort stays a crash charged to its call.
 */
#define VPCERT_IN_EXEC 1
#define VPCERT_IN_KERNEL 1
#include "clauses.h"
#include "exec_internal.h"
#include "kernel_internal.h"
#include "runner.h"
#include "testhelper.h"
#include "testprog.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define TAG VPCERT_TAG('D', 't', 's', 't')

/* An executor outside exec_run, on prog (one device, 1 MiB pools). */
struct rig {
    struct executor x;     /* the executor */
    struct exec_result r;  /* its result */
    struct exec_options o; /* its options */
};

static void rig_init(struct rig *g) {
    memset(g, 0, sizeof *g);
    exec_options_default(&g->o);
    prog_init(&prog);
    struct vpm_config mc = {{1u << 20, 1u << 20}, 1, 1, 1, VPM_ZERO_ANY};
    struct kernel_config kc = {{1u << 20, 1u << 20}, 0, 0, 1};
    g->x.p = &prog;
    g->x.o = &g->o;
    g->x.r = &g->r;
    CHECK(vpm_init(&g->x.model, &mc) == VPM_E_OK, "setup");
    g->x.k = kernel_new(&kc);
    CHECK(g->x.k != NULL, "setup");
    kernel_bind(g->x.k);
}

static void rig_fini(struct rig *g) {
    kernel_bind(NULL);
    kernel_delete(g->x.k);
    vpm_fini(&g->x.model);
    exec_handed_free(&g->x.handed);
}

/* ---- unknown clause IDs ---- */

static void unknown_clause_is_vpcert_error(void) {
    struct rig g;
    rig_init(&g);
    exec_find(&g.x, "QU-99", "x", "y", "z");
    CHECK(g.r.error == EXEC_ERR_BUG && g.r.nfindings == 0 && !g.r.must_failed,
          "SPEC");
    CHECK(strstr(g.r.error_text, "unknown clause ID 'QU-99'") != NULL, "SPEC");
    CHECK(exec_stopped(&g.x), "SPEC");
    rig_fini(&g);

    rig_init(&g);
    exec_find(&g.x, NULL, "x", "y", "z");
    CHECK(g.r.error == EXEC_ERR_BUG && g.r.nfindings == 0, "SPEC");
    rig_fini(&g);

    rig_init(&g); /* a known clause stays a finding */
    exec_find(&g.x, "QU-2", "x", "y", "z");
    CHECK(g.r.error == EXEC_OK && g.r.nfindings == 1, "SPEC");
    CHECK_STR(g.r.f[0].clause, "QU-2", "SPEC");
    rig_fini(&g);
}

/* ---- the expensive state checks ---- */

/* A run of exec_check_state on g after corrupt(g); the error text. */
static const char *state_after(struct rig *g, void (*corrupt)(struct rig *)) {
    exec_check_state(&g->x);
    CHECK(g->r.error == EXEC_OK, "setup"); /* sound before the corruption */
    if (corrupt)
        corrupt(g);
    exec_check_state(&g->x);
    return g->r.error == EXEC_ERR_BUG ? g->r.error_text : "";
}

static uint32_t rig_buffer; /* with_buffer's model handle */

static void with_buffer(struct rig *g) {
    uint32_t h;
    CHECK(vpm_device_start(&g->x.model, 0, VPM_UNLIMITED) == VPM_E_OK, "setup");
    CHECK(vpm_buffer_commit(&g->x.model, 0, 10, VPM_R_OK, &h) == VPM_E_OK,
          "setup");
    rig_buffer = h;
}

static void model_charge(struct rig *g) {
    g->x.model.dev[0].charged++;
}

static void model_pool(struct rig *g) {
    g->x.model.pool_used[VPM_NONPAGED] += 3;
}

static void kn_used(struct rig *g) {
    g->x.k->used[KN_NONPAGED]++;
}

static void kn_count(struct rig *g) {
    g->x.k->nlive++;
}

static void kn_devices(struct rig *g) {
    g->x.k->devs[KN_NO_DEVICE].head = NULL;
}

static void kn_quarantine(struct rig *g) {
    g->x.k->q_bytes++;
}

static void kn_id(struct rig *g) {
    g->x.k->arena->by_id[g->x.k->all.head->info.id] = NULL;
}

static void kn_fifo(struct rig *g) {
    g->x.k->q[0].head->slot.mapped = 1; /* in the heap class FIFO */
}

static void kn_fifo_count(struct rig *g) {
    g->x.k->q[0].count++;
}

static void kn_fifo_max(struct rig *g) {
    g->x.k->cfg.quarantine_max = 0;
}

/* The record of a free slot (quarantine_max 1: the older of two freed
 * blocks is released). */
static struct kn_block *free_record(struct rig *g) {
    for (unsigned c = 0; c < KN_CLASSES; c++)
        if (g->x.k->arena->cls[0][c].free)
            return g->x.k->arena->cls[0][c].free;
    return NULL;
}

static void arena_live(struct rig *g) {
    free_record(g)->slot.state = KN_SLOT_LIVE; /* on no live list */
}

static void arena_quarantined(struct rig *g) {
    free_record(g)->slot.state = KN_SLOT_QUARANTINED; /* in no FIFO */
}

static void arena_class(struct rig *g) {
    free_record(g)->slot.cls++; /* on the list of the class below */
}

/* Two allocations in the executor's handed-out table, in slots 0x1000
 * and 0x2000, and one in no table. */
static struct exec_live lives[3];
static struct exec_live *stray = &lives[2];

static void executor_slot(struct rig *g) {
    (void)g;
    lives[1].slot = 0x3000; /* listed under 0x2000 */
}

static void executor_home(struct rig *g) {
    struct exec_handed *h = &g->x.handed;
    for (uint32_t i = 0; i < h->cap; i++)
        if (h->t[i].head == &lives[0]) /* moved away from its home */
            h->t[i].slot = lives[0].slot = 0x7000;
}

static void executor_table_count(struct rig *g) {
    g->x.handed.n++;
}

static void executor_live_set(struct rig *g) {
    g->x.blocks.v = &stray; /* a live block the table does not hold */
    g->x.blocks.n = 1;
}

static void executor_position(struct rig *g) {
    static struct exec_live *held = &lives[0];
    lives[0].pos = 1; /* at 0 in its set */
    g->x.blocks.v = &held;
    g->x.blocks.n = 1;
}

/* The threads' state (HS-THR-1, CO-7). */
static struct exec_sched fake_sched;

static void kn_thread(struct rig *g) {
    g->x.k->thread = KN_THREADS;
}

static void kn_lock_owner(struct rig *g) {
    g->x.k->locks[0].addr = 0x10;
    g->x.k->locks[0].owner = KN_THREADS;
    g->x.k->nlocks = 1;
}

static void kn_lock_twice(struct rig *g) {
    g->x.k->locks[0].addr = g->x.k->locks[1].addr = 0x10;
    g->x.k->locks[1].owner = 1;
    g->x.k->nlocks = 2;
}

static void kn_saved_irql(struct rig *g) {
    g->x.k->cpu[1].irql = HIGH_LEVEL + 1;
}

static void kn_event_thread(struct rig *g) {
    CHECK(g->x.k->ev.n > 0, "setup");
    if (g->x.k->ev.n)
        g->x.k->ev.v[0].thread = KN_THREADS;
}

static void executor_claimed(struct rig *g) {
    static struct exec_live *held = &lives[0];
    lives[0].claimed = 1; /* by no thread: no concurrent phase runs */
    g->x.blocks.v = &held;
    g->x.blocks.n = 1;
}

static void executor_order(struct rig *g) {
    static const uint8_t twice[PROG_MAX_THREADS] = {0, 0, 1, 2};
    memset(&fake_sched, 0, sizeof fake_sched);
    fake_sched.active = 1;
    memcpy(fake_sched.order, twice, sizeof twice);
    g->x.sched = &fake_sched;
}

static void executor_running(struct rig *g) {
    static const uint8_t order[PROG_MAX_THREADS] = {0, 1, 2, 3};
    memset(&fake_sched, 0, sizeof fake_sched);
    fake_sched.active = 1;
    memcpy(fake_sched.order, order, sizeof order);
    fake_sched.th[0].done = 1; /* and yet running */
    g->x.sched = &fake_sched;
}

static void executor_event_place(struct rig *g) {
    g->x.ev_from = g->x.scanned + 1;
}

/* The model's own books (vpm_check.c, vpm_slots.c): each counter and
 * table against the live slots. Fields a case changes are put back by its
 * undo. */
static uint32_t saved; /* the field a case changed, for its undo */

static void model_unstarted(struct rig *g) {
    g->x.model.dev[0].started = 0; /* yet its buffer is live */
}

static void model_restart(struct rig *g) {
    g->x.model.dev[0].started = 1;
}

static void model_buffer_pool(struct rig *g) {
    g->x.model.buffers.v[rig_buffer].pool = VPM_NONPAGED;
}

/* A live pool block of 32 bytes on device 0; its handle. */
static uint32_t model_block(struct rig *g) {
    uint32_t h = 0;
    CHECK(vpm_pool_commit(&g->x.model, 0, 0, 32, VPM_P_BLOCK, &h) == VPM_E_OK,
          "setup");
    return h;
}

static void model_block_device(struct rig *g) {
    uint32_t h = model_block(g);
    g->x.model.blocks.v[h].device = 1; /* not started */
}

static void model_block_pool(struct rig *g) {
    uint32_t h = model_block(g);
    g->x.model.blocks.v[h].pool = VPM_NONPAGED + 1;
}

static void model_beyond(struct rig *g) {
    g->x.model.dev[1].started = 1; /* ndevices is 1 */
}

static void model_live_buffers(struct rig *g) {
    g->x.model.dev[0].live_buffers++;
}

static void model_live_blocks(struct rig *g) {
    g->x.model.dev[0].live_blocks++;
}

static void model_ndevices(struct rig *g) {
    g->x.model.cfg.ndevices = 0;
}

static void model_paged(struct rig *g) {
    g->x.model.pool_used[VPM_PAGED]++;
}

static void slots_len(struct rig *g) {
    saved = g->x.model.buffers.len;
    g->x.model.buffers.len = g->x.model.buffers.cap + 1;
}

static void slots_len_back(struct rig *g) {
    g->x.model.buffers.len = saved;
}

static void slots_live(struct rig *g) {
    g->x.model.buffers.live++;
}

static void slots_free_live(struct rig *g) {
    g->x.model.buffers.free_head = rig_buffer; /* a live slot */
}

/* A second buffer given back: its slot heads the free list; the index. */
static uint32_t slots_freed(struct rig *g) {
    uint32_t h = 0;
    CHECK(vpm_buffer_commit(&g->x.model, 0, 20, VPM_R_OK, &h) == VPM_E_OK &&
              vpm_buffer_release(&g->x.model, h) == VPM_E_OK,
          "setup");
    CHECK(g->x.model.buffers.free_head == h, "setup");
    return h;
}

static void slots_free_cycle(struct rig *g) {
    uint32_t h = slots_freed(g);
    g->x.model.buffers.v[h].next_free = h;
}

static void slots_free_lost(struct rig *g) {
    slots_freed(g);
    g->x.model.buffers.free_head = UINT32_MAX; /* the end of a list */
}

/* The kernel stand-in's records (kernel_check.c, kernel_arena.c). */
static struct kn_block *first_live(struct rig *g) {
    return g->x.k->all.head;
}

static void kn_links(struct rig *g) {
    first_live(g)->all.prev = first_live(g);
}

static void kn_links_back(struct rig *g) {
    first_live(g)->all.prev = NULL;
}

static void kn_no_pool(struct rig *g) {
    first_live(g)->info.pool = KN_NONPAGED + 1;
}

static void kn_pool_back(struct rig *g) {
    first_live(g)->info.pool = KN_NONPAGED;
}

static void kn_not_live(struct rig *g) {
    first_live(g)->slot.state = KN_SLOT_FREE;
}

static void kn_live_back(struct rig *g) {
    first_live(g)->slot.state = KN_SLOT_LIVE;
}

static void kn_tail(struct rig *g) {
    g->x.k->all.tail = NULL;
}

static void kn_tail_back(struct rig *g) {
    g->x.k->all.tail = first_live(g); /* the only live block */
}

static void kn_capacity(struct rig *g) {
    g->x.k->cfg.capacity[KN_NONPAGED] = 1;
}

static void kn_capacity_back(struct rig *g) {
    g->x.k->cfg.capacity[KN_NONPAGED] = 1u << 20;
}

static void kn_device(struct rig *g) {
    saved = first_live(g)->info.device;
    first_live(g)->info.device = saved ? 0 : 1; /* on the other's list */
}

static void kn_device_back(struct rig *g) {
    first_live(g)->info.device = (uint8_t)saved;
}

static void kn_quarantined_lost(struct rig *g) {
    g->x.k->q[0].head->slot.state = KN_SLOT_FREE;
}

static void kn_quarantined_back(struct rig *g) {
    g->x.k->q[0].head->slot.state = KN_SLOT_QUARANTINED;
}

static void arena_state(struct rig *g) {
    free_record(g)->slot.state = KN_SLOT_QUARANTINED + 1;
}

static struct kn_block *cycle_was; /* the free record's q_next */

static void arena_cycle(struct rig *g) {
    cycle_was = free_record(g)->q_next;
    free_record(g)->q_next = free_record(g);
}

static void arena_cycle_back(struct rig *g) {
    free_record(g)->q_next = cycle_was;
}

/* The executor's live buffers and threads (exec_check.c, exec_sched.c). */

static void executor_buffer(struct rig *g) {
    static struct exec_live *held = &lives[0];
    lives[0].model = rig_buffer; /* 10 bytes there, 16 here */
    g->x.bufs.v = &held;
    g->x.bufs.n = 1;
}

static void executor_buffer_back(struct rig *g) {
    g->x.bufs.v = NULL;
    g->x.bufs.n = 0;
}

/* An active schedule, thread 0 running, thread 1 switched out. */
static struct exec_thread *switched_out(struct rig *g) {
    static const uint8_t order[PROG_MAX_THREADS] = {0, 1, 2, 3};
    memset(&fake_sched, 0, sizeof fake_sched);
    fake_sched.active = 1;
    memcpy(fake_sched.order, order, sizeof order);
    g->x.sched = &fake_sched;
    return &fake_sched.th[1];
}

static void thread_past(struct rig *g) {
    switched_out(g)->next = 1; /* of no operation */
}

static void thread_waits_own(struct rig *g) {
    switched_out(g)->wait = 0x10;
    g->x.k->locks[0].addr = 0x10;
    g->x.k->locks[0].owner = 1;
    g->x.k->nlocks = 1;
}

static void thread_place(struct rig *g) {
    struct exec_thread *th = switched_out(g);
    th->point = 1;
    th->ev_from = th->scanned + 1;
}

/* Undo the damage the cases above did, so that the rig can be freed. */
static void undo_threads(struct rig *g) {
    g->x.k->thread = 0;
    g->x.k->nlocks = 0;
    g->x.k->cpu[1].irql = PASSIVE_LEVEL;
    if (g->x.k->ev.n)
        g->x.k->ev.v[0].thread = 0;
    g->x.sched = NULL;
    g->x.ev_from = g->x.scanned = 0;
    lives[0].claimed = 0;
}

static void state_checks_catch_corruption(void) {
    struct rig g;
    static const struct {
        void (*corrupt)(struct rig *); /* the deliberate damage */
        const char *want;              /* in the error text */
        void (*undo)(struct rig *);    /* puts back what the loop does not */
    } cases[] = {
        {model_charge, "the model's state is inconsistent: device charge",
         NULL},
        {model_pool, "the model's state is inconsistent: nonpaged pool_used",
         NULL},
        {kn_used, "kernel stand-in's state is inconsistent: used bytes", NULL},
        {kn_count, "kernel stand-in's state is inconsistent: the live count",
         NULL},
        {kn_devices, "inconsistent: the device lists", NULL},
        {kn_quarantine, "inconsistent: quarantined bytes", NULL},
        {kn_id, "inconsistent: a live block is not found by its id", NULL},
        {kn_fifo, "inconsistent: a block is in the other quarantine FIFO",
         NULL},
        {kn_fifo_count, "inconsistent: quarantine counts differ", NULL},
        {kn_fifo_max,
         "inconsistent: the quarantine holds more than "
         "quarantine_max",
         NULL},
        {arena_live,
         "inconsistent: live records differ from the live "
         "blocks",
         NULL},
        {arena_quarantined, "inconsistent: quarantined records differ", NULL},
        {arena_class,
         "inconsistent: a free list holds a slot not free or of "
         "another class",
         NULL},
        {executor_slot,
         "executor's state is inconsistent: an allocation is "
         "listed under another slot",
         NULL},
        {executor_home,
         "executor's state is inconsistent: a slot's entry is "
         "not found from its home",
         NULL},
        {executor_table_count, "inconsistent: the handed-out table's counts",
         NULL},
        {executor_live_set,
         "inconsistent: a live allocation is not in the "
         "handed-out table",
         NULL},
        {executor_position,
         "inconsistent: a live allocation's position is "
         "wrong",
         NULL},
        {kn_thread, "inconsistent: the current thread is no thread", NULL},
        {kn_lock_owner, "inconsistent: a held lock's holder is no thread",
         NULL},
        {kn_lock_twice, "inconsistent: a lock is held twice", NULL},
        {kn_saved_irql,
         "inconsistent: another thread's saved IRQL is no "
         "IRQL",
         NULL},
        {kn_event_thread, "inconsistent: an event names no thread", NULL},
        {executor_claimed,
         "inconsistent: an allocation is claimed outside "
         "a concurrent phase",
         NULL},
        {executor_order,
         "inconsistent: the priority order is not an order "
         "of the threads",
         NULL},
        {executor_running, "inconsistent: the running thread cannot run", NULL},
        {executor_event_place,
         "inconsistent: the running call's place in "
         "the event log is wrong",
         NULL},
        {model_unstarted, "a live buffer belongs to a device not started",
         model_restart},
        {model_buffer_pool, "a live buffer is not charged to the paged pool",
         NULL},
        {model_block_device,
         "a live pool block belongs to a device not "
         "started",
         NULL},
        {model_block_pool, "a live pool block has no valid pool", NULL},
        {model_beyond, "a device beyond ndevices is started", NULL},
        {model_live_buffers,
         "device live_buffers differs from its live "
         "buffers",
         NULL},
        {model_live_blocks,
         "device live_blocks differs from its live pool "
         "blocks",
         NULL},
        {model_ndevices,
         "the model's state is inconsistent: ndevices is out "
         "of range",
         NULL},
        {model_paged, "paged pool_used differs from its live buffers", NULL},
        {slots_len, "slot table length exceeds its capacity", slots_len_back},
        {slots_live, "slot table live count differs from its live slots", NULL},
        {slots_free_live, "slot free list holds a live or out-of-range slot",
         NULL},
        {slots_free_cycle, "slot free list is longer than the free slots",
         NULL},
        {slots_free_lost, "slot free list misses free slots", NULL},
        {kn_links, "inconsistent: the live block list's links disagree",
         kn_links_back},
        {kn_no_pool, "inconsistent: a live block has no pool", kn_pool_back},
        {kn_not_live,
         "inconsistent: a live block is not found at its "
         "address",
         kn_live_back},
        {kn_tail, "the live block list's tail is not its last block",
         kn_tail_back},
        {kn_capacity, "inconsistent: used bytes exceed the pool's capacity",
         kn_capacity_back},
        {kn_device, "inconsistent: a block is on another device's list",
         kn_device_back},
        {kn_quarantined_lost,
         "inconsistent: a quarantined block is not "
         "found at its address",
         kn_quarantined_back},
        {arena_state, "inconsistent: a record's slot state is unknown", NULL},
        {arena_cycle,
         "inconsistent: the free lists hold more slots than are "
         "free",
         arena_cycle_back},
        {executor_buffer,
         "executor's state is inconsistent: a live buffer "
         "differs from the model's",
         executor_buffer_back},
        {thread_past, "inconsistent: a thread is past its operations", NULL},
        {thread_waits_own, "inconsistent: a thread waits for a lock it holds",
         NULL},
        {thread_place,
         "inconsistent: a waiting call's place in the event "
         "log is wrong",
         NULL}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rig_init(&g);
        with_buffer(&g);
        void *p = ExAllocatePoolWithTag(NonPagedPool, 40, TAG);
        void *q = ExAllocatePoolWithTag(NonPagedPool, 24, TAG);
        void *q2 = ExAllocatePoolWithTag(NonPagedPool, 24, TAG);
        g.x.k->cfg.quarantine_max = 1;
        ExFreePool(q);
        ExFreePool(q2); /* one block live, one quarantined, one slot free */
        CHECK(free_record(&g) != NULL, "setup");
        struct kn_slot was = free_record(&g)->slot;
        struct kn_block *live = g.x.k->all.head;
        memset(lives, 0, sizeof lives);
        for (int j = 0; j < 2; j++) {
            lives[j].slot = 0x1000u * (unsigned)(j + 1);
            lives[j].ptr = (void *)lives[j].slot;
            lives[j].size = 16;
            CHECK(exec_handed_add(&g.x.handed, &lives[j]) == 0, "setup");
        }
        const char *why = state_after(&g, cases[i].corrupt);
        CHECK(strstr(why, cases[i].want) != NULL, "SPEC");
        if (!strstr(why, cases[i].want))
            fprintf(stderr, "  case %zu: got \"%s\"\n", i, why);
        if (cases[i].corrupt == kn_used)
            g.x.k->used[KN_NONPAGED]--;
        if (cases[i].corrupt == kn_count)
            g.x.k->nlive--;
        if (cases[i].corrupt == kn_quarantine)
            g.x.k->q_bytes--;
        if (cases[i].corrupt == kn_devices)
            g.x.k->devs[KN_NO_DEVICE].head = g.x.k->devs[KN_NO_DEVICE].tail;
        if (cases[i].undo)
            cases[i].undo(&g);
        undo_threads(&g);
        g.x.blocks.n = 0;
        g.x.blocks.v = NULL;
        free_record(&g)->slot = was;
        g.x.k->arena->by_id[live->info.id] = live;
        g.x.k->q[0].head->slot.mapped = 0;
        g.x.k->cfg.quarantine_max = 1;
        if (cases[i].corrupt == kn_fifo_count)
            g.x.k->q[0].count--;
        ExFreePool(p);
        rig_fini(&g);
    }
}

/* An implementation that, while vpcert is in its call, damages the kernel
 * stand-in's accounting (a stand-in for a bug in vpcert). */
static VP_STATUS damaging_alloc(PVOID ext, ULONG size, PVOID *buf) {
    VP_STATUS st = VideoPortAllocateBuffer(ext, size, buf);
    kernel_bound()->used[KN_PAGED] += 1;
    return st;
}

static void state_checks_run_after_every_step(void) {
    struct impl impl;
    struct exec_options o;
    struct exec_result r;
    impl_builtin(&impl);
    impl.alloc_buffer = damaging_alloc;
    CHECK(parse("alloc_buffer dev=0 size=100\ntouch index=0\n") == 0, "setup");
    exec_options_default(&o);
    o.check_state = 1;
    CHECK(exec_run(&prog, &impl, &o, &r) == -1, "SPEC");
    CHECK(r.error == EXEC_ERR_BUG && r.ops_run == 1, "SPEC");
    CHECK(strstr(r.error_text, "kernel stand-in's state is inconsistent") !=
              NULL,
          "SPEC");
    o.check_state = 0; /* without them the damage goes unseen */
    CHECK(exec_run(&prog, &impl, &o, &r) == 0 && r.error == EXEC_OK, "SPEC");
    impl_builtin(&impl); /* and a sound run passes them */
    o.check_state = 1;
    CHECK(exec_run(&prog, &impl, &o, &r) == 0 && r.error == EXEC_OK, "SPEC");
}

/* Operations done (run or skipped) before a run of 200 operations, whose
 * operation 100 damages the kernel stand-in's accounting, stops as
 * vpcert's bug under the schedule (0: it did not stop so). */
static uint64_t caught_after(int schedule) {
    static char text[4096];
    struct impl impl;
    struct exec_options o;
    struct exec_result r;
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\n",
                              i == 100 ? "alloc_buffer dev=0 size=8"
                                       : "touch index=0");
    CHECK(parse(text) == 0 && prog.nops == 200, "setup");
    impl_builtin(&impl);
    impl.alloc_buffer = damaging_alloc;
    exec_options_default(&o);
    o.check_state = schedule;
    if (exec_run(&prog, &impl, &o, &r) != -1 || r.error != EXEC_ERR_BUG)
        return 0;
    return r.ops_run + r.ops_skipped;
}

/* On a long program the checks are sampled: damage done by operation 100
 * is caught after operation 128 (every 64th), not at once, and not never. */
static void state_checks_sampled_on_long_programs(void) {
    CHECK_EQ_U64(caught_after(EXEC_CHECK_EVERY), 129, "SPEC");
}

/* The sparse schedule (the fuzz target's): damage done by operation 100
 * is caught after operation 128, the next power of two; damage done by
 * the fifth operation of a six-operation program is caught by the check
 * after the last, not missed; the dense schedule catches it at once. */
static void state_checks_sparse_catch_by_the_end(void) {
    struct impl impl;
    struct exec_options o;
    struct exec_result r;
    CHECK_EQ_U64(caught_after(EXEC_CHECK_SPARSE), 128, "SPEC");
    impl_builtin(&impl);
    impl.alloc_buffer = damaging_alloc;
    exec_options_default(&o);
    o.check_state = EXEC_CHECK_SPARSE;
    CHECK(parse("touch index=0\ntouch index=0\ntouch index=0\ntouch "
                "index=0\nalloc_buffer dev=0 size=8\ntouch index=0\n") == 0,
          "setup");
    CHECK(exec_run(&prog, &impl, &o, &r) == -1 && r.error == EXEC_ERR_BUG,
          "SPEC"); /* after the last of the six */
    CHECK_EQ_U64(r.ops_run + r.ops_skipped, 6, "SPEC");
    o.check_state = EXEC_CHECK_EVERY;
    CHECK(exec_run(&prog, &impl, &o, &r) == -1 && r.error == EXEC_ERR_BUG,
          "SPEC"); /* at once */
    CHECK_EQ_U64(r.ops_run + r.ops_skipped, 5, "SPEC");
    impl_builtin(&impl); /* and a sound run passes them */
    o.check_state = EXEC_CHECK_SPARSE;
    CHECK(exec_run(&prog, &impl, &o, &r) == 0 && r.error == EXEC_OK, "SPEC");
}

/* ---- VPCERT_INVARIANT ---- */

/* Run fn in a child with stderr captured; 1 if it died of SIGABRT having
 * written want to stderr. */
static int aborts_saying(void (*fn)(void), const char *want) {
    FILE *err = tmpfile();
    if (!err)
        return 0;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fileno(err), 2);
        fn();
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    char text[1024] = "";
    rewind(err);
    size_t n = fread(text, 1, sizeof text - 1, err);
    text[n] = 0;
    fclose(err);
    int ok = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT &&
             strstr(text, want) != NULL;
    if (!ok)
        fprintf(stderr, "  child said: %s\n", text);
    return ok;
}

static void model_release_beyond_charge(void) {
    struct vpm m;
    struct vpm_config mc = {{1u << 20, 1u << 20}, 1, 1, 1, VPM_ZERO_ANY};
    uint32_t h;
    vpm_init(&m, &mc);
    vpm_device_start(&m, 0, VPM_UNLIMITED);
    vpm_buffer_commit(&m, 0, 10, VPM_R_OK, &h);
    m.dev[0].charged = 4; /* less than the live buffer it holds */
    vpm_buffer_release(&m, h);
}

static void kernel_free_beyond_use(void) {
    struct kernel_config kc = {{1u << 20, 1u << 20}, 0, 0, 1};
    struct kernel *k = kernel_new(&kc);
    kernel_bind(k);
    void *p = ExAllocatePoolWithTag(PagedPool, 64, TAG);
    k->used[KN_PAGED] = 10; /* less than the live block it holds */
    ExFreePool(p);
}

static void executor_counts_disagree(void) {
    struct rig g;
    rig_init(&g);
    with_buffer(&g); /* the model holds a buffer the executor never saw */
    exec_check_counts(&g.x);
}

static void executor_gives_back_a_stranger(void) {
    struct rig g;
    struct exec_live l = {.slot = 0x1000, .ptr = (void *)0x1000, .size = 8};
    struct exec_live other = {.slot = 0x2000, .ptr = (void *)0x2000};
    rig_init(&g);
    CHECK(exec_handed_add(&g.x.handed, &other) == 0, "setup");
    exec_handed_del(&g.x.handed, &l); /* never handed out */
}

static void invariants_fail_loudly(void) {
    CHECK(aborts_saying(model_release_beyond_charge,
                        VPCERT_INVARIANT_PREFIX "invariant `d->charged >= "
                                                "s->size"),
          "SPEC");
    CHECK(aborts_saying(model_release_beyond_charge, "model/vpm.c:"), "SPEC");
    CHECK(aborts_saying(kernel_free_beyond_use,
                        "invariant `k->used[b->info.pool] >= "
                        "kn_block_span(b)` failed at "),
          "SPEC");
    CHECK(aborts_saying(kernel_free_beyond_use, "harness/kernel/kernel.c:"),
          "SPEC");
    CHECK(aborts_saying(executor_counts_disagree,
                        "invariant `x->model.buffers.live == x->bufs.n`"),
          "SPEC");
    CHECK(aborts_saying(executor_counts_disagree, "not in the implementation"),
          "SPEC");
    CHECK(aborts_saying(executor_gives_back_a_stranger,
                        "invariant `*pp == l` failed at "),
          "SPEC");
}

/* ---- a failed invariant in a child-process run ---- */

static int deliberately_false; /* 0: the invariant below fails */

/* Stands for vpcert failing one of its invariants during a call. */
static VP_STATUS tripping_alloc(PVOID ext, ULONG size, PVOID *buf) {
    VPCERT_INVARIANT(deliberately_false == 1);
    return VideoPortAllocateBuffer(ext, size, buf);
}

/* An implementation that aborts (its own assert, say). */
static VP_STATUS aborting_alloc(PVOID ext, ULONG size, PVOID *buf) {
    (void)ext;
    (void)size;
    (void)buf;
    abort();
}

/* prog on impl in a child process of the runner, as vpcert runs it (the
 * children's stderr, with the invariant's line, to /dev/null). */
static void run_quietly(const struct impl *impl, struct child_result *res) {
    struct exec_options o;
    struct runner r;
    struct runner_config cfg = {NULL, 10, 0, 0, 1, 1, 0, 0, NULL, NULL, impl};
    char err[256];
    exec_options_default(&o);
    memset(res, 0, sizeof *res);
    res->out = CH_COUNT;
    if (runner_start(&r, &cfg, err, sizeof err) == 0)
        runner_one(&r, &prog, &o, res);
    runner_stop(&r);
}

static void invariant_in_child_is_vpcert_error(void) {
    struct impl impl;
    struct child_result res;
    CHECK(parse("alloc_buffer dev=0 size=100\n") == 0, "setup");
    impl_builtin(&impl);
    impl.alloc_buffer = tripping_alloc;
    run_quietly(&impl, &res);
    CHECK(res.out == CH_ERROR, "SPEC");
    CHECK(strstr(res.what, "vpcert's own invariant `deliberately_false == 1` "
                           "failed at ") != NULL,
          "SPEC");
    CHECK(strstr(res.what, "test_checks.c:") != NULL, "SPEC");
    impl.alloc_buffer = aborting_alloc; /* the implementation's own abort */
    run_quietly(&impl, &res);
    CHECK(res.out == CH_CRASH, "AB-RES-1");
    CHECK_STR(res.clause, "AB-RES-1", "AB-RES-1");
}

TEST_MAIN(TEST(unknown_clause_is_vpcert_error),
          TEST(state_checks_catch_corruption),
          TEST(state_checks_run_after_every_step),
          TEST(state_checks_sampled_on_long_programs),
          TEST(state_checks_sparse_catch_by_the_end),
          TEST(invariants_fail_loudly),
          TEST(invariant_in_child_is_vpcert_error))
