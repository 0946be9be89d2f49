/* SPDX-License-Identifier: BSD-2-Clause */
/* Schedule (X.2 §3.5): user-level scheduling policy.
 *
 * The caller must be privileged or be dest's registered scheduler; an
 * unprivileged scheduler cannot raise a priority (or sensitive priority)
 * above its own.  Each control word of all ones leaves its part unchanged;
 * within TimeControl (X.2 layout: slice in bits 16..31, total quantum in
 * 0..15) a half of 0xFFFF, which is no valid time period, leaves that half
 * unchanged.  The result is dest's state with the values binaries built for
 * Pistachio observe; the old TimeControl holds the remaining slice and
 * quantum as X.2 time periods (docs/threads.md).
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/irq.h>
#include <arch/timer.h>

enum sched_result {
    SR_ERROR = 0, SR_DEAD = 1, SR_INACTIVE = 2, SR_RUNNING = 3, SR_PENDING_SEND = 4,
    SR_SENDING = 5, SR_WAITING = 6, SR_RECEIVING = 7,
};

#define UNCHANGED     (~0UL)
#define HALF_UNCHANGED 0xFFFFu

/* Pistachio's mapping (syscalls.md §6): not activated = 1, halted = 2. */
static word_t state_of(const tcb_t *t)
{
    if (t->irq) {
        return SR_INACTIVE;             /* an associated, idle interrupt thread */
    }
    if (!t->utcb) {
        return SR_DEAD;
    }
    if (t->halted) {
        return SR_INACTIVE;
    }
    if (t->starting && !t->start_canceled) {
        return SR_WAITING;              /* activated, start-up wait pending */
    }
    switch (t->state) {
    case TS_READY: return SR_RUNNING;
    case TS_SEND_BLOCKED: return SR_PENDING_SEND;
    case TS_RECV_BLOCKED: return SR_WAITING;
    case TS_INACTIVE: return SR_DEAD;
    case TS_LOCKED: return t->xfer_is_receiver ? SR_RECEIVING : SR_SENDING;
    }
    return SR_RUNNING;
}

/* A time-control half: a non-zero period in µs (0 = infinite); false for
 * time points and zero-length periods (X.2: illegal). */
static bool period_of(uint16_t half, word_t *us)
{
    uint64_t v;
    if (!time_period_us(half, &v) || v == 0) {
        return false;
    }
    *us = v == TIME_INFINITE_US ? 0 : (word_t)v;
    return true;
}

static int decode_schedule(tcb_t *self, tcb_t *t, word_t time, word_t cpu, word_t prio,
                           word_t preempt)
{
    bool privileged = thread_is_privileged(self);
    if (!privileged && self->id != t->scheduler) {
        return ERR_NO_PRIVILEGE;
    }
    if (prio != UNCHANGED && !privileged && (prio & 0xFF) > self->prio) {
        return ERR_NO_PRIVILEGE;
    }
    if (preempt != UNCHANGED && !privileged && ((preempt >> 16) & 0xFF) > self->prio) {
        return ERR_NO_PRIVILEGE;
    }
    if (time != UNCHANGED) {
        word_t us;
        uint16_t ts = (time >> 16) & 0xFFFF, tq = time & 0xFFFF;
        if ((ts != HALF_UNCHANGED && !period_of(ts, &us)) ||
            (tq != HALF_UNCHANGED && !period_of(tq, &us))) {
            return ERR_INVALID_PARAM;
        }
    }
    if (cpu != UNCHANGED && (cpu & 0xFFFF) >= sched_num_cpus()) {
        return ERR_INVALID_PARAM;
    }
    return ERR_OK;
}

static void invoke_schedule(tcb_t *t, word_t time, word_t prio, word_t preempt)
{
    if (time != UNCHANGED) {
        word_t us;
        uint16_t ts = (time >> 16) & 0xFFFF, tq = time & 0xFFFF;
        if (ts != HALF_UNCHANGED && period_of(ts, &us)) {
            /* Rounded up to whole timer ticks; the current slice restarts. */
            t->timeslice_len = (us + TIMER_TICK_US - 1) / TIMER_TICK_US * TIMER_TICK_US;
            t->timeslice_left = t->timeslice_len;
        }
        if (tq != HALF_UNCHANGED && period_of(tq, &us)) {
            t->quantum_left = t->total_quantum = us;
        }
    }
    if (preempt != UNCHANGED) {
        t->max_delay = preempt & 0xFFFF;
        t->sensitive_prio = (uint8_t)(preempt >> 16);
    }
    if (prio != UNCHANGED) {
        sched_set_prio(t, prio & 0xFF);
    }
}

/* Remaining slice and quantum as X.2 time periods (never = infinite). */
static word_t remaining_time(const tcb_t *t)
{
    uint64_t ts = t->timeslice_len ? t->timeslice_left : TIME_INFINITE_US;
    uint64_t tq = t->total_quantum ? t->quantum_left : TIME_INFINITE_US;
    return ((word_t)time_period_encode(ts) << 16) | time_period_encode(tq);
}

word_t sys_schedule(tcb_t *self, threadid_t dest, word_t time, word_t cpu, word_t prio,
                    word_t preempt, word_t *old_time)
{
    *old_time = 0;
    if (tid_is_nil(dest)) {
        syscall_set_error(self, ERR_OK);        /* Pistachio: no-op, result 0 */
        return SR_ERROR;
    }
    tcb_t *t = thread_table_resolve(self, dest);
    /* Interrupt threads can be scheduled once associated (Pistachio's
     * behaviour, which l4test checks). */
    if (!t || (t->irq && !irq_state(t->id))) {
        syscall_set_error(self, ERR_INVALID_THREAD);
        return SR_ERROR;
    }
    int e = decode_schedule(self, t, time, cpu, prio, preempt);
    if (e != ERR_OK) {
        syscall_set_error(self, (enum syscall_error)e);
        return SR_ERROR;
    }
    word_t result = state_of(t);
    unsigned old_prio = t->prio;
    *old_time = remaining_time(t);
    invoke_schedule(t, time, prio, preempt);
    syscall_set_error(self, ERR_OK);
    /* A priority change may make someone else the best choice. */
    if (t == self ? t->prio < old_prio
                  : t->state == TS_READY && !t->halted && t->prio > self->prio) {
        schedule();
    }
    return result;
}
