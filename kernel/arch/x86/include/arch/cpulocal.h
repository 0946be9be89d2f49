/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU kernel data reached through %gs in kernel mode.
 *
 * On every entry from user mode SWAPGS makes %gs point at this CPU's
 * cpu_local_t; the first words are read by entry.S, so they are pinned.
 */
#pragma once

#define CPU_SELF        0
#define CPU_SCRATCH     8
#define CPU_CURRENT     16
#define CPU_IPC_RET     24
#define CPU_LIPC_RET    32
#define CPU_USER_GS     40
#define CPU_IPC_WAIT    48
/* The word user mode reads as %gs:0 (the current UTCB pointer) lies in the
 * page after cpu_local_t: cpu_init.c lays them out so, and maps that page
 * into the user window. */
#define CPU_USER_UTCBPTR 4096

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct tcb;

typedef struct cpu_local {
    struct cpu_local *self;
    word_t scratch;         /* user RSP during SYSCALL entry */
    struct tcb *current;    /* the thread running on this CPU */
    word_t ipc_ret;         /* user RIP after the SYSCALL of the Ipc stub */
    word_t lipc_ret;        /* ... and of the Lipc stub */
    word_t user_gs;         /* the user-mode %gs base of this CPU */
    uint64_t ipc_wait;      /* run_word of a thread in a user receive here */
    unsigned id;
} cpu_local_t;

_Static_assert(offsetof(cpu_local_t, self) == CPU_SELF, "self");
_Static_assert(offsetof(cpu_local_t, scratch) == CPU_SCRATCH, "scratch");
_Static_assert(offsetof(cpu_local_t, current) == CPU_CURRENT, "current");
_Static_assert(offsetof(cpu_local_t, ipc_ret) == CPU_IPC_RET, "ipc_ret");
_Static_assert(offsetof(cpu_local_t, lipc_ret) == CPU_LIPC_RET, "lipc_ret");
_Static_assert(offsetof(cpu_local_t, user_gs) == CPU_USER_GS, "user_gs");
_Static_assert(offsetof(cpu_local_t, ipc_wait) == CPU_IPC_WAIT, "ipc_wait");


/* One word of this CPU's cpu_local_t, one instruction (off = CPU_...). */
#define cpu_read(off) ({                                                    \
    word_t v_;                                                              \
    __asm__ volatile("mov %%gs:%c1, %0" : "=r"(v_) : "i"(off));             \
    v_;                                                                     \
})
#define cpu_write(off, v) \
    __asm__ volatile("mov %0, %%gs:%c1" : : "r"((word_t)(v)), "i"(off) : "memory")

/* Publish the UTCB pointer of the thread about to run in user mode. */
static inline void cpu_set_user_utcb(word_t p)
{
    cpu_write(CPU_USER_UTCBPTR, p);
}

/* The running thread, one load through %gs (volatile: a switch may come
 * between two reads). */
static inline struct tcb *cpu_current(void)
{
    return (struct tcb *)cpu_read(CPU_CURRENT);
}

static inline void cpu_set_current(struct tcb *t)
{
    cpu_write(CPU_CURRENT, t);
}

/* The run_word (kernel/tcb.h) of a thread blocked in the receive phase of
 * a user Ipc on this CPU: what the IPC fast path compares with. */
static inline uint64_t cpu_ipc_wait_word(void)
{
    return cpu_read(CPU_IPC_WAIT);
}

static inline void cpu_set_ipc_wait_word(uint64_t w)
{
    cpu_write(CPU_IPC_WAIT, w);
}
#endif
