/* SPDX-License-Identifier: BSD-2-Clause */
/* Small system calls: SystemClock and ThreadSwitch (X.2 §3.4, §3.6). */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/sched.h>
#include <kernel/space.h>
#include <arch/timer.h>

bool thread_is_privileged(const tcb_t *t)
{
    return t->space && t->space->privileged;
}

uint64_t sys_system_clock(void)
{
    return clock_us();
}

void sys_thread_switch(tcb_t *self, threadid_t dest)
{
    tcb_t *t = tid_is_nil(dest) ? NULL : thread_resolve(self, dest);
    if (t == self) {
        return;
    }
    sched_yield(self);
    if (t && t->state == TS_READY && t->cpu == self->cpu) {
        /* Donate the rest of the slice: run dest next. */
        sched_yield(t);
        sched_run_next(t);
        return;
    }
    schedule();
}
