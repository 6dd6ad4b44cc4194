/* sbuf: the report text buffer and its escapes (sbuf.h). */
#include "sbuf.h"

#include "cli.h"
#include "os.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_add(struct sbuf *b, const char *fmt, ...) {
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL,
                          b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
}

void sb_json(struct sbuf *b, const char *str) {
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s);
    for (size_t i = 0; i < n;) {
        size_t len = os_utf8_char(s + i, n - i);
        if (!len)
            sb_add(b, "\\udc%02x", s[i]);
        else if (s[i] == '"' || s[i] == '\\')
            sb_add(b, "\\%c", s[i]);
        else if (s[i] < 0x20 || s[i] == 0x7F)
            sb_add(b, "\\u%04x", s[i]);
        else
            sb_add(b, "%.*s", (int)len, (const char *)s + i);
        i += len ? len : 1;
    }
}

void sb_xml(struct sbuf *b, const char *str) {
    static const char special[] = "<>&\"'";
    static const char *const named[] = {"&lt;", "&gt;", "&amp;", "&quot;",
                                        "&apos;"};
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    size_t n = strlen((const char *)s);
    for (size_t i = 0; i < n;) {
        size_t len = os_utf8_char(s + i, n - i);
        const char *hit = len == 1 ? strchr(special, s[i]) : NULL;
        if (hit)
            sb_add(b, "%s", named[hit - special]);
        else if (len == 1 && (s[i] == '\n' || s[i] == '\t'))
            sb_add(b, "&#%d;", s[i]); /* kept in attribute values too */
        else if (!len || s[i] < 0x20)
            sb_add(b, "\\x%02X", s[i]); /* not allowed in XML 1.0 */
        else if (len == 3 && s[i] == 0xEF && s[i + 1] == 0xBF &&
                 s[i + 2] >= 0xBE) /* U+FFFE, U+FFFF */
            sb_add(b, "\\x%02X\\x%02X\\x%02X", s[i], s[i + 1], s[i + 2]);
        else
            sb_add(b, "%.*s", (int)len, (const char *)s + i);
        i += len ? len : 1;
    }
}

void sb_md(struct sbuf *b, const char *str) {
    char shown[2048];
    os_show(str, shown, sizeof shown);
    for (const char *p = shown; *p; p++)
        sb_add(b, "%s%c", *p == '|' ? "\\" : "", *p);
}

void sb_json_str(struct sbuf *b, const char *key, const char *v, int comma) {
    sb_add(b, "\"%s\": \"", key);
    sb_json(b, v);
    sb_add(b, "\"%s", comma ? ", " : "");
}

/* Percent-encode every byte of path outside RFC 3986's unreserved set and
 * '/'. */
static void uri_path(struct sbuf *b, const char *path) {
    for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
        int plain = (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
                    (*s >= '0' && *s <= '9') || strchr("-._~/", *s);
        sb_add(b, plain ? "%c" : "%%%02X", *s);
    }
}

void sb_file_uri(struct sbuf *b, const char *abs_path, int dir) {
    size_t n = strlen(abs_path);
    sb_add(b, "file://");
    uri_path(b, abs_path);
    if (dir && (n == 0 || abs_path[n - 1] != '/'))
        sb_add(b, "/");
}

void sb_rel_uri(struct sbuf *b, const char *rel_path) {
    uri_path(b, rel_path);
}

void sb_free(struct sbuf *b) {
    free(b->p);
    memset(b, 0, sizeof *b);
}

int sb_write(struct sbuf *b, const char *dir, const char *name) {
    char path[PATH_MAX + 64];
    int rc = -1;
    if (b->oom)
        fprintf(stderr, "vpcert: out of memory writing %s\n", name);
    else if (snprintf(path, sizeof path, "%s/%s", dir, name) >=
             (int)sizeof path)
        fprintf(stderr, "vpcert: %s/%s: path too long\n", dir, name);
    else
        rc = cli_write_file(path, b->p ? b->p : "", b->len);
    sb_free(b);
    return rc;
}
