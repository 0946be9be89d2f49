/* SPDX-License-Identifier: BSD-2-Clause */
/* IO-APIC: routes device interrupt lines to local-APIC vectors.
 *
 * Pin n raises vector VEC_IRQ_BASE + n on CPU 0.  ISA lines (0..15) are
 * edge-triggered and active high, with ISA IRQ 0 on pin 2 as on every PC
 * chipset QEMU models; pins 16..23 (PCI) are level-triggered, active low.
 * Every pin starts masked; a line is unmasked when a user thread is
 * associated with it and after each acknowledged delivery.
 */
#include <plat/irq.h>
#include <arch/idt.h>
#include <arch/pgtable.h>
#include <kernel/console.h>
#include <mode/layout.h>

#define IOAPIC_PHYS   0xFEC00000UL
#define IOREGSEL      0x00
#define IOWIN         0x10
#define REG_VER       0x01
#define REG_REDIR(n)  (0x10 + 2 * (n))
#define RED_MASKED    BIT(16)
#define RED_LEVEL     BIT(15)
#define RED_LOW       BIT(13)
#define MAX_PINS      24

static volatile uint32_t *ioapic;
static unsigned pins;

static uint32_t read_reg(unsigned reg)
{
    ioapic[IOREGSEL / 4] = reg;
    return ioapic[IOWIN / 4];
}

static void write_reg(unsigned reg, uint32_t v)
{
    ioapic[IOREGSEL / 4] = reg;
    ioapic[IOWIN / 4] = v;
}

static uint32_t redirection(unsigned pin)
{
    uint32_t v = VEC_IRQ_BASE + pin;
    if (pin >= 16) {
        v |= RED_LEVEL | RED_LOW;
    }
    return v;
}

void plat_irq_init(void)
{
    pgt_kernel_uncached(IOAPIC_PHYS);
    ioapic = phys_to_virt(IOAPIC_PHYS);
    pins = ((read_reg(REG_VER) >> 16) & 0xFF) + 1;
    if (pins > MAX_PINS) {
        pins = MAX_PINS;
    }
    for (unsigned i = 0; i < pins; i++) {
        write_reg(REG_REDIR(i) + 1, 0);                 /* destination: APIC 0 */
        write_reg(REG_REDIR(i), redirection(i) | RED_MASKED);
    }
    printk("ioapic: %u interrupt lines\n", pins);
}

unsigned plat_irq_lines(void)
{
    return pins;
}

bool plat_irq_available(unsigned line)
{
    return line < pins && line != 0;    /* pin 0: the 8259 cascade (ExtINT) */
}

void plat_irq_mask(unsigned line)
{
    write_reg(REG_REDIR(line), redirection(line) | RED_MASKED);
}

void plat_irq_unmask(unsigned line)
{
    write_reg(REG_REDIR(line), redirection(line));
}
