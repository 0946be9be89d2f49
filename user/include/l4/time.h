/* SPDX-License-Identifier: BSD-2-Clause */
/* l4/time.h — 16-bit encoded time periods/points and IPC timeout words */
#ifndef L4_TIME_H
#define L4_TIME_H

#include <l4/types.h>

/** Encoded time value (types.md §4); only the low 16 bits are meaningful. */
typedef union {
    L4_Word16_t raw;
    struct {
        L4_Word16_t m : 10;
        L4_Word16_t e : 5;
        L4_Word16_t a : 1; /* 0 = period */
    } period;
    struct {
        L4_Word16_t m : 10;
        L4_Word16_t c : 1;
        L4_Word16_t e : 4;
        L4_Word16_t a : 1; /* 1 = point */
    } point;
} L4_Time_t;

#define L4_Never ((L4_Time_t){ .raw = 0 })
#define L4_ZeroTime ((L4_Time_t){ .raw = 1 << 10 })

/** Time period m * 2^e microseconds (no range checks). */
L4_INLINE L4_Time_t __L4_TimeMake(L4_Word_t m, L4_Word_t e)
{
    L4_Time_t t;
    t.raw = (L4_Word16_t)((e << 10) | (m & 0x3FF));
    return t;
}

/**
 * Run-time TimePeriod: smallest exponent e (0..31) with us >> e < 1024,
 * truncating; Never if none fits.  Note 0 µs encodes as raw 0 = Never.
 */
L4_INLINE L4_Time_t __L4_TimePeriod(L4_Word64_t us)
{
    L4_Word_t e;
    for (e = 0; e <= 31; e++)
        if ((us >> e) < 1024)
            return __L4_TimeMake((L4_Word_t)(us >> e), e);
    return L4_Never;
}

/** Compile-time TimePeriod variant: only tries e = 0..21 (Pistachio quirk). */
L4_INLINE L4_Time_t __L4_TimePeriodConst(L4_Word64_t us)
{
    L4_Word_t e;
    for (e = 0; e <= 21; e++)
        if ((us >> e) < 1024)
            return __L4_TimeMake((L4_Word_t)(us >> e), e);
    return L4_Never;
}

/*
 * L4_TimePeriod(us): relative timeout of us microseconds.  Like Pistachio's
 * libl4 a compile-time constant argument uses the e <= 21 variant (constants
 * >= 2^31 µs give Never) while other arguments use the full loop; and
 * L4_TimePeriod(0) is Never, not ZeroTime.  __builtin_constant_p does not
 * evaluate its argument, so us is evaluated exactly once.
 */
#define L4_TimePeriod(us)                                                      \
    (__builtin_constant_p(us) ? __L4_TimePeriodConst((L4_Word64_t)(us))       \
                              : __L4_TimePeriod((L4_Word64_t)(us)))

/** True if t is an absolute time point (bit 15 set). */
L4_INLINE L4_Bool_t __L4_IsTimePoint(L4_Time_t t) { return (t.raw & 0x8000) != 0; }

/** Microseconds of a time period; ~0 for Never. Undefined for time points. */
L4_INLINE L4_Word64_t __L4_TimePeriodUsec(L4_Time_t t)
{
    if (t.raw == 0)
        return ~0ULL;
    return (L4_Word64_t)t.period.m << t.period.e;
}

/** Encodes a duration computed by the arithmetic helpers: 0 is ZeroTime. */
L4_INLINE L4_Time_t __L4_TimeFromUsec(L4_Word64_t us)
{
    if (us == ~0ULL)
        return L4_Never;
    return us == 0 ? L4_ZeroTime : __L4_TimePeriod(us);
}

/**
 * Time point for clock value at, seen from clock value now (Pecan helper;
 * X.2 semantics as understood from the manual, unverified): picks the
 * smallest e such that the point is unambiguous within 2^(e+11) µs; a point
 * in the past gives ZeroTime, one beyond ~67 s gives Never.
 */
L4_INLINE L4_Time_t __L4_TimePointAt(L4_Clock_t at, L4_Clock_t now)
{
    L4_Word64_t delta;
    L4_Word_t e;
    L4_Time_t t;
    if (at.raw <= now.raw)
        return L4_ZeroTime;
    delta = at.raw - now.raw;
    for (e = 0; e <= 15; e++) {
        if (delta < (1ULL << (e + 11)) - (1ULL << e)) {
            t.raw = (L4_Word16_t)(0x8000 | (e << 11) | (((at.raw >> (e + 10)) & 1) << 10) |
                                  ((at.raw >> e) & 0x3FF));
            return t;
        }
    }
    return L4_Never;
}

/** IPC timeouts word: send timeout in bits 16..31, receive in 0..15. */
L4_INLINE L4_Word_t L4_Timeouts(L4_Time_t SndTimeout, L4_Time_t RcvTimeout)
{
    return ((L4_Word_t)SndTimeout.raw << 16) + RcvTimeout.raw;
}

/** Period l lengthened by r µs (time points are returned unchanged). */
L4_INLINE L4_Time_t L4_TimeAddUsec(L4_Time_t l, L4_Word_t r)
{
    if (__L4_IsTimePoint(l) || l.raw == 0)
        return l;
    return __L4_TimeFromUsec(__L4_TimePeriodUsec(l) + r);
}

/** Adds r µs to *l in place; returns the new value. */
L4_INLINE L4_Time_t L4_TimeAddUsecTo(L4_Time_t *l, L4_Word_t r)
{
    *l = L4_TimeAddUsec(*l, r);
    return *l;
}

/** Period l shortened by r µs, not below ZeroTime (points unchanged). */
L4_INLINE L4_Time_t L4_TimeSubUsec(L4_Time_t l, L4_Word_t r)
{
    L4_Word64_t us;
    if (__L4_IsTimePoint(l) || l.raw == 0)
        return l;
    us = __L4_TimePeriodUsec(l);
    return __L4_TimeFromUsec(us > r ? us - r : 0);
}

/** Subtracts r µs from *l in place; returns the new value. */
L4_INLINE L4_Time_t L4_TimeSubUsecFrom(L4_Time_t *l, L4_Word_t r)
{
    *l = L4_TimeSubUsec(*l, r);
    return *l;
}

/** Sum of two periods (Never if either is Never). */
L4_INLINE L4_Time_t L4_TimeAdd(L4_Time_t l, L4_Time_t r)
{
    if (l.raw == 0 || r.raw == 0)
        return L4_Never;
    if (__L4_IsTimePoint(l) || __L4_IsTimePoint(r))
        return l;
    return __L4_TimeFromUsec(__L4_TimePeriodUsec(l) + __L4_TimePeriodUsec(r));
}

/** Adds period r to *l in place; returns the new value. */
L4_INLINE L4_Time_t L4_TimeAddTo(L4_Time_t *l, L4_Time_t r)
{
    *l = L4_TimeAdd(*l, r);
    return *l;
}

/** Difference of two periods, not below ZeroTime; Never - x = Never. */
L4_INLINE L4_Time_t L4_TimeSub(L4_Time_t l, L4_Time_t r)
{
    L4_Word64_t a, b;
    if (l.raw == 0 || __L4_IsTimePoint(l) || __L4_IsTimePoint(r))
        return l;
    if (r.raw == 0)
        return L4_ZeroTime;
    a = __L4_TimePeriodUsec(l);
    b = __L4_TimePeriodUsec(r);
    return __L4_TimeFromUsec(a > b ? a - b : 0);
}

/** Subtracts period r from *l in place; returns the new value. */
L4_INLINE L4_Time_t L4_TimeSubFrom(L4_Time_t *l, L4_Time_t r)
{
    *l = L4_TimeSub(*l, r);
    return *l;
}

/** True if period l is longer than period r (Never is the longest). */
L4_INLINE L4_Bool_t L4_IsTimeLonger(L4_Time_t l, L4_Time_t r)
{
    return __L4_TimePeriodUsec(l) > __L4_TimePeriodUsec(r);
}

/** True if period l is shorter than period r. */
L4_INLINE L4_Bool_t L4_IsTimeShorter(L4_Time_t l, L4_Time_t r)
{
    return __L4_TimePeriodUsec(l) < __L4_TimePeriodUsec(r);
}

/** True if l and r denote the same time (periods compared by duration). */
L4_INLINE L4_Bool_t L4_IsTimeEqual(L4_Time_t l, L4_Time_t r)
{
    if (__L4_IsTimePoint(l) || __L4_IsTimePoint(r))
        return l.raw == r.raw;
    return __L4_TimePeriodUsec(l) == __L4_TimePeriodUsec(r);
}

/** True if l and r denote different times. */
L4_INLINE L4_Bool_t L4_IsTimeNotEqual(L4_Time_t l, L4_Time_t r)
{
    return !L4_IsTimeEqual(l, r);
}

#endif /* L4_TIME_H */
