/* SPDX-License-Identifier: BSD-2-Clause */
/* Global descriptor table and task-state segment of x86-64.
 *
 * Long mode ignores most segment fields; the GDT exists for the code and
 * stack selectors SYSCALL/SYSRET and IRETQ load, and for the TSS, whose RSP0
 * is the kernel stack the CPU switches to on an interrupt from user mode.
 * The TSS is followed by the 8 KiB I/O-permission bitmap and the byte of
 * ones the CPU needs after it; io_bitmap.c fills the bitmap and switches it
 * on (I/O map base inside the segment) or off (base beyond the limit).
 */
#include <arch/gdt.h>
#include <arch/segments.h>
#include <arch/space.h>
#include <kernel/string.h>

_Static_assert(sizeof(tss_t) == 104, "tss size");
_Static_assert(offsetof(tss_t, rsp) == TSS_RSP0, "tss rsp0 offset");
_Static_assert(offsetof(tss_t, iomap_base) == 102, "tss I/O map base offset");

/* Its RSP0 is written on every thread switch (arch/gdt.h). */
tss_segment_t tss_seg ALIGNED(16);

_Static_assert(offsetof(tss_segment_t, iomap) == sizeof(tss_t), "bitmap after the TSS");


static uint64_t gdt[GDT_ENTRIES] ALIGNED(16);
uint8_t *const tss_iomap = tss_seg.iomap;

void gdt_init(void)
{
    gdt[SEL_KCODE >> 3] = 0x00AF9A000000FFFFULL;   /* 64-bit code, DPL 0 */
    gdt[SEL_KDATA >> 3] = 0x00CF92000000FFFFULL;   /* data, DPL 0 */
    gdt[SEL_UCODE32 >> 3] = 0x00CFFA000000FFFFULL; /* 32-bit code, DPL 3 (SYSRET layout) */
    gdt[SEL_UDATA >> 3] = 0x00CFF2000000FFFFULL;   /* data, DPL 3 */
    gdt[SEL_UCODE >> 3] = 0x00AFFA000000FFFFULL;   /* 64-bit code, DPL 3 */

    memset(&tss_seg.tss, 0, sizeof(tss_seg.tss));
    memset(tss_seg.iomap, 0xFF, sizeof(tss_seg.iomap));
    tss_seg.iomap_end = 0xFF;
    tss_seg.tss.iomap_base = TSS_IOMAP_OFF;            /* off: every port faults at IOPL 0 */
    uint64_t base = (uint64_t)&tss_seg, limit = sizeof(tss_seg) - 1;
    gdt[SEL_TSS >> 3] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ULL << 40) |
                        (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
    gdt[(SEL_TSS >> 3) + 1] = base >> 32;

    struct PACKED {
        uint16_t limit;
        uint64_t base;
    } ptr = { sizeof(gdt) - 1, (uint64_t)gdt };
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w2, %%ds\n\t"
                     "movw %w2, %%es\n\t"
                     "movw %w2, %%ss\n\t"
                     "ltr %w3"
                     :
                     : "m"(ptr), "i"(SEL_KCODE), "r"(SEL_KDATA), "r"(SEL_TSS)
                     : "rax", "memory");
}

