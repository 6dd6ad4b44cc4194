/*
 * report_check: is a report file what it claims to be? An independent
 * checker (it shares no code with the writers of tools/certify_report.c):
 *
 *   report_check json FILE   RFC 8259 JSON, the whole file valid UTF-8
 *   report_check xml FILE    well-formed XML 1.0 (elements, attributes,
 *                            text, entity and character references; the
 *                            subset junit.xml uses), valid UTF-8, only
 *                            characters XML allows
 *   report_check text FILE   valid UTF-8 with no control character but
 *                            newline and tab (report.md, a terminal's view)
 *
 * Exit 0 when it is, else 1 with the byte offset and the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct in {
    const unsigned char *s; /* the file */
    size_t n;               /* its length */
    size_t i;               /* where the reader is */
    const char *why;        /* the first problem, NULL while none */
};

static int bad(struct in *p, const char *why) {
    if (!p->why)
        p->why = why;
    return 0;
}

/* Length of the UTF-8 character at p->s + at (1..4), 0 if invalid; the
 * code point into *cp. */
static size_t utf8(const struct in *p, size_t at, unsigned long *cp) {
    const unsigned char *s = p->s + at;
    size_t left = p->n - at, len;
    unsigned long c;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, c = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, c = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, c = s[0] & 0x07;
    else
        return 0;
    if (len > left)
        return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (s[k] & 0x3F);
    }
    if ((len == 3 && c < 0x800) ||
        (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
        (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Every character valid UTF-8 and allowed by ok(). */
static int chars(struct in *p, int (*ok)(unsigned long)) {
    for (size_t at = 0; at < p->n;) {
        unsigned long c;
        size_t len = utf8(p, at, &c);
        if (!len || !ok(c)) {
            p->i = at;
            return bad(p, len ? "a character not allowed here"
                              : "bytes that are not UTF-8");
        }
        at += len;
    }
    return 1;
}

static int text_char(unsigned long c) {
    return c == '\n' || c == '\t' ||
           (c >= 0x20 && c != 0x7F && !(c >= 0x80 && c < 0xA0));
}

static int xml_char(unsigned long c) {
    return c == '\t' || c == '\n' || c == '\r' ||
           (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
}

static int any_char(unsigned long c) {
    (void)c;
    return 1;
}

/* ---- JSON ---- */

static void ws(struct in *p) {
    while (p->i < p->n && strchr(" \t\r\n", p->s[p->i]) && p->s[p->i])
        p->i++;
}

static int lit(struct in *p, const char *w) {
    size_t k = strlen(w);
    if (p->n - p->i < k || memcmp(p->s + p->i, w, k) != 0)
        return bad(p, "not a JSON value");
    p->i += k;
    return 1;
}

static int json_string(struct in *p) {
    p->i++; /* the opening quote */
    while (p->i < p->n && p->s[p->i] != '"') {
        unsigned char c = p->s[p->i];
        if (c < 0x20)
            return bad(p, "a control character in a string");
        if (c == '\\') {
            if (++p->i >= p->n)
                return bad(p, "an escape cut short");
            c = p->s[p->i];
            if (c == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (p->i + k >= p->n ||
                        !strchr("0123456789abcdefABCDEF", p->s[p->i + k]) ||
                        !p->s[p->i + k])
                        return bad(p, "\\u without four hex digits");
                p->i += 4;
            } else if (!strchr("\"\\/bfnrt", c) || !c) {
                return bad(p, "an unknown escape");
            }
        }
        p->i++;
    }
    if (p->i >= p->n)
        return bad(p, "a string without its closing quote");
    p->i++;
    return 1;
}

static int digits(struct in *p) {
    size_t at = p->i;
    while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
        p->i++;
    return p->i > at ? 1 : bad(p, "a number without digits");
}

static int json_number(struct in *p) {
    if (p->s[p->i] == '-')
        p->i++;
    if (p->i < p->n && p->s[p->i] == '0')
        p->i++;
    else if (!digits(p))
        return 0;
    if (p->i < p->n && p->s[p->i] == '.' && (p->i++, !digits(p)))
        return 0;
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        return digits(p);
    }
    return 1;
}

static int json_value(struct in *p, int depth);

/* An object (close '}') or an array (close ']'), after its opening. */
static int json_members(struct in *p, int depth, char close) {
    p->i++;
    ws(p);
    if (p->i < p->n && p->s[p->i] == close)
        return p->i++, 1;
    for (;;) {
        ws(p);
        if (close == '}') {
            if (p->i >= p->n || p->s[p->i] != '"' || !json_string(p))
                return bad(p, "an object key that is not a string");
            ws(p);
            if (p->i >= p->n || p->s[p->i++] != ':')
                return bad(p, "no ':' after a key");
        }
        if (!json_value(p, depth + 1))
            return 0;
        ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close)
            return p->i++, 1;
        return bad(p, "no ',' or closing bracket");
    }
}

static int json_value(struct in *p, int depth) {
    ws(p);
    if (depth > 200)
        return bad(p, "nested too deep");
    if (p->i >= p->n)
        return bad(p, "a value is missing");
    switch (p->s[p->i]) {
    case '{':
        return json_members(p, depth, '}');
    case '[':
        return json_members(p, depth, ']');
    case '"':
        return json_string(p);
    case 't':
        return lit(p, "true");
    case 'f':
        return lit(p, "false");
    case 'n':
        return lit(p, "null");
    default:
        return json_number(p);
    }
}

static int check_json(struct in *p) {
    if (!chars(p, any_char))
        return 0;
    p->i = 0;
    if (!json_value(p, 0))
        return 0;
    ws(p);
    return p->i == p->n ? 1 : bad(p, "something after the value");
}

/* ---- XML ---- */

static int name_char(unsigned char c, int first) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           c == ':' || c >= 0x80 ||
           (!first && ((c >= '0' && c <= '9') || c == '-' || c == '.'));
}

/* A name at p->i; its length (0: none). */
static size_t xml_name(struct in *p) {
    size_t at = p->i;
    while (p->i < p->n && name_char(p->s[p->i], p->i == at))
        p->i++;
    return p->i - at;
}

/* An entity or character reference at p->i ('&'). */
static int xml_ref(struct in *p) {
    static const char *const named[] = {"lt;", "gt;", "amp;", "quot;", "apos;"};
    p->i++;
    for (size_t k = 0; k < 5; k++)
        if (p->n - p->i >= strlen(named[k]) &&
            !memcmp(p->s + p->i, named[k], strlen(named[k])))
            return p->i += strlen(named[k]), 1;
    if (p->i < p->n && p->s[p->i] == '#') {
        int hex = ++p->i < p->n && p->s[p->i] == 'x';
        size_t at = p->i += hex;
        while (
            p->i < p->n &&
            strchr(hex ? "0123456789abcdefABCDEF" : "0123456789", p->s[p->i]) &&
            p->s[p->i])
            p->i++;
        if (p->i > at && p->i < p->n && p->s[p->i] == ';')
            return p->i++, 1;
    }
    return bad(p, "'&' that is no reference");
}

/* Text up to the next '<'. */
static int xml_text(struct in *p) {
    while (p->i < p->n && p->s[p->i] != '<')
        if (p->s[p->i] == '&' ? !xml_ref(p) : (p->i++, 0))
            return 0;
    return 1;
}

static int xml_attrs(struct in *p) {
    for (;;) {
        ws(p);
        if (p->i >= p->n || p->s[p->i] == '>' || p->s[p->i] == '/')
            return 1;
        if (!xml_name(p))
            return bad(p, "an attribute without a name");
        ws(p);
        if (p->i >= p->n || p->s[p->i++] != '=')
            return bad(p, "an attribute without '='");
        ws(p);
        unsigned char q = p->i < p->n ? p->s[p->i] : 0;
        if (q != '"' && q != '\'')
            return bad(p, "an attribute value not quoted");
        for (p->i++; p->i < p->n && p->s[p->i] != q;)
            if (p->s[p->i] == '<')
                return bad(p, "'<' in an attribute value");
            else if (p->s[p->i] == '&' ? !xml_ref(p) : (p->i++, 0))
                return 0;
        if (p->i++ >= p->n)
            return bad(p, "an attribute value without its closing quote");
    }
}

/* One element at p->i ('<'), with everything inside it. */
static int xml_element(struct in *p, int depth) {
    p->i++;
    size_t at = p->i, len = xml_name(p);
    if (!len || depth > 200)
        return bad(p, len ? "nested too deep" : "a tag without a name");
    if (!xml_attrs(p))
        return 0;
    if (p->i + 1 < p->n && p->s[p->i] == '/' && p->s[p->i + 1] == '>')
        return p->i += 2, 1;
    if (p->i >= p->n || p->s[p->i++] != '>')
        return bad(p, "a tag not closed by '>'");
    for (;;) {
        if (!xml_text(p))
            return 0;
        if (p->i + 1 >= p->n)
            return bad(p, "an element never closed");
        if (p->s[p->i + 1] != '/') {
            if (!xml_element(p, depth + 1))
                return 0;
            continue;
        }
        p->i += 2;
        if (p->n - p->i < len || memcmp(p->s + p->i, p->s + at, len) != 0)
            return bad(p, "a closing tag that does not match");
        p->i += len;
        ws(p);
        if (p->i >= p->n || p->s[p->i++] != '>')
            return bad(p, "a closing tag not closed by '>'");
        return 1;
    }
}

static int check_xml(struct in *p) {
    if (!chars(p, xml_char))
        return 0;
    p->i = 0;
    if (p->n >= 5 && !memcmp(p->s, "<?xml", 5)) {
        const unsigned char *end = NULL;
        for (size_t k = 5; k + 1 < p->n && !end; k++)
            if (p->s[k] == '?' && p->s[k + 1] == '>')
                end = p->s + k + 2;
        if (!end)
            return bad(p, "an XML declaration not closed");
        p->i = (size_t)(end - p->s);
    }
    ws(p);
    if (p->i >= p->n || p->s[p->i] != '<' || !xml_element(p, 0))
        return p->why ? 0 : bad(p, "no root element");
    ws(p);
    return p->i == p->n ? 1 : bad(p, "something after the root element");
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: report_check json|xml|text FILE\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    static unsigned char buf[1 << 24];
    struct in p = {buf, 0, 0, NULL};
    if (!f) {
        fprintf(stderr, "report_check: cannot open %s\n", argv[2]);
        return 2;
    }
    p.n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int ok = !strcmp(argv[1], "json")  ? check_json(&p)
             : !strcmp(argv[1], "xml") ? check_xml(&p)
                                       : chars(&p, text_char);
    if (ok)
        return 0;
    printf("%s: not valid %s at byte %zu: %s\n", argv[2], argv[1], p.i,
           p.why ? p.why : "?");
    return 1;
}
