/* SPDX-License-Identifier: BSD-2-Clause */
/* IDT set-up and the vector numbers Pecan assigns. */
#pragma once

#define VEC_DE   0
#define VEC_DB   1
#define VEC_NMI  2
#define VEC_BP   3
#define VEC_UD   6
#define VEC_NM   7
#define VEC_DF   8
#define VEC_GP   13
#define VEC_PF   14
#define VEC_MF   16
#define VEC_XM   19

#define VEC_IRQ_BASE   0x20    /* IO-APIC lines 0..23 */
#define VEC_TIMER      0xF0    /* local APIC timer */
#define VEC_SPURIOUS   0xFF

void idt_init(void);
