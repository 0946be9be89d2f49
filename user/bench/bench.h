/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark root task: shared declarations.
 *
 * Every figure is a count of guest instructions: under QEMU -icount shift=0
 * the TSC advances once per instruction, so rdtsc deltas are exact and
 * repeatable.  Each result is printed as "BENCH <name> <value>" (value in
 * instructions, one decimal) for tools/bench to collect.
 */
#pragma once

#include <l4/types.h>

static inline L4_Word_t bench_tsc(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (L4_Word_t)hi << 32 | lo;
}

/* Print one result: total instructions over count operations. */
void bench_report(const char *name, L4_Word_t total, L4_Word_t count);

void bench_ipc(void);
void bench_syscalls(void);
void bench_memory(void);
void bench_transfer(void);
void bench_unmap(void);
void bench_scale(void);
