/* SPDX-License-Identifier: BSD-2-Clause */
/* x86 segment selectors.
 *
 * The order is dictated by SYSCALL/SYSRET: STAR[47:32] = kernel CS (SS = +8),
 * STAR[63:48] = base from which SYSRET derives user SS (+8) and CS (+16).
 */
#pragma once

#define SEL_KCODE   0x08
#define SEL_KDATA   0x10
#define SEL_UCODE32 0x1B
#define SEL_UDATA   0x23
#define SEL_UCODE   0x2B
#define SEL_TSS     0x30
#define GDT_ENTRIES 8

/* Initial RFLAGS of user threads: IF and the reserved bit 1 (IOPL 0). */
#define USER_RFLAGS_INIT 0x202UL
#define RFLAGS_IOPL3     0x3000UL
#define RFLAGS_IF        0x200UL
#define RFLAGS_ARITH     0x8D5UL   /* CF PF AF ZF SF OF: changeable by ExchangeRegisters */
