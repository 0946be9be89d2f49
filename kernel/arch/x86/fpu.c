/* SPDX-License-Identifier: BSD-2-Clause */
/* Lazy FPU/SSE context switching (see arch/fpu.h). */
#include <arch/fpu.h>
#include <arch/cpu.h>
#include <kernel/tcb.h>

struct tcb *fpu_owner;              /* per CPU once SMP arrives */
word_t fpu_cr0_ts;                  /* CR0 with TS set */
static fpu_state_t fpu_reset_state;

void fpu_init(void)
{
    clts();
    __asm__ volatile("fninit");
    uint32_t mxcsr = 0x1F80;        /* all SIMD exceptions masked */
    __asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
    __asm__ volatile("fxsave %0" : "=m"(fpu_reset_state));
    fpu_cr0_ts = read_cr0() | CR0_TS;
    write_cr0(fpu_cr0_ts);
}


void fpu_trap(struct tcb *current)
{
    clts();
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
