/* SPDX-License-Identifier: BSD-2-Clause */
/* Device interrupts as seen by the generic kernel. */
#pragma once

/* Create the interrupt threads (after the platform's interrupt set-up). */
void irq_init(void);
/* Interrupt line fired (the controller has masked it). */
void irq_raise(unsigned line);

struct tcb;
/* Associate interrupt thread irq with handler, or detach it when handler ==
 * irq (X.2 §3.3, interrupt threads).  Returns 0 or an error code. */
int irq_control(struct tcb *self, unsigned long irq, unsigned long handler);
/* Ipc to an interrupt thread: the handler acknowledges the interrupt.
 * Returns 0, or non-zero if self is not the interrupt's handler. */
unsigned long irq_acknowledge(struct tcb *self, unsigned long irq);
/* Schedule's view of an interrupt thread: 0 if not associated. */
unsigned long irq_state(unsigned long irq);
