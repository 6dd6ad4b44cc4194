/*
 * kernel_debug.c: what ends a call and what a call says. Fatal events (a
 * bug check, BC-1; an exception that would escape the service, EX-1; a
 * self-deadlock, LK-1) are recorded once per run and end the call through
 * the escape the caller set. Debug output (DbgPrint, DbgPrintEx,
 * VideoPortDebugPrint) is captured, bounded and escaped, so that it can be
 * shown beside a failure. VideoPortZeroMemory and VideoPortMoveMemory are
 * here too: the video port's own memory helpers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_internal.h"

/* ---- fatal events ---- */

void kernel_set_escape(struct kernel *k, kernel_escape_fn fn, void *ctx) {
    if (!k)
        return;
    k->escape = fn;
    k->escape_ctx = ctx;
}

const struct kernel_fatal *kernel_fatal(const struct kernel *k) {
    static const struct kernel_fatal none;
    return k ? &k->fatal : &none;
}

void kn_fatal(struct kernel *k, const char *clause, const char *what,
              uint32_t code, const uint64_t param[4], uintptr_t addr) {
    if (!k->fatal.clause) {
        k->fatal.clause = clause;
        k->fatal.what = what;
        k->fatal.code = code;
        for (int i = 0; i < 4; i++)
            k->fatal.param[i] = param ? param[i] : 0;
        k->fatal.addr = addr;
    }
    struct kernel_event ev = kn_event_ctx(k, KN_EV_FATAL);
    ev.addr = addr;
    kn_event_cite(k, ev, KN_EV_FATAL, clause, what);
    if (k->escape)
        k->escape(k->escape_ctx);
}

void kn_raise(struct kernel *k, const char *what) {
    kn_fatal(k, "EX-1", what, (uint32_t)STATUS_INSUFFICIENT_RESOURCES, NULL, 0);
}

VOID KeBugCheckEx(ULONG BugCheckCode, ULONG_PTR BugCheckParameter1,
                  ULONG_PTR BugCheckParameter2, ULONG_PTR BugCheckParameter3,
                  ULONG_PTR BugCheckParameter4) {
    struct kernel *k = kernel_bound();
    const uint64_t param[4] = {BugCheckParameter1, BugCheckParameter2,
                               BugCheckParameter3, BugCheckParameter4};
    if (k)
        kn_fatal(k, "BC-1", "the implementation called KeBugCheckEx",
                 BugCheckCode, param, 0);
    /* No escape: a bug check does not return, and neither does this. */
    abort();
}

/* ---- debug output ---- */

/* Append the escaped form of one byte if it fits whole; else count it. */
static void kn_debug_put(struct kn_debug *d, unsigned char c) {
    char esc[8];
    size_t n;
    if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7F && c != '\\'))
        n = (size_t)snprintf(esc, sizeof esc, "%c", c);
    else if (c == '\\')
        n = (size_t)snprintf(esc, sizeof esc, "\\\\");
    else
        n = (size_t)snprintf(esc, sizeof esc, "\\x%02x", c);
    if (d->full || d->len + n > sizeof d->text) {
        d->full = 1; /* what is kept stays a prefix of the output */
        d->lost++;
        return;
    }
    memcpy(d->text + d->len, esc, n);
    d->len += n;
}

/* Format one message and capture it. */
static void kn_debug_vprint(const char *format, va_list ap) {
    struct kernel *k = kernel_bound();
    char line[1024];
    if (!k || !format)
        return;
    int n = vsnprintf(line, sizeof line, format, ap);
    if (n < 0)
        return;
    size_t kept = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    for (size_t i = 0; i < kept; i++)
        kn_debug_put(&k->debug, (unsigned char)line[i]);
    k->debug.lost += (size_t)n - kept;
}

ULONG DbgPrint(PCSTR Format, ...) {
    va_list ap;
    va_start(ap, Format);
    kn_debug_vprint(Format, ap);
    va_end(ap);
    return (ULONG)STATUS_SUCCESS;
}

ULONG DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...) {
    va_list ap;
    (void)ComponentId;
    (void)Level;
    va_start(ap, Format);
    kn_debug_vprint(Format, ap);
    va_end(ap);
    return (ULONG)STATUS_SUCCESS;
}

VOID VideoPortDebugPrint(VIDEO_DEBUG_LEVEL DebugPrintLevel, PSTR DebugMessage,
                         ...) {
    va_list ap;
    (void)DebugPrintLevel;
    va_start(ap, DebugMessage);
    kn_debug_vprint(DebugMessage, ap);
    va_end(ap);
}

size_t kernel_debug_text(const struct kernel *k, char *out, size_t cap) {
    if (!cap)
        return 0;
    out[0] = 0;
    if (!k)
        return 0;
    size_t room = cap - 1;
    int cut = k->debug.lost || k->debug.len > room;
    if (cut && room > 64)
        room -= 64; /* for the note */
    size_t n = k->debug.len < room ? k->debug.len : room;
    memcpy(out, k->debug.text, n);
    out[n] = 0;
    if (cut)
        snprintf(out + n, cap - n, "\n[%zu more bytes of debug output]",
                 k->debug.lost + (k->debug.len - n));
    return strlen(out);
}

/* ---- the video port's memory helpers ---- */

VOID VideoPortZeroMemory(PVOID Destination, ULONG Length) {
    memset(Destination, 0, Length);
}

VOID VideoPortMoveMemory(PVOID Destination, PVOID Source, ULONG Length) {
    memmove(Destination, Source, Length);
}
