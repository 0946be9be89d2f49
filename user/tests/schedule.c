/* SPDX-License-Identifier: BSD-2-Clause */
/* Schedule (X.2 §3.5) and ThreadSwitch (X.2 §3.4): priorities, round robin,
 * time slices, result states, permissions. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/ipc.h>

#define ROOT_PRIO 255
#define LOG_MAX   64

static volatile L4_Word_t log_[LOG_MAX];
static volatile unsigned log_n;
static volatile int stop_all;

static void record(L4_Word_t who)
{
    if (log_n < LOG_MAX) {
        log_[log_n++] = who;
    }
}

static L4_Word_t state_of(L4_ThreadId_t t)
{
    L4_Word_t old;
    return L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old);
}

static void set_my_prio(L4_Word_t p)
{
    L4_Set_Priority(L4_Myself(), p);
}

static void record_and_stop(void)
{
    record(L4_Myself().raw);
}

TEST(schedule, higher_priority_runs_first)
{
    L4_ThreadId_t t[3];
    L4_Word_t prio[3] = { 20, 40, 30 };
    log_n = 0;
    L4_Yield();                                     /* a fresh slice for the set-up */
    for (int i = 0; i < 3; i++) {
        t[i] = test_start_thread(record_and_stop);
        CHECK(!L4_IsNilThread(t[i]));
        CHECK(L4_Set_Priority(t[i], prio[i]) != 0);
    }
    CHECK_EQ(log_n, 0);
    set_my_prio(10);                                /* everyone else first */
    set_my_prio(ROOT_PRIO);
    CHECK_EQ(log_n, 3);
    CHECK_EQ(log_[0], t[1].raw);
    CHECK_EQ(log_[1], t[2].raw);
    CHECK_EQ(log_[2], t[0].raw);
    for (int i = 0; i < 3; i++) {
        test_kill_thread(t[i]);
    }
}

static void record_and_yield(void)
{
    while (!stop_all) {
        record(L4_Myself().raw);
        L4_Yield();
    }
}

static int log_full(void)
{
    return log_n >= 30;
}

TEST(schedule, round_robin_within_a_priority)
{
    L4_ThreadId_t t[3];
    log_n = 0;
    stop_all = 0;
    L4_Yield();
    for (int i = 0; i < 3; i++) {
        t[i] = test_start_thread(record_and_yield);
        CHECK(!L4_IsNilThread(t[i]));
    }
    CHECK(test_wait_until(log_full, 1000));
    stop_all = 1;
    for (int i = 0; i < 3; i++) {
        test_kill_thread(t[i]);
    }
    CHECK(log_[0] != log_[1] && log_[1] != log_[2] && log_[0] != log_[2]);
    for (unsigned i = 3; i < 30; i++) {
        CHECK_EQ(log_[i], log_[i - 3]);
    }
}

TEST(schedule, thread_switch_runs_destination_next)
{
    L4_ThreadId_t t[3];
    stop_all = 0;
    log_n = 0;
    for (int i = 0; i < 3; i++) {
        t[i] = test_start_thread(record_and_yield);
        CHECK(!L4_IsNilThread(t[i]));
    }
    for (int round = 0; round < 6; round++) {
        L4_ThreadId_t d = t[(round * 2) % 3];
        log_n = 0;
        L4_ThreadSwitch(d);
        CHECK(log_n > 0);
        CHECK_EQ(log_[0], d.raw);
    }
    /* A local id works as well. */
    log_n = 0;
    L4_ThreadSwitch(L4_LocalIdOf(t[1]));
    CHECK(log_n > 0);
    CHECK_EQ(log_[0], t[1].raw);
    stop_all = 1;
    for (int i = 0; i < 3; i++) {
        test_kill_thread(t[i]);
    }
}

TEST(schedule, thread_switch_to_self_or_invalid_returns)
{
    L4_ThreadSwitch(L4_Myself());
    L4_ThreadSwitch(L4_MyLocalId());
    L4_ThreadSwitch(L4_GlobalId(0x54321, 1));
    L4_ThreadSwitch(L4_anythread);
    L4_Yield();
    CHECK_EQ(state_of(L4_Myself()), L4_SCHEDRESULT_RUNNING);
}

TEST(schedule, thread_switch_to_halted_thread_yields)
{
    log_n = 0;
    stop_all = 0;
    L4_ThreadId_t a = test_start_thread(record_and_yield);
    L4_ThreadId_t b = test_start_thread(record_and_yield);
    CHECK(!L4_IsNilThread(a) && !L4_IsNilThread(b));
    L4_Stop(a);
    log_n = 0;
    L4_ThreadSwitch(a);                             /* not ready: like a yield */
    CHECK(log_n > 0);
    CHECK_EQ(log_[0], b.raw);
    stop_all = 1;
    test_kill_thread(a);
    test_kill_thread(b);
}

static void spin(void)
{
    for (;;) {
    }
}

static void sender(void)
{
    L4_LoadMR(0, 0);
    L4_Send(L4_GlobalId(L4_ThreadNo(L4_Myself()) - 1, L4_Version(L4_Myself())));
}

static void waiter(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
}

TEST(schedule, result_is_the_state_before_the_call)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb), 1);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_DEAD);             /* inactive: 1 (Pistachio) */
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_nilthread, L4_Myself(), (void *)-1), 1);
    CHECK_EQ(state_of(t), L4_SCHEDRESULT_WAITING);          /* start-up wait */
    test_kill_thread(t);
    CHECK_EQ(state_of(L4_Myself()), L4_SCHEDRESULT_RUNNING);
    L4_ThreadId_t r = test_start_thread(spin);
    CHECK(!L4_IsNilThread(r));
    CHECK_EQ(state_of(r), L4_SCHEDRESULT_RUNNING);          /* ready */
    L4_Stop(r);
    CHECK_EQ(state_of(r), L4_SCHEDRESULT_INACTIVE);         /* halted: 2 (Pistachio) */
    test_kill_thread(r);
    L4_ThreadId_t w = test_start_thread(waiter);
    L4_ThreadId_t s = test_start_thread(waiter);            /* w + 1 sends to w? no: */
    CHECK(!L4_IsNilThread(w) && !L4_IsNilThread(s));
    L4_Yield();
    CHECK_EQ(state_of(w), L4_SCHEDRESULT_WAITING);
    test_kill_thread(s);
    test_kill_thread(w);
    /* A sender whose receiver does not receive: pending send. */
    L4_ThreadId_t busy = test_start_thread(spin);
    L4_ThreadId_t snd = test_start_thread(sender);          /* sends to busy (number - 1) */
    CHECK(!L4_IsNilThread(busy) && !L4_IsNilThread(snd));
    L4_Stop(busy);
    L4_Yield();
    if (L4_ThreadNo(snd) == L4_ThreadNo(busy) + 1 && L4_Version(snd) == L4_Version(busy)) {
        CHECK_EQ(state_of(snd), L4_SCHEDRESULT_PENDING_SEND);
    }
    test_kill_thread(snd);
    test_kill_thread(busy);
}

TEST(schedule, errors_nil_and_nonexistent)
{
    CHECK_EQ(state_of(L4_nilthread), 0);
    CHECK_EQ(L4_ErrorCode(), 0);                            /* Pistachio: no error */
    CHECK_EQ(state_of(L4_GlobalId(0x54321, 1)), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
    CHECK_EQ(state_of(L4_GlobalId(L4_ThreadNo(L4_Myself()), L4_Version(L4_Myself()) + 64)), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidThread);
}

/* Time periods as X.2 encodes them: m * 2^e µs, e in bits 10..14. */
static L4_Word_t period(L4_Word_t m, L4_Word_t e)
{
    return (e << 10) | m;
}

/* The µs of a period (0 for never = infinite); the encoding is not unique. */
static L4_Word_t us_of(L4_Word_t p)
{
    return (p & 0x3FF) << ((p >> 10) & 0x1F);
}

#define CHECK_TIME(old, ts_us, tq_us)                                                  \
    do {                                                                              \
        CHECK_EQ(us_of(((old) >> 16) & 0xFFFF), ts_us);                               \
        CHECK_EQ(us_of((old) & 0xFFFF), tq_us);                                       \
        CHECK_EQ((old) >> 32, 0);                                                     \
    } while (0)

TEST(schedule, time_control_slice_and_quantum)
{
    L4_Word_t utcb, old;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb), 1);
    /* Defaults: 10 ms slice (625 * 2^4), infinite quantum (0). */
    CHECK(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old) != 0);
    CHECK_TIME(old, 10000, 0);
    CHECK(L4_Schedule(t, (period(625, 3) << 16) | period(500, 10), ~0UL, ~0UL, ~0UL, &old));
    CHECK_TIME(old, 10000, 0);                              /* old values */
    CHECK(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old));
    CHECK_TIME(old, 5000, 512000);
    /* 1 µs is rounded up to the shortest slice, one 1 ms timer tick. */
    CHECK(L4_Schedule(t, (period(1, 0) << 16) | 0xFFFF, ~0UL, ~0UL, ~0UL, &old));
    CHECK(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old));
    CHECK_TIME(old, 1000, 512000);
    /* Never = infinite slice. */
    CHECK(L4_Schedule(t, (0UL << 16) | 0xFFFF, ~0UL, ~0UL, ~0UL, &old));
    CHECK(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old));
    CHECK_EQ(old >> 16, 0);
    test_kill_thread(t);
}

TEST(schedule, time_points_and_zero_periods_are_invalid)
{
    L4_Word_t utcb, old;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb), 1);
    L4_Word_t bad[] = { (0x8000UL | 100) << 16 | 0xFFFF, 0xFFFF0000UL | 0x8123,
                        (period(0, 5) << 16) | 0xFFFF, 0xFFFF0000UL | period(0, 1) };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        CHECK_EQ(L4_Schedule(t, bad[i], ~0UL, ~0UL, ~0UL, &old), 0);
        CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    }
    CHECK(L4_Schedule(t, ~0UL, ~0UL, ~0UL, ~0UL, &old));
    CHECK_TIME(old, 10000, 0);              /* unchanged */
    test_kill_thread(t);
}

TEST(schedule, processor_number_validated)
{
    CHECK(L4_Set_ProcessorNo(L4_Myself(), 0) != 0);
    CHECK_EQ(L4_Set_ProcessorNo(L4_Myself(), 1), 0);
    CHECK_EQ(L4_ErrorCode(), L4_ErrInvalidParam);
    CHECK_EQ(L4_ProcessorNo(), 0);
}

TEST(schedule, preemption_control_accepted)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK_EQ(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb), 1);
    CHECK_EQ(L4_Set_PreemptionDelay(t, 200, 500), L4_SCHEDRESULT_DEAD);
    CHECK_EQ(L4_ErrorCode(), 0);
    test_kill_thread(t);
}

/* --- Time-slice expiry --- */

static volatile int b_ran;
static volatile L4_Word_t a_waited_us;

static void busy_a(void)
{
    L4_Word_t start = L4_SystemClock().raw;
    while (!b_ran && L4_SystemClock().raw - start < 500000) {
    }
    a_waited_us = L4_SystemClock().raw - start;
}

static void busy_b(void)
{
    b_ran = 1;
}

/* Two busy threads of one priority with the given slice; how long did the
 * first run before the second got the CPU? */
static L4_Word_t preemption_delay(L4_Word_t slice_period)
{
    L4_Word_t old;
    b_ran = 0;
    a_waited_us = 0;
    L4_Yield();
    L4_ThreadId_t a = test_start_thread(busy_a);
    L4_ThreadId_t b = test_start_thread(busy_b);
    L4_Schedule(a, (slice_period << 16) | 0xFFFF, ~0UL, 200, ~0UL, &old);
    L4_Schedule(b, (slice_period << 16) | 0xFFFF, ~0UL, 200, ~0UL, &old);
    set_my_prio(100);
    set_my_prio(ROOT_PRIO);
    test_kill_thread(a);
    test_kill_thread(b);
    return b_ran ? a_waited_us : ~0UL;
}

TEST(schedule, time_slice_expiry_preempts_busy_thread)
{
    L4_Word_t short_slice = preemption_delay(period(500, 2));       /* 2 ms */
    L4_Word_t long_slice = preemption_delay(period(625, 6));        /* 40 ms */
    printf("schedule: busy thread preempted after %lu us (2 ms slice), %lu us (40 ms)\n",
           short_slice, long_slice);
    CHECK(short_slice < 15000);
    CHECK(long_slice >= 25000 && long_slice < 200000);
}

/* A Send that wakes a waiting thread of higher priority hands it the CPU
 * at once: the sender must not run on until its next tick. */
static L4_ThreadId_t high_receiver_id;
static volatile int high_received, low_saw, low_done;

static void high_receiver(void)
{
    L4_ThreadId_t from;
    if (L4_IpcSucceeded(L4_Wait_Timeout(L4_TimePeriod(1000000), &from))) {
        high_received = 1;
    }
}

static void low_sender(void)
{
    L4_LoadMR(0, 0);
    L4_Send_Timeout(high_receiver_id, L4_ZeroTime);
    low_saw = high_received;
    low_done = 1;
}

TEST(schedule, send_to_waiting_higher_priority_switches_at_once)
{
    high_received = low_saw = low_done = 0;
    L4_Yield();
    high_receiver_id = test_start_thread(high_receiver);
    L4_ThreadId_t low = test_start_thread(low_sender);
    CHECK(!L4_IsNilThread(high_receiver_id) && !L4_IsNilThread(low));
    CHECK(L4_Set_Priority(high_receiver_id, 200) != 0);
    CHECK(L4_Set_Priority(low, 100) != 0);
    set_my_prio(10);                    /* high waits, then low sends */
    set_my_prio(ROOT_PRIO);
    CHECK_EQ(low_done, 1);
    CHECK_EQ(high_received, 1);
    CHECK_EQ(low_saw, 1);
    test_kill_thread(low);
    test_kill_thread(high_receiver_id);
}
