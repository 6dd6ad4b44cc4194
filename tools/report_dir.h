/*
 * report_dir: a report directory that is only ever seen whole. A run
 * writes everything into a staging directory beside it
 * (DIR/.NAME.vpcert-PID, holding the marker REPORT_DIR_MARK, which is
 * also locked while the run lives: made as DIR/.NAME.vpcert-PID.new and
 * renamed once locked), then swaps it in with one atomic
 * rename (RENAME_EXCHANGE over an earlier report) and removes the old
 * one. A reader sees one run's files or another's, never a mix; a run
 * killed at any point leaves the earlier report as it was, and its
 * staging directory is removed by the next run (its lock is free).
 *
 * Only a directory that is absent, empty or a vpcert report is
 * replaced; anything else is refused, so that no user file is lost.
 */
#ifndef VPCERT_REPORT_DIR_H
#define VPCERT_REPORT_DIR_H

#include <limits.h>
#include <stddef.h>

#define REPORT_DIR_MARK ".vpcert-report" /* in every report directory */

struct report_dir {
    char out[PATH_MAX];   /* the report directory */
    char stage[PATH_MAX]; /* where this run writes it */
    int lock;             /* the stage's marker, locked; -1 */
};

/* Check out, clear what dead runs left beside it, make the staging
 * directory (and its reproducers/). 0, or -1 with one line in err. */
int report_dir_open(struct report_dir *d, const char *out, char *err,
                    size_t errlen);
/* Swap the staging directory in. 0, or -1 with one line in err (the
 * earlier report then stays as it was). */
int report_dir_commit(struct report_dir *d, char *err, size_t errlen);
/* Remove the staging directory: the run writes no report. */
void report_dir_abandon(struct report_dir *d);

#endif /* VPCERT_REPORT_DIR_H */
