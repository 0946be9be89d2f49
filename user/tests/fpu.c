/* SPDX-License-Identifier: BSD-2-Clause */
/* x87/SSE state is per thread; RDTSC works in user mode. */
#include "suite.h"
#include <l4/thread.h>
#include <l4/schedule.h>

static volatile int sse_ok, sse_done;

static void sse_worker(void)
{
    double x = 1.0;
    __asm__ volatile("movsd %0, %%xmm7" ::"m"(x) : "xmm7");
    for (int i = 0; i < 50; i++) {
        L4_Yield();
    }
    double y;
    __asm__ volatile("movsd %%xmm7, %0" : "=m"(y));
    sse_ok = y == 1.0;
    sse_done = 1;
}

TEST(fpu, sse_state_per_thread)
{
    sse_ok = sse_done = 0;
    double mine = 42.5;
    __asm__ volatile("movsd %0, %%xmm7" ::"m"(mine) : "xmm7");
    L4_ThreadId_t t = test_start_thread(sse_worker);
    CHECK(!L4_IsNilThread(t));
    /* Keep our own xmm7 live while the worker runs. */
    for (int i = 0; i < 200 && !sse_done; i++) {
        L4_Yield();
    }
    double back;
    __asm__ volatile("movsd %%xmm7, %0" : "=m"(back));
    test_kill_thread(t);
    CHECK(sse_done);
    CHECK(sse_ok);
    CHECK(back == 42.5);
}

TEST(fpu, x87_arithmetic)
{
    volatile long double a = 3.0L, b = 4.0L;
    long double c = a * a + b * b;
    CHECK(c == 25.0L);
}

TEST(fpu, rdtsc_in_user_mode)
{
    unsigned lo1, hi1, lo2, hi2;
    __asm__ volatile("rdtsc" : "=a"(lo1), "=d"(hi1));
    for (volatile int i = 0; i < 1000; i++) {
    }
    __asm__ volatile("rdtsc" : "=a"(lo2), "=d"(hi2));
    unsigned long t1 = (unsigned long)hi1 << 32 | lo1, t2 = (unsigned long)hi2 << 32 | lo2;
    CHECK(t2 > t1);
}
