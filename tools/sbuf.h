/*
 * sbuf: a growing text buffer for the reports vpcert writes (report.json,
 * report.md, junit.xml, report.sarif, findings.sarif), with the escapes
 * each format needs for byte strings that come from outside (paths above
 * all): JSON stays valid UTF-8 (a byte that is not UTF-8 becomes \udcXX,
 * as Python's surrogateescape reads it back), XML stays well-formed (such
 * a byte, and a control character, is written as the text \xHH),
 * Markdown shows no control character, and a
 * path becomes a file: URI with every byte outside the unreserved set
 * percent-encoded.
 */
#ifndef VPCERT_SBUF_H
#define VPCERT_SBUF_H

#include <stddef.h>

struct sbuf {
    char *p;    /* text, NUL-terminated when not empty */
    size_t len; /* bytes used */
    size_t cap; /* bytes allocated */
    int oom;    /* an append failed: the text is incomplete */
};

/* Append formatted text (no escaping). */
__attribute__((format(printf, 2, 3))) void sb_add(struct sbuf *b,
                                                  const char *fmt, ...);
/* Append s escaped for a JSON string (without the quotes). */
void sb_json(struct sbuf *b, const char *s);
/* Append s escaped for XML 1.0 text or a quoted attribute value. */
void sb_xml(struct sbuf *b, const char *s);
/* Append s for Markdown: shown safely (os_show: control characters and
 * bytes that are not UTF-8 as \xHH), '|' (a table's cell border)
 * escaped. */
void sb_md(struct sbuf *b, const char *s);
/* Append "key": "value" (value escaped), then ", " when comma. */
void sb_json_str(struct sbuf *b, const char *key, const char *v, int comma);
/* Append the file: URI of the absolute path (percent-encoded); a trailing
 * '/' when dir. */
void sb_file_uri(struct sbuf *b, const char *abs_path, int dir);
/* Append the relative URI of a relative path (percent-encoded, '/' kept). */
void sb_rel_uri(struct sbuf *b, const char *rel_path);
/* Write the text to dir/name atomically and free it. 0, or -1 (a message
 * printed) when the text is incomplete or cannot be written. */
int sb_write(struct sbuf *b, const char *dir, const char *name);
/* Free the text without writing it. */
void sb_free(struct sbuf *b);

#endif /* VPCERT_SBUF_H */
