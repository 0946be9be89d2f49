/* SPDX-License-Identifier: BSD-2-Clause */
/* X.2 preemption protocol: a thread that uses up its total quantum sends
 * its scheduler a message (label -3 << 4, u = 2, MR1 = system clock) and
 * waits for the reply; Schedule can then give it a new quantum. */
#include "suite.h"
#include "thread_helpers.h"
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

/* Delayed preemption: with the d flag set, a thread keeps the CPU against
 * threads up to its sensitive priority for at most its maximum delay; the
 * kernel sets the I flag meanwhile, and yielding hands the CPU over. */
static volatile int saw_pending, yielded, high_ran, high_saw_yield, yield_when_pending;

static volatile L4_Word_t *tcr_flags(void)
{
    return (volatile L4_Word_t *)L4_MyLocalId().raw - 10;
}

static void low_worker(void)
{
    *tcr_flags() |= 1UL << 6;                   /* d: delay my preemption */
    for (;;) {
        if (*tcr_flags() & (1UL << 7)) {        /* I: one is pending */
            saw_pending = 1;
            if (yield_when_pending) {
                yielded = 1;
                L4_Yield();                     /* clears I, lets it run */
            }
        }
    }
}

static void high_worker(void)
{
    L4_Sleep(L4_TimePeriod(5000));
    high_saw_yield = yielded;
    high_ran = 1;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

static int run_delay_case(int yield)
{
    saw_pending = yielded = high_ran = high_saw_yield = 0;
    yield_when_pending = yield;
    L4_ThreadId_t low = test_start_thread(low_worker);
    L4_Word_t old;
    L4_Set_Priority(low, 100);
    L4_Schedule(low, ~0UL, ~0UL, ~0UL, (200UL << 16) | 20000, &old);    /* 20 ms */
    L4_ThreadId_t high = test_start_thread(high_worker);
    L4_Set_Priority(high, 150);
    /* Sleep long: our own wake-ups would preempt the low thread too. */
    for (int i = 0; i < 20 && !high_ran; i++) {
        L4_Sleep(L4_TimePeriod(50000));
    }
    test_kill_thread(high);
    test_kill_thread(low);
    return !L4_IsNilThread(low) && !L4_IsNilThread(high);
}

TEST(preemption, delayed_until_yield)
{
    CHECK(run_delay_case(1));
    CHECK(saw_pending);                         /* the kernel asked us to yield */
    CHECK(high_ran);
    CHECK(high_saw_yield);                      /* and waited until we did */
}

TEST(preemption, delay_is_bounded)
{
    CHECK(run_delay_case(0));
    CHECK(saw_pending);
    CHECK(high_ran);                            /* preempted all the same */
    CHECK(!yielded);
}

/* A scheduler that is not privileged may schedule the threads it is the
 * scheduler of, but never above its own priority. */
static volatile L4_Word_t sched_high, sched_high_err, sched_low, sched_done, sched_go;
static L4_ThreadId_t sched_target;

static void unprivileged_scheduler(void)
{
    L4_Word_t old;
    while (!sched_go) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    sched_high = L4_Schedule(sched_target, ~0UL, ~0UL, 200, ~0UL, &old);
    sched_high_err = L4_ErrorCode();
    sched_low = L4_Schedule(sched_target, ~0UL, ~0UL, 90, ~0UL, &old);
    sched_done = 1;
}

static void parked(void)
{
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

TEST(preemption, unprivileged_scheduler_limited_to_own_priority)
{
    L4_ThreadId_t pager;
    sched_done = 0;
    sched_high = sched_low = 99;
    sched_target = test_start_thread(parked);
    CHECK(!L4_IsNilThread(sched_target));
    sched_go = 0;
    L4_ThreadId_t c = test_start_in_new_space(unprivileged_scheduler, &pager);
    if (L4_IsNilThread(c)) {
        test_kill_thread(sched_target);
        CHECK(!L4_IsNilThread(c));
    }
    /* The child (priority 120) becomes the target's scheduler, then goes. */
    L4_Set_Priority(c, 120);
    L4_ThreadControl(sched_target, L4_Myself(), c, L4_nilthread, (void *)-1);
    sched_go = 1;
    for (int i = 0; i < 200 && !sched_done; i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    test_end_new_space(c, pager);
    test_kill_thread(sched_target);
    CHECK(sched_done);
    CHECK_EQ(sched_high, 0);
    CHECK_EQ(sched_high_err, 1);                /* NoPrivilege */
    CHECK(sched_low != 0);
}

/* A thread whose preemption was delayed and which then blocks in a Call
 * hands the CPU to the thread that waited for it, not to its partner of
 * lower priority (the IPC fast path must not switch past it). */
static volatile int dl_high_ran, dl_server_saw_high, dl_done;
static L4_ThreadId_t dl_server;

static void dl_server_thread(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait(&from);
    dl_server_saw_high = dl_high_ran;
    while (L4_IpcSucceeded(t)) {
        L4_LoadMR(0, 0);
        t = L4_ReplyWait(from, &from);
    }
}

static void dl_low_worker(void)
{
    *tcr_flags() |= 1UL << 6;                   /* d: delay my preemption */
    while (!(*tcr_flags() & (1UL << 7))) {      /* until one is pending */
    }
    L4_LoadMR(0, 0);
    L4_Call(dl_server);                         /* blocks: the delay is over */
    dl_done = 1;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

static void dl_high_worker(void)
{
    L4_Sleep(L4_TimePeriod(5000));
    dl_high_ran = 1;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

TEST(preemption, delayed_thread_blocking_gives_way_to_the_waiting_one)
{
    dl_high_ran = dl_server_saw_high = dl_done = 0;
    dl_server = test_start_thread(dl_server_thread);
    L4_Set_Priority(dl_server, 100);
    L4_ThreadId_t low = test_start_thread(dl_low_worker);
    L4_Word_t old;
    L4_Set_Priority(low, 100);
    L4_Schedule(low, ~0UL, ~0UL, ~0UL, (200UL << 16) | 20000, &old);    /* 20 ms */
    L4_ThreadId_t high = test_start_thread(dl_high_worker);
    L4_Set_Priority(high, 150);
    for (int i = 0; i < 20 && !dl_done; i++) {
        L4_Sleep(L4_TimePeriod(50000));
    }
    test_kill_thread(high);
    test_kill_thread(low);
    test_kill_thread(dl_server);
    CHECK(dl_done);
    CHECK(dl_high_ran);
    CHECK(dl_server_saw_high);                  /* the high thread ran first */
}
