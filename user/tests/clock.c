/* SPDX-License-Identifier: BSD-2-Clause */
/* SystemClock (X.2 §3.2): monotonic microseconds, fine resolution,
 * consistent with the TSC and the KIP's processor frequency. */
#include "suite.h"
#include <l4/schedule.h>
#include <l4/kip.h>

static L4_Word64_t rdtsc(void)
{
    unsigned lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((L4_Word64_t)hi << 32) | lo;
}

TEST(clock, monotonic)
{
    L4_Word64_t prev = L4_SystemClock().raw;
    for (int i = 0; i < 20000; i++) {
        L4_Word64_t now = L4_SystemClock().raw;
        CHECK(now >= prev);
        prev = now;
    }
}

TEST(clock, resolution_finer_than_a_millisecond)
{
    L4_Word64_t prev = L4_SystemClock().raw, smallest = ~0ULL;
    for (int steps = 0, i = 0; steps < 50 && i < 1000000; i++) {
        L4_Word64_t now = L4_SystemClock().raw;
        if (now != prev) {
            smallest = now - prev < smallest ? now - prev : smallest;
            steps++;
            prev = now;
        }
    }
    CHECK(smallest < 100);
}

TEST(clock, consistent_with_tsc_and_kip_frequency)
{
    L4_Word_t khz = L4_ProcDescInternalFreq(L4_ProcDesc(test_kip(), 0));
    CHECK(khz > 0);
    /* Each clock reading is bracketed by two TSC readings, so a delay
     * between them (an interrupt, the host descheduling QEMU) widens the
     * interval the clock must fall in instead of failing the case. */
    L4_Word64_t a0 = rdtsc(), c0 = L4_SystemClock().raw, b0 = rdtsc();
    while (L4_SystemClock().raw - c0 < 20000) {
    }
    L4_Word64_t a1 = rdtsc(), c1 = L4_SystemClock().raw, b1 = rdtsc();
    L4_Word64_t shortest = (a1 - b0) * 1000 / khz, longest = (b1 - a0) * 1000 / khz;
    L4_Word64_t by_clock = c1 - c0;
    CHECK(by_clock >= 20000);
    /* 1 % for the kHz figure and the clock's own rounding. */
    CHECK(by_clock + by_clock / 100 >= shortest);
    CHECK(by_clock <= longest + longest / 100);
}
