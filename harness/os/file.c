/* file: whole-file reads and atomic writes. */
#include "os.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read all of f into a malloc'd buffer with room for a NUL. Returns the
 * buffer (NULL: out of memory) and sets *n, and *big when the file holds
 * more than OS_FILE_MAX bytes (then it stops reading). */
static uint8_t *read_all(FILE *f, size_t *n, int *big) {
    size_t cap = 4096;
    uint8_t *buf = malloc(cap + 1);
    *n = 0;
    *big = 0;
    while (buf) {
        *n += fread(buf + *n, 1, cap - *n, f);
        if (*n < cap)
            break;
        if (cap >= OS_FILE_MAX) {
            *big = fgetc(f) != EOF;
            break;
        }
        uint8_t *nb = realloc(buf, cap * 2 + 1);
        if (!nb) {
            free(buf);
            return NULL;
        }
        buf = nb;
        cap *= 2;
    }
    return buf;
}

uint8_t *os_file_read(const char *path, size_t *len, char *err, size_t errlen) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    size_t n;
    int big;
    uint8_t *buf = read_all(f, &n, &big);
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    const char *why = !buf  ? "out of memory"
                      : bad ? strerror(saved)
                      : big ? "larger than 64 MiB"
                            : NULL;
    if (why) {
        snprintf(err, errlen, "%s: %s", path, why);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* Write all of data to fd and flush it to the disk. 0, or -1. */
static int write_all(int fd, const uint8_t *data, size_t len) {
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        done += (size_t)w;
    }
    return fsync(fd);
}

int os_file_write(const char *path, const void *data, size_t len, char *err,
                  size_t errlen) {
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >=
        (int)sizeof tmp) {
        snprintf(err, errlen, "%s: name too long", path);
        return -1;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
        return -1;
    }
    int ok = write_all(fd, data, len) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int os_file_copy(const char *from, const char *to, char *err, size_t errlen) {
    size_t len;
    uint8_t *data = os_file_read(from, &len, err, errlen);
    if (!data)
        return -1;
    int rc = os_file_write(to, data, len, err, errlen);
    free(data);
    return rc;
}
