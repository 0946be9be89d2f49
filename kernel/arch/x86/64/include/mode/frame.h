/* SPDX-License-Identifier: BSD-2-Clause */
/* The saved user register frame of x86-64.
 *
 * Every entry from user mode (syscall, exception, interrupt) stores this frame
 * at the top of the thread's kernel stack.  The assembly in entry.S pushes it
 * field by field, so each offset below is pinned with a static assertion.
 */
#pragma once

#define FRAME_R15     0
#define FRAME_R14     8
#define FRAME_R13     16
#define FRAME_R12     24
#define FRAME_R11     32
#define FRAME_R10     40
#define FRAME_R9      48
#define FRAME_R8      56
#define FRAME_RBP     64
#define FRAME_RDI     72
#define FRAME_RSI     80
#define FRAME_RDX     88
#define FRAME_RCX     96
#define FRAME_RBX     104
#define FRAME_RAX     112
#define FRAME_VECTOR  120
#define FRAME_ERROR   128
#define FRAME_RIP     136
#define FRAME_CS      144
#define FRAME_RFLAGS  152
#define FRAME_RSP     160
#define FRAME_SS      168
#define FRAME_SIZE    176

/* Vector number recorded for entries through the SYSCALL instruction. */
#define VECTOR_SYSCALL 0x100

#ifndef __ASSEMBLER__
#include <kernel/types.h>

typedef struct frame {
    word_t r15, r14, r13, r12, r11, r10, r9, r8;
    word_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    word_t vector, error;
    word_t rip, cs, rflags, rsp, ss;
} frame_t;

#define FRAME_ASSERT(f, off) _Static_assert(offsetof(frame_t, f) == (off), #f)
FRAME_ASSERT(r15, FRAME_R15);
FRAME_ASSERT(r11, FRAME_R11);
FRAME_ASSERT(r9, FRAME_R9);
FRAME_ASSERT(rbp, FRAME_RBP);
FRAME_ASSERT(rdi, FRAME_RDI);
FRAME_ASSERT(rcx, FRAME_RCX);
FRAME_ASSERT(rax, FRAME_RAX);
FRAME_ASSERT(vector, FRAME_VECTOR);
FRAME_ASSERT(error, FRAME_ERROR);
FRAME_ASSERT(rip, FRAME_RIP);
FRAME_ASSERT(rflags, FRAME_RFLAGS);
FRAME_ASSERT(rsp, FRAME_RSP);
FRAME_ASSERT(ss, FRAME_SS);
_Static_assert(sizeof(frame_t) == FRAME_SIZE, "frame size");

/* Generic accessors the arch-neutral kernel uses. */
static inline word_t frame_ip(const frame_t *f) { return f->rip; }
static inline word_t frame_sp(const frame_t *f) { return f->rsp; }
static inline bool frame_from_user(const frame_t *f) { return (f->cs & 3) == 3; }
#endif

#ifndef __ASSEMBLER__
/* MR1..MR7 travel in CPU registers (MR0 too). */
#define ARCH_REG_MRS 7

/* Results of an IPC returned in registers: from (RSI), UTCB pointer (RDI). */
static inline void frame_set_ipc_result(frame_t *f, word_t from, word_t utcb)
{
    f->rsi = from;
    f->rdi = utcb;
}

/* The Ipc arguments the fast-path entry left in registers only: stored
 * when the fast path gives up, for the general path (entry.S). */
static inline void frame_set_ipc_args(frame_t *f, word_t to, word_t from, word_t timeouts)
{
    f->rsi = to;
    f->rdx = from;
    f->r8 = timeouts;
}
#endif
