/*
 * os: what vpcert needs from the host operating system, each written once:
 * a monotonic clock and a CPU-time clock (clock.c), whole-file reads and
 * atomic writes (file.c), sorted directory listings (dir.c), path tests
 * (path.c) and the processes it starts (proc.c). Library code: nothing is
 * printed; an error comes back as a status and a one-line message,
 * "PATH: reason", for the caller to report.
 */
#ifndef VPCERT_OS_H
#define VPCERT_OS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define OS_FILE_MAX (64u << 20) /* os_file_read refuses larger files */

/* ---- clock.c ---- */

/* Seconds on the monotonic clock (differences only). */
double os_now(void);
/* Seconds of CPU time (user and system) of the calling thread: on a
 * machine shared with other jobs, time spent waiting for a core is not the
 * program's cost. */
double os_cpu_now(void);

/* ---- file.c ---- */

/* The whole file, NUL-terminated (the NUL not counted in *len), malloc'd;
 * NULL with "PATH: reason" in err when it cannot be read or is larger than
 * OS_FILE_MAX. */
uint8_t *os_file_read(const char *path, size_t *len, char *err, size_t errlen);
/* Write a file atomically: a temporary file beside it, then rename. 0, or
 * -1 with "PATH: reason" in err (nothing half written is left). */
int os_file_write(const char *path, const void *data, size_t len, char *err,
                  size_t errlen);
/* Copy a file (os_file_read, then os_file_write). 0, or -1 with err. */
int os_file_copy(const char *from, const char *to, char *err, size_t errlen);

/* ---- dir.c ---- */

enum os_kind {
    OS_FILE, /* a regular file (links followed) */
    OS_DIR,  /* a directory (links followed) */
    OS_OTHER /* anything else, or gone before it could be looked at */
};

struct os_entry {
    char *name;        /* the name in the directory, malloc'd */
    enum os_kind kind; /* what it is */
};

struct os_list {
    struct os_entry *v; /* entries, sorted by name (strcmp) */
    size_t n;           /* count */
};

/* The one listing rule: every entry of dir whose name does not begin with
 * '.', sorted by name (strcmp, so the order is the same everywhere), each
 * with its kind. 0, or -1 with "DIR: reason" in err (list then empty). */
int os_dir_list(const char *dir, struct os_list *list, char *err,
                size_t errlen);
void os_list_free(struct os_list *list);
/* Regular files in dir under the listing rule; 0 if it cannot be read. */
size_t os_dir_count_files(const char *dir);
/* Remove the regular files of dir (the listing rule: dot files stay). */
void os_dir_empty(const char *dir);
/* mkdir -p: 0 when path is a directory afterwards, else -1 (errno set). */
int os_dir_make(const char *path);

/* ---- show.c ---- */

/* The length (1..4) of the valid UTF-8 character at s (n bytes there),
 * or 0 when the bytes there are not one. */
size_t os_utf8_char(const unsigned char *s, size_t n);
/* s (n bytes) made safe to show: valid UTF-8 kept, every other byte and
 * every control character (C0, DEL, C1) written \xHH. Into out (cap
 * bytes, always terminated; cut short only between whole characters and
 * escapes, so what is kept is valid UTF-8 too); returns the full length. */
size_t os_show_n(const char *s, size_t n, char *out, size_t cap);
/* os_show_n of a string; returns out. */
const char *os_show(const char *s, char *out, size_t cap);

/* ---- tree.c ---- */

/* Remove path: a file, or a directory with everything in it (dot files
 * included; symbolic links removed, never followed). 0, or -1. */
int os_tree_remove(const char *path);

/* ---- path.c ---- */

int os_is_file(const char *path); /* a regular file (links followed) */
int os_is_dir(const char *path);  /* a directory (links followed) */
/* The absolute form of path, whose last component need not exist, into
 * out (PATH_MAX bytes). 0, or -1 (errno set). */
int os_path_abs(const char *path, char *out);
/* Is the absolute path dir itself or below it? */
int os_path_within(const char *path, const char *dir);
/* "dir/name" into out; 0, or -1 when it does not fit. */
int os_path_join(char *out, size_t cap, const char *dir, const char *name);

/* ---- proc.c (Linux) ---- */

/* Make this process the reaper of its orphaned descendants
 * (PR_SET_CHILD_SUBREAPER): a process whose parent dies becomes its
 * child, so that os_end_strays can end it. 0, or -1. */
int os_subreaper(void);
/* In a child: be killed (SIGKILL) when the parent dies. 0, or -1 when
 * the parent, whose pid is given, has died already. */
int os_die_with_parent(pid_t parent);
/* The children of pid, from /proc: at most cap of them into out; returns
 * how many there are. */
size_t os_children(pid_t pid, pid_t *out, size_t cap);
/* Kill (SIGKILL) and reap every child of this process but the keep[]
 * ones, then what they leave behind (a subreaper inherits it), until none
 * is left. Returns how many were ended. */
unsigned os_end_strays(const pid_t *keep, size_t nkeep);
/* Close every descriptor from lowest up: a process started to watch or
 * to hold a library keeps none of vpcert's pipes and locks open. */
void os_close_from(int lowest);
/* Has this process any child, running or not yet reaped? */
int os_has_children(void);
/* Has process pid been hit: gone or a zombie (-1), stopped (SIGSTOP), or
 * with a signal pending that it neither ignores nor ignores by default
 * (that signal)? 0 when not. A kill() that has returned is seen here at
 * once, however long the target takes to act on it. */
int os_signalled(pid_t pid);
/* Resident memory of pid in bytes, 0 when unknown. */
uint64_t os_rss(pid_t pid);
/* The time the task pid (a process's main thread) has spent runnable but
 * waiting for a CPU, in seconds (/proc/PID/schedstat): what load on the
 * machine cost it. 0, or -1 when unknown (gone, or no schedstat). */
int os_run_wait(pid_t pid, double *seconds);

#endif /* VPCERT_OS_H */
