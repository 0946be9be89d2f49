/* SPDX-License-Identifier: BSD-2-Clause */
/* Console output for Pecan's own user programs (through the kernel debugger
 * interface, so no I/O-port rights are needed). */
#pragma once

#include <stdarg.h>

/* printf subset of the kernel formatter: %s %c %d %u %x %lx %p with flags. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, unsigned long size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int putchar(int c);
int puts(const char *s);
