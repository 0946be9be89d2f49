/* SPDX-License-Identifier: BSD-2-Clause */
/* Architecture side of threads: initial kernel stacks, switching, user state.
 *
 * Generic code names these; x86-64 implements them in 64/thread.c.
 */
#pragma once

#include <kernel/types.h>

struct tcb;
struct frame;

/* Prepare t so that switching to it runs fn(frame) and then enters user mode
 * with the (possibly modified) frame. */
void arch_thread_init(struct tcb *t, void (*fn)(struct frame *));
/* Initialise t's user frame: user segments, RFLAGS, IP and SP. */
void arch_user_frame_init(struct tcb *t, word_t ip, word_t sp);
/* Switch from prev to next (address space, FPU, kernel stack). */
void arch_switch(struct tcb *prev, struct tcb *next);
/* Switch without keeping prev's kernel stack: prev's pending system call
 * is finished by c_ipc_resume when it runs again. */
NORETURN void arch_switch_discard(struct tcb *prev, struct tcb *next);
/* Set user IP / SP, keeping them canonical. */
void arch_set_user_ip(struct tcb *t, word_t ip);
void arch_set_user_sp(struct tcb *t, word_t sp);
/* The thread's user flags register. */
word_t arch_user_flags(struct tcb *t);
/* Set the user-changeable flags (arithmetic flags only). */
void arch_set_user_flags(struct tcb *t, word_t flags);
/* Give all user threads IOPL 3 (compatibility option "iopl=3"). */
extern bool arch_user_iopl3;
/* Idle this CPU until the next interrupt. */
void arch_idle(void);
