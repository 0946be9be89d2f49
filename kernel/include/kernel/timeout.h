/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel timeouts: wake blocked threads when their deadline passes.
 *
 * One queue per CPU ordered by deadline; the timer tick expires the due
 * entries and calls the IPC code to fail the blocked phase with a timeout.
 */
#pragma once

#include <kernel/tcb.h>

/* Arm t's timeout at absolute time at (µs since boot). */
void timeout_arm(tcb_t *t, uint64_t at);
/* Disarm t's timeout if armed. */
void timeout_cancel(tcb_t *t);
/* Called from the timer tick: expire due timeouts. */
void timeout_tick(void);
/* Absolute deadline for a 16-bit X.2 timeout starting now: 0 = never,
 * 1 = immediately (zero time).  Time points are resolved against the clock. */
uint64_t timeout_deadline(uint16_t t);
