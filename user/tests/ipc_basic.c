/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC basics (X.2 §5.6, spec ipc.md §1–5): Send, Receive, Call, ReplyWait
 * within the root space and between spaces; closed, open and anylocal
 * receives; local and global ids in both directions; the message tag and
 * every untyped-word count; the thread start protocol.
 *
 * The root thread is one partner, test threads the other.  Every wait of
 * the root thread has a timeout, so a kernel bug fails a CHECK instead of
 * hanging the suite.
 */
#include "suite.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/kip.h>

#define SECOND      L4_TimePeriod(1000000)
#define LABEL       0x4242UL
#define SENTINEL    0x5E17E1000000UL
#define STOP_LABEL  0x5709UL

static L4_ThreadId_t root;              /* the root thread, as peers address it */
static volatile L4_Word_t seen_tag, seen_from, seen_err, seen_mr[4], peer_done;

static L4_MsgTag_t make_tag(L4_Word_t label, unsigned u, unsigned t)
{
    return (L4_MsgTag_t){ .raw = label << 16 | (L4_Word_t)t << 6 | u };
}

static void load_words(L4_Word_t label, unsigned u, L4_Word_t base)
{
    L4_LoadMR(0, make_tag(label, u, 0).raw);
    for (unsigned i = 1; i <= u; i++) {
        L4_LoadMR((int)i, base + i);
    }
}

static int is_done(void)
{
    return peer_done != 0;
}

static void reset_seen(void)
{
    seen_tag = seen_from = seen_err = peer_done = 0;
    for (int i = 0; i < 4; i++) {
        seen_mr[i] = 0;
    }
}

/* Peer: send three words to `root`, record the result. */
static void send_three(void)
{
    load_words(LABEL, 3, 100);
    L4_MsgTag_t t = L4_Send_Timeout(root, SECOND);
    seen_tag = t.raw;
    seen_err = L4_ErrorCode();
    peer_done = 1;
}

/* Peer: receive from `root` (closed), record tag, from and MR1..3. */
static void receive_from_root(void)
{
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, root, L4_Timeouts(L4_Never, SECOND), &from);
    seen_tag = t.raw;
    seen_from = from.raw;
    seen_err = L4_ErrorCode();
    for (int i = 1; i <= 3; i++) {
        L4_Word_t w;
        L4_StoreMR(i, &w);
        seen_mr[i] = w;
    }
    peer_done = 1;
}

/* Peer: serve calls until a STOP_LABEL message: reply MR1 + 1 with label+1. */
static void adder_server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait_Timeout(SECOND, &from);
    while (L4_IpcSucceeded(t) && L4_Label(t) != STOP_LABEL) {
        L4_Word_t w;
        L4_StoreMR(1, &w);
        L4_LoadMR(0, make_tag(L4_Label(t) + 1, 1, 0).raw);
        L4_LoadMR(1, w + 1);
        seen_from = from.raw;
        t = L4_ReplyWait_Timeout(from, SECOND, &from);
    }
    peer_done = 1;
}

TEST(ipc, send_then_closed_receive_same_space)
{
    reset_seen();
    root = L4_Myself();
    L4_ThreadId_t peer = test_start_thread(send_three);
    CHECK(!L4_IsNilThread(peer));
    L4_ThreadId_t from = L4_nilthread;
    for (int i = 1; i <= 3; i++) {
        L4_LoadMR(i, 0);
    }
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, peer, L4_Timeouts(L4_Never, SECOND), &from);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(t.raw, make_tag(LABEL, 3, 0).raw);
    CHECK_EQ(from.raw, L4_LocalIdOf(peer).raw);        /* same space: local id */
    for (int i = 1; i <= 3; i++) {
        L4_Word_t w;
        L4_StoreMR(i, &w);
        CHECK_EQ(w, 100 + (L4_Word_t)i);
    }
    CHECK(test_wait_until(is_done, 1000));
    CHECK(L4_IpcSucceeded((L4_MsgTag_t){ .raw = seen_tag }));
    test_kill_thread(peer);
}

TEST(ipc, closed_receive_by_local_id)
{
    reset_seen();
    root = L4_Myself();
    L4_ThreadId_t peer = test_start_thread(send_three);
    CHECK(!L4_IsNilThread(peer));
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, L4_LocalIdOf(peer), L4_Timeouts(L4_Never, SECOND),
                           &from);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_UntypedWords(t), 3);
    CHECK_EQ(from.raw, L4_LocalIdOf(peer).raw);
    test_kill_thread(peer);
}

static void send_to_waiting_peer(int by_local_id)
{
    reset_seen();
    root = L4_Myself();
    L4_ThreadId_t peer = test_start_thread(receive_from_root);
    CHECK(!L4_IsNilThread(peer));
    L4_Yield();                                         /* let it start waiting */
    load_words(LABEL, 3, 200);
    L4_ThreadId_t to = by_local_id ? L4_LocalIdOf(peer) : peer;
    L4_MsgTag_t t = L4_Send_Timeout(to, SECOND);
    CHECK(L4_IpcSucceeded(t));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(seen_tag, make_tag(LABEL, 3, 0).raw);
    CHECK_EQ(seen_from, L4_MyLocalId().raw);
    CHECK_EQ(seen_mr[1], 201);
    CHECK_EQ(seen_mr[2], 202);
    CHECK_EQ(seen_mr[3], 203);
    test_kill_thread(peer);
}

TEST(ipc, send_by_global_id_to_waiting_thread) { send_to_waiting_peer(0); }
TEST(ipc, send_by_local_id_to_waiting_thread) { send_to_waiting_peer(1); }

TEST(ipc, call_and_reply_wait)
{
    reset_seen();
    L4_ThreadId_t server = test_start_thread(adder_server);
    CHECK(!L4_IsNilThread(server));
    for (L4_Word_t i = 0; i < 20; i++) {
        L4_LoadMR(0, make_tag(0x100 + i, 1, 0).raw);
        L4_LoadMR(1, 1000 * i);
        L4_MsgTag_t t = L4_Call_Timeouts(server, SECOND, SECOND);
        CHECK(L4_IpcSucceeded(t));
        CHECK_EQ(L4_Label(t), 0x101 + i);
        CHECK_EQ(L4_UntypedWords(t), 1);
        L4_Word_t w;
        L4_StoreMR(1, &w);
        CHECK_EQ(w, 1000 * i + 1);
        CHECK_EQ(seen_from, L4_MyLocalId().raw);
    }
    L4_LoadMR(0, make_tag(STOP_LABEL, 0, 0).raw);
    L4_Send_Timeout(server, SECOND);
    CHECK(test_wait_until(is_done, 1000));
    test_kill_thread(server);
}

TEST(ipc, lipc_call_by_local_id)
{
    reset_seen();
    L4_ThreadId_t server = test_start_thread(adder_server);
    CHECK(!L4_IsNilThread(server));
    L4_LoadMR(0, make_tag(7, 1, 0).raw);
    L4_LoadMR(1, 41);
    L4_MsgTag_t t = L4_Lcall(L4_LocalIdOf(server));
    CHECK(L4_IpcSucceeded(t));
    L4_Word_t w;
    L4_StoreMR(1, &w);
    CHECK_EQ(w, 42);
    CHECK_EQ(L4_Label(t), 8);
    L4_LoadMR(0, make_tag(STOP_LABEL, 0, 0).raw);
    L4_Send_Timeout(server, SECOND);
    test_kill_thread(server);
}

/* Open wait: messages from two senders, each identified by its local id. */
static void send_label_1(void)
{
    L4_LoadMR(0, make_tag(1, 0, 0).raw);
    L4_Send_Timeout(root, SECOND);
}

static void send_label_2(void)
{
    L4_LoadMR(0, make_tag(2, 0, 0).raw);
    L4_Send_Timeout(root, SECOND);
}

TEST(ipc, open_wait_from_any_thread)
{
    root = L4_Myself();
    L4_ThreadId_t a = test_start_thread(send_label_1);
    L4_ThreadId_t b = test_start_thread(send_label_2);
    CHECK(!L4_IsNilThread(a) && !L4_IsNilThread(b));
    int got = 0;
    for (int i = 0; i < 2; i++) {
        L4_ThreadId_t from;
        L4_MsgTag_t t = L4_Wait_Timeout(SECOND, &from);
        CHECK(L4_IpcSucceeded(t));
        L4_ThreadId_t expect = L4_Label(t) == 1 ? a : b;
        CHECK_EQ(from.raw, L4_LocalIdOf(expect).raw);
        got |= 1 << L4_Label(t);
    }
    CHECK_EQ(got, 6);
    test_kill_thread(a);
    test_kill_thread(b);
}

/* X.2 §5.6: MR0 returns label 0, u = 0, t = 0... for a send-only IPC
 * Pistachio returns the sent tag; both keep e clear.  Nil/nil does nothing. */
TEST(ipc, nil_to_and_nil_from_returns_at_once)
{
    L4_LoadMR(0, make_tag(0x77, 5, 0).raw);
    L4_ThreadId_t from = { .raw = 0x1234 };
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, L4_nilthread, L4_Timeouts(L4_Never, L4_Never), &from);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(t.raw, make_tag(0x77, 5, 0).raw);         /* MR0 unchanged */
    CHECK_EQ(from.raw, 0x1234);                         /* libl4 leaves from alone */
}

/* Tag delivery: the label arrives intact (48 bits), r, x and e set by the
 * sender are cleared, p without a valid VirtualSender is cleared. */
static void send_flags(void)
{
    L4_Set_VirtualSender(L4_nilthread);
    L4_LoadMR(0, 0xABCDEF012345UL << 16 | 0xF000 | 1);
    L4_LoadMR(1, 9);
    L4_Send_Timeout(root, SECOND);
}

TEST(ipc, label_intact_and_sender_flags_cleared)
{
    root = L4_Myself();
    L4_ThreadId_t peer = test_start_thread(send_flags);
    CHECK(!L4_IsNilThread(peer));
    L4_MsgTag_t t = L4_Receive_Timeout(peer, SECOND);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0xABCDEF012345UL);
    CHECK_EQ(t.X.flags, 0);
    CHECK_EQ(L4_UntypedWords(t), 1);
    CHECK_EQ(L4_TypedWords(t), 0);
    test_kill_thread(peer);
}

/* Every untyped-word count 0..63: MR1..MRu arrive and the receiver's
 * MR8..MR63 beyond u keep their values.  MRu+1..MR7 travel in registers
 * on amd64 and are unspecified after a receive (spec syscalls.md §7). */
static volatile L4_Word_t word_result[64];

static L4_Word_t word_value(unsigned u, unsigned i)
{
    return (u << 8 | i) * 0x9E3779B97F4A7C15UL;
}

static void load_sentinels(void)
{
    for (int i = 1; i < 64; i++) {
        L4_LoadMR(i, SENTINEL + (L4_Word_t)i);
    }
}

static void load_numbered(L4_Word_t label, unsigned u)
{
    L4_LoadMR(0, make_tag(label, u, 0).raw);
    for (unsigned i = 1; i <= u; i++) {
        L4_LoadMR((int)i, word_value(u, i));
    }
}

/* 0 if MR0..MR63 hold message t as sent by load_numbered(label, u),
 * beyond it what load_numbered(_, mine) left there, then sentinels; else
 * the number of the first wrong MR (1000: the tag). */
static L4_Word_t check_numbered(L4_MsgTag_t t, L4_Word_t label, unsigned mine)
{
    unsigned u = (unsigned)L4_UntypedWords(t);
    if (L4_Label(t) != label || L4_TypedWords(t) != 0 || t.X.flags != 0) {
        return 1000;
    }
    for (unsigned i = 1; i < 64; i++) {
        L4_Word_t w, before = i <= mine ? word_value(mine, i) : SENTINEL + i;
        L4_StoreMR((int)i, &w);
        if (i <= u ? w != word_value(u, i) : i >= 8 && w != before) {
            return i;
        }
    }
    return 0;
}

static void check_words(void)
{
    for (;;) {
        load_sentinels();
        L4_MsgTag_t t = L4_Receive_Timeout(root, SECOND);
        if (L4_IpcFailed(t) || L4_Label(t) == STOP_LABEL) {
            break;
        }
        unsigned u = (unsigned)L4_UntypedWords(t);
        L4_Word_t bad = check_numbered(t, u + 1, 0);
        word_result[u] = bad ? bad : 0xC0DE;
    }
    peer_done = 1;
}

TEST(ipc, untyped_words_0_to_63)
{
    reset_seen();
    root = L4_Myself();
    for (int u = 0; u < 64; u++) {
        word_result[u] = 0;
    }
    L4_ThreadId_t peer = test_start_thread(check_words);
    CHECK(!L4_IsNilThread(peer));
    for (unsigned u = 0; u < 64; u++) {
        load_numbered(u + 1, u);
        L4_MsgTag_t t = L4_Send_Timeout(peer, SECOND);
        CHECK(L4_IpcSucceeded(t));
    }
    L4_LoadMR(0, make_tag(STOP_LABEL, 0, 0).raw);
    CHECK(L4_IpcSucceeded(L4_Send_Timeout(peer, SECOND)));
    CHECK(test_wait_until(is_done, 1000));
    for (unsigned u = 0; u < 64; u++) {
        if (word_result[u] != 0xC0DE) {
            test_fail(__FILE__, __LINE__, "u = %u: first wrong MR %lu", u, word_result[u]);
            break;
        }
    }
    test_kill_thread(peer);
}

/* The same through Call and ReplyWait with Never timeouts, the form the
 * kernel's fast path takes: the server checks each request and echoes it
 * with u + 1 words; the caller checks the reply.  A watchdog cancels our
 * IPC if it hangs, as the waits here cannot have timeouts. */
static void echo_words(void)
{
    L4_ThreadId_t from;
    load_sentinels();
    L4_MsgTag_t t = L4_Wait(&from);
    while (L4_IpcSucceeded(t) && L4_Label(t) != STOP_LABEL) {
        unsigned u = (unsigned)L4_UntypedWords(t);
        L4_Word_t bad = check_numbered(t, u + 1, 0);
        word_result[u] = bad ? bad : 0xC0DE;
        unsigned v = u < 63 ? u + 1 : 0;
        load_sentinels();
        load_numbered(0x100 + v, v);
        t = L4_ReplyWait(from, &from);
    }
    peer_done = 1;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

TEST(ipc, untyped_words_by_call_and_reply_wait)
{
    reset_seen();
    for (int u = 0; u < 64; u++) {
        word_result[u] = 0;
    }
    L4_ThreadId_t server = test_start_thread(echo_words);
    CHECK(!L4_IsNilThread(server));
    L4_ThreadId_t dog = test_start_watchdog(L4_Myself(), 3000);
    CHECK(!L4_IsNilThread(dog));
    L4_Yield();
    for (unsigned u = 0; u < 64; u++) {
        load_sentinels();
        load_numbered(u + 1, u);
        L4_MsgTag_t t = L4_Call(server);
        CHECK(L4_IpcSucceeded(t));
        unsigned v = u < 63 ? u + 1 : 0;
        L4_Word_t bad = check_numbered(t, 0x100 + v, u);
        if (bad || L4_UntypedWords(t) != v) {
            test_fail(__FILE__, __LINE__, "reply to u = %u: first wrong MR %lu", u, bad);
            break;
        }
        if (word_result[u] != 0xC0DE) {
            test_fail(__FILE__, __LINE__, "u = %u: first wrong MR %lu", u, word_result[u]);
            break;
        }
    }
    test_kill_thread(dog);
    L4_LoadMR(0, make_tag(STOP_LABEL, 0, 0).raw);
    L4_Send_Timeout(server, SECOND);
    test_kill_thread(server);
}

/* anylocalthread accepts only senders of the own space; anythread takes
 * the other one, whose id arrives in global form. */
static L4_ThreadId_t remote_sender;

static void remote_send(void)
{
    L4_LoadMR(0, make_tag(0xE1, 0, 0).raw);
    L4_Send_Timeout(root, SECOND);
}

static void local_send(void)
{
    L4_LoadMR(0, make_tag(0x10C, 0, 0).raw);
    L4_Send_Timeout(root, SECOND);
}

TEST(ipc, anylocalthread_accepts_only_own_space)
{
    root = L4_Myself();
    CHECK(!L4_IsNilThread(test_pager_start()));
    remote_sender = test_start_space_thread(remote_send);
    CHECK(!L4_IsNilThread(remote_sender));
    L4_Sleep(L4_TimePeriod(2000));                      /* the remote one queues first */
    L4_ThreadId_t local = test_start_thread(local_send);
    CHECK(!L4_IsNilThread(local));
    L4_Sleep(L4_TimePeriod(2000));
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, SECOND), &from);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0x10C);
    CHECK_EQ(from.raw, L4_LocalIdOf(local).raw);
    t = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_ZeroTime), &from);
    CHECK(L4_IpcFailed(t));                             /* only the remote one is left */
    CHECK_EQ(L4_ErrorCode(), 0x3);
    t = L4_Wait_Timeout(SECOND, &from);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0xE1);
    CHECK_EQ(from.raw, remote_sender.raw);              /* other space: global id */
    test_kill_thread(local);
    test_kill_thread(remote_sender);
    test_pager_stop();
}

/* Between spaces: a thread of a new space calls a root-space server and
 * serves calls itself; ids are global in both directions. */
static L4_ThreadId_t server_tid;

static void remote_client(void)
{
    L4_LoadMR(0, make_tag(0x50, 1, 0).raw);
    L4_LoadMR(1, 99);
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t t = L4_Ipc(server_tid, server_tid, L4_Timeouts(SECOND, SECOND), &from);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    seen_tag = t.raw;
    seen_from = from.raw;
    seen_mr[1] = w;
    peer_done = 1;
}

TEST(ipc, call_from_other_space)
{
    reset_seen();
    root = L4_Myself();
    CHECK(!L4_IsNilThread(test_pager_start()));
    server_tid = test_start_thread(adder_server);
    CHECK(!L4_IsNilThread(server_tid));
    L4_ThreadId_t client = test_start_space_thread(remote_client);
    CHECK(!L4_IsNilThread(client));
    CHECK(test_wait_until(is_done, 5000));
    CHECK(L4_IpcSucceeded((L4_MsgTag_t){ .raw = seen_tag }));
    CHECK_EQ(L4_Label((L4_MsgTag_t){ .raw = seen_tag }), 0x51);
    CHECK_EQ(seen_mr[1], 100);
    CHECK_EQ(seen_from, server_tid.raw);                /* global: other space */
    L4_LoadMR(0, make_tag(STOP_LABEL, 0, 0).raw);
    L4_Send_Timeout(server_tid, SECOND);
    test_kill_thread(client);
    test_kill_thread(server_tid);
    test_pager_stop();
}

TEST(ipc, call_into_other_space)
{
    reset_seen();
    CHECK(!L4_IsNilThread(test_pager_start()));
    L4_ThreadId_t server = test_start_space_thread(adder_server);
    CHECK(!L4_IsNilThread(server));
    L4_LoadMR(0, make_tag(0x60, 1, 0).raw);
    L4_LoadMR(1, 5);
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t t = L4_Ipc(server, server, L4_Timeouts(SECOND, SECOND), &from);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0x61);
    CHECK_EQ(from.raw, server.raw);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    CHECK_EQ(w, 6);
    CHECK_EQ(seen_from, L4_Myself().raw);               /* the server saw our global id */
    L4_LoadMR(0, make_tag(STOP_LABEL, 0, 0).raw);
    L4_Send_Timeout(server, SECOND);
    test_kill_thread(server);
    test_pager_stop();
}

/* Thread start protocol (X.2 §7.1): an activated thread accepts only its
 * pager's start-up message; u = 2 gives IP and SP. */
static unsigned char start_stack[4096] __attribute__((aligned(16)));
static volatile L4_Word_t started_sp;

static void started_here(void)
{
    L4_Word_t sp;
    __asm__ volatile("movq %%rsp, %0" : "=r"(sp));
    started_sp = sp;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

static void impostor(void)
{
    L4_LoadMR(0, make_tag(0, 2, 0).raw);
    L4_LoadMR(1, (L4_Word_t)started_here);
    L4_LoadMR(2, (L4_Word_t)&start_stack[2048]);
    L4_MsgTag_t t = L4_Send_Timeout(server_tid, L4_ZeroTime);
    seen_tag = t.raw;
    seen_err = L4_ErrorCode();
    peer_done = 1;
}

static int has_started(void)
{
    return started_sp != 0;
}

TEST(ipc, thread_start_message_from_pager)
{
    reset_seen();
    started_sp = 0;
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    CHECK(!L4_IsNilThread(t));
    CHECK(L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb));
    L4_Set_Priority(t, 255);
    server_tid = t;
    /* Another thread's message is not the start-up message. */
    L4_ThreadId_t other = test_start_thread(impostor);
    CHECK(!L4_IsNilThread(other));
    CHECK(test_wait_until(is_done, 1000));
    CHECK(L4_IpcFailed((L4_MsgTag_t){ .raw = seen_tag }));
    CHECK_EQ(seen_err, 0x2);                            /* send timeout */
    CHECK(!has_started());
    /* From the pager (us) it is, with any label. */
    L4_LoadMR(0, make_tag(0x3333, 2, 0).raw);
    L4_LoadMR(1, (L4_Word_t)started_here);
    L4_LoadMR(2, (L4_Word_t)&start_stack[sizeof(start_stack) - 64]);
    CHECK(L4_IpcSucceeded(L4_Send_Timeout(t, SECOND)));
    CHECK(test_wait_until(has_started, 1000));
    CHECK(started_sp <= (L4_Word_t)&start_stack[sizeof(start_stack) - 64]);
    CHECK(started_sp > (L4_Word_t)&start_stack[0]);
    test_kill_thread(other);
    test_kill_thread(t);
}

/* Send queues are FIFO: three queued senders are received in the order
 * they blocked; a closed receive takes its sender from the middle. */
static void send_label_3(void)
{
    L4_LoadMR(0, make_tag(3, 0, 0).raw);
    L4_Send_Timeout(root, SECOND);
}

TEST(ipc, send_queue_is_fifo)
{
    root = L4_Myself();
    void (*fns[3])(void) = { send_label_1, send_label_2, send_label_3 };
    L4_ThreadId_t t[3];
    for (int i = 0; i < 3; i++) {
        t[i] = test_start_thread(fns[i]);
        CHECK(!L4_IsNilThread(t[i]));
        L4_Sleep(L4_TimePeriod(1000));          /* it is queued before the next starts */
    }
    L4_MsgTag_t m = L4_Receive_Timeout(t[1], SECOND);
    CHECK(L4_IpcSucceeded(m));
    CHECK_EQ(L4_Label(m), 2);
    L4_ThreadId_t from;
    m = L4_Wait_Timeout(SECOND, &from);
    CHECK(L4_IpcSucceeded(m));
    CHECK_EQ(L4_Label(m), 1);
    m = L4_Wait_Timeout(SECOND, &from);
    CHECK(L4_IpcSucceeded(m));
    CHECK_EQ(L4_Label(m), 3);
    for (int i = 0; i < 3; i++) {
        test_kill_thread(t[i]);
    }
}

/* A closed receive on one thread does not take another's message. */
static L4_ThreadId_t awaited_tid;

static void receive_from_awaited(void)
{
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, awaited_tid, L4_Timeouts(L4_Never, SECOND), &from);
    seen_tag = t.raw;
    seen_from = from.raw;
    peer_done = 1;
}

TEST(ipc, closed_receive_rejects_other_senders)
{
    reset_seen();
    root = L4_Myself();
    awaited_tid = test_start_thread(send_label_1);      /* it sends to us, not to the peer */
    CHECK(!L4_IsNilThread(awaited_tid));
    L4_ThreadId_t peer = test_start_thread(receive_from_awaited);
    CHECK(!L4_IsNilThread(peer));
    L4_Sleep(L4_TimePeriod(2000));
    L4_LoadMR(0, make_tag(9, 0, 0).raw);
    L4_MsgTag_t t = L4_Send_Timeout(peer, L4_ZeroTime);
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), 0x2);
    t = L4_Send_Timeout(peer, L4_TimePeriod(3000));
    CHECK(L4_IpcFailed(t));
    CHECK_EQ(L4_ErrorCode(), 0x2);
    CHECK(!peer_done);
    CHECK(L4_IpcSucceeded(L4_Receive_Timeout(awaited_tid, SECOND)));
    test_kill_thread(peer);
    test_kill_thread(awaited_tid);
}
