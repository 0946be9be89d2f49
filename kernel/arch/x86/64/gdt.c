/* SPDX-License-Identifier: BSD-2-Clause */
/* Global descriptor table and task-state segment of x86-64.
 *
 * Long mode ignores most segment fields; the GDT exists for the code and
 * stack selectors SYSCALL/SYSRET and IRETQ load, and for the TSS, whose RSP0
 * is the kernel stack the CPU switches to on an interrupt from user mode.
 */
#include <arch/gdt.h>
#include <arch/segments.h>
#include <kernel/string.h>

_Static_assert(sizeof(tss_t) == 104, "tss size");
_Static_assert(offsetof(tss_t, rsp) == 4, "tss rsp0 offset");

static uint64_t gdt[GDT_ENTRIES] ALIGNED(16);
/* Its RSP0 is written on every thread switch (arch/gdt.h). */
tss_t tss ALIGNED(16);

void gdt_init(void)
{
    gdt[SEL_KCODE >> 3] = 0x00AF9A000000FFFFULL;   /* 64-bit code, DPL 0 */
    gdt[SEL_KDATA >> 3] = 0x00CF92000000FFFFULL;   /* data, DPL 0 */
    gdt[SEL_UCODE32 >> 3] = 0x00CFFA000000FFFFULL; /* 32-bit code, DPL 3 (SYSRET layout) */
    gdt[SEL_UDATA >> 3] = 0x00CFF2000000FFFFULL;   /* data, DPL 3 */
    gdt[SEL_UCODE >> 3] = 0x00AFFA000000FFFFULL;   /* 64-bit code, DPL 3 */

    memset(&tss, 0, sizeof(tss));
    tss.iomap_base = sizeof(tss);                   /* no I/O bitmap: IOPL decides */
    uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
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

