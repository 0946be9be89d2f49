/* SPDX-License-Identifier: BSD-2-Clause */
/* Lazy x87/SSE state switching.
 *
 * Each CPU remembers which thread's state is in the registers; switching to
 * another thread sets CR0.TS, and the first FPU/SSE instruction then traps
 * (#NM) and swaps the state.
 */
#pragma once

#include <kernel/types.h>

struct tcb;

#define FPU_STATE_SIZE 512

typedef struct {
    uint8_t area[FPU_STATE_SIZE];
} ALIGNED(16) fpu_state_t;

void fpu_init(void);
/* Called on every thread switch. */
void fpu_switch(struct tcb *next);
/* #NM from user mode: load the current thread's state. */
void fpu_trap(struct tcb *current);
/* A dying thread gives up the registers. */
void fpu_release(struct tcb *t);
