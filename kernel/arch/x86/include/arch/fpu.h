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
extern bool fpu_ts_set;             /* CR0.TS as last written */

void fpu_init(void);
/* Write CR0.TS (only when it must change). */
static inline void fpu_set_ts(bool set)
{
    if (set) {
        write_cr0(read_cr0() | CR0_TS);
    } else {
        clts();
    }
    fpu_ts_set = set;
}

/* Called on every thread switch.  CR0 is only written when TS must change:
 * most switches (threads that never touched the FPU) leave it alone. */
static inline void fpu_switch(struct tcb *next)
{
    bool want = next != fpu_owner;
    if (want != fpu_ts_set) {
        fpu_set_ts(want);
    }
}
/* #NM from user mode: load the current thread's state. */
void fpu_trap(struct tcb *current);
/* A dying thread gives up the registers. */
void fpu_release(struct tcb *t);
