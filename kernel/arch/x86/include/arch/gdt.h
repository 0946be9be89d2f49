/* SPDX-License-Identifier: BSD-2-Clause */
/* GDT/TSS set-up and the kernel stack used for interrupts from user mode. */
#pragma once

#include <kernel/types.h>

typedef struct PACKED {
    uint32_t reserved0;
    uint64_t rsp[3];        /* RSP0: not naturally aligned */
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} tss_t;

extern tss_t tss;

void gdt_init(void);

/* The kernel stack the CPU loads on an interrupt from user mode. */
static inline void tss_set_kernel_stack(word_t top)
{
    tss.rsp[0] = top;
}
