/*
 * certify: run a library through the clauses of SPEC.md and grade each
 * clause PASS / FAIL / WARN / NOT-APPLICABLE / INCONCLUSIVE, with a
 * minimized reproducer for the first failing case of each clause.
 */
#ifndef VPCERT_CERTIFY_H
#define VPCERT_CERTIFY_H

#include "cases.h"
#include "child.h"
#include "ics.h"
#include "impl.h"
#include "program.h"
#include "runner.h"

#define CERT_MAX_CASES 16384u /* cases in one run at most */
#define CERT_BATCH 256u       /* cases per child process (bench/RESULTS.md) */
/* The concurrent family (thread-safe ICS): programs, and PCT schedules of
 * each after its base run at most (bench/RESULTS.md: the examples' races
 * and deadlock are found within a few). */
#define CERT_CONC_PROGRAMS 16u
#define CERT_CONC_SCHEDULES 24u

enum cert_verdict {
    CV_PASS,
    CV_FAIL,
    CV_WARN,
    CV_NA,
    CV_INCONCLUSIVE,
    CV_COUNT /* number of verdicts */
};
enum cert_overall {
    OVERALL_CERTIFIED,
    OVERALL_WITH_WARNINGS,
    OVERALL_NOT_CERTIFIED,
    OVERALL_INCONCLUSIVE /* cut short (budget, interrupt) and no MUST failed */
};

struct cert_clause {
    enum cert_verdict verdict; /* the grade */
    unsigned run;              /* cases that exercised it and ran to a result */
    unsigned failed;           /* cases with a finding on it */
    unsigned unfinished;    /* cases exercising it that crashed/hung for another
                               clause */
    int first_case;         /* index of the first failing case, -1 */
    char expected[96];      /* of the first failure */
    char observed[160];     /* of the first failure */
    char detail[160];       /* of the first failure */
    char reproducer[512];   /* path of the minimized text program */
    char c_reproducer[512]; /* path of the C reproducer, "" if none */
    char c_note[120];       /* why there is none, "" if there is */
    char debug[EXEC_DEBUG_MAX]; /* what the library printed in that case */
    char
        note[120]; /* why NOT-APPLICABLE / INCONCLUSIVE, or the MAY form seen */
    double seconds; /* the cases that exercised it (each case's time shared
                       by the clauses it exercised) and its minimization */
};

/* One case: a program of one family, kept in binary form (a few dozen
 * bytes) and decoded to run (cert_case_program). */
struct cert_case {
    char name[128];       /* e.g. conformance/qu-2-exact-fit.vpt, scale/... */
    uint8_t family;       /* enum cases_family */
    uint8_t *bin;         /* the program, prog_encode'd */
    uint32_t len;         /* its bytes */
    unsigned holds;       /* prog_holds of the program (clauses.h) */
    unsigned char *cites; /* clauses the case cites (vectors), or NULL */
    int conc;             /* concurrent family: its program's number, else -1 */
    unsigned schedule;    /* its PCT schedule, 0 for the base run */
    uint8_t *points;      /* concurrent family: the base run's switch points
                             per operation (EXEC_OP_POINTS), else NULL */
};

struct cert_config {
    const char *lib;         /* library path */
    const char *ics_path;    /* ICS file, NULL = defaults */
    struct ics ics;          /* declared */
    const char *out_dir;     /* report directory */
    const char *stage;       /* where its files are written until the swap */
    const char *corpus;      /* DIR of conformance/ and regressions/, NULL:
                                the ones built into vpcert */
    uint64_t seed;           /* random phase seed */
    unsigned random_cases;   /* random programs */
    unsigned conc_programs;  /* concurrent family programs (thread-safe) */
    unsigned conc_schedules; /* PCT schedules per program at most */
    double time_budget;      /* seconds for the whole run */
    double case_seconds;     /* per-case time limit */
    uint64_t case_rss;       /* per-case resident memory limit */
    unsigned batch;          /* cases per child process (runner.h) */
    unsigned lanes;          /* parallel loaders */
    int quiet;               /* no progress lines */
};

/* The cases of one family (enum cases_family) and what they ran. */
struct cert_family {
    unsigned planned;               /* cases of the family */
    unsigned done;                  /* of those, run */
    unsigned long long ops_run;     /* operations of cases that ran to a
                                       result */
    unsigned long long ops_skipped; /* of those, skipped (device stopped,
                                       nothing live...) */
    unsigned errors;    /* cases vpcert could not vouch for (CH_ERROR) */
    unsigned schedules; /* of the cases, PCT schedules of another case's
                           program (the concurrent family) */
};

#define CERT_MAX_NOTES 8u /* carried-state notes kept */

struct cert_run {
    struct cert_config cfg;  /* configuration */
    struct runner runner;    /* the library, loaded in worker processes */
    char sha256[65];         /* of the library file */
    unsigned missing;        /* declared services not exported (ICS-1) */
    struct cert_case *cases; /* all cases */
    unsigned ncases;         /* count */
    unsigned ran;            /* cases run before the budget ran out */
    char cut[160];           /* why the run was cut short, "" if not */
    unsigned carried[CERT_MAX_NOTES]; /* cases not clean after others in
                                         one process, clean alone */
    unsigned ncarried; /* how many such cases (all, not only kept) */
    int zero_case;     /* the case zero_form comes from, -1 */
    double t0;         /* os_now() at the start */
    double deadline;   /* os_now() by which everything ends */
    void *trace;       /* certify_repro.c's record of a run: shared memory
                          mapped before the runner starts, so that its
                          children write into it; NULL if none */
    size_t trace_len;  /* its bytes */
    struct cert_clause *clauses; /* by clause index */
    enum cert_overall overall;   /* final verdict */
    int zero_form;               /* Size 0 form seen: 1 allocate, 2 reject */
    struct cert_family family[CASES_FAMILY_COUNT]; /* by enum cases_family */
    double seconds;                                /* wall time */
};

/* certify_run.c: the whole run; 0, or -1 (message printed). */
int cert_run(struct cert_run *c);
void cert_free(struct cert_run *c);
/* certify_run.c: the executor's options for case cs. */
void cert_case_options(const struct cert_run *c, const struct cert_case *cs,
                       struct exec_options *o);
/* certify_run.c: program p of case cs (cs decoded, or a trial made from
 * it) alone in a fresh child process under the case limits (runner.h). */
void cert_run_case(struct cert_run *c, const struct cert_case *cs,
                   const struct program *p, struct child_result *res);
/* certify_cases.c: every case, family by family (cases.h): the vectors
 * and regressions (built in, or from --corpus), then the generated
 * families. 0, or -1 with the reason printed. */
int cert_cases_load(struct cert_run *c);
/* certify_cases.c: the program of cs into p. 0, or -1 (cannot happen:
 * cases are encoded by vpcert itself). */
int cert_case_program(const struct cert_case *cs, struct program *p);
/* certify_cases.c: add p as a case of family f (cites: kept, or NULL);
 * its index, or -1 (the reason printed). */
int cert_add_case(struct cert_run *c, enum cases_family f, const char *name,
                  const struct program *p, unsigned char *cites);
/* certify_conc.c: after case ci of the concurrent family ran, its next PCT
 * schedule as a new case, unless it failed or had them all. */
void cert_conc_next(struct cert_run *c, unsigned ci,
                    const struct child_result *res);
/* certify_tally.c: what case ci's result says about each clause. */
void cert_tally(struct cert_run *c, unsigned ci, const struct child_result *res,
                double seconds);
/* certify_minimize.c: clause k's reproducer, minimized until deadline. */
void cert_write_reproducer(struct cert_run *c, size_t k, double deadline);
/* certify_repro.c: clause k's C reproducer of program p (the minimized
 * one), and reproducers/build.sh; c_reproducer or c_note says how it went. */
void cert_write_c_reproducer(struct cert_run *c, size_t k,
                             const struct program *p);
/* certify_repro.c: the bytes of c->trace, its record of a run. */
size_t cert_trace_size(void);
/* certify_grade.c: every clause's verdict and the overall verdict. */
void cert_grade(struct cert_run *c);
const char *cert_verdict_name(enum cert_verdict v);
const char *cert_overall_name(enum cert_overall o);
/* certify_report.c: report.json, report.md, then the two below. */
int cert_write_reports(const struct cert_run *c);
/* report_junit.c: junit.xml. 0, or -1 (printed). */
int cert_write_junit(const struct cert_run *c);
/* report_sarif.c: report.sarif. 0, or -1 (printed). */
int cert_write_sarif(const struct cert_run *c);

#endif /* VPCERT_CERTIFY_H */
