/* SPDX-License-Identifier: BSD-2-Clause */
/* x86-64 kernel entry and exit: exception/interrupt stubs, SYSCALL entry,
 * the two return paths to user mode, and the kernel-stack switch.
 *
 * Every entry from user mode builds a frame_t (mode/frame.h) at the top of
 * the thread's kernel stack and hands it to one C function per entry class.
 * The kernel runs with interrupts disabled; user mode runs with IF set.
 */
#include <mode/frame.h>
#include <arch/segments.h>
#include <arch/cpulocal.h>
#include <mode/layout.h>
#include <kernel/tcb_offsets.h>
#include <arch/gdt.h>

/* Tag bits the fast path does not handle: t (6..11) and the flags (12..15). */
#define IPC_SLOW_TAG 0xFFC0
/* The top of the current thread's kernel stack, where its frame ends: the
 * TSS's RSP0, which every switch sets (one TSS while there is one CPU). */
#define KSTACK_TOP   tss_seg + TSS_RSP0(%rip)

.macro PUSH_GPRS
    pushq %rax
    pushq %rbx
    pushq %rcx
    pushq %rdx
    pushq %rsi
    pushq %rdi
    pushq %rbp
    pushq %r8
    pushq %r9
    pushq %r10
    pushq %r11
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
.endm

.macro POP_GPRS
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %r11
    popq %r10
    popq %r9
    popq %r8
    popq %rbp
    popq %rdi
    popq %rsi
    popq %rdx
    popq %rcx
    popq %rbx
    popq %rax
.endm

/* Exception and interrupt stubs: normalise the stack to vector + error code. */
.macro VECTOR n, has_error
    .align 16
    .if \has_error == 0
    pushq $0
    .endif
    pushq $\n
    jmp trap_common
    .endm

    .text
    /* Every stub is 16-byte aligned and shorter than 16 bytes, so vector v
     * starts at trap_vectors + 16 * v (idt.c relies on this). */
    .globl trap_vectors
    .align 16
trap_vectors:
    VECTOR 0, 0
    VECTOR 1, 0
    VECTOR 2, 0
    VECTOR 3, 0
    VECTOR 4, 0
    VECTOR 5, 0
    VECTOR 6, 0
    VECTOR 7, 0
    VECTOR 8, 1
    VECTOR 9, 0
    VECTOR 10, 1
    VECTOR 11, 1
    VECTOR 12, 1
    VECTOR 13, 1
    VECTOR 14, 1
    VECTOR 15, 0
    VECTOR 16, 0
    VECTOR 17, 1
    VECTOR 18, 0
    VECTOR 19, 0
    VECTOR 20, 0
    VECTOR 21, 1
    .irp n, 22,23,24,25,26,27,28
    VECTOR \n, 0
    .endr
    VECTOR 29, 1
    VECTOR 30, 1
    VECTOR 31, 0
    .altmacro
    .set i, 32
    .rept 224
    VECTOR %i, 0
    .set i, i + 1
    .endr
    .noaltmacro

    .text
    .type trap_common, @function
trap_common:
    cld                             /* user DF survives a trap (SYSCALL masks it) */
    testb $3, 24(%rsp)              /* CS of the interrupted context */
    jz 1f
    swapgs
1:  PUSH_GPRS
    movq %rsp, %rdi
    call c_handle_trap
    .globl trap_exit
trap_exit:
    POP_GPRS
    addq $16, %rsp                  /* vector, error code */
    testb $3, 8(%rsp)
    jz 2f
    swapgs
2:  iretq
    .size trap_common, . - trap_common

/* SYSCALL entry: RCX = user RIP (identifies the stub), R11 = user RFLAGS.
 *
 * Ipc and Lipc (told apart from every other call by the return address of
 * their stub, kept per CPU) try the IPC fast path first, unless the tag
 * has typed items or flags or the receive timeout is not Never.  Its entry
 * saves only what the sender needs to resume and what C may clobber of the
 * message: RIP, RFLAGS and RSP (user RSP travels in RBP, which Ipc does not
 * preserve), MR0 (R9), MR1 (RAX) and MR3 (R10); MR2 and MR4..MR7 live in
 * RBX and R12..R15, which C preserves.  c_fastpath_ipc takes its arguments
 * where the Ipc ABI puts them (to RSI, from RDX, timeouts R8, tag R9) and
 * returns the destination's frame (RAX) and the caller's id as the
 * destination sees it (RDX): the exit loads the destination's user context
 * and UTCB pointer and leaves with the message still in the registers.  If
 * the frame is NULL it has stored to, from and the timeouts in the frame,
 * and the general path runs on the completed frame.  Every other call goes
 * there directly. */
/* The fast path of one stub: fn is c_fastpath_ipc or c_fastpath_lipc. */
.macro FASTPATH fn
    testl $IPC_SLOW_TAG, %r9d       /* typed items or flags */
    jnz syscall_general
    testw %r8w, %r8w                /* a receive timeout */
    jnz syscall_general
    movq %rsp, %rbp
    movq KSTACK_TOP, %rsp
    subq $FRAME_SIZE, %rsp          /* C runs below the frame: a fault in it may push */
    movq %rcx, FRAME_RIP(%rsp)
    movq %r11, FRAME_RFLAGS(%rsp)
    movq %rbp, FRAME_RSP(%rsp)
    movq %rax, FRAME_RAX(%rsp)
    movq %r9, FRAME_R9(%rsp)
    movq %r10, FRAME_R10(%rsp)
    call \fn
    testq %rax, %rax
    jz syscall_fast_failed
    movq %rax, %r11                 /* the destination's frame */
    movq %rdx, %rsi                 /* from */
    xorl %ebp, %ebp                 /* held the sender's user RSP */
    movq FRAME_RAX(%rsp), %rax
    movq FRAME_R9(%rsp), %r9
    movq FRAME_R10(%rsp), %r10
    movq (TCB_LOCAL_ID + FRAME_SIZE - TCB_SIZE)(%r11), %rdi   /* its UTCB pointer */
    movq FRAME_RIP(%r11), %rcx
    movq FRAME_RSP(%r11), %rsp
    movq FRAME_RFLAGS(%r11), %r11
    swapgs
    sysretq
.endm

    .globl syscall_entry
    .type syscall_entry, @function
    .align 16
syscall_entry:
    swapgs
    cmpq %gs:CPU_IPC_RET, %rcx
    jne syscall_not_ipc
    FASTPATH c_fastpath_ipc
syscall_not_ipc:
    cmpq %gs:CPU_LIPC_RET, %rcx
    jne syscall_general
    FASTPATH c_fastpath_lipc
syscall_general:
    movq %rsp, %gs:CPU_SCRATCH
    movq KSTACK_TOP, %rsp
    subq $FRAME_SIZE, %rsp
    movq %rcx, FRAME_RIP(%rsp)
    movq %r11, FRAME_RFLAGS(%rsp)
    movq %rax, FRAME_RAX(%rsp)
    movq %gs:CPU_SCRATCH, %rax
    movq %rax, FRAME_RSP(%rsp)
    movq %r9, FRAME_R9(%rsp)
    movq %r10, FRAME_R10(%rsp)
    movq %rsi, FRAME_RSI(%rsp)
    movq %rdx, FRAME_RDX(%rsp)
    movq %r8, FRAME_R8(%rsp)
    movq %rbp, FRAME_RBP(%rsp)
    jmp syscall_complete

syscall_fast_failed:                /* RBP (clobbered by Ipc) holds the user RSP */
    movq %rbp, FRAME_RBP(%rsp)      /* RAX, RSI, RDX, R8..R10 are in the frame */
    movq FRAME_RIP(%rsp), %rcx      /* C clobbered these two */
    movq FRAME_RFLAGS(%rsp), %r11
syscall_complete:
    movq %rbx, FRAME_RBX(%rsp)
    movq %rdi, FRAME_RDI(%rsp)
    movq %r12, FRAME_R12(%rsp)
    movq %r13, FRAME_R13(%rsp)
    movq %r14, FRAME_R14(%rsp)
    movq %r15, FRAME_R15(%rsp)
    movq %rcx, FRAME_RCX(%rsp)
    movq %r11, FRAME_R11(%rsp)
    movq $SEL_UDATA, FRAME_SS(%rsp)
    movq $SEL_UCODE, FRAME_CS(%rsp)
    movq $0, FRAME_ERROR(%rsp)
    movq $VECTOR_SYSCALL, FRAME_VECTOR(%rsp)
    movq %rsp, %rdi
    call c_handle_syscall
    .globl syscall_exit
syscall_exit:
    POP_GPRS
    addq $16, %rsp
    /* Every setter of a user RIP keeps it canonical, so SYSRET is safe. */
    movq 0(%rsp), %rcx
    movq 16(%rsp), %r11
    movq 24(%rsp), %rsp
    swapgs
    sysretq
    .size syscall_entry, . - syscall_entry

/* void arch_switch_stack(word_t *save_sp, word_t next_sp)
 * Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *save_sp and resumes the context saved at next_sp. */
    .globl arch_switch_stack
    .type arch_switch_stack, @function
arch_switch_stack:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size arch_switch_stack, . - arch_switch_stack

/* void arch_load_stack(word_t sp): resume the context saved at sp,
 * abandoning the current stack. */
    .globl arch_load_stack
    .type arch_load_stack, @function
arch_load_stack:
    movq %rdi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size arch_load_stack, . - arch_load_stack

/* Continuation of a thread whose system call blocked without keeping its
 * kernel stack: r12 = C function finishing the call with the frame (r13),
 * then back to user mode through SYSRET. */
    .globl arch_syscall_continuation
    .type arch_syscall_continuation, @function
arch_syscall_continuation:
    movq %r13, %rdi
    call *%r12
    movq %r13, %rsp
    jmp syscall_exit
    .size arch_syscall_continuation, . - arch_syscall_continuation

/* First activation of a new thread: r12 holds the C function to run with the
 * thread's frame pointer (r13); it returns to user mode through trap_exit. */
    .globl arch_thread_trampoline
    .type arch_thread_trampoline, @function
arch_thread_trampoline:
    movq %r13, %rdi
    call *%r12
    movq %r13, %rsp
    jmp trap_exit
    .size arch_thread_trampoline, . - arch_thread_trampoline

/* NORETURN void arch_exit_to_user(frame_t *f): leave through IRETQ. */
    .globl arch_exit_to_user
    .type arch_exit_to_user, @function
arch_exit_to_user:
    movq %rdi, %rsp
    jmp trap_exit
    .size arch_exit_to_user, . - arch_exit_to_user
