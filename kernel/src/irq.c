/* SPDX-License-Identifier: BSD-2-Clause */
/* Device interrupts.  Delivery as IPC arrives with the IPC issue; until then
 * an unexpected interrupt is reported once and ignored. */
#include <kernel/irq.h>
#include <kernel/console.h>

void irq_raise(unsigned line)
{
    printk("pecan: unexpected interrupt on line %u\n", line);
}

int irq_control(struct tcb *self, unsigned long irq, unsigned long handler)
{
    (void)self;
    (void)irq;
    (void)handler;
    return 2;   /* InvalidThread until interrupt delivery exists */
}

unsigned long irq_acknowledge(struct tcb *self, unsigned long irq)
{
    (void)self;
    (void)irq;
    return 1;
}
