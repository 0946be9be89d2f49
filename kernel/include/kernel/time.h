/* SPDX-License-Identifier: BSD-2-Clause */
/* X.2 time values (§2.4): 16-bit encoded periods and points.
 *
 * Arch-neutral; built on the host for unit tests.  A period is m * 2^e µs
 * (bit 15 clear, e in bits 10..14, m in bits 0..9); raw 0 means "never".
 */
#pragma once

#include <kernel/types.h>

#define TIME_NEVER      0x0000u
#define TIME_ZERO       0x0400u
#define TIME_IS_POINT   0x8000u
#define TIME_INFINITE_US (~(uint64_t)0)

/* Decode a period into microseconds (TIME_INFINITE_US for never); false for
 * time points, which the caller must treat separately. */
static inline bool time_period_us(uint16_t t, uint64_t *us)
{
    if (t & TIME_IS_POINT) {
        return false;
    }
    if (t == TIME_NEVER) {
        *us = TIME_INFINITE_US;
        return true;
    }
    *us = (uint64_t)(t & 0x3FF) << ((t >> 10) & 0x1F);
    return true;
}

/* Encode a duration as the period closest below it (never for infinite). */
static inline uint16_t time_period_encode(uint64_t us)
{
    if (us == TIME_INFINITE_US) {
        return TIME_NEVER;
    }
    if (us == 0) {
        return TIME_ZERO;
    }
    unsigned e = 0;
    while ((us >> e) > 0x3FF) {
        e++;
    }
    if (e > 31) {
        return TIME_NEVER;
    }
    return (uint16_t)((e << 10) | (us >> e));
}
