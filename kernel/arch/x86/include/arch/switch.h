/* SPDX-License-Identifier: BSD-2-Clause */
/* The thread switch itself, inline for the IPC fast path (arch/thread.h
 * has the out-of-line entry points the scheduler uses).
 *
 * A switch changes everything the CPU uses for the next thread except its
 * kernel stack: the frame SYSCALL entry writes and the TSS stack for
 * interrupts, the address space with its I/O-permission bitmap, the UTCB
 * pointer word user code reads through %gs:0, and the lazy-FPU trap.
 */
#pragma once

#include <kernel/tcb.h>
#include <kernel/space.h>
#include <arch/cpu.h>
#include <arch/cpulocal.h>
#include <arch/gdt.h>
#include <arch/fpu.h>
#include <arch/io.h>

/* Entering another address space: its page tables, and this CPU's user
 * %gs base back into the MSR SWAPGS takes it from.  A thread may have
 * reloaded %gs and lost the base; restoring it when the space changes
 * keeps one space from breaking another's %gs:0 (threads of a space may
 * break each other anyway). */
static inline void switch_space(const struct space *s)
{
    write_cr3(s->pgt.root);
    __asm__ volatile("mov %%gs:%c0, %%eax\n\t"
                     "mov %%gs:%c1, %%edx\n\t"
                     "wrmsr"
                     : : "i"(CPU_USER_GS), "i"(CPU_USER_GS + 4), "c"(MSR_KERNEL_GS_BASE)
                     : "rax", "rdx");
}

/* CR0.TS changes only if one of the two threads owns the FPU registers:
 * from the owner it is set, to the owner cleared. */
static inline void fpu_switch(const tcb_t *prev, const tcb_t *next)
{
    if (unlikely(next->fpu_live)) {
        clts();
    } else if (unlikely(prev->fpu_live)) {
        write_cr0(fpu_cr0_ts);
    }
}

static inline void arch_switch_context(tcb_t *prev, tcb_t *next)
{
    tss_set_kernel_stack(tcb_stack_top(next));
    struct space *s = next->space;
    if (s) {
        if (s != prev->space) {
            switch_space(s);
            io_switch(s);
        }
        cpu_set_user_utcb(tcb_local_id(next));
    }
    fpu_switch(prev, next);
}

/* The IPC fast path's last check before it commits to a switch into
 * next's (different) address space: can next's ports be installed without
 * copying a bitmap?  If so they are installed now. */
static inline bool arch_fast_switch_begin(const tcb_t *next)
{
    return io_switch_cheap(next->space);
}

/* The IPC fast path's switch between two user threads (across spaces
 * after arch_fast_switch_begin).  prev blocked in its Ipc and will finish it
 * through c_ipc_resume (thread.c) if the general path resumes it. */
static inline void arch_fast_switch(tcb_t *prev, tcb_t *next, bool same_space)
{
    prev->kstack_sp = 0;
    tss_set_kernel_stack(tcb_stack_top(next));
    if (!same_space) {
        switch_space(next->space);
    }
    cpu_set_user_utcb(tcb_local_id(next));
    fpu_switch(prev, next);
}
