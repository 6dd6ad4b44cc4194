/* fuzzer_log: reading libFuzzer's output, line by line. */
#include "fuzzer_log.h"

#include "strf.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void fuzzer_log_open(struct fuzzer_log *l, int fd, const char *copy_path,
                     size_t copy_max) {
    memset(l, 0, sizeof *l);
    l->fd = fd;
    l->copy = fopen(copy_path, "w");
    l->copy_max = copy_max ? copy_max : (size_t)-1;
    fcntl(fd, F_SETFL, O_NONBLOCK);
}

static unsigned long long num_after(const char *line, const char *key) {
    const char *p = strstr(line, key);
    return p ? strtoull(p + strlen(key), NULL, 10) : 0;
}

static void parse_line(struct fuzzer_log *l, const char *line) {
    if (l->on_line)
        l->on_line(l->ctx, line);
    if (line[0] == '#' && isdigit((unsigned char)line[1])) {
        unsigned long long n = strtoull(line + 1, NULL, 10);
        if (n > l->progress)
            l->progress = n;
        if (strstr(line, "cov: "))
            l->cov = (unsigned long)num_after(line, "cov: ");
    } else if (strncmp(line, "stat::number_of_executed_units:", 31) == 0) {
        l->final = num_after(line, "units:");
    }
    if (!strstr(line, "vpcert-progress")) {
        strf(l->tail[l->ntail % FUZZER_LOG_TAIL], sizeof l->tail[0], "%s",
             line);
        l->ntail++;
    }
}

/* Feed bytes read, line by line (a carriage return ends a line too). */
static void feed(struct fuzzer_log *l, const char *buf, size_t n) {
    for (size_t i = 0; i < n; i++) {
        int eol = buf[i] == '\n' || buf[i] == '\r';
        if (!eol && l->len < sizeof l->line - 1) {
            l->line[l->len++] = buf[i];
            continue;
        }
        if (!eol)
            continue; /* overlong line: keep its head */
        l->line[l->len] = 0;
        if (l->len)
            parse_line(l, l->line);
        l->len = 0;
    }
}

int fuzzer_log_pump_pipe(struct fuzzer_log *l) {
    char buf[8192];
    if (l->fd < 0)
        return 0;
    for (;;) {
        ssize_t n = read(l->fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 && errno == EAGAIN;
        if (l->copy && l->copied < l->copy_max) {
            size_t k = (size_t)n < l->copy_max - l->copied
                           ? (size_t)n
                           : l->copy_max - l->copied;
            fwrite(buf, 1, k, l->copy);
            l->copied += k;
        }
        feed(l, buf, (size_t)n);
        return 1; /* back to poll */
    }
}

void fuzzer_log_total(struct fuzzer_log *l) {
    l->execs = l->final > l->progress ? l->final : l->progress;
}

void fuzzer_log_close(struct fuzzer_log *l) {
    if (l->fd >= 0)
        close(l->fd);
    l->fd = -1;
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
