/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt descriptor table of x86-64.
 *
 * All 256 vectors point at the stubs in entry.S.  Only #BP (int3, the
 * kernel-debugger interface) may be raised from user mode with an INT
 * instruction; every other software INT from user mode becomes a #GP.
 */
#include <arch/idt.h>
#include <arch/segments.h>
#include <kernel/types.h>

typedef struct PACKED {
    uint16_t off_lo;
    uint16_t sel;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t reserved;
} idt_gate_t;

extern const char trap_vectors[];
#define TRAP_STUB_SIZE 16
static idt_gate_t idt[256] ALIGNED(16);

static void set_gate(unsigned vec, uint64_t handler, unsigned dpl)
{
    idt[vec] = (idt_gate_t){
        .off_lo = handler & 0xFFFF,
        .sel = SEL_KCODE,
        .ist = 0,
        .type = (uint8_t)(0x8E | (dpl << 5)),   /* present, interrupt gate */
        .off_mid = (handler >> 16) & 0xFFFF,
        .off_hi = (uint32_t)(handler >> 32),
    };
}

void idt_init(void)
{
    for (unsigned v = 0; v < 256; v++) {
        set_gate(v, (uint64_t)&trap_vectors[v * TRAP_STUB_SIZE], v == 3 ? 3 : 0);
    }
    struct PACKED {
        uint16_t limit;
        uint64_t base;
    } ptr = { sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" ::"m"(ptr));
}
