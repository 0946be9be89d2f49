/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC errors (X.2 §5.6 "ErrorCode", spec ipc.md §9): every error number
 * with its phase bit and the e flag; partners deleted under a blocked
 * thread; no failure leaves a thread blocked for good.
 *
 * ErrorCode = offset << 4 | number << 1 | phase (0 send, 1 receive).
 * Transfer timeouts (5, 6) and "aborted" (7) need string items with page
 * faults during the copy: they belong to the string-item tests.
 */
#include "suite.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/kip.h>
#include <l4/items.h>

#define SECOND   L4_TimePeriod(1000000)

static L4_ThreadId_t root, target;
static volatile L4_Word_t peer_tag, peer_err, peer_from, peer_done;

static void reset(void)
{
    root = L4_Myself();
    peer_tag = peer_err = peer_from = peer_done = 0;
}

static int is_done(void)
{
    return peer_done != 0;
}

static void record(L4_MsgTag_t t, L4_ThreadId_t from)
{
    peer_tag = t.raw;
    peer_err = L4_ErrorCode();
    peer_from = from.raw;
    peer_done = 1;
}

/* A thread that exists but never receives. */
static void sleeper(void)
{
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

/* A thread number of our task that no thread uses. */
static L4_ThreadId_t unused_id(void)
{
    return L4_GlobalId(L4_ThreadNo(L4_Myself()) + 200, 1);
}

static L4_Word_t try_send(L4_ThreadId_t to, L4_ThreadId_t *from)
{
    *from = (L4_ThreadId_t){ .raw = 0xBAD };
    L4_LoadMR(0, 0);
    L4_MsgTag_t t = L4_Ipc(to, L4_anythread, L4_Timeouts(L4_ZeroTime, L4_ZeroTime), from);
    return L4_IpcFailed(t) ? L4_ErrorCode() : 0;
}

TEST(ipc_errors, send_to_nonexistent_thread)
{
    L4_ThreadId_t from;
    CHECK_EQ(try_send(unused_id(), &from), ERR(L4_ErrNonExist, 0));
    CHECK_EQ(from.raw, 0);                      /* nilthread; no receive phase ran */
}

TEST(ipc_errors, send_to_stale_version)
{
    L4_ThreadId_t t = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(t));
    L4_ThreadId_t stale = L4_GlobalId(L4_ThreadNo(t), (L4_Version(t) % 63) + 1);
    L4_ThreadId_t from;
    CHECK_EQ(try_send(stale, &from), ERR(L4_ErrNonExist, 0));
    CHECK_EQ(try_send(t, &from), ERR(L4_ErrTimeout, 0));    /* the right version exists */
    test_kill_thread(t);
}

TEST(ipc_errors, send_to_deleted_thread)
{
    L4_ThreadId_t t = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(t));
    test_kill_thread(t);
    L4_ThreadId_t from;
    CHECK_EQ(try_send(t, &from), ERR(L4_ErrNonExist, 0));
}

/* X.2: "Anythread as a destination is illegal and will also raise this
 * error"; anylocalthread names no thread either. */
TEST(ipc_errors, send_to_wildcards)
{
    L4_ThreadId_t from;
    CHECK_EQ(try_send(L4_anythread, &from), ERR(L4_ErrNonExist, 0));
    CHECK_EQ(try_send(L4_anylocalthread, &from), ERR(L4_ErrNonExist, 0));
}

TEST(ipc_errors, send_to_unused_local_id)
{
    /* A UTCB location of our area that no thread uses. */
    L4_ThreadId_t local = { .raw = L4_MyLocalId().raw + 30 * L4_UtcbSize(test_kip()) };
    L4_ThreadId_t from;
    CHECK_EQ(try_send(local, &from), ERR(L4_ErrNonExist, 0));
}

TEST(ipc_errors, receive_from_nonexistent_thread)
{
    L4_ThreadId_t from = { .raw = 0xBAD };
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, unused_id(), L4_Timeouts(L4_Never, L4_Never), &from);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrNonExist, 1));
    CHECK_EQ(from.raw, 0);
    L4_ThreadId_t local = { .raw = L4_MyLocalId().raw + 30 * L4_UtcbSize(test_kip()) };
    t = L4_Ipc(L4_nilthread, local, L4_Timeouts(L4_Never, L4_Never), &from);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrNonExist, 1));
}

/* A failing send phase skips the receive phase: the call returns at once
 * with a send-phase error even though the receive timeout is never. */
TEST(ipc_errors, failed_send_skips_receive)
{
    L4_LoadMR(0, 0);
    L4_MsgTag_t t = L4_Call(unused_id());
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrNonExist, 0));
    L4_ThreadId_t s = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(s));
    L4_LoadMR(0, 0);
    t = L4_Call_Timeouts(s, L4_ZeroTime, L4_Never);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 0));
    test_kill_thread(s);
}

TEST(ipc_errors, timeout_codes)
{
    L4_ThreadId_t s = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(s));
    L4_LoadMR(0, 0);
    L4_MsgTag_t t = L4_Send_Timeout(s, L4_ZeroTime);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 0));
    t = L4_Receive_Timeout(s, L4_ZeroTime);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
    t = L4_Receive_Timeout(s, L4_TimePeriod(1000));
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
    test_kill_thread(s);
}

/* --- Cancelling with ExchangeRegisters --- */

static L4_Word_t exregs_ctl(L4_ThreadId_t t, L4_Word_t control)
{
    L4_Word_t ctl, sp, ip, flags, handle;
    L4_ThreadId_t pager;
    L4_ExchangeRegisters(t, control, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle,
                         &pager);
    return ctl;
}

static void send_forever(void)
{
    L4_LoadMR(0, 0x5E4D0000UL);
    L4_ThreadId_t from = L4_nilthread;
    record(L4_Send(target), from);
}

static void receive_forever(void)
{
    L4_ThreadId_t from = L4_nilthread;
    record(L4_Ipc(L4_nilthread, target, L4_Timeouts(L4_Never, L4_Never), &from), from);
}

static void call_forever(void)
{
    L4_LoadMR(0, 0);
    L4_ThreadId_t from = L4_nilthread;
    record(L4_Ipc(target, target, L4_Timeouts(L4_Never, L4_Never), &from), from);
}

static int peer_blocked_sending(L4_ThreadId_t t)
{
    for (int i = 0; i < 1000; i++) {
        if (exregs_ctl(t, 0) & L4_ExReg_AbortSend) {
            return 1;
        }
        L4_Yield();
    }
    return 0;
}

static int peer_blocked_receiving(L4_ThreadId_t t)
{
    for (int i = 0; i < 1000; i++) {
        if (exregs_ctl(t, 0) & L4_ExReg_AbortRecv) {
            return 1;
        }
        L4_Yield();
    }
    return 0;
}

TEST(ipc_errors, cancel_blocked_send)
{
    reset();
    target = L4_Myself();
    L4_ThreadId_t p = test_start_thread(send_forever);
    CHECK(!L4_IsNilThread(p));
    CHECK(peer_blocked_sending(p));
    exregs_ctl(p, L4_ExReg_AbortSend);
    CHECK(test_wait_until(is_done, 1000));
    CHECK(L4_IpcFailed((L4_MsgTag_t){ .raw = peer_tag }));
    CHECK_EQ(peer_err, ERR(L4_ErrCanceled, 0));
    CHECK(L4_IpcFailed(L4_Receive_Timeout(p, L4_ZeroTime)));  /* nothing left queued */
    test_kill_thread(p);
}

TEST(ipc_errors, cancel_blocked_receive)
{
    reset();
    target = L4_Myself();
    L4_ThreadId_t p = test_start_thread(receive_forever);
    CHECK(!L4_IsNilThread(p));
    CHECK(peer_blocked_receiving(p));
    exregs_ctl(p, L4_ExReg_AbortRecv);
    CHECK(test_wait_until(is_done, 1000));
    CHECK(L4_IpcFailed((L4_MsgTag_t){ .raw = peer_tag }));
    CHECK_EQ(peer_err, ERR(L4_ErrCanceled, 1));
    CHECK_EQ(peer_from, 0);
    test_kill_thread(p);
}

/* Cancelling the wrong phase changes nothing: a blocked sender stays
 * blocked on r, and its message still arrives. */
TEST(ipc_errors, cancel_other_phase_is_ignored)
{
    reset();
    target = L4_Myself();
    L4_ThreadId_t p = test_start_thread(send_forever);
    CHECK(!L4_IsNilThread(p));
    CHECK(peer_blocked_sending(p));
    exregs_ctl(p, L4_ExReg_AbortRecv);
    L4_Yield();
    CHECK(!peer_done);
    CHECK(exregs_ctl(p, 0) & L4_ExReg_AbortSend);
    L4_MsgTag_t t = L4_Receive_Timeout(p, SECOND);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0x5E4D);
    CHECK(test_wait_until(is_done, 1000));
    CHECK(L4_IpcSucceeded((L4_MsgTag_t){ .raw = peer_tag }));
    test_kill_thread(p);
}

/* A Call whose send phase is done is in its receive phase: cancelling it
 * there gives a receive-phase error. */
TEST(ipc_errors, cancel_call_waiting_for_reply)
{
    reset();
    target = L4_Myself();
    L4_ThreadId_t p = test_start_thread(call_forever);
    CHECK(!L4_IsNilThread(p));
    CHECK(L4_IpcSucceeded(L4_Receive_Timeout(p, SECOND)));
    CHECK(peer_blocked_receiving(p));
    exregs_ctl(p, L4_ExReg_AbortRecv | L4_ExReg_AbortSend);
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(peer_err, ERR(L4_ErrCanceled, 1));
    test_kill_thread(p);
}

/* --- Message overflow: both partners fail (send and receive phase) --- */

static volatile L4_Word_t rcv_acceptor;

static volatile int receive_late;

static void receive_with_acceptor(void)
{
    if (receive_late) {
        L4_Sleep(L4_TimePeriod(3000));          /* the sender queues first */
    }
    L4_Accept((L4_Acceptor_t){ .raw = rcv_acceptor });
    L4_ThreadId_t from = L4_nilthread;
    record(L4_Ipc(L4_nilthread, target, L4_Timeouts(L4_Never, SECOND), &from), from);
}

/* Send `tag` with words w[] to a waiting receiver with acceptor acc; check
 * that both sides fail with message overflow. */
static void expect_overflow(L4_Word_t tag, const L4_Word_t *w, unsigned n, L4_Word_t acc)
{
    reset();
    target = L4_Myself();
    rcv_acceptor = acc;
    L4_ThreadId_t p = test_start_thread(receive_with_acceptor);
    CHECK(!L4_IsNilThread(p));
    if (!receive_late) {
        CHECK(peer_blocked_receiving(p));
    }
    L4_LoadMR(0, tag);
    for (unsigned i = 0; i < n; i++) {
        L4_LoadMR((int)i + 1, w[i]);
    }
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t t = L4_Ipc(p, p, L4_Timeouts(SECOND, L4_ZeroTime), &from);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode() & 0xF, ERR(L4_ErrMsgOverflow, 0));
    CHECK_EQ(from.raw, p.raw);                  /* Pecan: to, like Pistachio */
    CHECK(test_wait_until(is_done, 1000));
    CHECK(L4_IpcFailed((L4_MsgTag_t){ .raw = peer_tag }));
    CHECK_EQ(peer_err & 0xF, ERR(L4_ErrMsgOverflow, 1));
    CHECK_EQ(peer_err >> 4, 0);                 /* no string bytes copied */
    CHECK_EQ(peer_from, L4_MyLocalId().raw);    /* Pecan: the partner took part */
    /* The receiver gets the sender's label, u and t with e set. */
    CHECK_EQ(peer_tag & ~0xF000UL, tag & ~0xF000UL);
    test_kill_thread(p);
}

TEST(ipc_errors, overflow_more_than_63_words)
{
    L4_Word_t w[63] = { 0 };
    receive_late = 0;
    expect_overflow(0x77UL << 16 | 30 << 6 | 40, w, 63, 0);
}

/* The same with the sender queued before the receiver comes. */
TEST(ipc_errors, overflow_found_by_receiver)
{
    L4_Word_t w[63] = { 0 };
    receive_late = 1;
    expect_overflow(0x78UL << 16 | 30 << 6 | 40, w, 63, 0);
    receive_late = 0;
}

TEST(ipc_errors, overflow_map_item_without_window)
{
    static char page[4096] __attribute__((aligned(4096)));
    L4_MapItem_t m = L4_MapItem(L4_FpageLog2((L4_Word_t)page, 12), 0);
    L4_Word_t w[2] = { m.raw[0], m.raw[1] };
    expect_overflow(2 << 6, w, 2, L4_UntypedWordsAcceptor.raw);
}

TEST(ipc_errors, overflow_map_item_with_nil_fpage_without_window)
{
    L4_Word_t w[2] = { 0x8, 0 };
    expect_overflow(2 << 6, w, 2, L4_UntypedWordsAcceptor.raw);
}

TEST(ipc_errors, overflow_reserved_item_types)
{
    L4_Word_t w[2] = { 0xE, 0 };                /* 111C: reserved */
    expect_overflow(2 << 6, w, 2, L4_MapGrantItems(L4_CompleteAddressSpace).raw);
    if (test_failed()) {
        return;
    }
    w[0] = 0xC;                                 /* 110C: reserved (Pistachio ctrl xfer) */
    expect_overflow(2 << 6, w, 2, L4_MapGrantItems(L4_CompleteAddressSpace).raw);
}

TEST(ipc_errors, overflow_item_past_end)
{
    L4_Word_t w[2] = { 0x8, 0 };
    expect_overflow(1 << 6, w, 1, L4_MapGrantItems(L4_CompleteAddressSpace).raw);
}

TEST(ipc_errors, overflow_string_item_not_accepted)
{
    static char buf[16];
    L4_Word_t w[2] = { 16UL << 10, (L4_Word_t)buf };
    expect_overflow(2 << 6, w, 2, L4_MapGrantItems(L4_CompleteAddressSpace).raw);
}

/* --- Partners that disappear --- */

static void kill_target_later(void)
{
    L4_Sleep(L4_TimePeriod(2000));
    test_kill_thread(target);
    peer_from = 1;
}

/* Deleting the thread we are blocked sending to ends our send phase with
 * "non-existing partner" (Pecan; Pistachio leaves us blocked). */
TEST(ipc_errors, partner_deleted_while_sending_to_it)
{
    reset();
    target = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(target));
    L4_ThreadId_t killer = test_start_thread(kill_target_later);
    CHECK(!L4_IsNilThread(killer));
    L4_LoadMR(0, 0);
    L4_MsgTag_t t = L4_Send_Timeout(target, SECOND);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrNonExist, 0));
    test_kill_thread(killer);
}

TEST(ipc_errors, partner_deleted_while_receiving_from_it)
{
    reset();
    target = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(target));
    L4_ThreadId_t killer = test_start_thread(kill_target_later);
    CHECK(!L4_IsNilThread(killer));
    L4_MsgTag_t t = L4_Receive_Timeout(target, SECOND);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrNonExist, 1));
    test_kill_thread(killer);
}

/* The server of our Call dies before replying. */
static void receive_and_die(void)
{
    L4_ThreadId_t from;
    L4_Wait_Timeout(SECOND, &from);
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

TEST(ipc_errors, server_deleted_before_reply)
{
    reset();
    target = test_start_thread(receive_and_die);
    CHECK(!L4_IsNilThread(target));
    L4_ThreadId_t killer = test_start_thread(kill_target_later);
    CHECK(!L4_IsNilThread(killer));
    L4_LoadMR(0, 0);
    L4_MsgTag_t t = L4_Call_Timeouts(target, SECOND, SECOND);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrNonExist, 1));
    test_kill_thread(killer);
}

/* A deleted sender leaves no message behind in our queue. */
TEST(ipc_errors, deleted_sender_leaves_nothing_queued)
{
    reset();
    target = L4_Myself();
    L4_ThreadId_t p = test_start_thread(send_forever);
    CHECK(!L4_IsNilThread(p));
    CHECK(peer_blocked_sending(p));
    test_kill_thread(p);
    L4_MsgTag_t t = L4_Wait_Timeout(L4_ZeroTime, &p);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
}

/* Deleting a thread in an open wait leaves the senders it had nothing to
 * do with alone, and a thread in an open wait is not woken when some
 * other thread dies. */
static void open_wait(void)
{
    L4_ThreadId_t from = L4_nilthread;
    record(L4_Wait_Timeout(SECOND, &from), from);
}

TEST(ipc_errors, unrelated_deletion_leaves_open_wait_alone)
{
    reset();
    L4_ThreadId_t w = test_start_thread(open_wait);
    CHECK(!L4_IsNilThread(w));
    L4_ThreadId_t s = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(s));
    CHECK(peer_blocked_receiving(w));
    test_kill_thread(s);
    L4_Yield();
    CHECK(!peer_done);
    L4_LoadMR(0, 0x1234UL << 16);
    CHECK(L4_IpcSucceeded(L4_Send_Timeout(w, SECOND)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(L4_Label((L4_MsgTag_t){ .raw = peer_tag }), 0x1234);
    test_kill_thread(w);
}

/* A thread that exists but is not active is a partner that never becomes
 * ready: sends to it and receives from it time out (spec ipc.md §2.6). */
TEST(ipc_errors, inactive_thread_is_never_ready)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK(!L4_IsNilThread(t));
    CHECK(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_nilthread, (void *)utcb));
    L4_LoadMR(0, 0);
    L4_MsgTag_t r = L4_Send_Timeout(t, L4_ZeroTime);
    CHECK(L4_IpcFailed(r));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 0));
    r = L4_Send_Timeout(t, L4_TimePeriod(2000));
    CHECK(L4_IpcFailed(r));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 0));
    r = L4_Receive_Timeout(t, L4_TimePeriod(2000));
    CHECK(L4_IpcFailed(r));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrTimeout, 1));
    test_kill_thread(t);
}

/* nilthread as FromSpecifier means "no receive phase", never a partner
 * that does not exist: with a `to` the IPC is a plain send. */
TEST(ipc_errors, nil_from_specifier_is_send_only)
{
    reset();
    target = L4_Myself();
    L4_ThreadId_t p = test_start_thread(receive_forever);
    CHECK(!L4_IsNilThread(p));
    CHECK(peer_blocked_receiving(p));
    L4_ThreadId_t from = { .raw = 0xBAD };
    L4_LoadMR(0, 0x4E11UL << 16);
    L4_MsgTag_t t = L4_Ipc(p, L4_nilthread, L4_Timeouts(SECOND, L4_Never), &from);
    CHECK(L4_IpcSucceeded(t));                  /* returned without a receive phase */
    CHECK_EQ(from.raw, 0xBAD);                  /* libl4 does not store from */
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(L4_Label((L4_MsgTag_t){ .raw = peer_tag }), 0x4E11);
    L4_LoadMR(0, 0);
    t = L4_Ipc(unused_id(), L4_nilthread, L4_Timeouts(SECOND, L4_Never), &from);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), ERR(L4_ErrNonExist, 0));   /* the send phase failed */
    test_kill_thread(p);
}
