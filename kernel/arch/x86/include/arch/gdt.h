/* SPDX-License-Identifier: BSD-2-Clause */
/* GDT/TSS set-up and the kernel stack used for interrupts from user mode. */
#pragma once

#include <kernel/types.h>

void gdt_init(void);
/* RSP0 of the TSS: not naturally aligned (the TSS layout puts it at 4). */
extern void *const tss_rsp0;

/* The kernel stack the CPU loads on an interrupt from user mode. */
/* The TSS's I/O-permission bitmap (IO_MAP_BYTES, 1 = no access). */
extern uint8_t *const tss_iomap;
/* Let the CPU use the bitmap (on) or deny every port at IOPL 0 (off). */
void tss_iomap_enable(bool on);

static inline void tss_set_kernel_stack(word_t top)
{
    __builtin_memcpy(tss_rsp0, &top, sizeof(top));
}
