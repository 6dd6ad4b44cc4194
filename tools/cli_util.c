/* cli_util: reading programs and files, writing files atomically. */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_INPUT (64u << 20) /* refuse inputs above 64 MiB */

uint8_t *cli_read_file(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "vpcert: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap + 1);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= MAX_INPUT)
            break;
        uint8_t *nb = realloc(buf, cap * 2 + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int err = ferror(f);
    fclose(f);
    if (!buf || err || n >= MAX_INPUT) {
        fprintf(stderr, "vpcert: %s: %s\n", path,
                !buf  ? "out of memory"
                : err ? "read error"
                      : "larger than 64 MiB");
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

static int is_text_name(const char *path) {
    size_t n = strlen(path);
    return n > 4 && strcmp(path + n - 4, ".vpt") == 0;
}

int cli_load_program(const char *path, struct program *p) {
    size_t len;
    uint8_t *data = cli_read_file(path, &len);
    if (!data)
        return -1;
    int rc = 0;
    if (is_text_name(path)) {
        char err[300];
        rc = prog_text_parse((const char *)data, len, path, p, err, sizeof err);
        if (rc != 0)
            fprintf(stderr, "vpcert: %s\n", err);
    } else if (prog_decode(data, len, p) == PROG_DECODE_NEWER) {
        fprintf(stderr,
                "vpcert: %s:0: format version %u is newer than this "
                "vpcert (%u)\n",
                path, (unsigned)p->version, PROG_FORMAT_VERSION);
        rc = -1;
    }
    free(data);
    return rc;
}

int cli_write_file(const char *path, const void *data, size_t len) {
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        fprintf(stderr, "vpcert: %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    const uint8_t *p = data;
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    int ok = done == len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "vpcert: %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int cli_load_impl(const struct cli *c, struct impl *impl) {
    if (!c->impl_path || strcmp(c->impl_path, "default") == 0) {
        impl_builtin(impl);
        return 0;
    }
    char err[512];
    if (impl_load(impl, c->impl_path, err, sizeof err) != 0) {
        fprintf(stderr, "vpcert: cannot load %s: %s\n", c->impl_path, err);
        return -1;
    }
    if (!impl->alloc_buffer || !impl->release_buffer) {
        fprintf(stderr,
                "vpcert: %s: does not export VideoPortAllocateBuffer "
                "and VideoPortReleaseBuffer\n",
                c->impl_path);
        impl_unload(impl);
        return -1;
    }
    return 0;
}
