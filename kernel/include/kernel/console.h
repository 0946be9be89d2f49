/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel console: formatted output to the platform's debug console. */
#pragma once

#include <kernel/types.h>
#include <stdarg.h>

/* Print formatted text on the kernel console (%s %c %d %u %x %lx %p %%). */
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);

/* Stop the kernel with a message; the machine exits with the failure code. */
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define assert(cond) \
    do { if (unlikely(!(cond))) panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__); } while (0)
