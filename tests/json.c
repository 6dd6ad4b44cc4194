/* json: a strict JSON reader for the report checkers (json.h). */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64

struct reader {
    const unsigned char *s; /* text */
    size_t len;             /* its length */
    size_t at;              /* next byte */
    char *err;              /* message out */
    size_t errlen;          /* its capacity */
    int failed;             /* an error was recorded */
};

static int fail(struct reader *r, const char *why) {
    if (!r->failed)
        snprintf(r->err, r->errlen, "offset %zu: %s", r->at, why);
    r->failed = 1;
    return -1;
}

static void blanks(struct reader *r) {
    while (r->at < r->len && strchr(" \t\r\n", r->s[r->at]) && r->s[r->at])
        r->at++;
}

/* Bytes of the well-formed UTF-8 sequence at r->at, or 0. */
static size_t utf8_seq(const struct reader *r) {
    const unsigned char *p = r->s + r->at;
    size_t left = r->len - r->at, n;
    unsigned cp;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2, cp = p[0] & 0x1Fu;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3, cp = p[0] & 0x0Fu;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4, cp = p[0] & 0x07u;
    else
        return 0;
    if (left < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0; /* overlong, out of range, or a surrogate */
    return n;
}

static void put_utf8(char *out, size_t *n, unsigned cp) {
    if (cp < 0x80) {
        out[(*n)++] = (char)cp;
    } else if (cp < 0x800) {
        out[(*n)++] = (char)(0xC0 | cp >> 6);
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out[(*n)++] = (char)(0xE0 | cp >> 12);
        out[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        out[(*n)++] = (char)(0xF0 | cp >> 18);
        out[(*n)++] = (char)(0x80 | (cp >> 12 & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[(*n)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int hex4(struct reader *r, unsigned *cp) {
    *cp = 0;
    for (int i = 0; i < 4; i++, r->at++) {
        unsigned char c = r->at < r->len ? r->s[r->at] : 0;
        unsigned d = c >= '0' && c <= '9'   ? c - '0' + 0u
                     : c >= 'a' && c <= 'f' ? c - 'a' + 10u
                     : c >= 'A' && c <= 'F' ? c - 'A' + 10u
                                            : 16u;
        if (d == 16)
            return fail(r, "bad \\u escape");
        *cp = *cp << 4 | d;
    }
    return 0;
}

/* A \u escape (after the 'u'): a pair of surrogates is one character; a
 * lone surrogate (vpcert's \udcXX for a byte that is not UTF-8) is kept as
 * U+FFFD. */
static int escape_u(struct reader *r, char *out, size_t *n) {
    unsigned cp, lo;
    if (hex4(r, &cp) != 0)
        return -1;
    if (cp >= 0xD800 && cp <= 0xDBFF && r->at + 1 < r->len &&
        r->s[r->at] == '\\' && r->s[r->at + 1] == 'u') {
        size_t back = r->at;
        r->at += 2;
        if (hex4(r, &lo) != 0)
            return -1;
        if (lo >= 0xDC00 && lo <= 0xDFFF)
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        else
            r->at = back;
    }
    put_utf8(out, n, cp >= 0xD800 && cp <= 0xDFFF ? 0xFFFD : cp);
    return 0;
}

static int string(struct reader *r, char **out) {
    char *buf = malloc(r->len - r->at + 4);
    size_t n = 0;
    if (!buf)
        return fail(r, "out of memory");
    r->at++; /* the opening quote */
    for (;;) {
        if (r->at >= r->len) {
            free(buf);
            return fail(r, "unterminated string");
        }
        unsigned char c = r->s[r->at];
        if (c == '"') {
            r->at++;
            break;
        }
        if (c < 0x20) {
            free(buf);
            return fail(r, "control character in a string");
        }
        if (c != '\\') {
            size_t k = utf8_seq(r);
            if (!k) {
                free(buf);
                return fail(r, "not UTF-8");
            }
            memcpy(buf + n, r->s + r->at, k);
            n += k;
            r->at += k;
            continue;
        }
        r->at++;
        c = r->at < r->len ? r->s[r->at++] : 0;
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *hit = c ? strchr(from, c) : NULL;
        if (hit)
            buf[n++] = to[hit - from];
        else if (c != 'u' || escape_u(r, buf, &n) != 0) {
            free(buf);
            return fail(r, "bad escape");
        }
    }
    buf[n] = 0;
    *out = buf;
    return 0;
}

static int number(struct reader *r, struct json *v) {
    size_t start = r->at;
    const unsigned char *s = r->s;
    int frac = 0;
#define DIGIT(i) ((i) < r->len && s[i] >= '0' && s[i] <= '9')
    if (r->at < r->len && s[r->at] == '-')
        r->at++;
    if (!DIGIT(r->at))
        return fail(r, "bad number");
    if (s[r->at] == '0' && DIGIT(r->at + 1))
        return fail(r, "leading zero");
    while (DIGIT(r->at))
        r->at++;
    if (r->at < r->len && s[r->at] == '.') {
        frac = 1;
        r->at++;
        if (!DIGIT(r->at))
            return fail(r, "bad fraction");
        while (DIGIT(r->at))
            r->at++;
    }
    if (r->at < r->len && (s[r->at] == 'e' || s[r->at] == 'E')) {
        frac = 1;
        r->at++;
        if (r->at < r->len && (s[r->at] == '+' || s[r->at] == '-'))
            r->at++;
        if (!DIGIT(r->at))
            return fail(r, "bad exponent");
        while (DIGIT(r->at))
            r->at++;
    }
#undef DIGIT
    char tmp[64];
    size_t k = r->at - start < sizeof tmp - 1 ? r->at - start : sizeof tmp - 1;
    memcpy(tmp, s + start, k);
    tmp[k] = 0;
    v->type = JSON_NUMBER;
    v->number = strtod(tmp, NULL);
    v->integer = !frac;
    return 0;
}

static int value(struct reader *r, struct json *v, int depth);

static int push(struct reader *r, struct json *v, char *key) {
    struct json *items = realloc(v->items, (v->n + 1) * sizeof *items);
    char **keys = v->type == JSON_OBJECT
                      ? realloc(v->keys, (v->n + 1) * sizeof *keys)
                      : NULL;
    if (items)
        v->items = items;
    if (keys)
        v->keys = keys;
    if (!items || (v->type == JSON_OBJECT && !keys)) {
        free(key);
        return fail(r, "out of memory");
    }
    memset(&v->items[v->n], 0, sizeof v->items[0]);
    if (keys)
        keys[v->n] = key;
    v->n++;
    return 0;
}

/* An array or an object (r->at on its opening bracket). */
static int container(struct reader *r, struct json *v, int depth) {
    int obj = r->s[r->at] == '{';
    char close = obj ? '}' : ']';
    v->type = obj ? JSON_OBJECT : JSON_ARRAY;
    r->at++;
    blanks(r);
    if (r->at < r->len && r->s[r->at] == close) {
        r->at++;
        return 0;
    }
    for (;;) {
        char *key = NULL;
        blanks(r);
        if (obj) {
            if (r->at >= r->len || r->s[r->at] != '"' || string(r, &key) != 0)
                return fail(r, "expected a key");
            for (size_t i = 0; i < v->n; i++)
                if (strcmp(v->keys[i], key) == 0) {
                    free(key);
                    return fail(r, "duplicate key");
                }
            blanks(r);
            if (r->at >= r->len || r->s[r->at++] != ':') {
                free(key);
                return fail(r, "expected ':'");
            }
        }
        if (push(r, v, key) != 0 || value(r, &v->items[v->n - 1], depth) != 0)
            return -1;
        blanks(r);
        char c = r->at < r->len ? (char)r->s[r->at++] : 0;
        if (c == close)
            return 0;
        if (c != ',')
            return fail(r, obj ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static int literal(struct reader *r, const char *word) {
    size_t n = strlen(word);
    if (r->len - r->at < n || memcmp(r->s + r->at, word, n) != 0)
        return fail(r, "unexpected character");
    r->at += n;
    return 0;
}

static int value(struct reader *r, struct json *v, int depth) {
    if (depth > MAX_DEPTH)
        return fail(r, "nested too deeply");
    blanks(r);
    if (r->at >= r->len)
        return fail(r, "unexpected end");
    switch (r->s[r->at]) {
    case '{':
    case '[':
        return container(r, v, depth + 1);
    case '"':
        v->type = JSON_STRING;
        return string(r, &v->string);
    case 't':
        v->type = JSON_BOOL;
        v->boolean = 1;
        return literal(r, "true");
    case 'f':
        v->type = JSON_BOOL;
        return literal(r, "false");
    case 'n':
        v->type = JSON_NULL;
        return literal(r, "null");
    default:
        return number(r, v);
    }
}

static void release(struct json *v) {
    for (size_t i = 0; i < v->n; i++) {
        release(&v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->string);
}

void json_free(struct json *v) {
    if (v)
        release(v);
    free(v);
}

struct json *json_parse(const char *text, size_t len, char *err,
                        size_t errlen) {
    struct reader r = {(const unsigned char *)text, len, 0, err, errlen, 0};
    struct json *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        fail(&r, "byte order mark"); /* RFC 8259: MUST NOT add one */
    else if (value(&r, v, 0) == 0) {
        blanks(&r);
        if (r.at != len)
            fail(&r, "text after the value");
    }
    if (r.failed) {
        json_free(v);
        return NULL;
    }
    return v;
}

const struct json *json_get(const struct json *v, const char *key) {
    for (size_t i = 0; v && v->type == JSON_OBJECT && i < v->n; i++)
        if (strcmp(v->keys[i], key) == 0)
            return &v->items[i];
    return NULL;
}

const char *json_str(const struct json *v) {
    return v && v->type == JSON_STRING ? v->string : NULL;
}
