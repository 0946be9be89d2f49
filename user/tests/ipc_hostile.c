/* SPDX-License-Identifier: BSD-2-Clause */
/* Hostile and unlucky IPC: partners deleted in the middle of a string
 * copy, and the IPC fast path checked against what the general path would
 * leave (registers of SSE users, ...).
 */
#include "suite.h"
#include "thread_helpers.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <kernel/string.h>

#define SECOND L4_TimePeriod(1000000)
#define STR(len, subs, compound, more) \
    (((L4_Word_t)(len) << 10) | ((L4_Word_t)(compound) << 9) | \
     ((L4_Word_t)((subs) - 1) << 4) | (more))
/* Pages of the root task's address range nobody maps: a copy touching
 * them page-faults, and the pagers below never map them. */
#define UNMAPPED(n) ((char *)(0x3C00000UL + (n) * 0x10000UL))

static char src[256] = "some bytes to copy";
static L4_ThreadId_t root, victim;

/* A pager that takes every fault and never answers. */
static void mute_pager(void)
{
    L4_ThreadId_t from;
    for (;;) {
        L4_Wait(&from);
    }
}

/* Deletes `victim` once it has had 20 ms to get stuck. */
static void killer(void)
{
    L4_Sleep(L4_TimePeriod(20000));
    test_kill_thread(victim);
}

/* --- The receiver deleted while it serves the fault of our copy --- */

static void stuck_receiver(void)
{
    L4_Word_t brs[] = { 1, STR(64, 1, 0, 0), (L4_Word_t)UNMAPPED(0) };
    L4_LoadBRs(0, 3, brs);
    L4_Receive_Timeout(root, SECOND);
}

TEST(hostile, receiver_deleted_in_tunnelled_fault)
{
    root = L4_Myself();
    L4_ThreadId_t pager = test_start_thread(mute_pager);
    victim = test_start_thread_pager(stuck_receiver, pager);
    for (int i = 0; i < 20; i++) {
        L4_Yield();                             /* it blocks receiving */
    }
    L4_ThreadId_t k = test_start_thread(killer);
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)src);
    L4_MsgTag_t tag = L4_Send_Timeout(victim, SECOND);
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(k);
    test_kill_thread(pager);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err, ERR(7, 0));                   /* aborted after 0 bytes */
}

/* --- The sender deleted while it serves the fault of our copy --- */

static void stuck_sender(void)
{
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)UNMAPPED(1));
    L4_Send_Timeout(root, SECOND);
}

TEST(hostile, sender_deleted_in_its_fault)
{
    root = L4_Myself();
    static char buf[64];
    L4_ThreadId_t pager = test_start_thread(mute_pager);
    victim = test_start_thread_pager(stuck_sender, pager);
    for (int i = 0; i < 20; i++) {
        L4_Yield();                             /* it blocks sending to us */
    }
    L4_ThreadId_t k = test_start_thread(killer);
    L4_Word_t brs[] = { 1, STR(64, 1, 0, 0), (L4_Word_t)buf };
    L4_LoadBRs(0, 3, brs);
    L4_MsgTag_t tag = L4_Receive_Timeout(victim, SECOND);
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(k);
    test_kill_thread(pager);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err, ERR(7, 1));
}

/* --- The partner deleted while the copier waits for its own pager --- */

static volatile int fault_seen, may_reply;
static volatile L4_Word_t copier_tag, copier_err;
static volatile int copier_done;

/* Takes one fault, answers it (without a mapping) when told to. */
static void holding_pager(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t tag = L4_Wait(&from);
    (void)tag;
    fault_seen = 1;
    while (!may_reply) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    L4_LoadMR(0, 0);
    L4_Send_Timeout(from, SECOND);
    mute_pager();
}

static void copying_receiver(void)
{
    L4_Word_t brs[] = { 1, STR(64, 1, 0, 0), (L4_Word_t)UNMAPPED(2) };
    L4_Sleep(L4_TimePeriod(5000));              /* the sender queues first */
    L4_LoadBRs(0, 3, brs);
    L4_MsgTag_t tag = L4_Receive_Timeout(victim, SECOND);
    copier_err = L4_ErrorCode();
    copier_tag = tag.raw;
    copier_done = 1;
}

static void plain_sender(void)
{
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)src);
    L4_Send_Timeout(root, SECOND);
}

/* Sleep in 1 ms steps until *flag is set, for at most a second. */
static int wait_for(volatile int *flag)
{
    for (int i = 0; i < 1000 && !*flag; i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    return *flag;
}

TEST(hostile, sender_deleted_while_copier_faults)
{
    fault_seen = may_reply = copier_done = 0;
    L4_ThreadId_t pager = test_start_thread(holding_pager);
    L4_ThreadId_t copier = test_start_thread_pager(copying_receiver, pager);
    root = copier;                              /* the sender sends to it */
    victim = test_start_thread(plain_sender);
    CHECK(wait_for(&fault_seen));
    test_kill_thread(victim);                   /* the copier's partner */
    may_reply = 1;
    int done = wait_for(&copier_done);
    test_kill_thread(copier);
    test_kill_thread(pager);
    CHECK(done);
    CHECK(copier_tag & 0x8000);
    CHECK_EQ(copier_err, ERR(7, 1));
}

/* --- The virtual sender deleted while a propagated string copy waits --- */

static char alias[4096] __attribute__((aligned(4096)));
static volatile L4_Word_t rcv_tag;
static volatile int rcv_done;

/* Takes one fault and, when told to, maps `alias` there. */
static void mapping_pager(void)
{
    L4_ThreadId_t from;
    L4_Wait(&from);
    L4_Word_t addr;
    L4_StoreMR(1, &addr);
    fault_seen = 1;
    while (!may_reply) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2((L4_Word_t)alias, 12),
                                                  L4_FullyAccessible), addr & ~0xFFFUL);
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, m.raw[0]);
    L4_LoadMR(2, m.raw[1]);
    L4_Send_Timeout(from, SECOND);
    mute_pager();
}

static void alias_receiver(void)
{
    L4_Word_t brs[] = { 1, STR(64, 1, 0, 0), (L4_Word_t)UNMAPPED(3) };
    L4_LoadBRs(0, 3, brs);
    rcv_tag = L4_Receive_Timeout(root, SECOND).raw;
    rcv_done = 1;
}

static void killer_then_reply(void)
{
    wait_for(&fault_seen);
    test_kill_thread(victim);
    may_reply = 1;
}

TEST(hostile, virtual_sender_deleted_during_copy)
{
    root = L4_Myself();
    fault_seen = may_reply = rcv_done = 0;
    memset(alias, 0, sizeof(alias));
    L4_ThreadId_t pager = test_start_thread(mapping_pager);
    L4_ThreadId_t t = test_start_thread_pager(alias_receiver, pager);
    victim = test_start_thread(mute_pager);     /* on whose behalf we send */
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    L4_ThreadId_t k = test_start_thread(killer_then_reply);
    L4_Set_VirtualSender(victim);
    L4_LoadMR(0, 1UL << 12 | 2 << 6);           /* p: propagated */
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)src);
    L4_MsgTag_t tag = L4_Send_Timeout(t, SECOND);
    L4_Word_t err = L4_ErrorCode();
    int done = wait_for(&rcv_done);
    test_kill_thread(k);
    test_kill_thread(t);
    test_kill_thread(pager);
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "send failed, error %lx", err);
        return;
    }
    CHECK(done && !(rcv_tag & 0x8000));
    CHECK(!strcmp(alias, src));
}
