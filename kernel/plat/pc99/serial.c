/* SPDX-License-Identifier: BSD-2-Clause */
/* 16550 UART driver for the kernel console (COM1, 115200 8N1, polled).
 *
 * User programs built for Pistachio program the same UART themselves, so the
 * driver never assumes its register settings survive: it only polls LSR.
 */
#include <plat/serial.h>
#include <arch/cpu.h>

#define COM1 0x3F8
#define THR  0
#define RBR  0
#define IER  1
#define LCR  3
#define MCR  4
#define LSR  5
#define LSR_DATA  0x01
#define LSR_THRE  0x20

void serial_init(void)
{
    outb(COM1 + IER, 0x00);
    outb(COM1 + LCR, 0x80);          /* divisor latch */
    outb(COM1 + 0, 1);               /* 115200 baud */
    outb(COM1 + 1, 0);
    outb(COM1 + LCR, 0x03);          /* 8N1 */
    /* FCR is left alone: changing the FIFO mode drops input that arrived
     * before boot (e.g. typed ahead by a test harness). */
    outb(COM1 + MCR, 0x03);
}

void serial_putc(char c)
{
    if (c == '\n') {
        serial_putc('\r');
    }
    while (!(inb(COM1 + LSR) & LSR_THRE)) {
        cpu_relax();
    }
    outb(COM1 + THR, (uint8_t)c);
}

int serial_getc(void)
{
    if (!(inb(COM1 + LSR) & LSR_DATA)) {
        return -1;
    }
    return inb(COM1 + RBR);
}
