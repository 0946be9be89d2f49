/* SPDX-License-Identifier: BSD-2-Clause */
/* Hostile and unlucky string copies: partners deleted in the middle of a
 * copy, and string items checked against X.2 §5.4.  The fast path and the
 * CPU state are in hostile_fast.c and hostile_cpu.c.
 */
#include "hostile.h"

char src[256] = "some bytes to copy";
L4_ThreadId_t root, victim;

void mute_pager(void)
{
    L4_ThreadId_t from;
    for (;;) {
        L4_Wait(&from);
    }
}

void killer(void)
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

/* --- The receiver moved to another space while it serves that fault --- */

static L4_ThreadId_t new_home;
static volatile int moved;

static void mover(void)
{
    L4_Sleep(L4_TimePeriod(20000));
    moved = L4_ThreadControl(victim, new_home, L4_nilthread, L4_nilthread, (void *)-1) ? 1 : -1;
}

TEST(hostile, receiver_moved_in_tunnelled_fault)
{
    root = L4_Myself();
    moved = 0;
    CHECK(!L4_IsNilThread(test_pager_start()));
    L4_ThreadId_t pager = test_start_thread(mute_pager);
    new_home = test_start_space_thread(mute_pager);
    victim = test_start_thread_pager(stuck_receiver, pager);
    CHECK(!L4_IsNilThread(new_home) && !L4_IsNilThread(victim));
    for (int i = 0; i < 20; i++) {
        L4_Yield();                             /* it blocks receiving */
    }
    L4_ThreadId_t m = test_start_thread(mover);
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)src);
    L4_MsgTag_t tag = L4_Send_Timeout(victim, SECOND);
    L4_Word_t err = L4_ErrorCode();
    test_kill_thread(m);
    test_kill_thread(victim);
    test_kill_thread(new_home);
    test_kill_thread(pager);
    test_pager_stop();
    CHECK_EQ(moved, 1);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err, ERR(7, 0));                   /* the move aborted the copy */
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
static volatile L4_Word_t rcv_tag, rcv_err;
static volatile int rcv_done;
static L4_ThreadId_t rcv_from;                  /* whom buffer_receiver waits for */
static L4_Word_t rcv_brs[3];                    /* with BR0..BR2 */

static void buffer_receiver(void)
{
    L4_LoadBRs(0, 3, rcv_brs);
    L4_MsgTag_t tag = L4_Receive_Timeout(rcv_from, SECOND);
    rcv_err = L4_ErrorCode();
    rcv_tag = tag.raw;
    rcv_done = 1;
}

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
    L4_Sleep(L4_TimePeriod(5000));              /* the sender queues first */
    buffer_receiver();
}

static void plain_sender(void)
{
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)src);
    L4_Send_Timeout(root, SECOND);
}

int wait_for(volatile int *flag)
{
    for (int i = 0; i < 1000 && !*flag; i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    return *flag;
}

TEST(hostile, sender_deleted_while_copier_faults)
{
    fault_seen = may_reply = rcv_done = 0;
    rcv_brs[0] = 1, rcv_brs[1] = STR(64, 1, 0, 0), rcv_brs[2] = (L4_Word_t)UNMAPPED(2);
    L4_ThreadId_t pager = test_start_thread(holding_pager);
    L4_ThreadId_t copier = test_start_thread_pager(copying_receiver, pager);
    root = copier;                              /* the sender sends to it */
    victim = rcv_from = test_start_thread(plain_sender);
    CHECK(wait_for(&fault_seen));
    test_kill_thread(victim);                   /* the copier's partner */
    may_reply = 1;
    int done = wait_for(&rcv_done);
    test_kill_thread(copier);
    test_kill_thread(pager);
    CHECK(done);
    CHECK(rcv_tag & 0x8000);
    CHECK_EQ(rcv_err, ERR(7, 1));
}

/* --- The copier deleted while its partner waits for its own pager --- */

static volatile int go;
static L4_ThreadId_t string_dest;

static void string_sender_on_go(void)
{
    wait_for(&go);
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(64, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)src);
    L4_Send_Timeout(string_dest, SECOND);
}

static char dst[64];
static L4_ThreadId_t second_sender;
static volatile L4_Word_t rcv2_tag;
static volatile int rcv2_done;

/* buffer_receiver, then one more string from the root thread into dst. */
static void receiver_twice(void)
{
    buffer_receiver();
    L4_Word_t brs[] = { 1, STR(32, 1, 0, 0), (L4_Word_t)dst };
    L4_LoadBRs(0, 3, brs);
    rcv2_tag = L4_Receive_Timeout(second_sender, SECOND).raw;
    rcv2_done = 1;
}

/* The sender copies into a receiver whose buffer is unmapped and whose
 * pager never answers; deleting the sender aborts the receiver's IPC
 * (X.2 §5.3 aborted) instead of leaving it in that page-fault IPC.  The
 * receiver then takes a string whose copy faults (on our side) as usual. */
TEST(hostile, copier_deleted_while_partner_faults)
{
    rcv_done = rcv2_done = 0, go = 0;
    second_sender = L4_Myself();
    memset(dst, 0, sizeof(dst));
    rcv_brs[0] = 1, rcv_brs[1] = STR(64, 1, 0, 0), rcv_brs[2] = (L4_Word_t)UNMAPPED(5);
    L4_ThreadId_t sender = test_start_thread(string_sender_on_go);
    rcv_from = sender;
    L4_ThreadId_t pager = test_start_thread(mute_pager);
    L4_ThreadId_t r = test_start_thread_pager(receiver_twice, pager);
    string_dest = r;
    for (int i = 0; i < 20; i++) {
        L4_Yield();                             /* it waits for the sender */
    }
    go = 1;
    victim = sender;                            /* the killer deletes it in 20 ms */
    L4_ThreadId_t k = test_start_thread(killer);
    int done = wait_for(&rcv_done);
    /* A fresh page of ours (sigma0 maps it when the copy faults). */
    char *fresh = UNMAPPED(6);
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR(8, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)fresh);
    L4_MsgTag_t tag = done ? L4_Send_Timeout(r, SECOND) : (L4_MsgTag_t){ .raw = 0x8000 };
    L4_Word_t err = L4_ErrorCode();
    int done2 = wait_for(&rcv2_done);
    test_kill_thread(k);
    test_kill_thread(r);
    test_kill_thread(pager);
    CHECK(done);
    CHECK(rcv_tag & 0x8000);
    CHECK_EQ(rcv_err, ERR(7, 1));
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "second string failed, error %lx", err);
        return;
    }
    CHECK(done2 && !(rcv2_tag & 0x8000));
}

/* --- The virtual sender deleted while a propagated string copy waits --- */

static char alias[4096] __attribute__((aligned(4096)));

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

/* --- String items checked against X.2 §5.4 --- */

/* Only the first length word of a string carries the type (0hhC); X.2
 * ignores those bits in the further length words of a compound string. */
TEST(hostile, compound_string_ignores_type_bits_of_later_words)
{
    root = L4_Myself();
    rcv_done = 0;
    memset(dst, 0, sizeof(dst));
    rcv_brs[0] = 1, rcv_brs[1] = STR(32, 1, 0, 0), rcv_brs[2] = (L4_Word_t)dst;
    rcv_from = root;
    L4_ThreadId_t t = test_start_thread(buffer_receiver);
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    L4_LoadMR(0, 4 << 6);
    L4_LoadMR(1, STR(5, 1, 1, 0));              /* "some " ... */
    L4_LoadMR(2, (L4_Word_t)src);
    L4_LoadMR(3, STR(5, 1, 0, 0) | 0xF);        /* ... "bytes", junk in 0hhC */
    L4_LoadMR(4, (L4_Word_t)src + 5);
    L4_MsgTag_t tag = L4_Send_Timeout(t, SECOND);
    L4_Word_t err = L4_ErrorCode();
    int done = wait_for(&rcv_done);
    test_kill_thread(t);
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "send failed, error %lx", err);
        return;
    }
    CHECK(done && !(rcv_tag & 0x8000));
    CHECK(!strcmp(dst, "some bytes"));
}

/* X.2 §5.4: a string is at most 4 MB.  A longer one is refused before a
 * byte moves (overflow), instead of the kernel copying for as long as
 * either side has memory mapped.  The receiver's buffer is unmapped and its
 * pager mute: a copy that started would end in a transfer timeout. */
TEST(hostile, string_longer_than_4mb_is_refused)
{
    root = L4_Myself();
    rcv_done = 0;
    rcv_brs[0] = 1, rcv_brs[1] = STR(8UL << 20, 1, 0, 0), rcv_brs[2] = (L4_Word_t)UNMAPPED(4);
    rcv_from = root;
    L4_ThreadId_t pager = test_start_thread(mute_pager);
    L4_ThreadId_t t = test_start_thread_pager(buffer_receiver, pager);
    for (int i = 0; i < 20; i++) {
        L4_Yield();
    }
    L4_Set_XferTimeouts(L4_Timeouts(L4_TimePeriod(20000), L4_Never));
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, STR((4UL << 20) + 1, 1, 0, 0));
    L4_LoadMR(2, (L4_Word_t)src);
    L4_MsgTag_t tag = L4_Send_Timeout(t, SECOND);
    L4_Word_t err = L4_ErrorCode();
    L4_Set_XferTimeouts(L4_Timeouts(L4_Never, L4_Never));
    int done = wait_for(&rcv_done);
    test_kill_thread(t);
    test_kill_thread(pager);
    CHECK(L4_IpcFailed(tag));
    CHECK_EQ(err, ERR(4, 0));                   /* overflow, nothing copied */
    CHECK(done);
    CHECK_EQ(rcv_err, ERR(4, 1));
}
