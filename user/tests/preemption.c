/* SPDX-License-Identifier: BSD-2-Clause */
/* X.2 preemption protocol: a thread that uses up its total quantum sends
 * its scheduler a message (label -3 << 4, u = 2, MR1 = system clock) and
 * waits for the reply; Schedule can then give it a new quantum. */
#include "suite.h"
#include <l4/ipc.h>
#include <l4/thread.h>
#include <l4/schedule.h>

static volatile unsigned long spins;

static void busy(void)
{
    for (;;) {
        spins++;
    }
}

TEST(preemption, quantum_exhaustion_message)
{
    L4_ThreadId_t t = test_start_thread(busy);
    CHECK(!L4_IsNilThread(t));
    L4_Clock_t before = L4_SystemClock();
    /* 2 ms slices, 5 ms total quantum; we are its scheduler. */
    L4_Word_t old;
    L4_Word_t ok = L4_Schedule(t, (L4_TimePeriod(2000).raw << 16) | L4_TimePeriod(5000).raw,
                               ~0UL, ~0UL, ~0UL, &old);
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(2000000));
    L4_Word_t clock, high;
    L4_StoreMR(1, &clock);
    L4_StoreMR(2, &high);
    L4_Clock_t after = L4_SystemClock();
    /* Reply with a fresh quantum, then check the thread runs on. */
    unsigned long s0 = spins;
    L4_Schedule(t, (L4_TimePeriod(2000).raw << 16) | L4_TimePeriod(50000).raw, ~0UL, ~0UL,
                ~0UL, &old);
    L4_LoadMR(0, 0);
    L4_MsgTag_t reply = L4_Reply(t);
    L4_Sleep(L4_TimePeriod(3000));
    unsigned long s1 = spins;
    test_kill_thread(t);
    CHECK(ok != 0);
    CHECK(L4_IpcSucceeded(tag));
    CHECK_EQ(tag.raw & ~((1UL << 20) - 1), (L4_Word_t)-3 << 20);
    CHECK_EQ(L4_UntypedWords(tag), 2);
    CHECK_EQ(L4_TypedWords(tag), 0);
    CHECK(clock >= before.raw + 4000);          /* at least most of the quantum */
    CHECK(clock <= after.raw);
    CHECK_EQ(high, 0);
    CHECK(L4_IpcSucceeded(reply));
    CHECK(s1 > s0);                             /* resumed after the reply */
}

TEST(preemption, infinite_quantum_sends_nothing)
{
    L4_ThreadId_t t = test_start_thread(busy);
    CHECK(!L4_IsNilThread(t));
    L4_MsgTag_t tag = L4_Receive_Timeout(t, L4_TimePeriod(20000));
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(t);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err & 0xF, 0x3);                   /* receive timeout */
}
