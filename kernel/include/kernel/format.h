/* SPDX-License-Identifier: BSD-2-Clause */
/* Formatting engine behind printk: arch-neutral, also built on the host. */
#pragma once

#include <kernel/types.h>
#include <stdarg.h>

/* Sink that receives each formatted character. */
typedef void (*format_sink_t)(char c, void *ctx);

/* Format fmt with ap into sink; returns the number of characters emitted. */
size_t format(format_sink_t sink, void *ctx, const char *fmt, va_list ap);

/* vsnprintf-style helper: always NUL-terminates when size > 0. */
size_t format_vbuf(char *buf, size_t size, const char *fmt, va_list ap);

/* snprintf-style helper: always NUL-terminates when size > 0. */
size_t format_buf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
