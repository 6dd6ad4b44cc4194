/* fuzzer_log: reading libFuzzer's output, line by line. */
#include "fuzzer_log.h"

#include "strf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fuzzer_log_open(struct fuzzer_log *l, int fd, const char *copy_path) {
    memset(l, 0, sizeof *l);
    l->s[0].fd = fd;
    l->ns = 1;
    l->copy = fopen(copy_path, "w");
    fcntl(fd, F_SETFL, O_NONBLOCK);
}

void fuzzer_log_follow(struct fuzzer_log *l, const char *path) {
    if (l->ns == FUZZER_LOG_STREAMS)
        return;
    struct fuzzer_stream *s = &l->s[l->ns++];
    s->fd = -1;
    strf(s->path, sizeof s->path, "%s", path);
    unlink(s->path);
}

static unsigned long long num_after(const char *line, const char *key) {
    const char *p = strstr(line, key);
    return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static void parse_line(struct fuzzer_log *l, struct fuzzer_stream *s,
                       const char *line) {
    if (line[0] == '#' && isdigit((unsigned char)line[1])) {
        unsigned long long n = strtoull(line + 1, NULL, 10);
        if (n > s->execs)
            s->execs = n;
        if (strstr(line, "cov: "))
            s->cov = (unsigned long)num_after(line, "cov: ");
    } else if (strncmp(line, "stat::number_of_executed_units:", 31) == 0) {
        s->final = num_after(line, "units:");
    }
    if (s == &l->s[0] && !strstr(line, "vpcert-progress")) {
        strf(l->tail[l->ntail % FUZZER_LOG_TAIL], sizeof l->tail[0], "%s",
             line);
        l->ntail++;
    }
}

/* Feed bytes read from a stream, line by line. */
static void feed(struct fuzzer_log *l, struct fuzzer_stream *s, const char *buf,
                 size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (buf[i] != '\n' && s->len < sizeof s->line - 1) {
            s->line[s->len++] = buf[i];
            continue;
        }
        if (buf[i] != '\n')
            continue; /* overlong line: keep its head */
        s->line[s->len] = 0;
        parse_line(l, s, s->line);
        s->len = 0;
    }
}

/* Read what is available; returns 0 at the end of a pipe, 1 otherwise. */
static int pump(struct fuzzer_log *l, struct fuzzer_stream *s) {
    char buf[8192];
    if (s->fd < 0 && s->path[0])
        s->fd = open(s->path, O_RDONLY);
    if (s->fd < 0)
        return s->path[0] != 0;
    for (;;) {
        ssize_t n = read(s->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return s->path[0] ? 1 : (n < 0 && errno == EAGAIN);
        if (!s->path[0] && l->copy)
            fwrite(buf, 1, (size_t)n, l->copy);
        feed(l, s, buf, (size_t)n);
        if (!s->path[0])
            return 1; /* the pipe: back to poll */
    }
}

int fuzzer_log_pump_pipe(struct fuzzer_log *l) {
    return pump(l, &l->s[0]);
}

void fuzzer_log_pump_jobs(struct fuzzer_log *l) {
    for (int i = 1; i < l->ns; i++)
        pump(l, &l->s[i]);
}

void fuzzer_log_total(struct fuzzer_log *l) {
    l->execs = 0;
    for (int i = 0; i < l->ns; i++) {
        const struct fuzzer_stream *s = &l->s[i];
        l->execs += s->final > s->execs ? s->final : s->execs;
        if (s->cov > l->cov)
            l->cov = s->cov;
    }
}

void fuzzer_log_close(struct fuzzer_log *l) {
    fuzzer_log_pump_jobs(l);
    for (int i = 0; i < l->ns; i++)
        if (l->s[i].fd >= 0)
            close(l->s[i].fd);
    if (l->copy)
        fclose(l->copy);
    l->copy = NULL;
    fuzzer_log_total(l);
}

void fuzzer_log_print_tail(const struct fuzzer_log *l, FILE *out) {
    unsigned first =
        l->ntail > FUZZER_LOG_TAIL ? l->ntail - FUZZER_LOG_TAIL : 0;
    for (unsigned i = first; i < l->ntail; i++)
        fprintf(out, "  %s\n", l->tail[i % FUZZER_LOG_TAIL]);
}
