/* SPDX-License-Identifier: BSD-2-Clause */
/* Device interrupts as seen by the generic kernel. */
#pragma once

/* Interrupt line fired (the controller has masked it). */
void irq_raise(unsigned line);
