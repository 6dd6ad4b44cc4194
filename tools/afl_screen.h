/* afl_screen: what vpcert fuzz reads of AFL++ while it runs: the counters
 * an afl-fuzz instance draws on its screen, and values of its fuzzer_stats
 * file (campaign_afl.c runs the instances). */
#ifndef VPCERT_AFL_SCREEN_H
#define VPCERT_AFL_SCREEN_H

#include <stddef.h>

/* The counters one instance's screen shows. */
struct afl_screen {
    unsigned long long execs; /* "total execs" */
    size_t corpus;            /* "corpus count" */
    double density;           /* "map density", percent of the map */
    double map_size;          /* "Target map size" (edges instrumented) */
};

/* One line of an instance's screen into ctx, a struct afl_screen (the
 * shape fuzzer_log's line callback takes). */
void afl_screen_line(void *ctx, const char *raw);
/* The value of `key` in a fuzzer_stats file's text; 0 if absent. */
double afl_stats_value(const char *text, const char *key);

#endif /* VPCERT_AFL_SCREEN_H */
