/* SPDX-License-Identifier: BSD-2-Clause */
/* PC machine services: console, power-off, legacy PIC, PIT delays.
 *
 * Power-off writes QEMU's isa-debug-exit port (0xF4), which ends QEMU with
 * status (code << 1) | 1; on real hardware the CPU just halts.
 */
#include <plat/platform.h>
#include <plat/serial.h>
#include <arch/cpu.h>

#define DEBUG_EXIT_PORT 0xF4
#define PIT_HZ          1193182u

void plat_console_init(void)
{
    serial_init();
}

void plat_putc(char c)
{
    serial_putc(c);
}

int plat_getc(void)
{
    return serial_getc();
}

void plat_poweroff(unsigned code)
{
    irq_disable();
    outl(DEBUG_EXIT_PORT, code);
    for (;;) {
        cpu_halt();
    }
}

void plat_pic_disable(void)
{
    outb(0x21, 0xFF);
    outb(0xA1, 0xFF);
}

/* PIT channel 2 in one-shot mode, gated through port 0x61; OUT2 (bit 5)
 * rises when the count reaches zero. */
void plat_pit_wait_us(unsigned us)
{
    uint32_t count = (uint32_t)(((uint64_t)PIT_HZ * us) / 1000000u);
    if (count > 0xFFFF) {
        count = 0xFFFF;
    }
    uint8_t gate = inb(0x61);
    outb(0x61, (uint8_t)((gate & ~0x02) | 0x01));
    outb(0x43, 0xB0);                 /* channel 2, lo/hi, mode 0 */
    outb(0x42, count & 0xFF);
    outb(0x42, (uint8_t)(count >> 8));
    outb(0x61, (uint8_t)(inb(0x61) & ~0x01));
    outb(0x61, (uint8_t)(inb(0x61) | 0x01));
    while (!(inb(0x61) & 0x20)) {
        cpu_relax();
    }
    outb(0x61, gate);
}
