/*
 * bench_corpus: the cost of one execution of every program of a corpus, as
 * `vpcert fuzz` runs it (fuzz_diff's options: 4 KiB write windows, expect
 * annotations not checked, the default ICS), without libFuzzer: the mean
 * over the corpus, and the slowest inputs. It answers "what does the
 * shipped corpus cost per execution" quickly and quietly. Like fuzz_diff,
 * it honours VPCERT_FUZZ_FAST_FREE=1.
 */
#include "bench.h"
#include "os.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS_MAX 4096u /* inputs read from the directories */
#define SLOWEST 5u       /* slowest inputs listed */
#define FUZZ_MAX_STEPS                                                         \
    4096u /* fuzz_diff's max_steps: PROG_MAX_OPS of the                        \
             standard build (this one's is larger) */

/* One input: its name and its mean cost. */
struct corpus_input {
    char name[96]; /* file name (directory omitted) */
    double us;     /* median microseconds per execution */
    uint32_t ops;  /* operations one execution ran */
    uint8_t *data; /* its bytes */
    size_t len;    /* bytes */
};

/* Read the regular files of dir into v[*n...]. */
static void read_dir(const char *dir, struct corpus_input *v, size_t *n) {
    struct os_list list;
    char err[512];
    if (os_dir_list(dir, &list, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        return;
    }
    for (size_t i = 0; i < list.n && *n < CORPUS_MAX; i++) {
        char path[4096];
        struct corpus_input *in = &v[*n];
        if (list.v[i].kind != OS_FILE ||
            os_path_join(path, sizeof path, dir, list.v[i].name) != 0)
            continue;
        in->data = os_file_read(path, &in->len, err, sizeof err);
        if (!in->data) {
            fprintf(stderr, "bench: %s\n", err);
            continue;
        }
        snprintf(in->name, sizeof in->name, "%.95s", list.v[i].name);
        (*n)++;
    }
    os_list_free(&list);
}

static int by_cost(const void *a, const void *b) {
    double x = ((const struct corpus_input *)a)->us;
    double y = ((const struct corpus_input *)b)->us;
    return (x < y) - (x > y);
}

/* Median microseconds of one execution of in, over rounds runs. */
static double time_input(struct program *p, struct corpus_input *in,
                         const struct impl *impl, const struct exec_options *o,
                         int rounds) {
    double t[15];
    struct exec_result r;
    if (prog_decode(in->data, in->len, p) == PROG_DECODE_NEWER)
        return 0;
    for (int i = 0; i < rounds; i++) {
        double t0 = os_cpu_now();
        exec_run(p, impl, o, &r);
        t[i] = (os_cpu_now() - t0) * 1e6;
    }
    in->ops = r.ops_run;
    return bench_median(t, rounds);
}

void bench_corpus(struct program *p, int rounds, char **dirs, int ndirs) {
    struct corpus_input *v = calloc(CORPUS_MAX, sizeof *v);
    size_t n = 0;
    struct impl impl;
    struct exec_options o;
    if (!v)
        return;
    for (int i = 0; i < ndirs; i++)
        read_dir(dirs[i], v, &n);
    impl_builtin(&impl);
    exec_options_default(&o);
    o.check_expect = 0;   /* as fuzz_diff */
    o.write_limit = 4096; /* as fuzz_diff */
    o.max_steps = FUZZ_MAX_STEPS;
    const char *ff = getenv("VPCERT_FUZZ_FAST_FREE"); /* as fuzz_diff */
    o.fast_free = ff && *ff && strcmp(ff, "0") != 0;
    double sum = 0, ops = 0;
    for (size_t i = 0; i < n; i++) {
        sum += v[i].us = time_input(p, &v[i], &impl, &o, rounds);
        ops += v[i].ops;
    }
    qsort(v, n, sizeof *v, by_cost);
    printf("\n## corpus: cost of one execution, fuzz_diff's options\n\n");
    printf("%zu inputs from", n);
    for (int i = 0; i < ndirs; i++)
        printf(" %s", dirs[i]);
    printf("; median of %d runs each.\n\n", rounds);
    printf("| inputs | mean us/exec | exec/s at that mean | mean ops/exec | "
           "ns/op |\n|---:|---:|---:|---:|---:|\n");
    printf("| %zu | %.1f | %.0f | %.0f | %.0f |\n\n", n,
           n ? sum / (double)n : 0, sum > 0 ? (double)n / sum * 1e6 : 0,
           n ? ops / (double)n : 0, ops > 0 ? sum * 1e3 / ops : 0);
    printf("| slowest input | bytes | ops | us/exec |\n|---|---:|---:|---:|\n");
    for (size_t i = 0; i < n && i < SLOWEST; i++)
        printf("| %s | %zu | %u | %.1f |\n", v[i].name, v[i].len, v[i].ops,
               v[i].us);
    for (size_t i = 0; i < n; i++)
        free(v[i].data);
    free(v);
}
