/* SPDX-License-Identifier: BSD-2-Clause */
/* Small system calls: SystemClock (X.2 §3.2) and ThreadSwitch (X.2 §3.4).
 *
 * ThreadSwitch to a ready thread donates the rest of the caller's time
 * slice: the destination runs at once, on what was left of the caller's
 * slice, and gets a fresh slice of its own only when that is used up.  The
 * caller stays ready and goes to the end of its priority's list, as after a
 * yield.
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/sched.h>
#include <kernel/space.h>
#include <arch/timer.h>

/* Preemption flags (TCR byte 0): I = a delayed preemption is pending. */
#define PREEMPT_FLAG_I  BIT(7)

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
    tcb_t *t = tid_is_nil(dest) ? NULL : thread_table_resolve(self, dest);
    if (t == self) {
        return;
    }
    word_t donated = self->timeslice_left;
    if (self->utcb) {
        /* Yielding answers a pending delayed preemption (X.2 §3.6). */
        utcb_set_tcr(self->utcb, TCR_FLAGS, utcb_tcr(self->utcb, TCR_FLAGS) & ~PREEMPT_FLAG_I);
    }
    sched_yield(self);
    if (t && t->state == TS_READY && !t->halted && t->cpu == self->cpu) {
        if (self->timeslice_len) {
            t->timeslice_left = donated;
        }
        sched_run_next(t);
        return;
    }
    schedule();
}
