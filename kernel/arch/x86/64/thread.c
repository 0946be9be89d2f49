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
#include <arch/switch.h>
#include <arch/cpu.h>
#include <arch/cpulocal.h>
#include <arch/gdt.h>
#include <arch/fpu.h>
#include <arch/segments.h>
#include <arch/pgtable.h>
#include <kernel/tcb.h>
#include <kernel/console.h>
#include <kernel/space.h>
#include <mode/layout.h>

extern void arch_switch_stack(word_t *save_sp, word_t next_sp);
extern void arch_thread_trampoline(void);
extern void arch_syscall_continuation(void);
extern NORETURN void arch_load_stack(word_t sp);
void c_ipc_resume(frame_t *f);

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

/* A thread blocked in an Ipc without keeping its kernel stack has
 * kstack_sp == 0: its system call is finished by c_ipc_resume when it runs
 * again.  The continuation that does it is built only then, so the IPC fast
 * path blocks a thread with one store. */
static word_t resume_sp(tcb_t *t)
{
    if (t->kstack_sp) {
        return t->kstack_sp;
    }
    frame_t *f = tcb_frame(t);
    struct switch_frame *sf = (struct switch_frame *)f - 1;
    sf->r12 = (word_t)c_ipc_resume;
    sf->r13 = (word_t)f;
    sf->ret = (word_t)arch_syscall_continuation;
    return (word_t)sf;
}

/* A user thread's kernel stack must not have reached its TCB. */
static void check_stack(const tcb_t *t)
{
    if (t->utcb && t->stack_canary != TCB_STACK_CANARY) {
        panic("kernel stack of thread %lx overflowed into its TCB", t->id);
    }
}

void arch_switch(tcb_t *prev, tcb_t *next)
{
    check_stack(prev);
    arch_switch_context(prev, next);
    arch_switch_stack(&prev->kstack_sp, resume_sp(next));
}

void arch_switch_discard(tcb_t *prev, tcb_t *next)
{
    check_stack(prev);
    prev->kstack_sp = 0;
    arch_switch_context(prev, next);
    arch_load_stack(resume_sp(next));
}

void arch_idle(void)
{
    cpu_idle();
}
