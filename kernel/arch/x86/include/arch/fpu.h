/* SPDX-License-Identifier: BSD-2-Clause */
/* Lazy x87/SSE state switching.
 *
 * Each CPU remembers which thread's state is in the registers; switching to
 * another thread sets CR0.TS, and the first FPU/SSE instruction then traps
 * (#NM) and swaps the state.
 */
#pragma once

#include <kernel/types.h>
#include <arch/cpu.h>

struct tcb;

#define FPU_STATE_SIZE 512

typedef struct {
    uint8_t area[FPU_STATE_SIZE];
} ALIGNED(16) fpu_state_t;

extern struct tcb *fpu_owner;       /* whose state the registers hold */
extern word_t fpu_cr0_ts;           /* CR0 with TS set (nothing else changes CR0) */

void fpu_init(void);

/* CR0.TS is set exactly while the running thread does not own the FPU
 * registers (tcb->fpu_live); arch/switch.h keeps it so. */

/* #NM from user mode: load the current thread's state. */
void fpu_trap(struct tcb *current);
/* A dying thread gives up the registers. */
void fpu_release(struct tcb *t);
