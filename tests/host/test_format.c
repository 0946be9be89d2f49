/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests for kernel/lib/format.c (the printk formatting engine).
 *
 * Every conversion (d i u x X p s c %), flag (- 0 #), field width, length
 * modifier (l ll z) and the truncation contract of format_buf/format_vbuf.
 * Output buffers are heap blocks of exactly the given size, so AddressSanitizer
 * catches any write past the end.
 */
#define CHECK_SUITE "format"
#include "check.h"

#include <kernel/format.h>
#include <limits.h>
#include <stdlib.h>

/* Format into a fresh exact-size heap buffer; returns it (caller frees). */
static char *fmt_n(size_t size, size_t *ret, const char *fmt, ...)
{
    char *buf = malloc(size ? size : 1);
    if (!buf) {
        abort();
    }
    for (size_t i = 0; i < (size ? size : 1); i++) {
        buf[i] = '#';
    }
    va_list ap;
    va_start(ap, fmt);
    *ret = format_vbuf(size ? buf : NULL, size, fmt, ap);
    va_end(ap);
    return buf;
}

/* Formats with a big enough buffer and checks both text and return value. */
#define CHECK_FMT(want, ...)                                          \
    do {                                                              \
        char buf_[256];                                               \
        size_t n_ = format_buf(buf_, sizeof(buf_), __VA_ARGS__);      \
        CHECK_STR(buf_, want);                                        \
        CHECK_EQ(n_, sizeof(want) - 1);                               \
    } while (0)

/* Through a wrapper without the printf attribute: for formats the compiler
 * (rightly) warns about in real code, such as unknown conversions or
 * redundant flags, whose handling is still defined for printk. */
static size_t fmt_raw(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = format_vbuf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

#define CHECK_RAW(want, ...)                                          \
    do {                                                              \
        char buf_[256];                                               \
        size_t n_ = fmt_raw(buf_, sizeof(buf_), __VA_ARGS__);         \
        CHECK_STR(buf_, want);                                        \
        CHECK_EQ(n_, sizeof(want) - 1);                               \
    } while (0)

TEST(plain_text)
{
    CHECK_FMT("", "%s", "");
    CHECK_FMT("hello, world\n", "hello, world\n");
    char buf[8];
    CHECK_EQ(fmt_raw(buf, sizeof(buf), ""), 0);
    CHECK_STR(buf, "");
}

TEST(signed_decimal)
{
    CHECK_FMT("0", "%d", 0);
    CHECK_FMT("42", "%d", 42);
    CHECK_FMT("-42", "%d", -42);
    CHECK_FMT("-7", "%i", -7);
    CHECK_FMT("2147483647", "%d", INT_MAX);
    CHECK_FMT("-2147483648", "%d", INT_MIN);
    CHECK_FMT("9223372036854775807", "%ld", LONG_MAX);
    CHECK_FMT("-9223372036854775808", "%ld", LONG_MIN);
    CHECK_FMT("-9223372036854775808", "%lld", LLONG_MIN);
    CHECK_FMT("-1", "%zd", (ssize_t)-1);
}

TEST(unsigned_decimal)
{
    CHECK_FMT("0", "%u", 0u);
    CHECK_FMT("4294967295", "%u", UINT_MAX);
    CHECK_FMT("18446744073709551615", "%lu", ULONG_MAX);
    CHECK_FMT("18446744073709551615", "%llu", ULLONG_MAX);
    CHECK_FMT("18446744073709551615", "%zu", SIZE_MAX);
    /* an int-sized argument is read as int, not as a word */
    CHECK_FMT("4294967295", "%u", -1);
}

TEST(hexadecimal)
{
    CHECK_FMT("0", "%x", 0u);
    CHECK_FMT("deadbeef", "%x", 0xDEADBEEFu);
    CHECK_FMT("DEADBEEF", "%X", 0xDEADBEEFu);
    CHECK_FMT("ffffffff", "%x", UINT_MAX);
    CHECK_FMT("ffffffffffffffff", "%lx", ULONG_MAX);
    CHECK_FMT("123456789abcdef0", "%llx", 0x123456789ABCDEF0ULL);
    CHECK_FMT("1000", "%zx", (size_t)0x1000);
    CHECK_FMT("FFFF800000000000", "%lX", 0xFFFF800000000000UL);
}

TEST(alternate_form)
{
    CHECK_FMT("0x1f", "%#x", 0x1Fu);
    /* Pecan writes the prefix even for zero and keeps it lower case */
    CHECK_FMT("0x0", "%#x", 0u);
    CHECK_FMT("0x1F", "%#X", 0x1Fu);
    CHECK_FMT("0xffffffffc0000000", "%#lx", 0xFFFFFFFFC0000000UL);
    /* '#' means nothing for decimal */
    CHECK_RAW("31", "%#d", 31);
    CHECK_RAW("31", "%#u", 31u);
}

TEST(pointer)
{
    CHECK_FMT("0x0", "%p", (void *)0);
    CHECK_FMT("0x1000", "%p", (void *)0x1000);
    CHECK_FMT("0xffffffff80000000", "%p", (void *)0xFFFFFFFF80000000UL);
    CHECK_FMT("      0x10", "%10p", (void *)0x10);
}

TEST(string)
{
    CHECK_FMT("abc", "%s", "abc");
    CHECK_RAW("(null)", "%s", (char *)NULL);
    CHECK_FMT("[  abc]", "[%5s]", "abc");
    CHECK_FMT("[abc  ]", "[%-5s]", "abc");
    CHECK_FMT("[abcdef]", "[%3s]", "abcdef");
    CHECK_FMT("a b", "%s %s", "a", "b");
    /* '0' pads strings with zeros in Pecan (libc leaves that undefined) */
    CHECK_RAW("00abc", "%05s", "abc");
}

TEST(character)
{
    CHECK_FMT("x", "%c", 'x');
    CHECK_FMT("[  x]", "[%3c]", 'x');
    CHECK_FMT("[x  ]", "[%-3c]", 'x');
    CHECK_FMT("\xe9", "%c", 0xE9);
    char buf[4];
    CHECK_EQ(format_buf(buf, sizeof(buf), "%c", 0), 1);
    CHECK_EQ(buf[0], 0);
}

TEST(percent)
{
    CHECK_FMT("%", "%%");
    CHECK_FMT("100%", "%d%%", 100);
    CHECK_FMT("%d", "%%d");
}

TEST(width_and_padding)
{
    CHECK_FMT("   42", "%5d", 42);
    CHECK_FMT("42   ", "%-5d", 42);
    CHECK_FMT("00042", "%05d", 42);
    CHECK_FMT("  -42", "%5d", -42);
    CHECK_FMT("-0042", "%05d", -42);
    CHECK_FMT("-42  ", "%-5d", -42);
    CHECK_FMT("12345", "%2d", 12345);
    CHECK_FMT("0000dead", "%08x", 0xDEADu);
    CHECK_FMT("0x00dead", "%#08x", 0xDEADu);
    CHECK_FMT("  0xdead", "%#8x", 0xDEADu);
    CHECK_FMT("0xdead  ", "%-#8x", 0xDEADu);
    CHECK_FMT("0000000000001000", "%016lx", 0x1000UL);
    CHECK_FMT("                  1", "%19lu", 1UL);
    /* '-' wins over '0' */
    CHECK_RAW("42   ", "%-05d", 42);
    CHECK_RAW("42   ", "%0-5d", 42);
    /* flags in any order and repeated */
    CHECK_FMT("0x0001", "%0#6x", 1u);
    CHECK_RAW("0x0001", "%##006x", 1u);
}

TEST(unknown_conversion)
{
    char buf[32];
    /* printed verbatim, two characters counted */
    CHECK_EQ(fmt_raw(buf, sizeof(buf), "a%qb"), 4);
    CHECK_STR(buf, "a%qb");
    /* a lone '%' at the end stops formatting */
    CHECK_EQ(fmt_raw(buf, sizeof(buf), "abc%"), 3);
    CHECK_STR(buf, "abc");
    CHECK_EQ(fmt_raw(buf, sizeof(buf), "%5"), 0);
    CHECK_STR(buf, "");
}

TEST(many_arguments)
{
    CHECK_FMT("1 2 3 4 5 6 7 8 9 a b c",
              "%d %d %d %d %d %d %d %d %d %x %lx %s", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10u, 11UL, "c");
    CHECK_FMT("sigma0 [f00000, f01004) entry f01000",
              "%s [%lx, %lx) entry %lx", "sigma0", 0xF00000UL, 0xF01004UL, 0xF01000UL);
}

TEST(truncation)
{
    size_t n;
    char *b;

    b = fmt_n(0, &n, "hello %s", "world"); /* size 0: nothing written */
    CHECK_EQ(n, 11);
    CHECK_EQ(b[0], '#');
    free(b);

    b = fmt_n(1, &n, "hello %s", "world");
    CHECK_EQ(n, 11);
    CHECK_STR(b, "");
    free(b);

    b = fmt_n(5, &n, "hello %s", "world");
    CHECK_EQ(n, 11);
    CHECK_STR(b, "hell");
    free(b);

    b = fmt_n(11, &n, "hello %s", "world"); /* one short: last char dropped */
    CHECK_EQ(n, 11);
    CHECK_STR(b, "hello worl");
    free(b);

    b = fmt_n(12, &n, "hello %s", "world"); /* exact fit */
    CHECK_EQ(n, 11);
    CHECK_STR(b, "hello world");
    free(b);

    b = fmt_n(4, &n, "%08x", 0xABCDu); /* truncation inside padding */
    CHECK_EQ(n, 8);
    CHECK_STR(b, "000");
    free(b);

    b = fmt_n(3, &n, "%-6s|", "ab");
    CHECK_EQ(n, 7);
    CHECK_STR(b, "ab");
    free(b);
}

TEST(format_buf_variadic)
{
    char small[6];
    CHECK_EQ(format_buf(small, sizeof(small), "%d-%d", 1234, 5678), 9);
    CHECK_STR(small, "1234-");
}

struct count_sink {
    size_t calls;
    char text[64];
};

static void counting_sink(char c, void *ctx)
{
    struct count_sink *s = ctx;
    if (s->calls + 1 < sizeof(s->text)) {
        s->text[s->calls] = c;
        s->text[s->calls + 1] = '\0';
    }
    s->calls++;
}

static size_t format_to(struct count_sink *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t n = format(counting_sink, s, fmt, ap);
    va_end(ap);
    return n;
}

TEST(sink_sees_every_character)
{
    struct count_sink s = { 0, "" };
    size_t n = format_to(&s, "[%-4d|%#06x|%3s|%c|%%]", 7, 0xAu, "z", 'q');
    CHECK_STR(s.text, "[7   |0x000a|  z|q|%]");
    CHECK_EQ(n, s.calls);
    CHECK_EQ(n, 21);
}
