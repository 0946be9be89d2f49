/* SPDX-License-Identifier: BSD-2-Clause */
/* 16550 UART on COM1: the kernel console. */
#pragma once

#include <kernel/types.h>

void serial_init(void);
void serial_putc(char c);
/* Returns the next received byte, or -1 if none is waiting. */
int serial_getc(void);
