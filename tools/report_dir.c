/* report_dir: staging, the atomic swap, and what dead runs left. */
#define _GNU_SOURCE /* renameat2 */
#include "report_dir.h"

#include "os.h"
#include "strf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STALE_UNLOCKED                                                         \
    60 /* seconds: a staging dir without a marker that old                     \
          is a run killed before it could lock */

/* Split out into its parent directory and its name. */
static void split(const char *out, char *parent, size_t cap, char *name,
                  size_t ncap) {
    char buf[PATH_MAX];
    strf(buf, sizeof buf, "%s", out);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = 0;
    char *slash = strrchr(buf, '/');
    strf(name, ncap, "%s", slash ? slash + 1 : buf);
    if (!slash)
        strf(parent, cap, ".");
    else if (slash == buf)
        strf(parent, cap, "/");
    else
        strf(parent, cap, "%.*s", (int)(slash - buf), buf);
}

/* May dir be replaced? 1 absent, empty or a vpcert report; 0 not. */
static int replaceable(const char *dir) {
    char p[PATH_MAX + 32];
    struct stat st;
    if (lstat(dir, &st) != 0)
        return errno == ENOENT;
    if (!S_ISDIR(st.st_mode))
        return 0;
    if (strf(p, sizeof p, "%s/%s", dir, REPORT_DIR_MARK) == 0 &&
        lstat(p, &st) == 0)
        return 1;
    DIR *d = opendir(dir);
    int empty = 1;
    for (struct dirent *e; d && empty && (e = readdir(d));)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return d && empty;
}

/* The marker's lock: a POSIX record lock, which belongs to the process
 * that took it and ends with it. (A flock would be shared with every
 * process the run forks, and outlive a killed run as long as one of them
 * does: its staging directory then survived the next run.) */
static struct flock marker_lock(void) {
    struct flock fl;
    memset(&fl, 0, sizeof fl);
    fl.l_type = F_WRLCK;
    fl.l_whence = SEEK_SET; /* the whole file */
    return fl;
}

/* A staging dir beside the report whose run is dead? Nobody holds its
 * marker's lock (or it has no marker and is old). */
static int dead_stage(const char *path) {
    char mark[PATH_MAX + 32];
    struct stat st;
    if (strf(mark, sizeof mark, "%s/%s", path, REPORT_DIR_MARK) != 0)
        return 0;
    int fd = open(mark, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return lstat(path, &st) == 0 &&
               time(NULL) - st.st_mtime > STALE_UNLOCKED;
    struct flock fl = marker_lock();
    int free_lock = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK;
    close(fd);
    return free_lock;
}

/* A stage is made under this suffix, its marker locked, then renamed:
 * a stage without it holds a locked marker for as long as its run lives. */
#define MAKING ".new"

static int alive(long pid) {
    return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

static void clear_dead(const char *parent, const char *name) {
    char prefix[PATH_MAX + 16], path[2 * PATH_MAX];
    snprintf(prefix, sizeof prefix, ".%s.vpcert-", name);
    DIR *d = opendir(parent);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 ||
            strf(path, sizeof path, "%s/%s", parent, e->d_name) != 0)
            continue;
        /* One being made has no locked marker yet: its run's death alone
         * says it is dead. The lock says it of a made one (a pid would
         * not: a dead run's pid may be another process's by now). */
        char *end;
        long pid = strtol(e->d_name + strlen(prefix), &end, 10);
        if (strcmp(end, MAKING) == 0 ? !alive(pid) : dead_stage(path))
            os_tree_remove(path);
    }
    if (d)
        closedir(d);
}

/* Make d->stage with its marker locked, through a directory that becomes
 * the stage only then. 0, or -1 with errno set. */
static int make_stage(struct report_dir *d, const char *parent) {
    char making[PATH_MAX + 8], mark[PATH_MAX + 40];
    struct flock held = marker_lock();
    if (strf(making, sizeof making, "%s" MAKING, d->stage) != 0 ||
        strf(mark, sizeof mark, "%s/%s", making, REPORT_DIR_MARK) != 0) {
        errno = ENAMETOOLONG;
        return -1;
    }
    os_tree_remove(making);
    os_tree_remove(d->stage);
    if (os_dir_make(parent) != 0 || mkdir(making, 0755) != 0)
        return -1;
    d->lock = open(mark, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (d->lock < 0 || fcntl(d->lock, F_SETLK, &held) != 0 ||
        rename(making, d->stage) != 0) {
        int saved = errno;
        os_tree_remove(making);
        errno = saved;
        return -1;
    }
    return 0;
}

int report_dir_open(struct report_dir *d, const char *out, char *err,
                    size_t errlen) {
    char parent[PATH_MAX], name[PATH_MAX], sub[PATH_MAX + 16], shown[600];
    memset(d, 0, sizeof *d);
    d->lock = -1;
    os_show(out, shown, sizeof shown);
    split(out, parent, sizeof parent, name, sizeof name);
    if (!replaceable(out)) {
        snprintf(err, errlen,
                 "--out %s: not a vpcert report directory and not empty; "
                 "name a new or empty directory, or an earlier report",
                 shown);
        return -1;
    }
    if (strf(d->out, sizeof d->out, "%s", out) != 0 ||
        strf(d->stage, sizeof d->stage, "%s/.%s.vpcert-%ld", parent, name,
             (long)getpid()) != 0) {
        snprintf(err, errlen, "--out %s: name too long", shown);
        d->stage[0] = 0;
        return -1;
    }
    clear_dead(parent, name);
    if (make_stage(d, parent) != 0) {
        snprintf(err, errlen, "--out %s: cannot create it: %s", shown,
                 strerror(errno));
        report_dir_abandon(d);
        return -1;
    }
    strf(sub, sizeof sub, "%s/reproducers", d->stage);
    if (mkdir(sub, 0755) != 0) {
        snprintf(err, errlen, "--out %s: %s", shown, strerror(errno));
        report_dir_abandon(d);
        return -1;
    }
    return 0;
}

int report_dir_commit(struct report_dir *d, char *err, size_t errlen) {
    char shown[600];
    os_show(d->out, shown, sizeof shown);
    if (!replaceable(d->out)) {
        snprintf(err, errlen,
                 "--out %s: other files appeared in it; the "
                 "report was not written",
                 shown);
        report_dir_abandon(d);
        return -1;
    }
    int rc = rename(d->stage, d->out);
    if (rc != 0 && (errno == ENOTEMPTY || errno == EEXIST))
        rc = renameat2(AT_FDCWD, d->stage, AT_FDCWD, d->out, RENAME_EXCHANGE);
    if (rc != 0) {
        snprintf(err, errlen, "--out %s: %s", shown, strerror(errno));
        report_dir_abandon(d);
        return -1;
    }
    /* The stage now holds the earlier report, or nothing. */
    report_dir_abandon(d);
    return 0;
}

void report_dir_abandon(struct report_dir *d) {
    if (d->stage[0])
        os_tree_remove(d->stage);
    if (d->lock >= 0)
        close(d->lock);
    d->lock = -1;
    d->stage[0] = 0;
}
