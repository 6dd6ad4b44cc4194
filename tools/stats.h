/*
 * stats: a fuzzing campaign's statistics over time, as AFL's plot_data
 * keeps them: one sample every few seconds, appended to a CSV file as it
 * comes (so a campaign cut short keeps what it had), and drawn into a PNG
 * at the end (plot.c).
 *
 * stats.csv columns: time_s (seconds since the start, rising), execs
 * (inputs run so far), execs_per_s (since the previous sample), coverage
 * (libFuzzer's cov:, AFL++'s edges_found), corpus (inputs in the working
 * corpus), findings (artifacts found so far).
 */
#ifndef VPCERT_STATS_H
#define VPCERT_STATS_H

#include <stddef.h>
#include <stdio.h>

#define STATS_CSV_HEADER "time_s,execs,execs_per_s,coverage,corpus,findings"

struct stats_sample {
    double t;                 /* seconds since the start */
    unsigned long long execs; /* inputs run so far */
    double rate;              /* exec/s since the previous sample */
    unsigned long cov;        /* coverage */
    size_t corpus;            /* inputs in the working corpus */
    size_t findings;          /* artifacts found so far */
};

struct stats {
    FILE *csv;              /* stats.csv, NULL when it could not be opened */
    struct stats_sample *v; /* every sample, in time order */
    size_t n, cap;          /* samples, room */
};

/* Start the CSV at path (header line). 0, or -1 (samples are still kept). */
int stats_open(struct stats *s, const char *csv_path);
/* Keep a sample and append its row to the CSV. */
void stats_add(struct stats *s, const struct stats_sample *x);
/* Draw the samples (exec/s, coverage, corpus, findings against time) as a
 * PNG written atomically at path. 0, or -1 with the reason in err. */
int stats_plot(const struct stats *s, const char *png_path, char *err,
               size_t errlen);
/* Close the CSV and free the samples. */
void stats_close(struct stats *s);

#endif /* VPCERT_STATS_H */
