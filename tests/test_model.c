/*
 * test_model.c: the reference model (model/vpm.h), one test per clause it
 * decides. Each test is named after the clause it proves and fails if the
 * model logic behind that clause is removed.
 */
#include "testhelper.h"
#include "vpm.h"

#define NOH UINT32_MAX
#define CAP (1ull << 40)

/* Every clause ID of SPEC.md, from the clause table. */
static const char *const known_ids[] = {
#define X(id, ...) #id,
#include "clauses.def"
#undef X
};

static int known_clause(const char *id) {
    size_t i;

    for (i = 0; id && i < sizeof known_ids / sizeof known_ids[0]; i++)
        if (strcmp(known_ids[i], id) == 0)
            return 1;
    return 0;
}

/* The verdict allows the observed result. */
#define EXPECT_OK(verdict, id)                                                 \
    do {                                                                       \
        struct vpm_verdict ev_ = (verdict);                                    \
        CHECK(ev_.ok, id);                                                     \
        CHECK(ev_.clause == NULL && ev_.why == NULL, id);                      \
    } while (0)

/* The verdict rejects the observed result, blaming clause `want`. */
#define EXPECT_BAD(verdict, want, id)                                          \
    do {                                                                       \
        struct vpm_verdict ev_ = (verdict);                                    \
        CHECK(!ev_.ok, id);                                                    \
        CHECK_STR(ev_.clause, want, id);                                       \
        CHECK(known_clause(ev_.clause), id);                                   \
        CHECK(ev_.why != NULL && ev_.why[0] != '\0', id);                      \
    } while (0)

static void setup(struct vpm *m, int quota_enabled, int quota_first,
                  enum vpm_zero_size zero) {
    struct vpm_config cfg = {.capacity = {CAP, CAP},
                             .ndevices = 2,
                             .quota_enabled = quota_enabled,
                             .quota_first = quota_first,
                             .zero_size = zero};
    CHECK(vpm_init(m, &cfg) == VPM_E_OK, "setup");
}

/* A quota-first device 0 with the given quota. */
static void setup_quota(struct vpm *m, uint64_t quota) {
    setup(m, 1, 1, VPM_ZERO_ANY);
    CHECK(vpm_device_start(m, 0, quota) == VPM_E_OK, "setup");
}

static uint32_t buffer(struct vpm *m, unsigned dev, uint32_t size,
                       enum vpm_result r) {
    uint32_t h = 0;
    CHECK(vpm_buffer_commit(m, dev, size, r, &h) == VPM_E_OK, "commit");
    return h;
}

static struct vpm_verdict judge(const struct vpm *m, unsigned dev,
                                uint32_t size, int refused, enum vpm_result r) {
    return vpm_buffer_judge(m, dev, size, refused, r);
}

static void AB_RES_1_only_documented_statuses(void) {
    struct vpm m;
    setup_quota(&m, 1000);
    CHECK(vpm_result_of_status(0) == VPM_R_OK, "AB-RES-1");
    CHECK(vpm_result_of_status(8) == VPM_R_NOMEM, "AB-RES-1");
    CHECK(vpm_result_of_status(122) == VPM_R_QUOTA, "AB-RES-1");
    CHECK(vpm_result_of_status(87) == VPM_R_INVALID, "AB-RES-1");
    CHECK(vpm_result_of_status(5) == VPM_R_OTHER, "AB-RES-1");
    CHECK(vpm_result_of_status(-1) == VPM_R_OTHER, "AB-RES-1");
    EXPECT_BAD(judge(&m, 0, 10, 0, VPM_R_OTHER), "AB-RES-1", "AB-RES-1");
    EXPECT_BAD(judge(&m, 0, 10, 1, VPM_R_OTHER), "AB-RES-1", "AB-RES-1");
    EXPECT_BAD(judge(&m, 0, 10, 0, VPM_R_INVALID), "AB-RES-1", "AB-RES-1");
    EXPECT_BAD(judge(&m, 0, 0, 0, VPM_R_OTHER), "AB-RES-1", "AB-RES-1");
    EXPECT_BAD(judge(&m, 0, 2000, 0, VPM_R_OTHER), "AB-RES-1", "AB-RES-1");
    EXPECT_OK(judge(&m, 0, 10, 0, VPM_R_OK), "AB-RES-1");
    CHECK(judge(&m, 0, 10, 0, VPM_R_OK).allowed == VPM_ALLOW(VPM_R_OK),
          "AB-RES-1");
    vpm_fini(&m);
}

static void AB_RES_3_nomem_needs_a_pool_refusal(void) {
    struct vpm m;
    setup_quota(&m, 1000);
    EXPECT_BAD(judge(&m, 0, 10, 0, VPM_R_NOMEM), "AB-RES-3", "AB-RES-3");
    EXPECT_OK(judge(&m, 0, 10, 1, VPM_R_NOMEM), "AB-RES-3");
    EXPECT_OK(judge(&m, 0, 10, 1, VPM_R_OK), "AB-RES-3");
    CHECK(judge(&m, 0, 10, 1, VPM_R_OK).allowed ==
              (VPM_ALLOW(VPM_R_OK) | VPM_ALLOW(VPM_R_NOMEM)),
          "AB-RES-3");
    /* over quota without a refusal: still AB-RES-3, not QU-7 */
    EXPECT_BAD(judge(&m, 0, 2000, 0, VPM_R_NOMEM), "AB-RES-3", "AB-RES-3");
    EXPECT_BAD(judge(&m, 0, 0, 0, VPM_R_NOMEM), "AB-RES-3", "AB-RES-3");
    vpm_fini(&m);
}

static void AB_RES_4_quota_status_without_quota(void) {
    struct vpm m;
    setup(&m, 0, 1, VPM_ZERO_ANY); /* ICS quota = none */
    CHECK(vpm_device_start(&m, 0, 10) == VPM_E_OK, "AB-RES-4");
    EXPECT_BAD(judge(&m, 0, 100, 0, VPM_R_QUOTA), "AB-RES-4", "AB-RES-4");
    EXPECT_OK(judge(&m, 0, 100, 0, VPM_R_OK), "AB-RES-4");
    vpm_fini(&m);

    setup_quota(&m, VPM_UNLIMITED); /* quota enabled, device unlimited */
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_QUOTA), "AB-RES-4",
               "AB-RES-4");
    vpm_fini(&m);
}

static void QU_1_devices_have_independent_quotas(void) {
    struct vpm m;
    setup_quota(&m, 100);
    CHECK(vpm_device_start(&m, 1, 100) == VPM_E_OK, "QU-1");
    buffer(&m, 0, 100, VPM_R_OK);
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 0, "QU-1");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 1), 100, "QU-1");
    EXPECT_OK(judge(&m, 1, 100, 0, VPM_R_OK), "QU-1");
    /* refused on device 1 only if device 0's charge counted: shared */
    EXPECT_BAD(judge(&m, 1, 100, 0, VPM_R_QUOTA), "QU-1", "QU-1");
    EXPECT_OK(judge(&m, 0, 1, 0, VPM_R_QUOTA), "QU-1");
    EXPECT_BAD(judge(&m, 0, 1, 0, VPM_R_OK), "QU-3", "QU-1");
    /* a failure on device 0 is not a failure on device 1 */
    buffer(&m, 0, 90, VPM_R_QUOTA);
    EXPECT_BAD(judge(&m, 1, 50, 0, VPM_R_QUOTA), "QU-1", "QU-1");
    CHECK(vpm_check_invariants(&m) == NULL, "QU-1");
    vpm_fini(&m);
}

static void QU_2_exact_fit_allowed(void) {
    struct vpm m;
    setup_quota(&m, 100);
    buffer(&m, 0, 40, VPM_R_OK);
    CHECK(judge(&m, 0, 60, 0, VPM_R_OK).allowed == VPM_ALLOW(VPM_R_OK), "QU-2");
    EXPECT_OK(judge(&m, 0, 60, 0, VPM_R_OK), "QU-2");
    EXPECT_BAD(judge(&m, 0, 60, 0, VPM_R_QUOTA), "QU-2", "QU-2");
    EXPECT_BAD(judge(&m, 0, 1, 0, VPM_R_QUOTA), "QU-2", "QU-2");
    buffer(&m, 0, 60, VPM_R_OK);
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 0, "QU-2");
    EXPECT_OK(judge(&m, 0, 1, 0, VPM_R_QUOTA), "QU-2");
    vpm_fini(&m);
}

static void QU_3_one_byte_over_refused(void) {
    struct vpm m;
    setup_quota(&m, 100);
    buffer(&m, 0, 40, VPM_R_OK);
    CHECK(judge(&m, 0, 61, 0, VPM_R_QUOTA).allowed == VPM_ALLOW(VPM_R_QUOTA),
          "QU-3");
    EXPECT_OK(judge(&m, 0, 61, 0, VPM_R_QUOTA), "QU-3");
    EXPECT_BAD(judge(&m, 0, 61, 0, VPM_R_OK), "QU-3", "QU-3");
    /* 40 + 0xFFFFFFD7 is 0xFFFFFFFF: no 32-bit wrap explains a grant */
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFD7u, 0, VPM_R_OK), "QU-3", "QU-3");
    vpm_fini(&m);

    /* pool-first without a pool refusal: still ERROR_INSUFFICIENT_BUFFER */
    setup(&m, 1, 0, VPM_ZERO_ANY);
    CHECK(vpm_device_start(&m, 0, 100) == VPM_E_OK, "QU-3");
    CHECK(judge(&m, 0, 101, 0, VPM_R_QUOTA).allowed == VPM_ALLOW(VPM_R_QUOTA),
          "QU-3");
    EXPECT_BAD(judge(&m, 0, 101, 0, VPM_R_OK), "QU-3", "QU-3");
    vpm_fini(&m);

    /* near 2^32 without any wrap: one byte over is QU-3, not QU-6 */
    setup_quota(&m, 0xFFFFFFFEu);
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK), "QU-3", "QU-3");
    vpm_fini(&m);
}

static void QU_4_release_refunds_exactly_size_once(void) {
    struct vpm m;
    uint32_t a, b;
    setup_quota(&m, 100);
    a = buffer(&m, 0, 60, VPM_R_OK);
    b = buffer(&m, 0, 30, VPM_R_OK);
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 10, "QU-4");
    CHECK(vpm_buffer_release(&m, a) == VPM_E_OK, "QU-4");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 70, "QU-4");
    CHECK(vpm_buffer_release(&m, a) == VPM_E_CALLER, "QU-4");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 70, "QU-4");
    EXPECT_OK(judge(&m, 0, 70, 0, VPM_R_OK), "QU-4");
    CHECK(vpm_buffer_release(&m, b) == VPM_E_OK, "QU-4");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 100, "QU-4");
    CHECK(vpm_check_invariants(&m) == NULL, "QU-4");
    vpm_fini(&m);
}

static void QU_4_lost_refund_diagnosed(void) {
    struct vpm m;
    setup_quota(&m, 100);
    CHECK(vpm_buffer_release(&m, buffer(&m, 0, 60, VPM_R_OK)) == VPM_E_OK,
          "QU-4");
    /* 50 fits (100 free) but not if the 60 were never refunded */
    EXPECT_BAD(judge(&m, 0, 50, 0, VPM_R_QUOTA), "QU-4", "QU-4");
    /* 40 fits even with the refund lost: nothing explains the refusal */
    EXPECT_BAD(judge(&m, 0, 40, 0, VPM_R_QUOTA), "QU-2", "QU-4");
    vpm_fini(&m);
}

static void QU_4_double_refund_diagnosed(void) {
    struct vpm m;
    uint32_t a;
    setup_quota(&m, 100);
    a = buffer(&m, 0, 60, VPM_R_OK);
    buffer(&m, 0, 30, VPM_R_OK);
    CHECK(vpm_buffer_release(&m, a) == VPM_E_OK, "QU-4");
    /* charged 30, released 60: 80 is over (70 free) but fits if the 60
     * were refunded twice */
    EXPECT_BAD(judge(&m, 0, 80, 0, VPM_R_OK), "QU-4", "QU-4");
    EXPECT_BAD(judge(&m, 0, 101, 0, VPM_R_OK), "QU-3", "QU-4");
    vpm_fini(&m);
}

static void QU_5_failed_call_charges_nothing(void) {
    struct vpm m;
    setup_quota(&m, 100);
    buffer(&m, 0, 70, VPM_R_NOMEM);
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 100, "QU-5");
    CHECK(vpm_check_invariants(&m) == NULL, "QU-5");
    EXPECT_OK(judge(&m, 0, 100, 0, VPM_R_OK), "QU-5");
    /* 50 fits, but not had the failed 70 been charged */
    EXPECT_BAD(judge(&m, 0, 50, 0, VPM_R_QUOTA), "QU-5", "QU-5");
    EXPECT_BAD(judge(&m, 0, 30, 0, VPM_R_QUOTA), "QU-2", "QU-5");
    /* a quota refusal charges nothing either, but it never reached the
     * pool, so a charge-on-failure bug would not have charged it: the
     * diagnosis counts only pool-refused calls */
    buffer(&m, 0, 200, VPM_R_QUOTA);
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 100, "QU-5");
    EXPECT_BAD(judge(&m, 0, 31, 0, VPM_R_QUOTA), "QU-5", "QU-5");
    EXPECT_BAD(judge(&m, 0, 30, 0, VPM_R_QUOTA), "QU-2", "QU-5");
    vpm_fini(&m);
}

/* An exact fit refused after a pool-refused call of the same size is what
 * both an off-by-one (QU-2) and a kept charge (QU-5) look like in the
 * shortest program: the clause is QU-2, the diagnosis names both; with no
 * pool-refused call it names the off-by-one alone. */
static void QU_2_exact_fit_diagnosis_names_both(void) {
    struct vpm m;
    setup_quota(&m, 100);
    struct vpm_verdict v = judge(&m, 0, 100, 0, VPM_R_QUOTA);
    EXPECT_BAD(v, "QU-2", "QU-2");
    CHECK(strstr(v.why, "off by one") && !strstr(v.why, "QU-5"), "QU-2");
    buffer(&m, 0, 100, VPM_R_NOMEM);
    v = judge(&m, 0, 100, 0, VPM_R_QUOTA);
    EXPECT_BAD(v, "QU-2", "QU-2");
    CHECK(strstr(v.why, "off by one") && strstr(v.why, "QU-5"), "QU-2");
    vpm_fini(&m);
}

static void QU_6_wrap_near_2_32_diagnosed(void) {
    struct vpm m;
    setup_quota(&m, 0x100000000ull);
    buffer(&m, 0, 1, VPM_R_OK);
    EXPECT_OK(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK), "QU-6");
    buffer(&m, 0, 1, VPM_R_OK);
    /* charged 2: 0xFFFFFFFF is one byte over; 2 + 0xFFFFFFFF wraps to 1 */
    CHECK(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK).allowed ==
              VPM_ALLOW(VPM_R_QUOTA),
          "QU-6");
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK), "QU-6", "QU-6");
    vpm_fini(&m);

    setup_quota(&m, 0xFFFFFFFFu);
    buffer(&m, 0, 1, VPM_R_OK);
    EXPECT_OK(judge(&m, 0, 0xFFFFFFFEu, 0, VPM_R_OK), "QU-6");
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK), "QU-6", "QU-6");
    vpm_fini(&m);

    /* a small quota: 40 + 0xFFFFFFFF wraps to 39, which "fits" 100 */
    setup_quota(&m, 100);
    buffer(&m, 0, 40, VPM_R_OK);
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK), "QU-6", "QU-6");
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFD7u, 0, VPM_R_OK), "QU-3", "QU-6");
    vpm_fini(&m);

    /* a quota above 2^32 kept in 32 bits refuses what fits */
    setup_quota(&m, 0x100000005ull);
    EXPECT_OK(judge(&m, 0, 100, 0, VPM_R_OK), "QU-6");
    EXPECT_BAD(judge(&m, 0, 100, 0, VPM_R_QUOTA), "QU-6", "QU-6");
    EXPECT_BAD(judge(&m, 0, 5, 0, VPM_R_QUOTA), "QU-2", "QU-6");
    vpm_fini(&m);
}

static void QU_6_no_wrap_near_2_64(void) {
    const uint64_t q = UINT64_MAX - 1; /* 2^64 - 2, the largest quota */
    struct vpm m;
    int i;
    setup_quota(&m, q);
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), q, "QU-6");
    CHECK(vpm_quota_remaining(&m, 0) != VPM_UNLIMITED, "QU-6");
    CHECK(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK).allowed == VPM_ALLOW(VPM_R_OK),
          "QU-6");
    /* 0xFFFFFFFF > (uint32_t)q: only a 32-bit quota refuses it */
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_QUOTA), "QU-6", "QU-6");
    for (i = 0; i < 4; i++)
        buffer(&m, 0, 0xFFFFFFFFu, VPM_R_OK);
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), q - 4 * 0xFFFFFFFFull, "QU-6");
    EXPECT_OK(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK), "QU-6");
    /* failed calls charge nothing: the refusal is still a 32-bit quota */
    for (i = 0; i < 4; i++)
        buffer(&m, 0, 0xFFFFFFFFu, VPM_R_NOMEM);
    EXPECT_BAD(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_QUOTA), "QU-6", "QU-6");
    CHECK(vpm_check_invariants(&m) == NULL, "QU-6");
    vpm_fini(&m);
}

static void QU_7_quota_first_order(void) {
    struct vpm m;
    setup_quota(&m, 100); /* quota-first */
    CHECK(judge(&m, 0, 101, 1, VPM_R_QUOTA).allowed == VPM_ALLOW(VPM_R_QUOTA),
          "QU-7");
    EXPECT_OK(judge(&m, 0, 101, 1, VPM_R_QUOTA), "QU-7");
    EXPECT_BAD(judge(&m, 0, 101, 1, VPM_R_NOMEM), "QU-7", "QU-7");
    /* not over quota: the pool's refusal is reported */
    EXPECT_OK(judge(&m, 0, 100, 1, VPM_R_NOMEM), "QU-7");
    vpm_fini(&m);
}

static void QU_7_pool_first_order(void) {
    struct vpm m;
    setup(&m, 1, 0, VPM_ZERO_ANY); /* pool-first */
    CHECK(vpm_device_start(&m, 0, 100) == VPM_E_OK, "QU-7");
    CHECK(judge(&m, 0, 101, 1, VPM_R_NOMEM).allowed == VPM_ALLOW(VPM_R_NOMEM),
          "QU-7");
    EXPECT_OK(judge(&m, 0, 101, 1, VPM_R_NOMEM), "QU-7");
    EXPECT_BAD(judge(&m, 0, 101, 1, VPM_R_QUOTA), "QU-7", "QU-7");
    EXPECT_OK(judge(&m, 0, 101, 0, VPM_R_QUOTA), "QU-7");
    EXPECT_BAD(judge(&m, 0, 101, 1, VPM_R_OK), "QU-3", "QU-7");
    vpm_fini(&m);
}

static void QU_1_another_devices_limit_diagnosed(void) {
    struct vpm m;
    setup_quota(&m, 100);
    CHECK(vpm_device_start(&m, 1, 1000) == VPM_E_OK, "QU-1");
    /* device 0 granted 500: only device 1's limit allows that */
    EXPECT_BAD(judge(&m, 0, 500, 0, VPM_R_OK), "QU-1", "QU-1");
    /* device 1 refused 500: only device 0's limit refuses that */
    EXPECT_BAD(judge(&m, 1, 500, 0, VPM_R_QUOTA), "QU-1", "QU-1");
    /* with one device the same observations are QU-3 and QU-2 */
    vpm_fini(&m);
    setup_quota(&m, 100);
    EXPECT_BAD(judge(&m, 0, 500, 0, VPM_R_OK), "QU-3", "QU-1");
    EXPECT_BAD(judge(&m, 0, 50, 0, VPM_R_QUOTA), "QU-2", "QU-1");
    vpm_fini(&m);
}

/* Diagnosis from history: a grant that a hypothesis would have refused
 * rules that hypothesis out, so an ambiguous refusal is named after what
 * is still possible. */
static void QU_4_history_rules_out_other_diagnoses(void) {
    struct vpm m;
    setup_quota(&m, 100);
    uint32_t h = buffer(&m, 0, 40, VPM_R_OK);
    CHECK(vpm_buffer_release(&m, h) == VPM_E_OK, "QU-4");
    /* an exact fit refused after a release: off-by-one or lost refund;
     * with no exact fit ever granted, the off-by-one is named */
    EXPECT_BAD(judge(&m, 0, 100, 0, VPM_R_QUOTA), "QU-2", "QU-4");
    /* an exact fit granted (and released) rules the off-by-one out */
    h = buffer(&m, 0, 100, VPM_R_OK);
    CHECK(vpm_buffer_release(&m, h) == VPM_E_OK, "QU-4");
    EXPECT_BAD(judge(&m, 0, 100, 0, VPM_R_QUOTA), "QU-4", "QU-4");
    vpm_fini(&m);
    /* a grant that needed the refunds rules the lost refund out */
    setup_quota(&m, 100);
    h = buffer(&m, 0, 60, VPM_R_OK);
    CHECK(vpm_buffer_release(&m, h) == VPM_E_OK, "QU-4");
    h = buffer(&m, 0, 70, VPM_R_OK); /* only possible if the 60 came back */
    EXPECT_BAD(judge(&m, 0, 30, 0, VPM_R_QUOTA), "QU-2", "QU-4");
    vpm_fini(&m);
}

static void QU_9_start_resets_the_charge(void) {
    struct vpm m;
    setup_quota(&m, 100);
    buffer(&m, 0, 80, VPM_R_NOMEM);
    CHECK(vpm_buffer_release(&m, buffer(&m, 0, 50, VPM_R_OK)) == VPM_E_OK,
          "QU-9");
    CHECK(vpm_device_stop(&m, 0) == VPM_E_OK, "QU-9");
    CHECK(vpm_device_start(&m, 0, 200) == VPM_E_OK, "QU-9");
    CHECK_EQ_U64(m.dev[0].charged, 0, "QU-9");
    CHECK_EQ_U64(m.dev[0].released, 0, "QU-9");
    CHECK_EQ_U64(m.dev[0].failed_sizes, 0, "QU-9");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 200, "QU-9");
    /* the old run's failed 80 and refunded 50 explain nothing now: a
     * refusal right after a restart means the charge was kept */
    EXPECT_BAD(judge(&m, 0, 160, 0, VPM_R_QUOTA), "QU-9", "QU-9");
    EXPECT_OK(judge(&m, 0, 200, 0, VPM_R_OK), "QU-9");
    /* whatever a stopped device's counters hold, a start zeroes them */
    m.dev[1].charged = 7;
    m.dev[1].released = 7;
    m.dev[1].failed_sizes = 7;
    CHECK(vpm_device_start(&m, 1, 10) == VPM_E_OK, "QU-9");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 1), 10, "QU-9");
    CHECK(vpm_check_invariants(&m) == NULL, "QU-9");
    vpm_fini(&m);
}

static void ZERO_1_size_zero_allocates_or_rejects(void) {
    struct vpm m;
    uint32_t a, b;
    setup_quota(&m, 0); /* Size 0 is never over quota, even a zero quota */
    CHECK(judge(&m, 0, 0, 0, VPM_R_OK).allowed ==
              (VPM_ALLOW(VPM_R_OK) | VPM_ALLOW(VPM_R_INVALID)),
          "ZERO-1");
    CHECK(judge(&m, 0, 0, 1, VPM_R_OK).allowed ==
              (VPM_ALLOW(VPM_R_OK) | VPM_ALLOW(VPM_R_INVALID) |
               VPM_ALLOW(VPM_R_NOMEM)),
          "ZERO-1");
    EXPECT_OK(judge(&m, 0, 0, 0, VPM_R_OK), "ZERO-1");
    EXPECT_OK(judge(&m, 0, 0, 0, VPM_R_INVALID), "ZERO-1");
    EXPECT_BAD(judge(&m, 0, 1, 0, VPM_R_OK), "QU-3", "ZERO-1");
    a = buffer(&m, 0, 0, VPM_R_OK);
    b = buffer(&m, 0, 0, VPM_R_OK);
    CHECK(a != NOH && b != NOH && a != b, "ZERO-1");
    CHECK_EQ_U64(m.dev[0].live_buffers, 2, "ZERO-1");
    CHECK(vpm_device_stop(&m, 0) == VPM_E_CALLER, "ZERO-1");
    CHECK(vpm_buffer_release(&m, a) == VPM_E_OK, "ZERO-1");
    CHECK(vpm_buffer_release(&m, b) == VPM_E_OK, "ZERO-1");
    CHECK(vpm_device_stop(&m, 0) == VPM_E_OK, "ZERO-1");
    CHECK(vpm_check_invariants(&m) == NULL, "ZERO-1");
    vpm_fini(&m);
}

static void ZERO_2_pool_zero_bytes_block_or_null(void) {
    struct vpm m;
    setup_quota(&m, 100);
    CHECK(vpm_pool_judge(&m, 0, 0, 0, 0, 0, VPM_P_NULL).allowed ==
              (VPM_ALLOW(VPM_P_BLOCK) | VPM_ALLOW(VPM_P_NULL)),
          "ZERO-2");
    EXPECT_OK(vpm_pool_judge(&m, 0, 0, 0, 0, 0, VPM_P_NULL), "ZERO-2");
    EXPECT_OK(vpm_pool_judge(&m, 0, 4, 0, 2, 0, VPM_P_NULL), "ZERO-2");
    EXPECT_OK(vpm_pool_judge(&m, 0, 1, 0, 0, 0, VPM_P_BLOCK), "ZERO-2");
    EXPECT_BAD(vpm_pool_judge(&m, 0, 0, 1, 0, 0, VPM_P_NULL), "AP-RES-1",
               "ZERO-2");
    vpm_fini(&m);
}

static void ZERO_3_declared_choice_enforced(void) {
    struct vpm m;
    setup(&m, 1, 1, VPM_ZERO_ALLOCATE);
    CHECK(vpm_device_start(&m, 0, 100) == VPM_E_OK, "ZERO-3");
    CHECK(judge(&m, 0, 0, 0, VPM_R_OK).allowed == VPM_ALLOW(VPM_R_OK),
          "ZERO-3");
    EXPECT_OK(judge(&m, 0, 0, 0, VPM_R_OK), "ZERO-3");
    EXPECT_BAD(judge(&m, 0, 0, 0, VPM_R_INVALID), "ZERO-3", "ZERO-3");
    EXPECT_BAD(judge(&m, 0, 0, 1, VPM_R_INVALID), "ZERO-3", "ZERO-3");
    vpm_fini(&m);

    setup(&m, 1, 1, VPM_ZERO_REJECT);
    CHECK(vpm_device_start(&m, 0, 100) == VPM_E_OK, "ZERO-3");
    CHECK(judge(&m, 0, 0, 0, VPM_R_OK).allowed == VPM_ALLOW(VPM_R_INVALID),
          "ZERO-3");
    EXPECT_OK(judge(&m, 0, 0, 0, VPM_R_INVALID), "ZERO-3");
    EXPECT_BAD(judge(&m, 0, 0, 0, VPM_R_OK), "ZERO-3", "ZERO-3");
    vpm_fini(&m);
}

static void IRQL_2_nonpaged_works_at_dispatch(void) {
    struct vpm m;
    uint32_t h = 0;
    setup_quota(&m, 100);
    EXPECT_OK(vpm_pool_judge(&m, 0, 0, 64, 2, 0, VPM_P_BLOCK), "IRQL-2");
    EXPECT_BAD(vpm_pool_judge(&m, 0, 0, 64, 2, 0, VPM_P_NULL), "IRQL-2",
               "IRQL-2");
    EXPECT_BAD(vpm_pool_judge(&m, 0, 4, 64, 2, 0, VPM_P_NULL), "IRQL-2",
               "IRQL-2");
    EXPECT_OK(vpm_pool_judge(&m, 0, 4, 64, 2, 1, VPM_P_NULL), "IRQL-2");
    CHECK(vpm_pool_commit(&m, 0, 4, 64, VPM_P_BLOCK, &h) == VPM_E_OK, "IRQL-2");
    CHECK(vpm_pool_free(&m, h, 2) == VPM_E_OK, "IRQL-2");
    CHECK(vpm_check_invariants(&m) == NULL, "IRQL-2");
    vpm_fini(&m);
}

static void AP_RES_1_null_needs_a_pool_refusal(void) {
    struct vpm m;
    int types[] = {0, 1, 4, 5};
    size_t i;
    setup_quota(&m, 100);
    for (i = 0; i < 4; i++) {
        struct vpm_verdict v =
            vpm_pool_judge(&m, 0, types[i], 64, 0, 0, VPM_P_NULL);
        EXPECT_BAD(v, "AP-RES-1", "AP-RES-1");
        CHECK(v.allowed == VPM_ALLOW(VPM_P_BLOCK), "AP-RES-1");
        EXPECT_OK(vpm_pool_judge(&m, 0, types[i], 64, 1, 1, VPM_P_NULL),
                  "AP-RES-1");
        EXPECT_OK(vpm_pool_judge(&m, 0, types[i], 64, 0, 1, VPM_P_BLOCK),
                  "AP-RES-1");
    }
    vpm_fini(&m);
}

static void CO_1_release_each_exactly_once(void) {
    struct vpm m;
    uint32_t b, p = 0;
    setup_quota(&m, 100);
    CHECK(vpm_buffer_release(&m, 0) == VPM_E_CALLER, "CO-1");
    CHECK(vpm_buffer_release(&m, NOH) == VPM_E_CALLER, "CO-1");
    CHECK(vpm_pool_free(&m, 0, 0) == VPM_E_CALLER, "CO-1");
    b = buffer(&m, 0, 10, VPM_R_OK);
    CHECK(vpm_pool_commit(&m, 0, 0, 10, VPM_P_BLOCK, &p) == VPM_E_OK, "CO-1");
    CHECK(vpm_buffer_release(&m, b) == VPM_E_OK, "CO-1");
    CHECK(vpm_buffer_release(&m, b) == VPM_E_CALLER, "CO-1");
    CHECK(vpm_pool_free(&m, p, 0) == VPM_E_OK, "CO-1");
    CHECK(vpm_pool_free(&m, p, 0) == VPM_E_CALLER, "CO-1");
    CHECK(vpm_pool_free(&m, 12345, 0) == VPM_E_CALLER, "CO-1");
    /* a failed call yields no handle to release */
    CHECK(vpm_buffer_commit(&m, 0, 10, VPM_R_NOMEM, &b) == VPM_E_OK, "CO-1");
    CHECK(b == NOH, "CO-1");
    CHECK(vpm_pool_commit(&m, 0, 0, 10, VPM_P_NULL, &p) == VPM_E_OK, "CO-1");
    CHECK(p == NOH, "CO-1");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 100, "CO-1");
    CHECK(vpm_check_invariants(&m) == NULL, "CO-1");
    vpm_fini(&m);
}

static void CO_3_paged_pool_below_dispatch_only(void) {
    struct vpm m;
    uint32_t h = 0;
    setup_quota(&m, 100);
    EXPECT_BAD(vpm_pool_judge(&m, 0, 1, 64, 2, 0, VPM_P_BLOCK), "CO-3", "CO-3");
    EXPECT_BAD(vpm_pool_judge(&m, 0, 5, 64, 2, 1, VPM_P_NULL), "CO-3", "CO-3");
    EXPECT_OK(vpm_pool_judge(&m, 0, 1, 64, 1, 0, VPM_P_BLOCK), "CO-3");
    CHECK(vpm_pool_commit(&m, 0, 5, 64, VPM_P_BLOCK, &h) == VPM_E_OK, "CO-3");
    CHECK(vpm_pool_free(&m, h, 2) == VPM_E_CALLER, "CO-3");
    CHECK_EQ_U64(m.dev[0].live_blocks, 1, "CO-3"); /* still live */
    CHECK(vpm_pool_free(&m, h, 1) == VPM_E_OK, "CO-3");
    CHECK_EQ_U64(m.dev[0].live_blocks, 0, "CO-3");
    vpm_fini(&m);
}

static void CO_4_only_vp_pool_types(void) {
    struct vpm m;
    int bad[] = {-1, 2, 3, 6, 7, 100};
    size_t i;
    uint32_t h = 0;
    setup_quota(&m, 100);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        EXPECT_BAD(vpm_pool_judge(&m, 0, bad[i], 64, 0, 0, VPM_P_BLOCK), "CO-4",
                   "CO-4");
        CHECK(vpm_pool_commit(&m, 0, bad[i], 64, VPM_P_BLOCK, &h) ==
                  VPM_E_CALLER,
              "CO-4");
        CHECK(h == NOH, "CO-4");
    }
    CHECK_EQ_U64(m.dev[0].live_blocks, 0, "CO-4");
    CHECK(vpm_check_invariants(&m) == NULL, "CO-4");
    vpm_fini(&m);
}

static void CO_5_device_lifecycle(void) {
    struct vpm m;
    uint32_t b, p = 0;
    setup_quota(&m, 100);
    CHECK(vpm_device_start(&m, 0, 100) == VPM_E_CALLER, "CO-5");
    CHECK(vpm_device_start(&m, 2, 100) == VPM_E_CALLER, "CO-5");
    CHECK(vpm_device_start(&m, VPM_MAX_DEVICES, 100) == VPM_E_CALLER, "CO-5");
    CHECK(vpm_device_stop(&m, 1) == VPM_E_CALLER, "CO-5");
    CHECK(vpm_device_stop(&m, 9) == VPM_E_CALLER, "CO-5");
    EXPECT_BAD(judge(&m, 1, 10, 0, VPM_R_OK), "CO-5", "CO-5");
    EXPECT_BAD(judge(&m, 5, 10, 0, VPM_R_OK), "CO-5", "CO-5");
    EXPECT_BAD(vpm_pool_judge(&m, 1, 0, 10, 0, 0, VPM_P_BLOCK), "CO-5", "CO-5");
    CHECK(vpm_buffer_commit(&m, 1, 10, VPM_R_OK, &b) == VPM_E_CALLER, "CO-5");
    CHECK(b == NOH, "CO-5");
    CHECK(vpm_pool_commit(&m, 1, 0, 10, VPM_P_BLOCK, &p) == VPM_E_CALLER,
          "CO-5");
    b = buffer(&m, 0, 10, VPM_R_OK);
    CHECK(vpm_device_stop(&m, 0) == VPM_E_CALLER, "CO-5");
    CHECK(vpm_buffer_release(&m, b) == VPM_E_OK, "CO-5");
    CHECK(vpm_pool_commit(&m, 0, 0, 10, VPM_P_BLOCK, &p) == VPM_E_OK, "CO-5");
    CHECK(vpm_device_stop(&m, 0) == VPM_E_CALLER, "CO-5");
    CHECK(vpm_pool_free(&m, p, 0) == VPM_E_OK, "CO-5");
    CHECK(vpm_device_stop(&m, 0) == VPM_E_OK, "CO-5");
    CHECK(vpm_device_stop(&m, 0) == VPM_E_CALLER, "CO-5");
    EXPECT_BAD(judge(&m, 0, 10, 0, VPM_R_OK), "CO-5", "CO-5");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 0, "CO-5");
    CHECK(vpm_check_invariants(&m) == NULL, "CO-5");
    vpm_fini(&m);
}

static void VPM_UNLIMITED_never_over_quota(void) {
    struct vpm m;
    int i;
    setup_quota(&m, VPM_UNLIMITED);
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), VPM_UNLIMITED, "QU-6");
    for (i = 0; i < 8; i++) {
        EXPECT_OK(judge(&m, 0, 0xFFFFFFFFu, 0, VPM_R_OK), "AB-RES-4");
        buffer(&m, 0, 0xFFFFFFFFu, VPM_R_OK);
    }
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), VPM_UNLIMITED, "AB-RES-4");
    CHECK_EQ_U64(m.dev[0].charged, 8 * 0xFFFFFFFFull, "AB-RES-4");
    vpm_fini(&m);

    setup(&m, 0, 1, VPM_ZERO_ANY); /* quota = none: the quota is ignored */
    CHECK(vpm_device_start(&m, 0, 5) == VPM_E_OK, "AB-RES-4");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), VPM_UNLIMITED, "AB-RES-4");
    buffer(&m, 0, 5, VPM_R_OK);
    EXPECT_OK(judge(&m, 0, 100, 0, VPM_R_OK), "AB-RES-4");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), VPM_UNLIMITED, "AB-RES-4");
    vpm_fini(&m);
}

static void AP_TYPE_1_pool_accounting_by_type(void) {
    struct vpm m;
    uint32_t b, p = 0, q = 0;
    setup_quota(&m, 1000);
    CHECK(vpm_device_start(&m, 1, 1000) == VPM_E_OK, "BUF-5");
    b = buffer(&m, 1, 100, VPM_R_OK);
    CHECK_EQ_U64(vpm_buffer_size(&m, b), 100, "BUF-5");
    CHECK_EQ_U64(vpm_buffer_device(&m, b), 1, "BUF-5");
    CHECK_EQ_U64(vpm_pool_remaining(&m, VPM_PAGED), CAP - 100, "BUF-5");
    CHECK(vpm_pool_commit(&m, 0, 4, 64, VPM_P_BLOCK, &p) == VPM_E_OK,
          "AP-TYPE-1");
    CHECK(vpm_pool_commit(&m, 0, 5, 32, VPM_P_BLOCK, &q) == VPM_E_OK,
          "AP-TYPE-2");
    CHECK_EQ_U64(vpm_pool_remaining(&m, VPM_NONPAGED), CAP - 64, "AP-TYPE-1");
    CHECK_EQ_U64(vpm_pool_remaining(&m, VPM_PAGED), CAP - 132, "AP-TYPE-2");
    CHECK(vpm_check_invariants(&m) == NULL, "AP-TYPE-1");
    CHECK(vpm_buffer_release(&m, b) == VPM_E_OK, "RB-1");
    CHECK_EQ_U64(vpm_buffer_size(&m, b), 0, "RB-1");
    CHECK(vpm_pool_free(&m, p, 0) == VPM_E_OK, "AP-FREE-1");
    CHECK(vpm_pool_free(&m, q, 0) == VPM_E_OK, "AP-FREE-1");
    CHECK_EQ_U64(vpm_pool_remaining(&m, VPM_PAGED), CAP, "AP-FREE-1");
    CHECK_EQ_U64(vpm_pool_remaining(&m, VPM_NONPAGED), CAP, "AP-FREE-1");
    /* a block larger than the capacity: the remaining view saturates */
    CHECK(vpm_pool_commit(&m, 0, 0, CAP + 1, VPM_P_BLOCK, &p) == VPM_E_OK,
          "AP-TYPE-1");
    CHECK_EQ_U64(vpm_pool_remaining(&m, VPM_NONPAGED), 0, "AP-TYPE-1");
    CHECK(vpm_pool_commit(&m, 0, 0, UINT64_MAX, VPM_P_BLOCK, &q) ==
              VPM_E_CALLER,
          "AP-TYPE-1");
    CHECK(vpm_check_invariants(&m) == NULL, "AP-TYPE-1");
    vpm_fini(&m);
}

static void INVARIANTS_checker_detects_drift(void) {
    struct vpm m;
    uint32_t p = 0;
    setup_quota(&m, 1000);
    buffer(&m, 0, 100, VPM_R_OK);
    CHECK(vpm_pool_commit(&m, 0, 0, 64, VPM_P_BLOCK, &p) == VPM_E_OK, "inv");
    CHECK(vpm_check_invariants(&m) == NULL, "inv");
    m.dev[0].charged++;
    CHECK(vpm_check_invariants(&m) != NULL, "inv");
    m.dev[0].charged--;
    m.dev[0].live_buffers++;
    CHECK(vpm_check_invariants(&m) != NULL, "inv");
    m.dev[0].live_buffers--;
    m.dev[0].live_blocks--;
    CHECK(vpm_check_invariants(&m) != NULL, "inv");
    m.dev[0].live_blocks++;
    m.pool_used[VPM_PAGED]++;
    CHECK(vpm_check_invariants(&m) != NULL, "inv");
    m.pool_used[VPM_PAGED]--;
    m.pool_used[VPM_NONPAGED]--;
    CHECK(vpm_check_invariants(&m) != NULL, "inv");
    m.pool_used[VPM_NONPAGED]++;
    m.buffers.live++;
    CHECK(vpm_check_invariants(&m) != NULL, "inv");
    m.buffers.live--;
    m.dev[1].started = 0;
    m.dev[0].started = 0;
    CHECK(vpm_check_invariants(&m) != NULL, "inv");
    m.dev[0].started = 1;
    CHECK(vpm_check_invariants(&m) == NULL, "inv");
    vpm_fini(&m);
}

static void INVARIANTS_slot_recycling(void) {
    struct vpm m;
    uint32_t first, h, hs[1000];
    int i, reused = 1;
    setup_quota(&m, 1000000);
    first = buffer(&m, 0, 7, VPM_R_OK);
    CHECK(vpm_buffer_release(&m, first) == VPM_E_OK, "CO-1");
    for (i = 0; i < 100000; i++) {
        CHECK(vpm_buffer_commit(&m, 0, (uint32_t)(i % 100), VPM_R_OK, &h) ==
                  VPM_E_OK,
              "CO-1");
        reused &= h == first;
        CHECK(vpm_buffer_release(&m, h) == VPM_E_OK, "CO-1");
    }
    CHECK(reused, "CO-1");
    CHECK(m.buffers.len == 1, "CO-1");
    for (i = 0; i < 1000; i++)
        hs[i] = buffer(&m, 0, 1, VPM_R_OK);
    CHECK(m.buffers.len == 1000 && m.buffers.cap < 2048, "CO-1");
    CHECK(vpm_check_invariants(&m) == NULL, "CO-1");
    for (i = 0; i < 1000; i += 2)
        CHECK(vpm_buffer_release(&m, hs[i]) == VPM_E_OK, "CO-1");
    CHECK(vpm_check_invariants(&m) == NULL, "CO-1");
    for (i = 0; i < 500; i++)
        CHECK(buffer(&m, 0, 1, VPM_R_OK) < 1000, "CO-1");
    CHECK(m.buffers.len == 1000 && m.dev[0].live_buffers == 1000, "CO-1");
    CHECK_EQ_U64(vpm_quota_remaining(&m, 0), 1000000 - 1000, "QU-4");
    CHECK(vpm_check_invariants(&m) == NULL, "CO-1");
    vpm_fini(&m);
}

TEST_MAIN(TEST(AB_RES_1_only_documented_statuses),
          TEST(AB_RES_3_nomem_needs_a_pool_refusal),
          TEST(AB_RES_4_quota_status_without_quota),
          TEST(QU_1_devices_have_independent_quotas),
          TEST(QU_2_exact_fit_allowed), TEST(QU_3_one_byte_over_refused),
          TEST(QU_4_release_refunds_exactly_size_once),
          TEST(QU_4_lost_refund_diagnosed), TEST(QU_4_double_refund_diagnosed),
          TEST(QU_5_failed_call_charges_nothing),
          TEST(QU_2_exact_fit_diagnosis_names_both),
          TEST(QU_6_wrap_near_2_32_diagnosed), TEST(QU_6_no_wrap_near_2_64),
          TEST(QU_7_quota_first_order), TEST(QU_7_pool_first_order),
          TEST(QU_1_another_devices_limit_diagnosed),
          TEST(QU_4_history_rules_out_other_diagnoses),
          TEST(QU_9_start_resets_the_charge),
          TEST(ZERO_1_size_zero_allocates_or_rejects),
          TEST(ZERO_2_pool_zero_bytes_block_or_null),
          TEST(ZERO_3_declared_choice_enforced),
          TEST(IRQL_2_nonpaged_works_at_dispatch),
          TEST(AP_RES_1_null_needs_a_pool_refusal),
          TEST(CO_1_release_each_exactly_once),
          TEST(CO_3_paged_pool_below_dispatch_only),
          TEST(CO_4_only_vp_pool_types), TEST(CO_5_device_lifecycle),
          TEST(VPM_UNLIMITED_never_over_quota),
          TEST(AP_TYPE_1_pool_accounting_by_type),
          TEST(INVARIANTS_checker_detects_drift),
          TEST(INVARIANTS_slot_recycling))
