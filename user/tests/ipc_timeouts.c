/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC timeouts (X.2 §3.3 "Time", §5.6 "Timeouts"; spec ipc.md §6):
 * ZeroTime, relative periods, Never, time points, L4_Sleep.
 *
 * Durations are measured with SystemClock and checked only from below: a
 * timeout may end late (the kernel checks on its timer tick, and QEMU may
 * be slow) but never early.
 */
#include "suite.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>

#define SECOND  L4_TimePeriod(1000000)

static L4_ThreadId_t root;
static volatile L4_Word_t peer_done, peer_tag, peer_err;
static volatile L4_Word_t delay_us;

static int is_done(void)
{
    return peer_done != 0;
}

static L4_Word_t now(void)
{
    return L4_SystemClock().raw;
}

static void sleeper(void)
{
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

/* Wait delay_us, then send one word to the root thread. */
static void send_later(void)
{
    L4_Sleep(L4_TimePeriod(delay_us));
    L4_LoadMR(0, 0x1111UL << 16 | 1);
    L4_LoadMR(1, 77);
    L4_MsgTag_t t = L4_Send_Timeout(root, SECOND);
    peer_tag = t.raw;
    peer_done = 1;
}

/* Wait delay_us, then receive from the root thread (and never reply). */
static void receive_later(void)
{
    L4_Sleep(L4_TimePeriod(delay_us));
    L4_MsgTag_t t = L4_Receive_Timeout(root, SECOND);
    peer_tag = t.raw;
    peer_done = 1;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

static void start(void)
{
    root = L4_Myself();
    peer_done = peer_tag = peer_err = 0;
}

TEST(ipc_timeouts, zero_send_timeout_fails_at_once)
{
    L4_ThreadId_t s = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(s));
    L4_LoadMR(0, 0);
    L4_MsgTag_t t = L4_Send_Timeout(s, L4_ZeroTime);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 0));
    test_kill_thread(s);
}

TEST(ipc_timeouts, zero_receive_timeout_fails_at_once)
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait_Timeout(L4_ZeroTime, &from);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
}

/* A period of 0 µs with another exponent than ZeroTime's is zero too. */
TEST(ipc_timeouts, zero_period_with_other_exponent)
{
    L4_ThreadId_t from;
    L4_Time_t zero = { .raw = 2 << 10 };
    L4_MsgTag_t t = L4_Wait_Timeout(zero, &from);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
}

/* X.2: "A pending incoming message is received if the timeout period is
 * 0", and a zero send timeout succeeds if the receiver is waiting. */
TEST(ipc_timeouts, zero_timeouts_succeed_with_ready_partner)
{
    start();
    delay_us = 1;
    L4_ThreadId_t p = test_start_thread(send_later);
    CHECK(!L4_IsNilThread(p));
    L4_Sleep(L4_TimePeriod(3000));                  /* p is now blocked sending */
    L4_MsgTag_t t = L4_Receive_Timeout(p, L4_ZeroTime);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0x1111);
    test_kill_thread(p);

    start();
    p = test_start_thread(receive_later);
    CHECK(!L4_IsNilThread(p));
    L4_Sleep(L4_TimePeriod(3000));                  /* p is now waiting for us */
    L4_LoadMR(0, 0x2222UL << 16);
    t = L4_Reply(p);
    CHECK(L4_IpcSucceeded(t));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(L4_Label((L4_MsgTag_t){ .raw = peer_tag }), 0x2222);
    test_kill_thread(p);
}

TEST(ipc_timeouts, relative_receive_timeout)
{
    L4_ThreadId_t s = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(s));
    L4_Word_t t0 = now();
    L4_MsgTag_t t = L4_Receive_Timeout(s, L4_TimePeriod(5000));
    L4_Word_t t1 = now();
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
    CHECK(t1 - t0 >= 5000);
    test_kill_thread(s);
}

TEST(ipc_timeouts, relative_send_timeout)
{
    L4_ThreadId_t s = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(s));
    L4_LoadMR(0, 0);
    L4_Word_t t0 = now();
    L4_MsgTag_t t = L4_Send_Timeout(s, L4_TimePeriod(5000));
    L4_Word_t t1 = now();
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 0));
    CHECK(t1 - t0 >= 5000);
    test_kill_thread(s);
}

/* A mantissa/exponent pair other than the canonical one: 3 * 2^11 µs. */
TEST(ipc_timeouts, unnormalised_period)
{
    L4_Time_t p = { .raw = 11 << 10 | 3 };
    L4_ThreadId_t from;
    L4_Word_t t0 = now();
    L4_MsgTag_t t = L4_Wait_Timeout(p, &from);
    CHECK(L4_IpcFailed(t));
    CHECK(now() - t0 >= 3 * 2048);
}

TEST(ipc_timeouts, send_to_self_times_out)
{
    L4_LoadMR(0, 0);
    L4_Word_t t0 = now();
    L4_MsgTag_t t = L4_Send_Timeout(L4_Myself(), L4_TimePeriod(2000));
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 0));
    CHECK(now() - t0 >= 2000);
}

TEST(ipc_timeouts, never_waits_for_the_partner)
{
    start();
    delay_us = 20000;
    L4_Word_t t0 = now();
    L4_ThreadId_t p = test_start_thread(send_later);
    CHECK(!L4_IsNilThread(p));
    L4_MsgTag_t t = L4_Receive_Timeout(p, L4_Never);
    CHECK(L4_IpcSucceeded(t));
    CHECK(now() - t0 >= 20000);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    CHECK_EQ(w, 77);
    test_kill_thread(p);
}

/* A partner arriving before the timeout ends the wait successfully, and
 * the timeout is gone afterwards: it does not hit a later Never wait. */
TEST(ipc_timeouts, timeout_disarmed_by_success)
{
    start();
    delay_us = 1000;
    L4_ThreadId_t p = test_start_thread(send_later);
    CHECK(!L4_IsNilThread(p));
    CHECK(L4_IpcSucceeded(L4_Receive_Timeout(p, L4_TimePeriod(10000))));
    test_kill_thread(p);
    start();
    delay_us = 30000;
    p = test_start_thread(send_later);
    CHECK(!L4_IsNilThread(p));
    CHECK(L4_IpcSucceeded(L4_Receive_Timeout(p, L4_Never)));
    test_kill_thread(p);
}

/* The receive timeout of a Call starts when the send phase has completed
 * (X.2 §5.6 RcvTimeout). */
TEST(ipc_timeouts, receive_timeout_starts_after_send)
{
    start();
    delay_us = 10000;
    L4_ThreadId_t p = test_start_thread(receive_later);
    CHECK(!L4_IsNilThread(p));
    L4_LoadMR(0, 0);
    L4_Word_t t0 = now();
    L4_MsgTag_t t = L4_Call_Timeouts(p, L4_Never, L4_TimePeriod(5000));
    L4_Word_t t1 = now();
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
    CHECK(t1 - t0 >= 15000);
    CHECK(test_wait_until(is_done, 1000));
    CHECK(L4_IpcSucceeded((L4_MsgTag_t){ .raw = peer_tag }));
    test_kill_thread(p);
}

TEST(ipc_timeouts, sleep)
{
    L4_Word_t t0 = now();
    L4_Sleep(L4_TimePeriod(5000));
    L4_Word_t t1 = now();
    CHECK(t1 - t0 >= 5000);
    L4_MsgTag_t t = L4_MsgTag();
    CHECK(L4_IpcFailed(t));                         /* Sleep ends with a receive timeout */
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
}

/* Time points (X.2 §3.3): Pecan implements them.  A point is valid for
 * (2^10 - 1) * 2^e µs after its construction; the timeout expires when the
 * clock reaches it (rounded down to 2^e). */
static L4_Time_t point_at(L4_Word_t at, unsigned e)
{
    return (L4_Time_t){ .raw = (L4_Word16_t)(0x8000 | e << 11 | ((at >> (e + 10)) & 1) << 10 |
                                             ((at >> e) & 0x3FF)) };
}

TEST(ipc_timeouts, time_point_receive_timeout)
{
    static const unsigned es[] = { 4, 7, 0 };
    static const L4_Word_t ds[] = { 10000, 50000, 700 };
    for (int i = 0; i < 3; i++) {
        L4_Word_t at = now() + ds[i];
        L4_ThreadId_t from;
        L4_MsgTag_t t = L4_Wait_Timeout(point_at(at, es[i]), &from);
        L4_Word_t t1 = now();
        CHECK(L4_IpcFailed(t));
        CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
        CHECK(t1 >= (at & ~((1UL << es[i]) - 1)));
    }
}

TEST(ipc_timeouts, time_point_send_timeout)
{
    L4_ThreadId_t s = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(s));
    L4_Word_t at = now() + 8000;
    L4_LoadMR(0, 0);
    L4_MsgTag_t t = L4_Send_Timeout(s, point_at(at, 3));
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 0));
    CHECK(now() >= (at & ~7UL));
    test_kill_thread(s);
}

/* A point that has passed is no longer valid (X.2); whatever the kernel
 * makes of it, the IPC must end with a timeout. */
TEST(ipc_timeouts, time_point_in_the_past_ends)
{
    L4_Word_t at = now() - 10;
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait_Timeout(point_at(at, 0), &from);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
}

/* libl4's L4_TimePoint builds points the kernel understands. */
TEST(ipc_timeouts, libl4_time_point)
{
    L4_Clock_t at = { .raw = now() + 6000 };
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait_Timeout(L4_TimePoint(at), &from);
    CHECK(L4_IpcFailed(t));
    CHECK(now() >= at.raw - 8);
}
