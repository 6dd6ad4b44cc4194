/* show: byte strings from the host (file names, arguments, file
 * contents, a loader's message) made safe to show: valid UTF-8 as it is,
 * every other byte and every control character as \xHH. */
#include "os.h"

#include <stdio.h>
#include <string.h>

size_t os_utf8_char(const unsigned char *s, size_t n) {
    if (n == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xC2 && s[0] <= 0xDF   ? 2
                 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
                 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4
                                                : 0;
    if (!len || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    /* overlong forms, surrogates, beyond U+10FFFF */
    if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0) ||
        (s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
        return 0;
    return len;
}

/* Is the character at s (len bytes of valid UTF-8) a control character:
 * C0, DEL, or C1 (U+0080..U+009F, which some terminals obey)? */
static int control(const unsigned char *s, size_t len) {
    return (len == 1 && (s[0] < 0x20 || s[0] == 0x7F)) ||
           (len == 2 && s[0] == 0xC2 && s[1] < 0xA0);
}

size_t os_show_n(const char *s, size_t n, char *out, size_t cap) {
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, kept = 0; /* kept: what fits, whole characters only */
    for (size_t i = 0; i < n;) {
        size_t len = os_utf8_char(u + i, n - i);
        char esc[8];
        const char *piece = (const char *)u + i;
        size_t plen = len;
        if (!len || control(u + i, len)) {
            snprintf(esc, sizeof esc, "\\x%02X", u[i]);
            piece = esc;
            plen = 4;
            len = 1;
        }
        if (o == kept && o + plen < cap) {
            memcpy(out + o, piece, plen);
            kept += plen;
        }
        o += plen;
        i += len;
    }
    if (cap)
        out[kept] = 0;
    return o;
}

const char *os_show(const char *s, char *out, size_t cap) {
    os_show_n(s ? s : "(null)", s ? strlen(s) : 6, out, cap);
    return out;
}
