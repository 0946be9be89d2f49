/* SPDX-License-Identifier: BSD-2-Clause */
/* User faults: page faults and CPU exceptions raised by user threads. */
#pragma once

#include <kernel/tcb.h>
#include <kernel/fpage.h>

/* Page fault of t at addr (instruction ip) with X.2 access bits rwx. */
void fault_page(tcb_t *t, word_t addr, word_t ip, unsigned access);
/* An arch-defined page fault (x86: IO page fault, label -8 << 4 | rwx):
 * the Call to t's pager with MR1 = f, MR2 = ip and receive window `window`;
 * without a pager t is reported and halted. */
void fault_arch_page(tcb_t *t, word_t label, fpage_t f, word_t ip, fpage_t window);
/* CPU exception (arch vector number and error code) raised by t. */
void fault_exception(tcb_t *t, word_t vector, word_t error);
/* A page fault of t during a string transfer at addr (tunnel: on the
 * receiving side, reported with IP ~0), bounded by deadline (0 = none).
 * Returns 0 when the pager replied, IPC_TIMEOUT or another IPC error. */
word_t fault_in_transfer(tcb_t *t, word_t addr, unsigned access, bool tunnel, uint64_t deadline);
/* X.2 preemption protocol: t used up its total quantum; it sends its
 * scheduler the preemption message (label -3 << 4, MR1/MR2 the clock) and
 * waits for the reply.  Called on t's way back to user mode. */
void fault_preemption(tcb_t *t);
