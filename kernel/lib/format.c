/* SPDX-License-Identifier: BSD-2-Clause */
/* printf-style formatting engine.
 *
 * Supports the subset the kernel uses: flags '-', '0', '#', field width,
 * length modifiers l, ll, z, and conversions d i u x X p s c %.  Output goes
 * to a caller-supplied sink so the same code serves the console and buffers.
 */
#include <kernel/format.h>

struct spec {
    bool left, zero, alt;
    unsigned width;
    unsigned base;
    bool upper;
};

static size_t emit_padded(format_sink_t sink, void *ctx, const char *s, size_t len,
                          const struct spec *sp, const char *prefix)
{
    size_t plen = 0, n = 0;
    while (prefix && prefix[plen]) {
        plen++;
    }
    size_t total = len + plen;
    size_t pad = sp->width > total ? sp->width - total : 0;
    if (!sp->left && !sp->zero) {
        for (; pad; pad--, n++) {
            sink(' ', ctx);
        }
    }
    for (size_t i = 0; i < plen; i++, n++) {
        sink(prefix[i], ctx);
    }
    if (!sp->left && sp->zero) {
        for (; pad; pad--, n++) {
            sink('0', ctx);
        }
    }
    for (size_t i = 0; i < len; i++, n++) {
        sink(s[i], ctx);
    }
    for (; pad; pad--, n++) {
        sink(' ', ctx);
    }
    return n;
}

static size_t emit_number(format_sink_t sink, void *ctx, unsigned long long v, bool neg,
                          const struct spec *sp)
{
    const char *digits = sp->upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char buf[24];
    size_t i = sizeof(buf);
    do {
        buf[--i] = digits[v % sp->base];
        v /= sp->base;
    } while (v);
    const char *prefix = neg ? "-" : (sp->alt && sp->base == 16) ? "0x" : "";
    return emit_padded(sink, ctx, buf + i, sizeof(buf) - i, sp, prefix);
}

size_t format(format_sink_t sink, void *ctx, const char *fmt, va_list ap)
{
    size_t n = 0;
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            sink(*fmt, ctx);
            n++;
            continue;
        }
        struct spec sp = { .base = 10 };
        for (;; fmt++) {
            if (fmt[1] == '-') {
                sp.left = true;
            } else if (fmt[1] == '0') {
                sp.zero = true;
            } else if (fmt[1] == '#') {
                sp.alt = true;
            } else {
                break;
            }
        }
        while (fmt[1] >= '0' && fmt[1] <= '9') {
            sp.width = sp.width * 10 + (unsigned)(*++fmt - '0');
        }
        int lng = 0;
        while (fmt[1] == 'l' || fmt[1] == 'z') {
            lng++;
            fmt++;
        }
        char conv = *++fmt;
        unsigned long long u;
        switch (conv) {
        case 'd':
        case 'i': {
            long long s = lng ? va_arg(ap, long) : va_arg(ap, int);
            u = s < 0 ? 0ULL - (unsigned long long)s : (unsigned long long)s;
            n += emit_number(sink, ctx, u, s < 0, &sp);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
            sp.base = conv == 'u' ? 10 : 16;
            sp.upper = conv == 'X';
            u = lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
            n += emit_number(sink, ctx, u, false, &sp);
            break;
        case 'p':
            sp.base = 16;
            sp.alt = true;
            n += emit_number(sink, ctx, (uintptr_t)va_arg(ap, void *), false, &sp);
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) {
                s = "(null)";
            }
            size_t len = 0;
            while (s[len]) {
                len++;
            }
            n += emit_padded(sink, ctx, s, len, &sp, NULL);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            n += emit_padded(sink, ctx, &c, 1, &sp, NULL);
            break;
        }
        case '%':
            sink('%', ctx);
            n++;
            break;
        case '\0':
            return n;
        default:
            sink('%', ctx);
            sink(conv, ctx);
            n += 2;
            break;
        }
    }
    return n;
}

struct buf_ctx {
    char *buf;
    size_t size, pos;
};

static void buf_sink(char c, void *p)
{
    struct buf_ctx *b = p;
    if (b->pos + 1 < b->size) {
        b->buf[b->pos] = c;
    }
    b->pos++;
}

size_t format_vbuf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct buf_ctx b = { buf, size, 0 };
    size_t n = format(buf_sink, &b, fmt, ap);
    if (size) {
        buf[b.pos < size ? b.pos : size - 1] = '\0';
    }
    return n;
}

size_t format_buf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = format_vbuf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
