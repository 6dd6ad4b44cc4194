/*
 * repro_c: a recorded run as a standalone C program (repro_c.h). The
 * records are walked in order and each becomes the C that does the same:
 * a call becomes repro_enter, the call through include/vpcert/video.h and
 * repro_leave; an allocation vpcert kept becomes repro_hand_out (which
 * writes contents with the recorded seed); an injection
 * repro_inject. Allocations are numbered in the order they were asked for
 * (a[N]); a release names the allocation it gives back. At the record of
 * the finding, the check vpcert made there is written as repro_check(r,
 * CONDITION, ...), its condition one of: the model's allowed set (after
 * the model's judgement), the kernel stand-in's events (a finding from its
 * log: after a call, or after the leak and guard sweeps of a device stop
 * or of the end), the contents (BUF-4), or the executor's own check of the
 * clause (repro_c_check.c). A run that ended in a call (crash, hang, exit,
 * memory) ends with that call: the runtime reports the clause if it ends
 * the same way.
 */
#include "repro_gen.h"

#include "clauses.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *call_name(unsigned kind) {
    static const char *const n[] = {
        [EXEC_CALL_ALLOC_BUFFER] = "VideoPortAllocateBuffer",
        [EXEC_CALL_RELEASE_BUFFER] = "VideoPortReleaseBuffer",
        [EXEC_CALL_ALLOC_POOL] = "VideoPortAllocatePool",
        [EXEC_CALL_FREE_POOL] = "VideoPortFreePool",
        [EXEC_CALL_START] = "VpcertDeviceStart",
        [EXEC_CALL_STOP] = "VpcertDeviceStop"};
    return kind < sizeof n / sizeof n[0] ? n[kind] : "?";
}

static const char *irql_name(unsigned irql) {
    return irql == PASSIVE_LEVEL    ? "PASSIVE_LEVEL"
           : irql == APC_LEVEL      ? "APC_LEVEL"
           : irql == DISPATCH_LEVEL ? "DISPATCH_LEVEL"
                                    : "HIGH_LEVEL";
}

/* The slot holding the live allocation at ptr, or -1. */
int repro_gen_slot(const struct repro_gen *g, uintptr_t ptr) {
    for (int s = g->nslots - 1; s >= 0; s--)
        if (g->live[s] && g->ptr[s] == ptr)
            return s;
    return -1;
}

/* Close an open "if (a[N]) {": forget the allocation given back. */
void repro_gen_close(struct repro_gen *g) {
    if (g->give_back >= 0) {
        sb_add(g->b, "        repro_given_back(r, a[%d]);\n", g->give_back);
        g->live[g->give_back] = 0;
        g->give_back = -1;
    }
    if (g->open)
        sb_add(g->b, "    }\n");
    g->open = 0;
}

const char *repro_gen_ind(const struct repro_gen *g) {
    return g->open ? "        " : "    ";
}

/* A comment naming what the call is for: the operation, or the starts
 * and stops vpcert makes around the program. */
static void comment_call(struct repro_gen *g, const struct exec_trace *t) {
    char text[200];
    if (!t->in_op) {
        sb_add(g->b, "\n    /* %s */\n",
               t->call == EXEC_CALL_START
                   ? "every device starts with the program"
               : t->call == EXEC_CALL_STOP
                   ? "after the last operation: vpcert stops the device"
                   : "after the last operation: vpcert gives back what is "
                     "left");
        return;
    }
    if (t->op == g->last_op && g->calls)
        return;
    g->last_op = t->op;
    prog_text_op(&g->in->p->ops[t->op], text, sizeof text);
    sb_add(g->b, "\n    /* op %u, step %u: ", t->op, t->step);
    for (const char *s = text; *s; s++) /* never end the comment */
        sb_add(g->b, "%c", *s == '*' && s[1] == '/' ? '+' : *s);
    sb_add(g->b, " */\n");
}

/* The call itself, through include/vpcert/video.h. */
static void call_statement(struct repro_gen *g, const struct exec_trace *t) {
    const struct program *p = g->in->p;
    switch (t->call) {
    case EXEC_CALL_ALLOC_BUFFER:
        sb_add(g->b, "st = VideoPortAllocateBuffer(dev[%u], %lluu, &a[%d]);\n",
               t->dev, (unsigned long long)t->size, g->slot);
        break;
    case EXEC_CALL_ALLOC_POOL:
        sb_add(g->b,
               "a[%d] = VideoPortAllocatePool(dev[%u], (VP_POOL_TYPE)%u, "
               "(SIZE_T)%lluu, 0x%08lXu);\n",
               g->slot, t->dev, t->pool_type, (unsigned long long)t->size,
               (unsigned long)t->tag);
        break;
    case EXEC_CALL_START:
        if (p->quota[t->dev] == PROG_QUOTA_UNLIMITED)
            sb_add(g->b,
                   "st = VpcertDeviceStart(dev[%u], (ULONGLONG)-1); "
                   "/* no quota */\n",
                   t->dev);
        else
            sb_add(g->b, "st = VpcertDeviceStart(dev[%u], %lluu);\n", t->dev,
                   (unsigned long long)p->quota[t->dev]);
        break;
    case EXEC_CALL_STOP:
        sb_add(g->b, "VpcertDeviceStop(dev[%u]);\n", t->dev);
        break;
    default:
        sb_add(g->b, "%s(dev[%u], a[%d]);\n", call_name(t->call), t->dev,
               g->slot);
    }
}

static int call(struct repro_gen *g, const struct exec_trace *t) {
    repro_gen_close(g);
    comment_call(g, t);
    g->call = t;
    g->judge = NULL;
    g->slot = -1;
    if (t->flag) { /* an optional export the library does not have */
        sb_add(g->b, "    /* %s: not exported, nothing to call */\n",
               call_name(t->call));
        return 0;
    }
    if (t->call == EXEC_CALL_ALLOC_BUFFER || t->call == EXEC_CALL_ALLOC_POOL) {
        g->slot = g->nslots++;
        g->ptr[g->slot] = 0;
        g->live[g->slot] = 0;
    } else if (t->call == EXEC_CALL_RELEASE_BUFFER ||
               t->call == EXEC_CALL_FREE_POOL) {
        g->slot = repro_gen_slot(g, t->ptr);
        if (g->slot < 0)
            return -1; /* gives back nothing handed out: no record of it */
        sb_add(g->b, "    if (a[%d]) {\n", g->slot);
        g->open = 1;
    }
    if (t->call == EXEC_CALL_ALLOC_BUFFER)
        sb_add(g->b, "    a[%d] = repro_sentinel();\n", g->slot);
    sb_add(g->b, "%srepro_enter(r, %u, %s, \"%s\");\n%s", repro_gen_ind(g),
           t->dev, irql_name(t->irql), t->clause, repro_gen_ind(g));
    call_statement(g, t);
    g->calls++;
    return 0;
}

static void returned(struct repro_gen *g, const struct exec_trace *t) {
    const struct exec_trace *c = g->call;
    if (!c || c->flag)
        return;
    sb_add(g->b, "%srepro_leave(r);\n", repro_gen_ind(g));
    if (t->flag)
        sb_add(g->b, "%s/* recorded: the call did not return */\n",
               repro_gen_ind(g));
    else if (c->call == EXEC_CALL_ALLOC_BUFFER)
        sb_add(g->b, "    /* recorded: status %ld, *Buffer %#lx */\n",
               (long)t->status, (unsigned long)t->ptr);
    else if (c->call == EXEC_CALL_ALLOC_POOL)
        sb_add(g->b, "    /* recorded: %#lx */\n", (unsigned long)t->ptr);
    if (g->slot >= 0 &&
        (c->call == EXEC_CALL_ALLOC_BUFFER || c->call == EXEC_CALL_ALLOC_POOL))
        g->ptr[g->slot] = t->ptr;
    if (c->call == EXEC_CALL_RELEASE_BUFFER || c->call == EXEC_CALL_FREE_POOL)
        g->give_back = g->slot;
}

/* vpcert wrote contents: into a new allocation it keeps, or again into
 * a live one (a touch). */
static void fill(struct repro_gen *g, const struct exec_trace *t) {
    int s = g->slot;
    repro_gen_close(g);
    if (s >= 0 && !g->live[s] && g->ptr[s] == t->ptr) {
        sb_add(g->b,
               "    a[%d] = repro_hand_out(r, %sa[%d], %lluu, 0x%08lXu); "
               "/* vpcert keeps it and writes its contents */\n",
               s,
               g->call->call == EXEC_CALL_ALLOC_BUFFER
                   ? "st != NO_ERROR ? NULL : "
                   : "",
               s, (unsigned long long)t->size, (unsigned long)t->seed);
        g->live[s] = 1;
        return;
    }
    s = repro_gen_slot(g, t->ptr);
    if (s >= 0)
        sb_add(g->b,
               "    if (a[%d])\n        repro_refill(r, a[%d], 0x%08lXu);\n", s,
               s, (unsigned long)t->seed);
}

static void inject(struct repro_gen *g, const struct exec_trace *t) {
    static const char *const kind[] = {[PROG_INJ_NEXT] = "REPRO_INJECT_NEXT",
                                       [PROG_INJ_ABOVE] = "REPRO_INJECT_ABOVE",
                                       [PROG_INJ_TAG] = "REPRO_INJECT_TAG",
                                       [PROG_INJ_CLEAR] = "REPRO_INJECT_CLEAR"};
    char text[200];
    repro_gen_close(g);
    prog_text_op(&g->in->p->ops[t->op], text, sizeof text);
    sb_add(g->b, "\n    /* op %u, step %u: %s */\n", t->op, t->step, text);
    sb_add(g->b, "    repro_inject(r, %s, %lluu);\n",
           t->inject < PROG_INJ_COUNT ? kind[t->inject] : kind[PROG_INJ_CLEAR],
           (unsigned long long)(t->inject == PROG_INJ_TAG ? t->tag : t->value));
    g->last_op = t->op;
}

static void setup(const struct repro_gen *g, int nslots) {
    const struct repro_c_input *in = g->in;
    const struct program *p = in->p;
    sb_add(g->b,
           "#include <stddef.h>\n#include <stdint.h>\n\n#include "
           "<vpcert/video.h>\n\n#include \"repro.h\"\n\nint main(void) {\n"
           "    static const struct repro_setup setup = {\n"
           "        \"%s\", {%lluu, %lluu}, %uu, %.1f, %lluu, %lluu};\n"
           "    struct repro *r = repro_begin(&setup);\n    PVOID dev[%u];\n"
           "    PVOID a[%d] = {0}; /* allocations, in the order asked for */\n"
           "    VP_STATUS st = NO_ERROR;\n",
           in->clause, (unsigned long long)p->capacity[0],
           (unsigned long long)p->capacity[1], p->ndevices, in->seconds,
           (unsigned long long)in->rss_limit,
           (unsigned long long)in->write_limit, p->ndevices,
           nslots > 0 ? nslots : 1);
    sb_add(g->b,
           "    for (unsigned d = 0; d < %uu; d++)\n        dev[d] = "
           "repro_device(r, d);\n    (void)st;\n    (void)a;\n",
           p->ndevices);
}

/* How many allocations and calls the records up to the end hold. */
static void count(const struct repro_c_input *in, size_t end, int *nslots,
                  unsigned *ncalls) {
    *nslots = 0;
    *ncalls = 0;
    for (size_t i = 0; i < end; i++) {
        const struct exec_trace *t = &in->t[i];
        if (t->kind != EXEC_TR_CALL)
            continue;
        (*ncalls)++;
        *nslots += t->call == EXEC_CALL_ALLOC_BUFFER ||
                   t->call == EXEC_CALL_ALLOC_POOL;
    }
}

/* Where the program ends: just past the finding's record, or (crashed)
 * past the last record. 0 when there is none. */
static size_t end_of(const struct repro_c_input *in) {
    if (in->crashed)
        return in->n && in->t[in->n - 1].kind == EXEC_TR_CALL ? in->n : 0;
    for (size_t i = 0; i < in->n; i++)
        if (in->t[i].kind == EXEC_TR_FINDING &&
            strcmp(in->t[i].clause, in->clause) == 0)
            return i + 1;
    return 0;
}

/* One record; -1 when it cannot be written. Every record but a finding
 * becomes the context the check after it reads (g->ctx). */
static int record(struct repro_gen *g, const struct exec_trace *t, int last) {
    if (t->kind == EXEC_TR_FINDING)
        return last ? repro_gen_check(g, t) : 0;
    g->ctx = t;
    switch (t->kind) {
    case EXEC_TR_CALL:
        return call(g, t);
    case EXEC_TR_RETURN:
        returned(g, t);
        break;
    case EXEC_TR_FILL:
        fill(g, t);
        break;
    case EXEC_TR_INJECT:
        inject(g, t);
        break;
    case EXEC_TR_JUDGE:
        g->judge = t;
        break;
    case EXEC_TR_SWEEP:
        repro_gen_close(g);
        break;
    default: /* VERIFY: what the check after it needs */
        break;
    }
    return 0;
}

int repro_c_write(const struct repro_c_input *in, struct sbuf *out, char *why,
                  size_t cap) {
    size_t end = end_of(in);
    int nslots;
    unsigned ncalls;
    count(in, end, &nslots, &ncalls);
    if (!end || ncalls > REPRO_C_MAX_CALLS || !spec_clause_find(in->clause)) {
        snprintf(why, cap, "%s",
                 !end ? "the recorded run did not find it again"
                      : "more than 20000 calls");
        return -1;
    }
    struct repro_gen g = {in,
                          out,
                          NULL,
                          -1,
                          0,
                          calloc((size_t)nslots + 1, sizeof(uintptr_t)),
                          calloc((size_t)nslots + 1, sizeof(int)),
                          0,
                          -1,
                          NULL,
                          NULL,
                          UINT32_MAX,
                          0};
    int rc = g.ptr && g.live ? 0 : -1;
    repro_gen_head(&g);
    setup(&g, nslots);
    for (size_t i = 0; rc == 0 && i < end; i++)
        rc = record(&g, &in->t[i], i + 1 == end && !in->crashed);
    if (rc == 0 && in->crashed) {
        sb_add(out,
               "%srepro_leave(r);\n%s/* vpcert's run ended in this call; "
               "had it again, the runtime has reported %s */\n",
               repro_gen_ind(&g), repro_gen_ind(&g), in->clause);
        repro_gen_close(&g);
    }
    sb_add(out, "    return repro_end(r);\n}\n");
    free(g.ptr);
    free(g.live);
    if (rc != 0)
        snprintf(why, cap, "vpcert writes no C check of %s where it found it",
                 in->clause);
    return rc;
}
