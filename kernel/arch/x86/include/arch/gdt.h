/* SPDX-License-Identifier: BSD-2-Clause */
/* GDT/TSS set-up and the kernel stack used for interrupts from user mode. */
#pragma once

#include <kernel/types.h>

void gdt_init(void);
void tss_set_kernel_stack(word_t top);
