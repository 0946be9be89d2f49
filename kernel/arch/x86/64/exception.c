/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 exception message: the user registers in the AMD64 ABI order.
 *
 * MR1 RIP, MR2 RBX, MR3 R10, MR4 R12, MR5 R13, MR6 R14, MR7 R15, MR8 RAX,
 * MR9 RCX, MR10 RDX, MR11 RSI, MR12 RDI, MR13 RBP, MR14 R8, MR15 R9,
 * MR16 R11, MR17 RSP, MR18 RFLAGS, MR19 vector, MR20 error code.  Pecan
 * announces u = 20 so handlers receive the error code too.  On the reply
 * only the arithmetic flags of RFLAGS are taken; RIP and RSP stay canonical.
 */
#include <arch/exception.h>
#include <arch/thread.h>
#include <kernel/tcb.h>

unsigned arch_exception_message(tcb_t *t, word_t vector, word_t error, word_t *mr)
{
    const frame_t *f = tcb_frame(t);
    const word_t regs[ARCH_EXC_MRS] = {
        f->rip, f->rbx, f->r10, f->r12, f->r13, f->r14, f->r15, f->rax, f->rcx, f->rdx,
        f->rsi, f->rdi, f->rbp, f->r8, f->r9, f->r11, f->rsp, f->rflags, vector, error,
    };
    for (unsigned i = 0; i < ARCH_EXC_MRS; i++) {
        mr[i] = regs[i];
    }
    return ARCH_EXC_MRS;
}

void arch_exception_reply(tcb_t *t, const word_t *mr)
{
    frame_t *f = tcb_frame(t);
    arch_set_user_ip(t, mr[0]);
    f->rbx = mr[1];
    f->r10 = mr[2];
    f->r12 = mr[3];
    f->r13 = mr[4];
    f->r14 = mr[5];
    f->r15 = mr[6];
    f->rax = mr[7];
    f->rcx = mr[8];
    f->rdx = mr[9];
    f->rsi = mr[10];
    f->rdi = mr[11];
    f->rbp = mr[12];
    f->r8 = mr[13];
    f->r9 = mr[14];
    f->r11 = mr[15];
    arch_set_user_sp(t, mr[16]);
    arch_set_user_flags(t, mr[17]);
}
