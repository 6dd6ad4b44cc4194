/*
 * testhelper.h: the whole test framework. CHECK(cond, clause) records a
 * failure with the clause ID it proves; TEST_MAIN runs the listed tests and
 * exits non-zero if any check failed. Every test names the SPEC.md clause
 * it proves in its name or its CHECK.
 */
#ifndef VPCERT_TESTHELPER_H
#define VPCERT_TESTHELPER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int th_failures;
static int th_checks;

#define CHECK(cond, clause)                                                    \
    do {                                                                       \
        th_checks++;                                                           \
        if (!(cond)) {                                                         \
            th_failures++;                                                     \
            fprintf(stderr, "%s:%d: [%s] check failed: %s\n", __FILE__,        \
                    __LINE__, (clause), #cond);                                \
        }                                                                      \
    } while (0)

#define CHECK_EQ_U64(a, b, clause)                                             \
    do {                                                                       \
        unsigned long long th_a = (unsigned long long)(a);                     \
        unsigned long long th_b = (unsigned long long)(b);                     \
        th_checks++;                                                           \
        if (th_a != th_b) {                                                    \
            th_failures++;                                                     \
            fprintf(stderr, "%s:%d: [%s] %s == %llu, expected %s == %llu\n",   \
                    __FILE__, __LINE__, (clause), #a, th_a, #b, th_b);         \
        }                                                                      \
    } while (0)

#define CHECK_STR(a, b, clause)                                                \
    do {                                                                       \
        const char *th_a = (a);                                                \
        const char *th_b = (b);                                                \
        th_checks++;                                                           \
        if (!th_a || !th_b || strcmp(th_a, th_b) != 0) {                       \
            th_failures++;                                                     \
            fprintf(stderr, "%s:%d: [%s] %s is \"%s\", expected \"%s\"\n",     \
                    __FILE__, __LINE__, (clause), #a, th_a ? th_a : "(null)",  \
                    th_b ? th_b : "(null)");                                   \
        }                                                                      \
    } while (0)

/* A whole file, NUL-terminated (malloc'd), its length in *len; NULL if it
 * cannot be read. */
static inline char *th_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    while (f) {
        if (n + 1 >= cap) {
            char *nb = realloc(buf, cap = cap ? cap * 2 : 4096);
            if (!nb)
                break;
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (f)
        fclose(f);
    if (buf)
        buf[n] = 0;
    *len = n;
    return buf;
}

typedef void (*th_test_fn)(void);
struct th_test {
    const char *name; /* test name, starts with the clause it proves */
    th_test_fn fn;    /* the test */
};

static inline int th_run(const struct th_test *t, size_t n, int argc,
                         char **argv) {
    for (size_t i = 0; i < n; i++) {
        if (argc > 1 && !strstr(t[i].name, argv[1]))
            continue;
        int before = th_failures;
        t[i].fn();
        printf("%-4s %s\n", th_failures == before ? "ok" : "FAIL", t[i].name);
    }
    printf("%d checks, %d failed\n", th_checks, th_failures);
    if (th_checks == 0) {
        fprintf(stderr, "no checks ran\n");
        return 1;
    }
    return th_failures ? 1 : 0;
}

#define TEST(fn)                                                               \
    { #fn, fn }
#define TEST_MAIN(...)                                                         \
    int main(int argc, char **argv) {                                          \
        static const struct th_test th_tests[] = {__VA_ARGS__};                \
        return th_run(th_tests, sizeof th_tests / sizeof th_tests[0], argc,    \
                      argv);                                                   \
    }

#endif /* VPCERT_TESTHELPER_H */
