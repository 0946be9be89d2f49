/* SPDX-License-Identifier: BSD-2-Clause */
/* printf for user programs: the kernel's formatter feeding a line buffer
 * that is flushed with one L4_KDB_PrintString per line. */
#include <pecan/io.h>
#include <kernel/format.h>
#include <l4/kdebug.h>

#define LINE_MAX 160

static char line[LINE_MAX + 1];
static unsigned fill;

static void flush(void)
{
    line[fill] = '\0';
    L4_KDB_PrintString(line);
    fill = 0;
}

static void sink(char c, void *ctx)
{
    (void)ctx;
    line[fill++] = c;
    if (c == '\n' || fill == LINE_MAX) {
        flush();
    }
}

int vprintf(const char *fmt, va_list ap)
{
    int n = (int)format(sink, 0, fmt, ap);
    if (fill) {
        flush();
    }
    return n;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

int snprintf(char *buf, unsigned long size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = (int)format_vbuf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int putchar(int c)
{
    char s[2] = { (char)c, 0 };
    L4_KDB_PrintString(s);
    return c;
}

int puts(const char *s)
{
    return printf("%s\n", s);
}
