/* SPDX-License-Identifier: BSD-2-Clause */
/* printk and panic on top of the platform console. */
#include <kernel/console.h>
#include <kernel/format.h>
#include <plat/platform.h>
#include <arch/cpu.h>

static void console_sink(char c, void *ctx)
{
    (void)ctx;
    plat_putc(c);
}

void vprintk(const char *fmt, va_list ap)
{
    format(console_sink, NULL, fmt, ap);
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}

/* Exit status of a kernel panic (see docs/testing.md). */
#define POWEROFF_PANIC 0x7F

void panic(const char *fmt, ...)
{
    irq_disable();
    printk("\nPECAN PANIC: ");
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    plat_poweroff(POWEROFF_PANIC);
}
