/* stats: samples over time, and their CSV. */
#include "stats.h"

#include <stdlib.h>
#include <string.h>

int stats_open(struct stats *s, const char *csv_path) {
    memset(s, 0, sizeof *s);
    s->csv = fopen(csv_path, "w");
    if (!s->csv)
        return -1;
    fprintf(s->csv, "%s\n", STATS_CSV_HEADER);
    fflush(s->csv);
    return 0;
}

void stats_add(struct stats *s, const struct stats_sample *x) {
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        struct stats_sample *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return; /* the CSV still gets the row */
        s->v = v;
        s->cap = cap;
    }
    if (s->n < s->cap)
        s->v[s->n++] = *x;
    if (s->csv) {
        fprintf(s->csv, "%.1f,%llu,%.1f,%lu,%zu,%zu\n", x->t, x->execs, x->rate,
                x->cov, x->corpus, x->findings);
        fflush(s->csv);
    }
}

void stats_close(struct stats *s) {
    if (s->csv)
        fclose(s->csv);
    free(s->v);
    memset(s, 0, sizeof *s);
}
