/* SPDX-License-Identifier: BSD-2-Clause */
/* GDT/TSS set-up and the kernel stack used for interrupts from user mode. */
#pragma once

#define TSS_RSP0 4          /* offset of RSP0 in the TSS (entry.S) */

#ifndef __ASSEMBLER__
#include <kernel/types.h>
#include <arch/space.h>

typedef struct PACKED {
    uint32_t reserved0;
    uint64_t rsp[3];        /* RSP0: not naturally aligned */
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} tss_t;

/* The TSS, then the I/O-permission bitmap and the byte of ones after it. */
typedef struct PACKED {
    tss_t tss;
    uint8_t iomap[IO_MAP_BYTES];
    uint8_t iomap_end;          /* all ones: an access may read one byte past */
} tss_segment_t;

extern tss_segment_t tss_seg;

void gdt_init(void);

/* The TSS's I/O-permission bitmap (IO_MAP_BYTES, 1 = no access). */
extern uint8_t *const tss_iomap;
#define TSS_IOMAP_ON   ((uint16_t)sizeof(tss_t))  /* base inside the segment */
#define TSS_IOMAP_OFF  ((uint16_t)0xFFFF)         /* beyond the limit: no bitmap */

/* Let the CPU use the bitmap (on) or deny every port at IOPL 0 (off). */
static inline void tss_iomap_enable(bool on)
{
    tss_seg.tss.iomap_base = on ? TSS_IOMAP_ON : TSS_IOMAP_OFF;
}

/* The kernel stack the CPU loads on an interrupt from user mode. */
static inline void tss_set_kernel_stack(word_t top)
{
    tss_seg.tss.rsp[0] = top;
}
#endif
