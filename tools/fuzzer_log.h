/*
 * fuzzer_log: what a fuzzer prints, read as it comes from a pipe (or a
 * pseudo-terminal) and copied to a log file. libFuzzer's progress lines
 * ("#N ... cov: C", in fork mode "#N: cov: C ...") give the executions and
 * the coverage; its final stats give the exact execution count; the last
 * lines are kept to explain a fuzzer that fails.
 */
#ifndef VPCERT_FUZZER_LOG_H
#define VPCERT_FUZZER_LOG_H

#include <limits.h>
#include <stdio.h>

#define FUZZER_LOG_TAIL 12 /* lines kept for errors */

struct fuzzer_log {
    int fd;                          /* pipe or pty master, -1 when closed */
    char line[4096];                 /* partial line */
    size_t len;                      /* bytes in line */
    FILE *copy;                      /* the bytes go here too, or NULL */
    size_t copy_max;                 /* stop copying after this many bytes */
    size_t copied;                   /* bytes copied so far */
    char tail[FUZZER_LOG_TAIL][256]; /* last lines */
    unsigned ntail;                  /* lines ever put in tail */
    unsigned long long progress;     /* highest "#N" seen */
    unsigned long long final;        /* stat::number_of_executed_units */
    unsigned long long execs;        /* final, else progress */
    unsigned long cov;               /* last cov: */
    void (*on_line)(void *ctx, const char *line); /* each line, or NULL */
    void *ctx;                                    /* on_line's */
};

/* Start reading fd (made non-blocking), copying at most copy_max of its
 * bytes (0: all) to copy_path. */
void fuzzer_log_open(struct fuzzer_log *l, int fd, const char *copy_path,
                     size_t copy_max);
/* Read what fd has; 0 once it is closed (end of file, or EIO from a pty
 * whose other side is gone), 1 otherwise. */
int fuzzer_log_pump_pipe(struct fuzzer_log *l);
/* The executions so far: the final count if printed, else the progress. */
void fuzzer_log_total(struct fuzzer_log *l);
/* Close fd and the copy. */
void fuzzer_log_close(struct fuzzer_log *l);
/* Print the kept tail lines, each indented. */
void fuzzer_log_print_tail(const struct fuzzer_log *l, FILE *out);

#endif /* VPCERT_FUZZER_LOG_H */
