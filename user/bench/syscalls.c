/* SPDX-License-Identifier: BSD-2-Clause */
/* Cost of the small system calls, each in a loop of N calls. */
#include "bench.h"
#include <l4/kip.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/kdebug.h>
#include <pecan/task.h>

#define N 1000

static void idle_thread(void)
{
    for (;;) {
        L4_Yield();
    }
}

static unsigned char stack[8192] __attribute__((aligned(16)));

void bench_syscalls(void)
{
    L4_Word_t t0 = bench_tsc();
    for (int i = 0; i < N; i++) {
        L4_ThreadSwitch(L4_Myself());       /* returns at once: a null call */
    }
    bench_report("syscall.null", bench_tsc() - t0, N);

    t0 = bench_tsc();
    for (int i = 0; i < N; i++) {
        L4_GetKernelInterface();
    }
    bench_report("syscall.kernel_interface", bench_tsc() - t0, N);

    t0 = bench_tsc();
    for (int i = 0; i < N; i++) {
        L4_SystemClock();
    }
    bench_report("syscall.system_clock", bench_tsc() - t0, N);

    t0 = bench_tsc();
    for (int i = 0; i < N; i++) {
        L4_UserDefinedHandleOf(L4_Myself());
    }
    bench_report("syscall.exchange_registers", bench_tsc() - t0, N);

    L4_ThreadId_t other = task_start_local(idle_thread, stack + sizeof(stack), 255);
    t0 = bench_tsc();
    for (int i = 0; i < N; i++) {
        L4_ThreadSwitch(other);             /* there and back: two switches */
    }
    bench_report("syscall.thread_switch", bench_tsc() - t0, 2 * N);
    task_delete(other);

    t0 = bench_tsc();
    for (int i = 0; i < N; i++) {
        L4_Word_t utcb;
        L4_ThreadId_t t = task_new_tid(&utcb);
        L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Pager(), (void *)utcb);
        L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    }
    bench_report("thread.create_delete", bench_tsc() - t0, N);

    L4_Word_t boot;
    __asm__ volatile("int3; cmpb $0x22, %%al" : "=a"(boot) : "a"(0));
    (void)boot;
}
