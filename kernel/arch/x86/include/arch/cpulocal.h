/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU kernel data reached through %gs in kernel mode.
 *
 * On every entry from user mode SWAPGS makes %gs point at this CPU's
 * cpu_local_t; the first words are read by entry.S, so they are pinned.
 */
#pragma once

#define CPU_SELF        0
#define CPU_KSTACK_TOP  8
#define CPU_SCRATCH     16

#ifndef __ASSEMBLER__
#include <kernel/types.h>

struct tcb;

typedef struct cpu_local {
    struct cpu_local *self;
    word_t kstack_top;      /* top of the current thread's kernel stack */
    word_t scratch;         /* user RSP during SYSCALL entry */
    unsigned id;
} cpu_local_t;

_Static_assert(offsetof(cpu_local_t, self) == CPU_SELF, "self");
_Static_assert(offsetof(cpu_local_t, kstack_top) == CPU_KSTACK_TOP, "kstack_top");
_Static_assert(offsetof(cpu_local_t, scratch) == CPU_SCRATCH, "scratch");

static inline cpu_local_t *cpu_local(void)
{
    cpu_local_t *c;
    __asm__("mov %%gs:0, %0" : "=r"(c));
    return c;
}
#endif
