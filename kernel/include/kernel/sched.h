/* SPDX-License-Identifier: BSD-2-Clause */
/* The scheduler: fixed priorities 0..255, round robin within a priority.
 *
 * Per-CPU ready lists with a priority bitmap make the choice of the next
 * thread O(1).  The running thread stays on its ready list; it loses the CPU
 * when a higher-priority thread becomes ready, when it blocks, or when its
 * time slice ends and another thread of its priority is waiting.
 */
#pragma once

#include <kernel/tcb.h>
#include <arch/cpulocal.h>

#define PRIO_LEVELS        256
#define PRIO_DEFAULT       100
#define PRIO_ROOT          255
#define TIMESLICE_DEFAULT  10000    /* µs */

void sched_init(void);
/* Start scheduling on this CPU; never returns. */
NORETURN void sched_start(void);
/* The thread running on this CPU. */
static inline tcb_t *sched_current(void) { return cpu_current(); }
/* Make t ready (state TS_READY) and put it on its CPU's ready list. */
void sched_ready(tcb_t *t);
/* Halt t (ExchangeRegisters, faults): it keeps its state but does not run. */
void sched_halt(tcb_t *t);
/* Undo sched_halt; t runs again if it is ready. */
void sched_resume(tcb_t *t);
/* Take t off the ready list and give it the (non-ready) state s. */
void sched_block(tcb_t *t, thread_state_t s);
/* Run the best ready thread; returns when the caller runs again. */
void schedule(void);
/* Like schedule(), for involuntary switches (timer, interrupts): honours a
 * delayed preemption the current thread asked for. */
void sched_preempt(void);
/* A system call is about to return to user mode: if it made a thread of
 * higher priority than the caller ready, the caller gives way now. */
void sched_leave_kernel(void);
/* Take t off its ready list (it is being destroyed). */
void sched_remove(tcb_t *t);
/* Switch away from the (blocked) current thread without keeping its kernel
 * stack: it resumes through the continuation its arch frame was given. */
NORETURN void sched_switch_discard(void);
/* Record t as running on this CPU (switches and the IPC fast path). */
static inline void sched_set_current(tcb_t *t) { cpu_set_current(t); }
/* Switch to ready thread t now, bypassing the priority choice. */
void sched_run_next(tcb_t *t);
/* Move t to the end of its priority's list with a fresh time slice. */
void sched_yield(tcb_t *t);
/* Change t's priority, requeueing it if it is ready. */
void sched_set_prio(tcb_t *t, unsigned prio);
/* Number of CPUs the scheduler runs on. */
static inline unsigned sched_num_cpus(void) { return 1; }
/* Periodic timer tick (interrupt context). */
void sched_tick(void);
