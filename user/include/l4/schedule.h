/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/schedule.h — system clock, time points, Schedule and ThreadSwitch helpers */
#ifndef L4_SCHEDULE_H
#define L4_SCHEDULE_H

#include <l4/types.h>
#include <l4/tcr.h>
#if defined(__x86_64__)
#include <l4/amd64/syscalls.h>
#endif

/* Schedule results: state of dest before the call (types.md §11). */
#define L4_SCHEDRESULT_ERROR 0
#define L4_SCHEDRESULT_DEAD 1
#define L4_SCHEDRESULT_INACTIVE 2
#define L4_SCHEDRESULT_RUNNING 3
#define L4_SCHEDRESULT_PENDING_SEND 4
#define L4_SCHEDRESULT_SENDING 5
#define L4_SCHEDRESULT_WAITING 6
#define L4_SCHEDRESULT_RECEIVING 7

/**
 * Absolute timeout at clock value `at` (X.2 time point).  Note: Pistachio
 * does not implement time points; a Pecan kernel decides whether it does.
 */
L4_INLINE L4_Time_t L4_TimePoint(L4_Clock_t at)
{
    return __L4_TimePointAt(at, L4_SystemClock());
}

/** Gives up the rest of the time slice (ThreadSwitch to nilthread). */
L4_INLINE void L4_Yield(void) { L4_ThreadSwitch(L4_nilthread); }

/** Sets the priority of dest (0..255); returns the Schedule result. */
L4_INLINE L4_Word_t L4_Set_Priority(L4_ThreadId_t dest, L4_Word_t prio)
{
    L4_Word_t dummy;
    return L4_Schedule(dest, ~0UL, ~0UL, prio & 0xFF, ~0UL, &dummy);
}

/** Migrates dest to processor ProcessorNo; returns the Schedule result. */
L4_INLINE L4_Word_t L4_Set_ProcessorNo(L4_ThreadId_t dest, L4_Word_t ProcessorNo)
{
    L4_Word_t dummy;
    return L4_Schedule(dest, ~0UL, ProcessorNo & 0xFFFF, ~0UL, ~0UL, &dummy);
}

/** Reads the remaining time slice and total quantum of dest. */
L4_INLINE L4_Word_t L4_Timeslice(L4_ThreadId_t dest, L4_Time_t *ts, L4_Time_t *tq)
{
    L4_Word_t old = 0, res;
    res = L4_Schedule(dest, ~0UL, ~0UL, ~0UL, ~0UL, &old);
    ts->raw = (L4_Word16_t)(old >> 16);
    tq->raw = (L4_Word16_t)old;
    return res;
}

/** Sets time-slice length ts and total quantum tq (X.2 layout ts<<16 | tq). */
L4_INLINE L4_Word_t L4_Set_Timeslice(L4_ThreadId_t dest, L4_Time_t ts, L4_Time_t tq)
{
    L4_Word_t dummy;
    return L4_Schedule(dest, ((L4_Word_t)ts.raw << 16) | tq.raw, ~0UL, ~0UL, ~0UL, &dummy);
}

/** Sets sensitive priority and maximum preemption delay (µs) of dest. */
L4_INLINE L4_Word_t L4_Set_PreemptionDelay(L4_ThreadId_t dest, L4_Word_t SensitivePrio,
                                           L4_Word_t MaxDelay)
{
    L4_Word_t dummy;
    return L4_Schedule(dest, ~0UL, ~0UL, ~0UL,
                       ((SensitivePrio & 0xFF) << 16) | (MaxDelay & 0xFFFF), &dummy);
}

#endif /* L4_SCHEDULE_H */
