/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 thread glue: initial kernel stacks and the context switch.
 *
 * A switched-out thread's kernel stack holds the six callee-saved registers
 * and a return address (arch_switch_stack in entry.S).  A new thread gets a
 * fabricated copy of that layout whose return address is
 * arch_thread_trampoline, which calls the thread's first kernel function and
 * then leaves for user mode through the frame at the top of the stack.
 */
#include <arch/thread.h>
#include <arch/cpu.h>
#include <arch/cpulocal.h>
#include <arch/gdt.h>
#include <arch/fpu.h>
#include <arch/segments.h>
#include <arch/pgtable.h>
#include <arch/io.h>
#include <kernel/tcb.h>
#include <kernel/space.h>
#include <mode/layout.h>

extern void arch_switch_stack(word_t *save_sp, word_t next_sp);
extern void arch_thread_trampoline(void);
extern void arch_syscall_continuation(void);
extern NORETURN void arch_load_stack(word_t sp);
void c_ipc_resume(frame_t *f);
extern word_t utcbptr_page[];

/* Publish the UTCB pointer of the thread about to run on this CPU: the
 * word %gs:0 reads in user mode (one 64-byte line per CPU). */
static inline void set_utcb_pointer(const cpu_local_t *cpu, word_t p)
{
    utcbptr_page[cpu->id * 8] = p;
}

bool arch_user_iopl3;

struct switch_frame {
    word_t r15, r14, r13, r12, rbx, rbp, ret;
};

void arch_thread_init(tcb_t *t, void (*fn)(frame_t *))
{
    frame_t *f = tcb_frame(t);
    struct switch_frame *sf = (struct switch_frame *)f - 1;
    *sf = (struct switch_frame){ .r12 = (word_t)fn, .r13 = (word_t)f,
                                 .ret = (word_t)arch_thread_trampoline };
    t->kstack_sp = (word_t)sf;
}

/* Canonical user address: below the end of the lower half. */
static word_t user_canonical(word_t v)
{
    return v < USER_AREA_END ? v : 0;
}

void arch_user_frame_init(tcb_t *t, word_t ip, word_t sp)
{
    frame_t *f = tcb_frame(t);
    f->cs = SEL_UCODE;
    f->ss = SEL_UDATA;
    f->rflags = USER_RFLAGS_INIT | (arch_user_iopl3 ? RFLAGS_IOPL3 : 0);
    f->rip = user_canonical(ip);
    f->rsp = user_canonical(sp);
}

void arch_set_user_ip(tcb_t *t, word_t ip)
{
    tcb_frame(t)->rip = user_canonical(ip);
}

void arch_set_user_sp(tcb_t *t, word_t sp)
{
    tcb_frame(t)->rsp = user_canonical(sp);
}

word_t arch_user_flags(tcb_t *t)
{
    return tcb_frame(t)->rflags;
}

void arch_set_user_flags(tcb_t *t, word_t flags)
{
    frame_t *f = tcb_frame(t);
    f->rflags = (f->rflags & ~RFLAGS_ARITH) | (flags & RFLAGS_ARITH);
}

/* prev's system call will be finished by c_ipc_resume when it runs again. */
static inline void set_ipc_continuation(tcb_t *prev)
{
    frame_t *f = tcb_frame(prev);
    struct switch_frame *sf = (struct switch_frame *)f - 1;
    sf->r12 = (word_t)c_ipc_resume;
    sf->r13 = (word_t)f;
    sf->ret = (word_t)arch_syscall_continuation;
    prev->kstack_sp = (word_t)sf;
}

/* Everything of a switch but the kernel stack itself. */
static inline void switch_context(tcb_t *prev, tcb_t *next)
{
    cpu_local_t *cpu = cpu_local();
    cpu->kstack_top = tcb_stack_top(next);
    tss_set_kernel_stack(tcb_stack_top(next));
    if (next->space) {
        if (!prev->space || prev->space->pgt.root != next->space->pgt.root) {
            write_cr3(next->space->pgt.root);
        }
        io_switch(next->space);
        set_utcb_pointer(cpu, tcb_local_id(next));
        /* A thread may have reloaded %gs and lost the base: restore it. */
        wrmsr(MSR_KERNEL_GS_BASE, USER_UTCBPTR_VA + cpu->id * 64);
    }
    fpu_switch(next);
}

void arch_switch(tcb_t *prev, tcb_t *next)
{
    switch_context(prev, next);
    arch_switch_stack(&prev->kstack_sp, next->kstack_sp);
}

void arch_switch_discard(tcb_t *prev, tcb_t *next)
{
    set_ipc_continuation(prev);
    switch_context(prev, next);
    arch_load_stack(next->kstack_sp);
}

void arch_fast_switch(tcb_t *prev, tcb_t *next)
{
    set_ipc_continuation(prev);
    switch_context(prev, next);
}

void arch_idle(void)
{
    cpu_idle();
}
