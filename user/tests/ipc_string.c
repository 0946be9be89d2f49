/* SPDX-License-Identifier: BSD-2-Clause */
/* String items: simple and compound strings, scatter/gather through the
 * buffer registers, too short / longer / missing receive buffers, page
 * faults on either side during the copy, and transfer timeouts. */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/ipc.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <kernel/string.h>

#define STR(len, subs, compound, more) \
    (((L4_Word_t)(len) << 10) | ((L4_Word_t)(compound) << 9) | \
     ((L4_Word_t)((subs) - 1) << 4) | (more))

/* The message the helper thread sends: words after the tag. */
static L4_Word_t send_words[16];
static unsigned send_u, send_t;
static volatile L4_Word_t send_result, send_error;
static volatile int sent;
static L4_ThreadId_t root;

static void string_sender(void)
{
    L4_LoadMR(0, (L4_Word_t)send_t << 6 | send_u);
    L4_LoadMRs(1, send_u + send_t, send_words);
    L4_MsgTag_t tag = L4_Send_Timeout(root, L4_TimePeriod(1000000));
    send_result = tag.raw;
    send_error = L4_ErrorCode();
    sent = 1;
}

static int sender_done(void)
{
    return sent;
}

/* Start the sender and receive its message with the given BRs. */
static L4_MsgTag_t exchange(const L4_Word_t *brs, unsigned nbr, L4_ThreadId_t *t)
{
    sent = 0;
    root = L4_Myself();
    L4_LoadBRs(0, nbr, (L4_Word_t *)brs);
    *t = test_start_thread(string_sender);
    L4_MsgTag_t tag = L4_Receive_Timeout(*t, L4_TimePeriod(1000000));
    test_wait_until(sender_done, 1000);
    return tag;
}

static char src_a[64] = "hello, ", src_b[64] = "world";
static char dst_a[64], dst_b[64];

TEST(ipc_string, simple)
{
    memset(dst_a, '.', sizeof(dst_a));
    send_u = 1, send_t = 2;
    send_words[0] = 0x77;
    send_words[1] = STR(5, 1, 0, 0);
    send_words[2] = (L4_Word_t)src_a;
    L4_Word_t brs[] = { 1, STR(16, 1, 0, 0), (L4_Word_t)dst_a };
    L4_ThreadId_t t;
    L4_MsgTag_t tag = exchange(brs, 3, &t);
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(t);
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "tag %lx error %lx", tag.raw, err);
        return;
    }
    CHECK_EQ(L4_UntypedWords(tag), 1);
    CHECK_EQ(L4_TypedWords(tag), 2);
    CHECK(!memcmp(dst_a, "hello.", 6));         /* longer buffer: rest untouched */
    CHECK(sent && !(send_result & 0x8000));
}

TEST(ipc_string, gather_and_scatter)
{
    memset(dst_a, 0, sizeof(dst_a));
    memset(dst_b, 0, sizeof(dst_b));
    /* One logical string of two items (compound): "hello, " + "world". */
    send_u = 0, send_t = 4;
    send_words[0] = STR(7, 1, 1, 0);
    send_words[1] = (L4_Word_t)src_a;
    send_words[2] = STR(5, 1, 0, 0);
    send_words[3] = (L4_Word_t)src_b;
    /* One buffer of two substrings of 6 bytes each. */
    L4_Word_t brs[] = { 1, STR(6, 2, 0, 0), (L4_Word_t)dst_a, (L4_Word_t)dst_b };
    L4_ThreadId_t t;
    L4_MsgTag_t tag = exchange(brs, 4, &t);
    test_kill_thread(t);
    CHECK(L4_IpcSucceeded(tag));
    CHECK(!memcmp(dst_a, "hello,", 6));
    CHECK(!memcmp(dst_b, " world", 6));
}

TEST(ipc_string, two_strings_two_buffers)
{
    memset(dst_a, 0, sizeof(dst_a));
    memset(dst_b, 0, sizeof(dst_b));
    send_u = 0, send_t = 4;
    send_words[0] = STR(7, 1, 0, 0);
    send_words[1] = (L4_Word_t)src_a;
    send_words[2] = STR(5, 1, 0, 0);
    send_words[3] = (L4_Word_t)src_b;
    /* Two logical buffers: the first has the "another buffer" bit. */
    L4_Word_t brs[] = { 1, STR(32, 1, 0, 1), (L4_Word_t)dst_a, STR(32, 1, 0, 0),
                        (L4_Word_t)dst_b };
    L4_ThreadId_t t;
    L4_MsgTag_t tag = exchange(brs, 5, &t);
    test_kill_thread(t);
    CHECK(L4_IpcSucceeded(tag));
    CHECK(!strcmp(dst_a, "hello, "));
    CHECK(!strcmp(dst_b, "world"));
}

TEST(ipc_string, buffer_too_short)
{
    send_u = 0, send_t = 2;
    send_words[0] = STR(12, 1, 0, 0);
    send_words[1] = (L4_Word_t)src_a;
    L4_Word_t brs[] = { 1, STR(4, 1, 0, 0), (L4_Word_t)dst_a };
    L4_ThreadId_t t;
    L4_MsgTag_t tag = exchange(brs, 3, &t);
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(t);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err & 0xF, 0x9);                   /* overflow, receive phase */
    CHECK_EQ(err >> 4, 4);                      /* 4 bytes made it */
    CHECK(send_result & 0x8000);
    CHECK_EQ(send_error & 0xF, 0x8);            /* overflow, send phase */
    CHECK_EQ(send_error >> 4, 4);
}

TEST(ipc_string, strings_not_accepted)
{
    send_u = 0, send_t = 2;
    send_words[0] = STR(5, 1, 0, 0);
    send_words[1] = (L4_Word_t)src_a;
    L4_Word_t brs[] = { 0 };
    L4_ThreadId_t t;
    L4_MsgTag_t tag = exchange(brs, 1, &t);
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(t);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err & 0xF, 0x9);
    CHECK_EQ(send_error & 0xF, 0x8);
}

TEST(ipc_string, no_buffer_left)
{
    send_u = 0, send_t = 4;
    send_words[0] = STR(5, 1, 0, 0);
    send_words[1] = (L4_Word_t)src_a;
    send_words[2] = STR(5, 1, 0, 0);
    send_words[3] = (L4_Word_t)src_b;
    L4_Word_t brs[] = { 1, STR(32, 1, 0, 0), (L4_Word_t)dst_a };
    L4_ThreadId_t t;
    L4_MsgTag_t tag = exchange(brs, 3, &t);
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(t);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err, (5 << 4) | 0x9);
}

/* Free RAM above the root task's image that nobody has touched: the
 * first access during a copy page-faults (each case uses its own pages). */
#define FRESH(n) ((char *)(0x3000000UL + (n) * 0x10000UL))
static char big_src[3 * 4096] __attribute__((aligned(4096)));

TEST(ipc_string, receiver_page_fault_tunnelled)
{
    for (unsigned i = 0; i < sizeof(big_src); i++) {
        big_src[i] = (char)(i * 7);
    }
    send_u = 0, send_t = 2;
    send_words[0] = STR(sizeof(big_src), 1, 0, 0);
    send_words[1] = (L4_Word_t)big_src;
    /* The root thread receives into fresh pages: its pager (sigma0) serves
     * the tunnelled faults. */
    char *fresh = FRESH(0) + 100;               /* spans four pages */
    L4_Word_t brs[] = { 1, STR(sizeof(big_src), 1, 0, 0), (L4_Word_t)fresh };
    L4_ThreadId_t t;
    L4_MsgTag_t tag = exchange(brs, 3, &t);
    test_kill_thread(t);
    CHECK(L4_IpcSucceeded(tag));
    CHECK(!memcmp(fresh, big_src, sizeof(big_src)));
}

static char rcv_buf[3 * 4096];
static volatile L4_Word_t rcv_result, rcv_error;
static volatile int received;
static L4_ThreadId_t lazy_pager;

static void string_receiver(void)
{
    L4_Word_t brs[] = { 1, STR(sizeof(rcv_buf), 1, 0, 0), (L4_Word_t)rcv_buf };
    L4_LoadBRs(0, 3, brs);
    L4_MsgTag_t tag = L4_Receive_Timeout(root, L4_TimePeriod(1000000));
    rcv_result = tag.raw;
    rcv_error = L4_ErrorCode();
    received = 1;
}

static int receiver_done(void)
{
    return received;
}

TEST(ipc_string, sender_page_fault)
{
    char *fresh = FRESH(1);
    root = L4_Myself();
    received = 0;
    L4_ThreadId_t t = test_start_thread(string_receiver);
    for (int i = 0; i < 20; i++) {
        L4_Yield();                             /* let it block receiving */
    }
    /* The source pages are untouched: the sender (us) faults in the copy. */
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(2 * 4096, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)fresh);
    L4_MsgTag_t tag = L4_Send_Timeout(t, L4_TimePeriod(1000000));
    test_wait_until(receiver_done, 1000);
    test_kill_thread(t);
    CHECK(L4_IpcSucceeded(tag));
    CHECK(received && !(rcv_result & 0x8000));
    for (int i = 0; i < 2 * 4096; i++) {
        CHECK(rcv_buf[i] == 0);                 /* fresh memory reads as zero */
    }
}

static void never_replying_pager(void)
{
    L4_ThreadId_t from;
    for (;;) {
        L4_Wait(&from);
    }
}

static void lazy_receiver(void)
{
    char *fresh = FRESH(2);
    L4_Word_t brs[] = { 1, STR(4096, 1, 0, 0), (L4_Word_t)fresh };
    L4_LoadBRs(0, 3, brs);
    L4_MsgTag_t tag = L4_Receive_Timeout(root, L4_TimePeriod(1000000));
    rcv_result = tag.raw;
    rcv_error = L4_ErrorCode();
    received = 1;
}

TEST(ipc_string, transfer_timeout)
{
    root = L4_Myself();
    received = 0;
    lazy_pager = test_start_thread(never_replying_pager);
    L4_ThreadId_t t = test_start_thread_pager(lazy_receiver, lazy_pager);
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    /* Our send-side transfer timeout (20 ms) is the shorter one. */
    L4_Set_XferTimeouts(L4_Timeouts(L4_TimePeriod(20000), L4_Never));
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)big_src);
    L4_MsgTag_t tag = L4_Send_Timeout(t, L4_TimePeriod(1000000));
    L4_Word_t err = L4_ErrorCode();
    L4_Set_XferTimeouts(L4_Timeouts(L4_Never, L4_Never));
    test_wait_until(receiver_done, 1000);
    test_kill_thread(t);
    test_kill_thread(lazy_pager);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err & 0xF, (5 << 1) | 0);          /* own timeout, send phase */
    CHECK(received);
    CHECK_EQ(rcv_error & 0xF, (6 << 1) | 1);    /* partner's timeout, receive */
}

/* A receiver in another space whose buffer is not mapped yet: its fault is
 * tunnelled to its pager, a thread of ours. */
static char remote_buf[2 * 4096] __attribute__((aligned(4096)));
static volatile L4_Word_t remote_result;
static volatile int remote_done;

static void remote_receiver(void)
{
    L4_Word_t brs[] = { 1, STR(sizeof(remote_buf), 1, 0, 0), (L4_Word_t)remote_buf };
    L4_LoadBRs(0, 3, brs);
    L4_MsgTag_t tag = L4_Receive_Timeout(root, L4_TimePeriod(1000000));
    remote_result = tag.raw;
    remote_done = 1;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

TEST(ipc_string, tunnelled_fault_in_other_space)
{
    root = L4_Myself();
    remote_done = 0;
    L4_ThreadId_t pager;
    L4_ThreadId_t t = test_start_in_new_space(remote_receiver, &pager);
    CHECK(!L4_IsNilThread(t));
    for (int i = 0; i < 50; i++) {
        L4_Yield();
    }
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(sizeof(remote_buf), 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)big_src);
    L4_MsgTag_t tag = L4_Send_Timeout(t, L4_TimePeriod(1000000));
    L4_Word_t err = L4_ErrorCode();
    for (int i = 0; i < 1000 && !remote_done; i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    test_end_new_space(t, pager);
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "send failed, error %lx", err);
        return;
    }
    CHECK(remote_done);
    CHECK(!(remote_result & 0x8000));
}

/* The same into a server that answers each Call with ReplyWait (its waits
 * then go through the IPC fast path). */
static void remote_server(void)
{
    L4_Word_t brs[] = { 1, STR(sizeof(remote_buf), 1, 0, 0), (L4_Word_t)remote_buf };
    L4_ThreadId_t from;
    L4_LoadBRs(0, 3, brs);
    L4_Wait(&from);
    for (;;) {
        remote_done++;
        L4_LoadBRs(0, 3, brs);
        L4_LoadMR(0, 0);
        L4_ReplyWait(from, &from);
    }
}

TEST(ipc_string, tunnelled_fault_into_replywait_server)
{
    root = L4_Myself();
    remote_done = 0;
    L4_ThreadId_t pager;
    L4_ThreadId_t t = test_start_in_new_space(remote_server, &pager);
    CHECK(!L4_IsNilThread(t));
    L4_LoadMR(0, 0);
    L4_MsgTag_t first = L4_Call_Timeouts(t, L4_TimePeriod(1000000), L4_TimePeriod(1000000));
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(sizeof(remote_buf), 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)big_src);
    L4_MsgTag_t tag = L4_Call_Timeouts(t, L4_TimePeriod(1000000), L4_TimePeriod(1000000));
    L4_Word_t err = L4_ErrorCode();
    test_end_new_space(t, pager);
    CHECK(L4_IpcSucceeded(first));
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "call failed, error %lx", err);
        return;
    }
    CHECK_EQ(remote_done, 2);
}

/* ExchangeRegisters aborting a sender whose string copy waits for a page
 * fault on the receiver's side: both IPCs end with "aborted" (7). */
static L4_ThreadId_t victim_sender;

static void canceller(void)
{
    L4_Sleep(L4_TimePeriod(20000));
    L4_AbortIpc_and_stop(victim_sender);
    L4_Start(victim_sender);
}

TEST(ipc_string, abort_during_faulting_copy)
{
    root = L4_Myself();
    victim_sender = L4_Myself();
    received = 0;
    lazy_pager = test_start_thread(never_replying_pager);
    L4_ThreadId_t t = test_start_thread_pager(lazy_receiver, lazy_pager);
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    L4_ThreadId_t c = test_start_thread(canceller);
    L4_Set_XferTimeouts(L4_Timeouts(L4_Never, L4_Never));
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)big_src);
    L4_MsgTag_t tag = L4_Send_Timeout(t, L4_TimePeriod(1000000));
    L4_Word_t err = L4_ErrorCode();
    for (int i = 0; i < 100 && !received; i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    test_kill_thread(c);
    test_kill_thread(t);
    test_kill_thread(lazy_pager);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err & 0xF, (7 << 1) | 0);          /* aborted, send phase */
    CHECK(received);
    CHECK_EQ(rcv_error & 0xF, (7 << 1) | 1);    /* aborted, receive phase */
}
