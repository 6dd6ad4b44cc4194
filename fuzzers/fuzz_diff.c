/*
 * fuzz_diff: the differential fuzz target. Bytes -> program (prog_decode is
 * total) -> exec_run on the reference model and the built-in shim in
 * lockstep. Any finding (MUST or SHOULD) is printed with the program up to
 * the failing operation, then abort() so that libFuzzer keeps the input.
 *
 * Environment (used by `vpcert fuzz`, optional otherwise):
 *   VPCERT_FUZZ_SIGNATURE=SIG  only a finding with this signature aborts
 *                              (keeps -minimize_crash on the same bug)
 *   VPCERT_FUZZ_PROGRESS=1     print "#EXECS vpcert-progress" to stderr
 *                              about once a second
 *   VPCERT_IMPL=LIB.so         fuzz this plug-in instead of the built-in
 *                              shim (its Ex* imports bind to this binary's
 *                              kernel stand-in; `vpcert fuzz --impl` sets it)
 *   VPCERT_ICS=FILE            the plug-in's conformance statement
 *   VPCERT_CHECK_STATE=0|1|2   vpcert's own state checks
 *                              (exec_options.check_state): off, after every
 *                              step (EXEC_CHECK_EVERY), or sparse
 *                              (EXEC_CHECK_SPARSE); the default is sparse
 *                              in the fuzz build (VPCERT_EXPENSIVE_CHECKS),
 *                              off elsewhere (bench/check_cost.sh compares)
 *   VPCERT_FUZZ_FAST_FREE=1    freed pool blocks of 1 MiB or more are
 *                              poisoned instead of made inaccessible (no
 *                              system call per free; a use after free of
 *                              one no longer faults): kernel_set_fast_free
 */
#include "exec.h"
#include "finding.h"
#include "fuzz_common.h"
#include "impl.h"
#include "vpcert/invariant.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static struct program prog;    /* 4096 operations: never on the stack */
static struct program scratch; /* for printing a prefix of prog */
static struct exec_result res;
static struct impl impl;
static struct exec_options opts;
static const char *want_sig;     /* VPCERT_FUZZ_SIGNATURE */
static int progress;             /* VPCERT_FUZZ_PROGRESS */
static unsigned long long execs; /* inputs run, for progress */
static time_t last_progress;

/* ASan builds: the kernel stand-in serves every pool request below 1 MiB from
 * malloc and fills it, and fuzzed programs ask for every size up to that.
 * With ASan's default 256 MB quarantine per run of frees, and freed memory
 * never returned to the system, the resident size of a long campaign grows
 * past libFuzzer's 2 GB -rss_limit_mb (an "out-of-memory" after ~140k
 * executions) without any leak. A smaller quarantine and periodic release
 * keep it flat; use-after-free detection stays on. ASAN_OPTIONS in the
 * environment still overrides this. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) {
    return "quarantine_size_mb=32:allocator_release_to_os_interval_ms=500";
}

static void init_once(void) {
    static int done;
    if (done)
        return;
    done = 1;
    exec_options_default(&opts);
    const char *lib = getenv("VPCERT_IMPL"), *ics = getenv("VPCERT_ICS");
    char err[IMPL_ERR_MAX + 512];
    if (!lib || !*lib) {
        impl_builtin(&impl);
    } else if (impl_open(&impl, lib, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_diff: VPCERT_IMPL: %s\n", err);
        exit(2);
    }
    if (ics_load(ics && *ics ? ics : NULL, &opts.ics, err, sizeof err) != 0) {
        fprintf(stderr, "fuzz_diff: VPCERT_ICS: %s\n", err);
        exit(2);
    }
    opts.check_expect = 0; /* a fuzz input's expect bytes are arbitrary */
    /* Repeats unrolled, a run stays as long as a program without them may
     * be: time and memory per input as before repeats existed (a repeat of
     * a huge lazily mapped block would otherwise fill gigabytes). */
    opts.max_steps = PROG_MAX_OPS;
    opts.check_imports = 0; /* HOST-1 is the loader's: certify reports it */
    /* Speed over thoroughness: buffers above 4 KiB get their first and last
     * 4 KiB written and verified (replay and certify write up to 8 KiB). */
    opts.write_limit = 4096;
    /* The state checks sparse by default (README, "vpcert's own checks"):
     * a corruption still ends the run as vpcert's bug, by its end at the
     * latest, at a fraction of the cost of checking after every step. */
    if (opts.check_state)
        opts.check_state = EXEC_CHECK_SPARSE;
    const char *check = getenv("VPCERT_CHECK_STATE");
    if (check && *check)
        opts.check_state = !strcmp(check, "0")   ? EXEC_CHECK_OFF
                           : !strcmp(check, "1") ? EXEC_CHECK_EVERY
                                                 : EXEC_CHECK_SPARSE;
    const char *ff = getenv("VPCERT_FUZZ_FAST_FREE");
    opts.fast_free = ff && *ff && strcmp(ff, "0") != 0;
    want_sig = getenv("VPCERT_FUZZ_SIGNATURE");
    if (want_sig && !*want_sig)
        want_sig = NULL;
    progress = getenv("VPCERT_FUZZ_PROGRESS") != NULL;
}

/* libFuzzer and AFL++'s driver call this once before the first input (the
 * driver before its fork server starts): the set-up is then done in the
 * parent, and no input runs the set-up's code, which would make the first
 * input of every forked AFL++ child take edges the others do not (AFL++
 * counts that as instability). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    init_once();
    return 0;
}

static void tick(void) {
    execs++;
    if (!progress || execs % 64)
        return;
    time_t now = time(NULL);
    if (now != last_progress) {
        last_progress = now;
        fprintf(stderr, "#%llu\tvpcert-progress\n", execs);
    }
}

static int wanted(const struct exec_result *r) {
    char sig[160];
    for (uint32_t i = 0; want_sig && i < r->nfindings; i++) {
        exec_signature(&r->f[i], sig, sizeof sig);
        if (strcmp(sig, want_sig) == 0)
            return 1;
    }
    return want_sig == NULL;
}

/* Does the printed block read back (exec_finding_parse, as `vpcert fuzz`
 * reads it when it triages the input) as the same finding, one that is
 * written out again as the same block? Says so when not. */
static void check_reads_back(const char *block) {
    struct exec_finding_text back;
    char again[1024];
    if (exec_finding_parse(block, "  ", &back, NULL) == 0 &&
        exec_finding_format(&back, "  ", again, sizeof again) < sizeof again &&
        strcmp(block, again) == 0)
        return;
    fprintf(stderr, "fuzz_diff: vpcert bug: the finding block above does not "
                    "read back as written (triage would misreport it)\n");
}

static void report(const struct program *p, const struct exec_result *r) {
    uint32_t last = 0;
    for (uint32_t i = 0; i < r->nfindings; i++) {
        struct exec_finding_text t;
        char block[1024];
        exec_finding_describe(&r->f[i], p, &t);
        exec_finding_format(&t, "  ", block, sizeof block);
        fprintf(stderr, EXEC_FINDING_FUZZ_MARK "%s", block);
        check_reads_back(block);
        if (r->f[i].op > last)
            last = r->f[i].op;
    }
    fuzz_print_program("program up to the failing operation", p, last + 1,
                       &scratch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    init_once();
    tick();
    if (prog_decode(data, size, &prog) == PROG_DECODE_NEWER)
        return 0;
    int rc = exec_run(&prog, &impl, &opts, &res);
    if (rc < 0 && res.error == EXEC_ERR_BUG) { /* vpcert's own bug: keep it */
        fprintf(stderr, VPCERT_INVARIANT_PREFIX "%s\n", res.error_text);
        fuzz_print_program("the program", &prog, prog.nops, &scratch);
        abort();
    }
    if (rc <= 0) /* 0 clean; -1 the host refused memory: not a finding */
        return 0;
    if (!wanted(&res))
        return 0;
    report(&prog, &res);
    abort();
}
