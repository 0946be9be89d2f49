/* SPDX-License-Identifier: BSD-2-Clause */
/* Lazy FPU/SSE context switching (see arch/fpu.h). */
#include <arch/fpu.h>
#include <arch/cpu.h>
#include <kernel/tcb.h>

struct tcb *fpu_owner;              /* per CPU once SMP arrives */
bool fpu_ts_set;                    /* CR0.TS as last written */
static fpu_state_t fpu_reset_state;

void fpu_init(void)
{
    clts();
    __asm__ volatile("fninit");
    uint32_t mxcsr = 0x1F80;        /* all SIMD exceptions masked */
    __asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
    __asm__ volatile("fxsave %0" : "=m"(fpu_reset_state));
    write_cr0(read_cr0() | CR0_TS);
    fpu_ts_set = true;
}


void fpu_trap(struct tcb *current)
{
    clts();
    fpu_ts_set = false;
    if (fpu_owner == current) {
        return;
    }
    if (fpu_owner) {
        __asm__ volatile("fxsave %0" : "=m"(fpu_owner->fpu_state));
        fpu_owner->fpu_live = false;
    }
    const fpu_state_t *src = current->fpu_used ? &current->fpu_state : &fpu_reset_state;
    __asm__ volatile("fxrstor %0" ::"m"(*src));
    current->fpu_used = true;
    current->fpu_live = true;
    fpu_owner = current;
}

void fpu_release(struct tcb *t)
{
    if (fpu_owner == t) {
        t->fpu_live = false;
        fpu_owner = NULL;
    }
}
