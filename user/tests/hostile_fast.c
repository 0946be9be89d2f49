/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fast path against what the general path would do: queued
 * senders, start-up messages, partners deleted, moved or renamed, I/O
 * ports across switches, anylocalthread in another space. */
#include "hostile.h"

/* --- A Call whose partner already has a message queued on its behalf --- */

#define LABEL_REPLY 0x5E1UL
#define LABEL_PROPAGATED 0x5E2UL

static L4_ThreadId_t acting_for;
static volatile int propagator_done;

/* Answers one message, then waits for good. */
static void replying_server(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    L4_LoadMR(0, (L4_MsgTag_t){ .X.label = LABEL_REPLY }.raw);
    L4_Reply(from);
    mute_pager();
}

/* Sends to the root thread on behalf of acting_for. */
static void propagator(void)
{
    L4_Set_VirtualSender(acting_for);
    L4_LoadMR(0, (L4_MsgTag_t){ .X.label = LABEL_PROPAGATED, .X.flags = 1 }.raw);
    L4_Send_Timeout(root, SECOND);
    propagator_done = 1;
}

/* The receive phase of a Call takes a message queued before it began from
 * its partner, a propagated one included (X.2 §5.6 p: the receiver sees
 * it as the virtual sender's); the fast path must not wait past it. */
TEST(hostile, call_takes_queued_propagated_message_first)
{
    root = L4_Myself();
    propagator_done = 0;
    L4_ThreadId_t s = test_start_thread(replying_server);
    acting_for = s;
    L4_ThreadId_t p = test_start_thread(propagator);
    for (int i = 0; i < 20; i++) {
        L4_Yield();                     /* s waits, p is queued at us */
    }
    L4_LoadMR(0, 0);
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t tag = L4_Ipc(s, s, L4_Timeouts(SECOND, L4_Never), &from);
    int sent = wait_for(&propagator_done);
    L4_ThreadId_t local = L4_LocalIdOf(s);
    test_kill_thread(p);
    test_kill_thread(s);
    CHECK(L4_IpcSucceeded(tag));
    CHECK(sent);
    CHECK_EQ(L4_Label(tag), LABEL_PROPAGATED);
    CHECK_EQ(from.raw, local.raw);
    CHECK(L4_IpcPropagated(tag));
}

/* --- The start-up message readies its sender, which outranks the thread --- */

static volatile int spinner_started;
static unsigned char spinner_stack[4096] __attribute__((aligned(16)));

static void spinner(void)
{
    spinner_started = 1;
    for (;;) {
    }
}

/* X.2 §7.1: a new thread waits for its pager's start-up message.  Taking
 * it readies the pager (blocked sending it); a pager of higher priority
 * then runs before the new thread's first instruction, not a tick later.
 * (A tick between the two hides the fault, hence a few rounds.) */
static int start_low_priority_thread(void)
{
    L4_Word_t utcb, old;
    L4_ThreadId_t t = test_new_tid(&utcb);
    if (L4_IsNilThread(t) ||
        !L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Myself(), (void *)utcb) ||
        !L4_Schedule(t, ~0UL, ~0UL, 100, ~0UL, &old)) {
        return -1;
    }
    spinner_started = 0;
    L4_LoadMR(0, 2);
    L4_LoadMR(1, (L4_Word_t)spinner);
    L4_LoadMR(2, (L4_Word_t)&spinner_stack[sizeof(spinner_stack)] - 8);
    L4_MsgTag_t tag = L4_Send_Timeout(t, SECOND);
    int early = spinner_started;
    L4_Sleep(L4_TimePeriod(2000));              /* now it runs */
    int later = spinner_started;
    test_kill_thread(t);
    return L4_IpcSucceeded(tag) && later ? early : -1;
}

TEST(hostile, start_message_sender_of_higher_priority_runs_first)
{
    for (int round = 0; round < 5; round++) {
        CHECK_EQ(start_low_priority_thread(), 0);
    }
}

/* --- A Call blocked by the fast path whose partner is deleted --- */

static void take_and_keep(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    mute_pager();
}

/* The fast path blocks the caller in a closed receive without a list
 * entry; deleting the partner must still find it (ipc_awaited). */
static void call_then_partner_deleted(int other_space)
{
    root = L4_Myself();
    if (other_space) {
        CHECK(!L4_IsNilThread(test_pager_start()));
    }
    victim = other_space ? test_start_space_thread(take_and_keep) : test_start_thread(take_and_keep);
    CHECK(!L4_IsNilThread(victim));
    for (int i = 0; i < 20; i++) {
        L4_Yield();                             /* it waits, no timeout */
    }
    L4_ThreadId_t dog = test_start_watchdog(root, 2000);
    L4_ThreadId_t k = test_start_thread(killer);
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call(victim);          /* timeouts never: fast path */
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(dog);
    test_kill_thread(k);
    if (other_space) {
        test_pager_stop();
    }
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err, ERR(2, 1));                   /* partner gone, receive phase */
}

TEST(hostile, fast_call_partner_deleted_same_space)
{
    call_then_partner_deleted(0);
}

TEST(hostile, fast_call_partner_deleted_other_space)
{
    call_then_partner_deleted(1);
}

/* --- Lipc's remembered local id after its thread moved to another space --- */

static volatile int served;

static void counting_server(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait(&from);
    for (;;) {
        served++;
        L4_LoadMR(0, 0);
        t = L4_LreplyWait(from, &from);
        (void)t;
    }
}

TEST(hostile, lipc_local_id_of_thread_moved_away)
{
    served = 0;
    CHECK(!L4_IsNilThread(test_pager_start()));
    L4_ThreadId_t other = test_start_space_thread(mute_pager);
    L4_ThreadId_t s = test_start_thread(counting_server);
    CHECK(!L4_IsNilThread(other) && !L4_IsNilThread(s));
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    L4_ThreadId_t local = L4_LocalIdOf(s);
    L4_LoadMR(0, 0);
    L4_MsgTag_t t1 = L4_Lcall(local);           /* remembered by the kernel */
    /* Move the (waiting) server into the other space, same UTCB location. */
    int moved = L4_ThreadControl(s, other, L4_nilthread, L4_nilthread, (void *)-1);
    L4_LoadMR(0, 0);
    L4_MsgTag_t t2 = L4_Ipc(local, local, L4_Timeouts(L4_ZeroTime, L4_Never), 0);
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(s);
    test_kill_thread(other);
    test_pager_stop();
    CHECK(L4_IpcSucceeded(t1));
    CHECK(moved);
    CHECK(L4_IpcFailed(t2));
    CHECK_EQ(err, ERR(2, 0));                   /* no thread of ours there now */
    CHECK_EQ(served, 1);
}

/* --- A closed receive on a thread whose version changes --- */

/* Call s (timeouts never) while thread fn runs beside us; the ErrorCode
 * goes to *err and the helper is deleted afterwards. */
static L4_MsgTag_t call_beside(L4_ThreadId_t s, void (*fn)(void), L4_Word_t *err)
{
    L4_ThreadId_t helper = test_start_thread(fn);
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Call(s);
    *err = L4_ErrorCode();
    test_kill_thread(helper);
    return tag;
}

static L4_ThreadId_t renamed_to;
static volatile int renamed;

/* Takes a Call, waits until ThreadControl gave it a new version, replies. */
static void renamed_server(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    wait_for(&renamed);
    L4_LoadMR(0, (L4_MsgTag_t){ .X.label = LABEL_REPLY }.raw);
    L4_Send_Timeout(from, SECOND);
    mute_pager();
}

static void renamer(void)
{
    L4_Sleep(L4_TimePeriod(10000));
    renamed = L4_ThreadControl(renamed_to, L4_Myself(), L4_nilthread, L4_nilthread,
                               (void *)-1) ? 1 : -1;
}

/* ThreadControl gives the partner of our Call a new version while we wait
 * for its reply.  Its IPC goes on (docs/threads.md), so its reply must
 * reach us, not block for want of a receiver waiting for the new id. */
TEST(hostile, call_partner_changes_version_before_reply)
{
    root = L4_Myself();
    renamed = 0;
    L4_ThreadId_t s = test_start_thread(renamed_server);
    CHECK(!L4_IsNilThread(s));
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    renamed_to = L4_GlobalId(L4_ThreadNo(s), L4_Version(s) + 64);
    L4_ThreadId_t dog = test_start_watchdog(root, 2000);
    L4_Word_t err;
    L4_MsgTag_t tag = call_beside(s, renamer, &err);
    test_kill_thread(dog);
    test_kill_thread(s);
    CHECK_EQ(renamed, 1);
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "call failed, error %lx", err);
        return;
    }
    CHECK_EQ(L4_Label(tag), LABEL_REPLY);
}

/* --- I/O ports across fast-path switches between spaces --- */

static volatile int port_server_tries;

/* Answers Calls; with port_server_tries set it first touches our port,
 * which its space does not have: an IO fault to the IO pager (no answer). */
static void port_server(void)
{
    L4_Set_Pager(io_pager());
    L4_ThreadId_t from;
    L4_Wait(&from);
    for (;;) {
        if (port_server_tries) {
            __asm__ volatile("inb $0x80, %%al" ::: "rax", "memory");
        }
        L4_LoadMR(0, 0);
        L4_ReplyWait(from, &from);
    }
}

/* Aborts the root thread's IPC once the IO pager has seen a fault. */
static volatile L4_Word_t faults_before;

static void abort_root_on_fault(void)
{
    for (int i = 0; i < 1000 && io_log.count == faults_before; i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    L4_Word_t d;
    L4_ThreadId_t p;
    L4_ExchangeRegisters(root, L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d, &d,
                         &p);
    mute_pager();
}

/* We own a port, the server's space none.  The fast path's switch into the
 * server must take our ports away and the switch back give them back. */
TEST(hostile, ports_follow_fast_switches_between_spaces)
{
    if (test_have_iopl()) {
        test_skip("booted with iopl=3: every port is open");
        return;
    }
    root = L4_Myself();
    CHECK(io_setup());
    L4_Fpage_t port = L4_IoFpageLog2(IO_TEST_PORT, 0);
    CHECK_EQ(io_from_sigma0(port).raw, port.raw);
    port_server_tries = 0;
    L4_ThreadId_t s = test_start_space_thread(port_server);
    CHECK(!L4_IsNilThread(s));
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    /* Our port faults would go to the IO pager now, which maps it again. */
    L4_ThreadId_t own_pager = L4_Pager();
    io_log.reply = port.raw;
    L4_Set_Pager(io_pager());
    L4_Word_t before = io_log.count;
    int calls_ok = 1;
    for (int i = 0; i < 10; i++) {
        L4_LoadMR(0, 0);
        calls_ok &= L4_IpcSucceeded(L4_Call(s));
        __asm__ volatile("inb $0x80, %%al" ::: "rax", "memory");
    }
    L4_Set_Pager(own_pager);
    L4_Word_t our_faults = io_log.count - before;
    /* Now the server touches the port right after the switch into it. */
    io_log.reply = 0;
    faults_before = io_log.count;
    port_server_tries = 1;
    L4_Word_t err;
    L4_MsgTag_t tag = call_beside(s, abort_root_on_fault, &err);
    test_kill_thread(s);
    io_teardown();
    CHECK(calls_ok);
    CHECK_EQ(our_faults, 0);
    CHECK(L4_IpcFailed(tag));                   /* no reply: the server faulted */
    CHECK_EQ(err, ERR(3, 1));
    CHECK_EQ(io_log.count, faults_before + 1);
    CHECK_EQ(io_log.from, s.raw);
}

/* --- anylocalthread in another space is not the fast path's to fill --- */

static volatile int local_waiter_got;

static void anylocal_waiter(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, L4_anylocalthread, L4_Timeouts(L4_Never, L4_Never),
                           &from);
    local_waiter_got = L4_IpcSucceeded(t) ? 1 : -1;
    mute_pager();
}

/* A thread of another space waits for anylocalthread, without a timeout:
 * our Call (receive timeout never) is not for it and must time out in its
 * send phase. */
TEST(hostile, call_to_anylocal_waiter_of_other_space_times_out)
{
    local_waiter_got = 0;
    CHECK(!L4_IsNilThread(test_pager_start()));
    L4_ThreadId_t w = test_start_space_thread(anylocal_waiter);
    CHECK(!L4_IsNilThread(w));
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    L4_LoadMR(0, 0);
    L4_MsgTag_t tag = L4_Ipc(w, w, L4_Timeouts(L4_TimePeriod(10000), L4_Never), 0);
    L4_Word_t err = L4_ErrorCode();
    L4_Yield();
    int got = local_waiter_got;
    test_kill_thread(w);
    test_pager_stop();
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err, ERR(1, 0));
    CHECK_EQ(got, 0);
}
