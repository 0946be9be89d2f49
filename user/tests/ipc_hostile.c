/* SPDX-License-Identifier: BSD-2-Clause */
/* Hostile and unlucky IPC and kernel entries: partners deleted in the
 * middle of a string copy, the IPC fast path checked against what the
 * general path would leave (registers of SSE users, ...), and traps taken
 * with user-chosen flags.
 */
#include "suite.h"
#include "thread_helpers.h"
#include "io_helpers.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/space.h>
#include <kernel/string.h>
#include <pecan/kdb.h>

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

/* --- SSE registers across fast-path IPC --- */

/* One side of an SSE pingpong, run by sse_ipc_run (below) without any
 * compiled code in between, which could use the registers itself. */
typedef struct {
    L4_Word_t to, from_spec, n, follow;     /* follow: next to = last from */
    L4_Word_t stub, utcb, err, pad;
    unsigned char pat[16][16];              /* xmm0..15 before the first IPC */
    unsigned char out[16][16];              /* xmm0..15 after the last one */
} sse_run_t;

_Static_assert(__builtin_offsetof(sse_run_t, pat) == 64, "sse_run_t layout");

/* void sse_ipc_run(sse_run_t *r): load xmm0..15 from r->pat, do r->n Ipc
 * calls (tag 0, timeouts never), store xmm0..15 to r->out.  With follow,
 * each IPC after the first replies to the previous sender and, once done,
 * one last send-only reply goes out.  An IPC error ends the loop (r->err). */
void sse_ipc_run(sse_run_t *r);
__asm__(".text\n"
        ".globl sse_ipc_run\n"
        "sse_ipc_run:\n"
        "  push %rbx; push %rbp; push %r12; push %r13; push %r14; push %r15\n"
        "  push %rdi\n"
        "  .irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "  movdqu 64+16*\\k(%rdi), %xmm\\k\n"
        "  .endr\n"
        "1: mov (%rsp), %rdi\n"
        "  cmpq $0, 16(%rdi)\n"
        "  je 2f\n"
        "  decq 16(%rdi)\n"
        "  mov 0(%rdi), %rsi\n"
        "  mov 8(%rdi), %rdx\n"
        "  mov 32(%rdi), %r11\n"
        "  mov 40(%rdi), %rdi\n"
        "  xor %r8d, %r8d\n"
        "  xor %r9d, %r9d\n"
        "  call *%r11\n"
        "  mov (%rsp), %rdi\n"
        "  test $0x8000, %r9\n"
        "  jnz 3f\n"
        "  cmpq $0, 24(%rdi)\n"
        "  je 1b\n"
        "  mov %rsi, 0(%rdi)\n"
        "  jmp 1b\n"
        "3: mov %r9, 48(%rdi)\n"
        "2: .irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
        "  movdqu %xmm\\k, 320+16*\\k(%rdi)\n"
        "  .endr\n"
        "  cmpq $0, 24(%rdi)\n"
        "  je 4f\n"
        "  mov 0(%rdi), %rsi\n"             /* the last reply, send only */
        "  xor %edx, %edx\n"
        "  mov 32(%rdi), %r11\n"
        "  mov 40(%rdi), %rdi\n"
        "  xor %r8d, %r8d\n"
        "  xor %r9d, %r9d\n"
        "  call *%r11\n"
        "4: pop %rdi\n"
        "  pop %r15; pop %r14; pop %r13; pop %r12; pop %rbp; pop %rbx\n"
        "  ret\n");

#define SSE_ROUNDS 200

static sse_run_t sse_client, sse_server;
static volatile int sse_server_done;

static void sse_fill(sse_run_t *r, unsigned char seed)
{
    for (unsigned k = 0; k < 16; k++) {
        for (unsigned b = 0; b < 16; b++) {
            r->pat[k][b] = (unsigned char)(seed + k * 16 + b * 7);
        }
    }
    memset(r->out, 0, sizeof(r->out));
    r->stub = (L4_Word_t)__L4_Ipc;
    r->err = 0;
}

static void sse_server_thread(void)
{
    sse_server.utcb = (L4_Word_t)__L4_Utcb();
    sse_ipc_run(&sse_server);
    sse_server_done = 1;
    mute_pager();
}

/* The client (this thread) calls the server SSE_ROUNDS times; both keep
 * their own values in all 16 xmm registers throughout. */
static void sse_pingpong(int other_space)
{
    sse_fill(&sse_client, 0x11);
    sse_fill(&sse_server, 0xA5);
    sse_server.to = L4_nilthread.raw;
    sse_server.from_spec = L4_anythread.raw;
    sse_server.n = SSE_ROUNDS;
    sse_server.follow = 1;
    sse_server_done = 0;
    L4_ThreadId_t s;
    if (other_space) {
        CHECK(!L4_IsNilThread(test_pager_start()));
        s = test_start_space_thread(sse_server_thread);
    } else {
        s = test_start_thread(sse_server_thread);
    }
    CHECK(!L4_IsNilThread(s));
    for (int i = 0; i < 20; i++) {
        L4_Yield();                             /* the server waits */
    }
    sse_client.to = sse_client.from_spec = s.raw;
    sse_client.n = SSE_ROUNDS;
    sse_client.follow = 0;
    sse_client.utcb = (L4_Word_t)__L4_Utcb();
    sse_ipc_run(&sse_client);
    int done = wait_for(&sse_server_done);
    test_kill_thread(s);
    if (other_space) {
        test_pager_stop();
    }
    CHECK_EQ(sse_client.err, 0);
    CHECK_EQ(sse_server.err, 0);
    CHECK(done);
    CHECK_EQ(sse_client.n, 0);
    CHECK_EQ(sse_server.n, 0);
    CHECK(!memcmp(sse_client.out, sse_client.pat, sizeof(sse_client.pat)));
    CHECK(!memcmp(sse_server.out, sse_server.pat, sizeof(sse_server.pat)));
}

TEST(hostile, sse_registers_survive_fast_ipc_same_space)
{
    sse_pingpong(0);
}

TEST(hostile, sse_registers_survive_fast_ipc_across_spaces)
{
    sse_pingpong(1);
}

/* --- Kernel entries through traps with the direction flag set --- */

static volatile L4_Word_t df_results[4];
static volatile int df_done;

/* A user may leave DF set; a trap (unlike SYSCALL) does not clear it, so
 * the kernel must before it copies anything. */
static void df_kernel_interface(void)
{
    L4_Word_t base, ver, flags, id;
    __asm__ __volatile__("std\n\t.byte 0xF0, 0x90\n\tcld"
                         : "=a"(base), "=c"(ver), "=d"(flags), "=S"(id) : : "cc", "memory");
    df_results[0] = base, df_results[1] = ver, df_results[2] = flags, df_results[3] = id;
    df_done = 1;
}

static void df_kdebug(void)
{
    L4_Word_t v = (L4_Word_t)src;
    __asm__ __volatile__("std\n\tint3\n\tcmpb $0x24, %%al\n\tcld"
                         : "+a"(v) : : "cc", "memory");
    df_results[0] = v;
    df_done = 1;
}

static int df_run(void (*fn)(void))
{
    df_done = 0;
    L4_ThreadId_t t = test_start_thread(fn);
    int done = !L4_IsNilThread(t) && wait_for(&df_done);
    test_kill_thread(t);
    return done;
}

TEST(hostile, kernel_interface_with_direction_flag_set)
{
    L4_Word_t ver, flags, id;
    void *kip = L4_KernelInterface(&ver, &flags, &id);
    CHECK(df_run(df_kernel_interface));
    CHECK_EQ(df_results[0], (L4_Word_t)kip);
    CHECK_EQ(df_results[1], ver);
    CHECK_EQ(df_results[2], flags);
    CHECK_EQ(df_results[3], id);
}

TEST(hostile, kdebug_call_with_direction_flag_set)
{
    L4_Word_t want = pecan_page_size_log2((L4_Word_t)src);
    CHECK(want == 12 || want == 21 || want == 30);
    CHECK(df_run(df_kdebug));
    CHECK_EQ(df_results[0], want);
}

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
