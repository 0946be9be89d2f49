/* SPDX-License-Identifier: BSD-2-Clause */
/* Small system calls: SystemClock (X.2 §3.2), ThreadSwitch (X.2 §3.4) and
 * ProcessorControl (X.2 §6.3).
 *
 * ThreadSwitch to a ready thread donates the rest of the caller's time
 * slice: the destination runs at once, on what was left of the caller's
 * slice, and gets a fresh slice of its own only when that is used up.  The
 * caller stays ready and goes to the end of its priority's list, as after a
 * yield.
 *
 * ProcessorControl: Pecan scales neither frequency nor voltage.  −1 leaves
 * a value alone, and asking for the frequency a processor already has (as
 * its KIP descriptor says) succeeds; anything else is refused with
 * InvalidParam rather than pretending it was done (docs/control.md).
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/sched.h>
#include <kernel/space.h>
#include <kernel/kip.h>
#include <arch/timer.h>

#define PC_UNCHANGED (~0UL)

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

word_t sys_processor_control(tcb_t *self, word_t cpu, word_t internal_khz, word_t external_khz,
                             word_t voltage_mv)
{
    if (!thread_is_privileged(self)) {
        syscall_set_error(self, ERR_NO_PRIVILEGE);
        return 0;
    }
    word_t cur_int, cur_ext;
    if (cpu >= sched_num_cpus()) {
        syscall_set_error(self, ERR_INVALID_PARAM);
        return 0;
    }
    kip_cpu_freq((unsigned)cpu, &cur_int, &cur_ext);
    if ((internal_khz != PC_UNCHANGED && internal_khz != cur_int) ||
        (external_khz != PC_UNCHANGED && external_khz != cur_ext) ||
        voltage_mv != PC_UNCHANGED) {
        syscall_set_error(self, ERR_INVALID_PARAM);
        return 0;
    }
    return 1;
}
