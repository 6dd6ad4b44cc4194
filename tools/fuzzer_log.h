/*
 * fuzzer_log: what libFuzzer prints, read as it comes: its stderr (a pipe,
 * copied to a log file) and, with -jobs, the fuzz-J.log each job writes.
 * Progress lines ("#N ... cov: C") give the executions and the coverage;
 * the final stats give the exact execution count; the last lines of the
 * pipe are kept to explain a libFuzzer that fails.
 */
#ifndef VPCERT_FUZZER_LOG_H
#define VPCERT_FUZZER_LOG_H

#include <limits.h>
#include <stdio.h>

#define FUZZER_LOG_STREAMS 65 /* libFuzzer's stderr + one log per job */
#define FUZZER_LOG_TAIL 12    /* lines of the pipe kept for errors */

struct fuzzer_stream {
    int fd;                   /* pipe or job log, -1 when not open */
    char path[PATH_MAX + 64]; /* job log; "" for the pipe */
    char line[4096];          /* partial line */
    size_t len;               /* bytes in line */
    unsigned long long execs; /* highest "#N" seen */
    unsigned long long final; /* stat::number_of_executed_units */
    unsigned long cov;        /* last cov: */
};

struct fuzzer_log {
    struct fuzzer_stream s[FUZZER_LOG_STREAMS]; /* [0] is the pipe */
    int ns;                                     /* streams in use */
    FILE *copy;                      /* the pipe's bytes go here too */
    char tail[FUZZER_LOG_TAIL][256]; /* last lines of the pipe */
    unsigned ntail;                  /* lines ever put in tail */
    unsigned long long execs;        /* summed over streams */
    unsigned long cov;               /* highest over streams */
};

/* Start reading the pipe fd (made non-blocking), copying it to copy_path. */
void fuzzer_log_open(struct fuzzer_log *l, int fd, const char *copy_path);
/* Also follow the job log at path (removed now; opened once it appears). */
void fuzzer_log_follow(struct fuzzer_log *l, const char *path);
/* Read what the pipe has; 0 once it is closed, 1 otherwise. */
int fuzzer_log_pump_pipe(struct fuzzer_log *l);
/* Read what the job logs have. */
void fuzzer_log_pump_jobs(struct fuzzer_log *l);
/* Sum executions and take the highest coverage over the streams. */
void fuzzer_log_total(struct fuzzer_log *l);
/* Close every stream and the copy (after a last read of the job logs). */
void fuzzer_log_close(struct fuzzer_log *l);
/* Print the kept tail lines, each indented. */
void fuzzer_log_print_tail(const struct fuzzer_log *l, FILE *out);

#endif /* VPCERT_FUZZER_LOG_H */
