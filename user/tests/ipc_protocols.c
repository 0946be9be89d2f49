/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel-generated IPC (X.2 §7.3, §7.5; spec protocols.md §1–2) and
 * propagation (X.2 §5.6 p flag; spec ipc.md §7).
 *
 * Page faults and exceptions of a test thread arrive at the root thread,
 * which is the thread's pager or exception handler: the message layout,
 * the reply, cancellation with ExchangeRegisters and the preservation of
 * the faulting thread's message registers are checked.  The propagation
 * cases chain a client, a propagating thread and a server.
 */
#include "suite.h"
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/items.h>
#include <l4/acceptor.h>

#define SECOND      L4_TimePeriod(1000000)
#define PF_LABEL    0xFFFFFFFFFFE0UL        /* -2 << 4 in the 48-bit label */
#define EXC_LABEL   0xFFFFFFFFFFB0UL        /* -5 << 4 */
#define MR_PATTERN  0x6D72000000000000UL

static L4_ThreadId_t root;
static volatile L4_Word_t fault_addr, value, done, bad_mrs, flags_after;

static int is_done(void)
{
    return done != 0;
}

static void sleeper(void)
{
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

static void start(void)
{
    root = L4_Myself();
    value = done = bad_mrs = flags_after = 0;
}

static L4_Word_t exregs(L4_ThreadId_t t, L4_Word_t control, L4_Word_t ip)
{
    L4_Word_t ctl, sp, oip, flags, handle;
    L4_ThreadId_t pager;
    L4_ExchangeRegisters(t, control, 0, ip, 0, 0, L4_nilthread, &ctl, &sp, &oip, &flags,
                         &handle, &pager);
    return ctl;
}

/* Reply to a page fault by mapping page (rights rwx) at the fault page. */
static L4_MsgTag_t reply_map(L4_ThreadId_t to, L4_Word_t page, L4_Word_t addr)
{
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible),
                                addr & ~0xFFFUL);
    L4_LoadMR(0, 2 << 6);
    L4_LoadMR(1, m.raw[0]);
    L4_LoadMR(2, m.raw[1]);
    return L4_Reply(to);
}

static void load_pattern(void)
{
    for (int i = 0; i < 64; i++) {
        L4_LoadMR(i, MR_PATTERN + (L4_Word_t)i);
    }
}

static L4_Word_t count_changed_mrs(int n)
{
    L4_Word_t bad = 0;
    for (int i = 0; i < n; i++) {
        L4_Word_t w;
        L4_StoreMR(i, &w);
        if (w != MR_PATTERN + (L4_Word_t)i) {
            bad++;
        }
    }
    return bad;
}

/* --- Page faults --- */

extern char pf_read_insn[], pf_write_insn[];

static __attribute__((noinline)) void pf_read(void)
{
    L4_Word_t v;
    load_pattern();
    __asm__ volatile(".globl pf_read_insn\npf_read_insn: movq (%1), %0"
                     : "=r"(v) : "r"(fault_addr) : "memory");
    bad_mrs = count_changed_mrs(64);
    value = v;
    done = 1;
}

static __attribute__((noinline)) void pf_write(void)
{
    __asm__ volatile(".globl pf_write_insn\npf_write_insn: movq %1, (%0)"
                     :: "r"(fault_addr), "r"(0x77UL) : "memory");
    done = 1;
}

static void pf_exec(void)
{
    ((void (*)(void))fault_addr)();
    done = 1;
}

/* Receive a page fault from t; checks the message, returns MR1 (0 on failure). */
static L4_Word_t receive_fault(L4_ThreadId_t t, L4_Word_t access, L4_Word_t ip)
{
    L4_MsgTag_t tag = L4_Receive_Timeout(t, SECOND);
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "no page-fault message (ErrorCode %lx)", L4_ErrorCode());
        return 0;
    }
    L4_Word_t mr1, mr2;
    L4_StoreMR(1, &mr1);
    L4_StoreMR(2, &mr2);
    if (L4_Label(tag) != (PF_LABEL | access) || L4_UntypedWords(tag) != 2 ||
        L4_TypedWords(tag) != 0 || tag.X.flags != 0) {
        test_fail(__FILE__, __LINE__, "page-fault tag %lx, access %lx expected", tag.raw, access);
        return 0;
    }
    if (ip && mr2 != ip) {
        test_fail(__FILE__, __LINE__, "fault IP %lx, expected %lx", mr2, ip);
        return 0;
    }
    return mr1;
}

TEST(ipc_protocols, page_fault_read)
{
    start();
    L4_Word_t *page = test_alloc(12);
    CHECK(page);
    page[0x123 / 8] = 0xFACE;
    fault_addr = 0x50000118;
    L4_ThreadId_t t = test_start_thread_pager(pf_read, L4_Myself());
    CHECK(!L4_IsNilThread(t));
    L4_Word_t a = receive_fault(t, L4_Readable, (L4_Word_t)pf_read_insn);
    CHECK_EQ(a, 0x50000118);                    /* the exact byte address */
    page[0x118 / 8] = 0xFACE;
    CHECK(L4_IpcSucceeded(reply_map(t, (L4_Word_t)page, a)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(value, 0xFACE);                    /* the instruction ran again */
    CHECK_EQ(bad_mrs, 0);                       /* MR0..MR63 as before */
    test_kill_thread(t);
}

TEST(ipc_protocols, page_fault_write)
{
    start();
    L4_Word_t *page = test_alloc(12);
    CHECK(page);
    fault_addr = 0x50011008;
    L4_ThreadId_t t = test_start_thread_pager(pf_write, L4_Myself());
    CHECK(!L4_IsNilThread(t));
    L4_Word_t a = receive_fault(t, L4_Writable, (L4_Word_t)pf_write_insn);
    CHECK_EQ(a, 0x50011008);
    CHECK(L4_IpcSucceeded(reply_map(t, (L4_Word_t)page, a)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(page[1], 0x77);
    test_kill_thread(t);
}

/* An instruction fetch reports x (Pecan runs with NX enabled). */
TEST(ipc_protocols, page_fault_execute)
{
    start();
    unsigned char *page = test_alloc(12);
    CHECK(page);
    page[0] = 0xC3;                             /* ret */
    fault_addr = 0x50022000;
    L4_ThreadId_t t = test_start_thread_pager(pf_exec, L4_Myself());
    CHECK(!L4_IsNilThread(t));
    L4_Word_t a = receive_fault(t, L4_eXecutable, 0x50022000);
    CHECK_EQ(a, 0x50022000);
    CHECK(L4_IpcSucceeded(reply_map(t, (L4_Word_t)page, a)));
    CHECK(test_wait_until(is_done, 1000));
    test_kill_thread(t);
}

/* A reply that maps nothing just makes the thread fault again. */
TEST(ipc_protocols, empty_reply_faults_again)
{
    start();
    L4_Word_t *page = test_alloc(12);
    CHECK(page);
    page[0] = 0xAB;
    fault_addr = 0x50033000;
    L4_ThreadId_t t = test_start_thread_pager(pf_read, L4_Myself());
    CHECK(!L4_IsNilThread(t));
    CHECK_EQ(receive_fault(t, L4_Readable, (L4_Word_t)pf_read_insn), 0x50033000);
    L4_LoadMR(0, 0);
    CHECK(L4_IpcSucceeded(L4_Reply(t)));
    CHECK_EQ(receive_fault(t, L4_Readable, (L4_Word_t)pf_read_insn), 0x50033000);
    CHECK(L4_IpcSucceeded(reply_map(t, (L4_Word_t)page, 0x50033000)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(value, 0xAB);
    CHECK_EQ(bad_mrs, 0);
    test_kill_thread(t);
}

/* ExchangeRegisters cancelling the page-fault IPC (in its receive phase)
 * restarts the instruction: a new fault message comes, and after the real
 * reply all 64 MRs are intact (l4test "Pagefault cancelled"). */
TEST(ipc_protocols, cancelled_page_fault_restarts)
{
    start();
    L4_Word_t *page = test_alloc(12);
    CHECK(page);
    page[0] = 0xCD;
    fault_addr = 0x50044000;
    L4_ThreadId_t t = test_start_thread_pager(pf_read, L4_Myself());
    CHECK(!L4_IsNilThread(t));
    CHECK_EQ(receive_fault(t, L4_Readable, (L4_Word_t)pf_read_insn), 0x50044000);
    CHECK(exregs(t, 0, 0) & L4_ExReg_AbortRecv);        /* waiting for our reply */
    exregs(t, L4_ExReg_AbortIPC, 0);
    CHECK_EQ(receive_fault(t, L4_Readable, (L4_Word_t)pf_read_insn), 0x50044000);
    CHECK(L4_IpcSucceeded(reply_map(t, (L4_Word_t)page, 0x50044000)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(value, 0xCD);
    CHECK_EQ(bad_mrs, 0);
    test_kill_thread(t);
}

/* Cancelled while still sending (we were not receiving): same result. */
TEST(ipc_protocols, page_fault_cancelled_in_send_phase)
{
    start();
    L4_Word_t *page = test_alloc(12);
    CHECK(page);
    page[0] = 0xCE;
    fault_addr = 0x50055000;
    L4_ThreadId_t t = test_start_thread_pager(pf_read, L4_Myself());
    CHECK(!L4_IsNilThread(t));
    int sending = 0;
    for (int i = 0; i < 1000 && !sending; i++) {
        sending = (exregs(t, 0, 0) & L4_ExReg_AbortSend) != 0;
        L4_Yield();
    }
    CHECK(sending);
    exregs(t, L4_ExReg_AbortSend, 0);
    CHECK_EQ(receive_fault(t, L4_Readable, (L4_Word_t)pf_read_insn), 0x50055000);
    CHECK(L4_IpcSucceeded(reply_map(t, (L4_Word_t)page, 0x50055000)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(value, 0xCE);
    CHECK_EQ(bad_mrs, 0);
    test_kill_thread(t);
}

/* Cancelling with a new IP: the thread continues there instead. */
static void resumed_elsewhere(void)
{
    done = 2;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

TEST(ipc_protocols, cancelled_page_fault_with_new_ip)
{
    start();
    fault_addr = 0x50066000;
    L4_ThreadId_t t = test_start_thread_pager(pf_read, L4_Myself());
    CHECK(!L4_IsNilThread(t));
    CHECK_EQ(receive_fault(t, L4_Readable, (L4_Word_t)pf_read_insn), 0x50066000);
    exregs(t, L4_ExReg_AbortIPC | L4_ExReg_ip, (L4_Word_t)resumed_elsewhere);
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(done, 2);
    test_kill_thread(t);
}

/* --- Exceptions --- */

extern char exc_ud2[], exc_gp[], exc_de[];
static volatile L4_Word_t out_rax, out_rbx, out_r12;

static __attribute__((noinline)) void raise_ud2(void)
{
    L4_Set_ExceptionHandler(root);
    load_pattern();
    L4_Word_t rax, rbx, r12, fl;
    __asm__ volatile("movabs $0x1111111111111111, %%rbx\n\t"
                     "movabs $0x1212121212121212, %%r12\n\t"
                     "movabs $0x1313131313131313, %%r13\n\t"
                     "movabs $0x1414141414141414, %%r14\n\t"
                     "movabs $0x1515151515151515, %%r15\n\t"
                     "movabs $0xAAAAAAAAAAAAAAAA, %%rax\n\t"
                     ".globl exc_ud2\nexc_ud2: ud2\n\t"
                     "movq %%rax, %0\n\t"
                     "movq %%rbx, %1\n\t"
                     "movq %%r12, %2\n\t"
                     "pushfq\n\t"
                     "popq %3"
                     : "=m"(rax), "=m"(rbx), "=m"(r12), "=m"(fl)
                     :
                     : "rax", "rbx", "r12", "r13", "r14", "r15", "memory", "cc");
    bad_mrs = count_changed_mrs(20);
    out_rax = rax;
    out_rbx = rbx;
    out_r12 = r12;
    flags_after = fl;
    done = 1;
}

static __attribute__((noinline)) void raise_gp(void)
{
    L4_Set_ExceptionHandler(root);
    __asm__ volatile(".globl exc_gp\nexc_gp: int $0x80" ::: "memory");
    done = 1;
}

static __attribute__((noinline)) void raise_de(void)
{
    L4_Set_ExceptionHandler(root);
    __asm__ volatile("xorl %%edx, %%edx\n\t"
                     "movl $1, %%eax\n\t"
                     "xorl %%ecx, %%ecx\n\t"
                     ".globl exc_de\nexc_de: divl %%ecx"
                     ::: "rax", "rcx", "rdx", "memory", "cc");
    done = 1;
}

/* Receive an exception message from t into mr[0..20]; 0 on failure. */
static int receive_exception(L4_ThreadId_t t, L4_Word_t *mr)
{
    L4_MsgTag_t tag = L4_Receive_Timeout(t, SECOND);
    if (L4_IpcFailed(tag)) {
        test_fail(__FILE__, __LINE__, "no exception message (ErrorCode %lx)", L4_ErrorCode());
        return 0;
    }
    if (L4_Label(tag) != EXC_LABEL || L4_UntypedWords(tag) != 20 || L4_TypedWords(tag) != 0) {
        test_fail(__FILE__, __LINE__, "exception tag %lx", tag.raw);
        return 0;
    }
    mr[0] = tag.raw;
    L4_StoreMRs(1, 20, mr + 1);
    return 1;
}

TEST(ipc_protocols, exception_message_and_reply)
{
    start();
    L4_ThreadId_t t = test_start_thread(raise_ud2);
    CHECK(!L4_IsNilThread(t));
    L4_Word_t mr[21];
    CHECK(receive_exception(t, mr));
    CHECK_EQ(mr[1], (L4_Word_t)exc_ud2);        /* RIP */
    CHECK_EQ(mr[2], 0x1111111111111111UL);      /* RBX */
    CHECK_EQ(mr[4], 0x1212121212121212UL);      /* R12 */
    CHECK_EQ(mr[5], 0x1313131313131313UL);      /* R13 */
    CHECK_EQ(mr[6], 0x1414141414141414UL);      /* R14 */
    CHECK_EQ(mr[7], 0x1515151515151515UL);      /* R15 */
    CHECK_EQ(mr[8], 0xAAAAAAAAAAAAAAAAUL);      /* RAX */
    CHECK(mr[18] & (1UL << 9));                 /* RFLAGS with IF */
    CHECK_EQ(mr[19], 6);                        /* #UD */
    CHECK_EQ(mr[20], 0);                        /* no error code */
    /* Skip the ud2, change RAX and RBX, set CF, try to clear IF. */
    mr[1] += 2;
    mr[2] = 0x2222;
    mr[8] = 0x4242;
    mr[18] = (mr[18] | 1) & ~(1UL << 9);
    L4_LoadMR(0, 20);
    L4_LoadMRs(1, 20, mr + 1);
    CHECK(L4_IpcSucceeded(L4_Reply(t)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(out_rax, 0x4242);
    CHECK_EQ(out_rbx, 0x2222);
    CHECK_EQ(out_r12, 0x1212121212121212UL);
    CHECK(flags_after & 1);                     /* arithmetic flags are taken */
    CHECK(flags_after & (1UL << 9));            /* IF is not */
    CHECK_EQ(bad_mrs, 0);                       /* MR0..MR19 restored */
    test_kill_thread(t);
}

/* A reply with u = 1 sets RIP only; the other registers stay. */
TEST(ipc_protocols, exception_reply_with_new_ip_only)
{
    start();
    L4_ThreadId_t t = test_start_thread(raise_ud2);
    CHECK(!L4_IsNilThread(t));
    L4_Word_t mr[21];
    CHECK(receive_exception(t, mr));
    L4_LoadMR(0, 1);
    L4_LoadMR(1, mr[1] + 2);
    CHECK(L4_IpcSucceeded(L4_Reply(t)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(out_rax, 0xAAAAAAAAAAAAAAAAUL);
    CHECK_EQ(out_rbx, 0x1111111111111111UL);
    test_kill_thread(t);
}

/* Cancelling the exception IPC restarts the instruction: a second message. */
TEST(ipc_protocols, cancelled_exception_restarts)
{
    start();
    L4_ThreadId_t t = test_start_thread(raise_ud2);
    CHECK(!L4_IsNilThread(t));
    L4_Word_t mr[21];
    CHECK(receive_exception(t, mr));
    exregs(t, L4_ExReg_AbortIPC, 0);
    CHECK(receive_exception(t, mr));
    CHECK_EQ(mr[1], (L4_Word_t)exc_ud2);
    L4_LoadMR(0, 1);
    L4_LoadMR(1, mr[1] + 2);
    CHECK(L4_IpcSucceeded(L4_Reply(t)));
    CHECK(test_wait_until(is_done, 1000));
    test_kill_thread(t);
}

TEST(ipc_protocols, general_protection_with_error_code)
{
    start();
    L4_ThreadId_t t = test_start_thread(raise_gp);
    CHECK(!L4_IsNilThread(t));
    L4_Word_t mr[21];
    CHECK(receive_exception(t, mr));
    CHECK_EQ(mr[1], (L4_Word_t)exc_gp);
    CHECK_EQ(mr[19], 13);
    /* The hardware error code: IDT entry 0x80 (QEMU's TCG scales the
     * index by the 16-byte gate size, real CPUs by 8). */
    CHECK(mr[20] == (0x80 << 3 | 2) || mr[20] == (0x80 << 4 | 2));
    L4_LoadMR(0, 1);
    L4_LoadMR(1, mr[1] + 2);
    CHECK(L4_IpcSucceeded(L4_Reply(t)));
    CHECK(test_wait_until(is_done, 1000));
    test_kill_thread(t);
}

TEST(ipc_protocols, divide_error)
{
    start();
    L4_ThreadId_t t = test_start_thread(raise_de);
    CHECK(!L4_IsNilThread(t));
    L4_Word_t mr[21];
    CHECK(receive_exception(t, mr));
    CHECK_EQ(mr[1], (L4_Word_t)exc_de);
    CHECK_EQ(mr[19], 0);
    CHECK_EQ(mr[9], 0);                         /* RCX = divisor */
    L4_LoadMR(0, 1);
    L4_LoadMR(1, mr[1] + 2);
    CHECK(L4_IpcSucceeded(L4_Reply(t)));
    CHECK(test_wait_until(is_done, 1000));
    test_kill_thread(t);
}

/* --- Propagation --- */

static L4_ThreadId_t prop_server, prop_virtual;
static volatile L4_Word_t srv_tag, srv_from, srv_actual, srv_reply_ok;
static volatile L4_Word_t client_tag, client_from, client_mr1;

/* Server: one message (closed on prop_virtual if set, else open), record
 * it and reply to whoever it came from. */
static void prop_server_fn(void)
{
    L4_ThreadId_t from = L4_nilthread;
    L4_Word_t spec = prop_virtual.raw;
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, spec ? prop_virtual : L4_anythread,
                           L4_Timeouts(L4_Never, SECOND), &from);
    srv_tag = t.raw;
    srv_from = from.raw;
    srv_actual = L4_ActualSender().raw;
    L4_LoadMR(0, 0x5E5EUL << 16 | 1);
    L4_LoadMR(1, 0x600D);
    srv_reply_ok = L4_IpcSucceeded(L4_Reply(from)) ? 1 : 2;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

/* Propagator: take one request and pass it on to the server on behalf of
 * its sender. */
static void propagator_fn(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait_Timeout(SECOND, &from);
    if (L4_IpcSucceeded(t)) {
        L4_Set_VirtualSender(L4_GlobalIdOf(from));
        L4_Set_Propagation(&t);
        L4_Set_MsgTag(t);
        L4_Send_Timeout(prop_server, SECOND);
    }
    done = 1;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

/* The client (a thread of another space, or the root thread). */
static void remote_client(void)
{
    L4_LoadMR(0, 0xC1UL << 16 | 1);
    L4_LoadMR(1, 5);
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t t = L4_Ipc(root, root, L4_Timeouts(SECOND, SECOND), &from);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    client_tag = t.raw;
    client_from = from.raw;
    client_mr1 = w;
}

static void reset_prop(void)
{
    start();
    srv_tag = srv_from = srv_actual = srv_reply_ok = 0;
    client_tag = client_from = client_mr1 = 0;
    prop_virtual = L4_nilthread;
}

static int server_replied(void)
{
    return srv_reply_ok != 0;
}

/* Client (root), propagator and server in one space: the server sees the
 * client as sender, p set, the propagator as ActualSender, and its reply
 * reaches the client, which was waiting for the propagator. */
TEST(ipc_protocols, propagation_in_one_space)
{
    reset_prop();
    prop_server = test_start_thread(prop_server_fn);
    CHECK(!L4_IsNilThread(prop_server));
    L4_ThreadId_t prop = test_start_thread(propagator_fn);
    CHECK(!L4_IsNilThread(prop));
    L4_Yield();
    L4_LoadMR(0, 0xC1UL << 16 | 1);
    L4_LoadMR(1, 5);
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t t = L4_Ipc(prop, prop, L4_Timeouts(SECOND, SECOND), &from);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0x5E5E);              /* the server's reply */
    CHECK_EQ(from.raw, L4_LocalIdOf(prop_server).raw);
    L4_Word_t w;
    L4_StoreMR(1, &w);
    CHECK_EQ(w, 0x600D);
    L4_MsgTag_t st = { .raw = srv_tag };
    CHECK(L4_IpcSucceeded(st));
    CHECK(L4_IpcPropagated(st));
    CHECK_EQ(L4_Label(st), 0xC1);
    CHECK_EQ(srv_from, L4_MyLocalId().raw);     /* the virtual sender, local */
    CHECK_EQ(srv_actual, prop.raw);             /* the real sender, global */
    CHECK_EQ(srv_reply_ok, 1);
    test_kill_thread(prop);
    test_kill_thread(prop_server);
}

/* A server in a closed wait for the virtual sender accepts the
 * propagated message. */
TEST(ipc_protocols, propagated_message_matches_closed_wait)
{
    reset_prop();
    prop_virtual = L4_Myself();
    prop_server = test_start_thread(prop_server_fn);
    CHECK(!L4_IsNilThread(prop_server));
    L4_ThreadId_t prop = test_start_thread(propagator_fn);
    CHECK(!L4_IsNilThread(prop));
    L4_Yield();
    L4_LoadMR(0, 0xC2UL << 16);
    L4_MsgTag_t t = L4_Call_Timeouts(prop, SECOND, SECOND);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0x5E5E);
    CHECK(L4_IpcPropagated((L4_MsgTag_t){ .raw = srv_tag }));
    test_kill_thread(prop);
    test_kill_thread(prop_server);
}

/* The sender lives in the receiver's space: propagation on behalf of a
 * thread of another space is honoured too. */
TEST(ipc_protocols, propagation_for_other_space_client)
{
    reset_prop();
    CHECK(!L4_IsNilThread(test_pager_start()));
    prop_server = test_start_thread(prop_server_fn);
    CHECK(!L4_IsNilThread(prop_server));
    L4_ThreadId_t prop = test_start_thread(propagator_fn);
    CHECK(!L4_IsNilThread(prop));
    root = prop;                                /* the client calls the propagator */
    L4_ThreadId_t client = test_start_space_thread(remote_client);
    CHECK(!L4_IsNilThread(client));
    CHECK(test_wait_until(server_replied, 2000));
    L4_MsgTag_t st = { .raw = srv_tag };
    CHECK(L4_IpcPropagated(st));
    CHECK_EQ(srv_from, client.raw);             /* other space: global id */
    CHECK_EQ(srv_actual, prop.raw);
    CHECK_EQ(srv_reply_ok, 1);
    for (int i = 0; i < 100 && !client_tag; i++) {
        L4_Sleep(L4_TimePeriod(1000));
    }
    CHECK(L4_IpcSucceeded((L4_MsgTag_t){ .raw = client_tag }));
    CHECK_EQ(client_mr1, 0x600D);
    CHECK_EQ(client_from, prop_server.raw);
    test_kill_thread(client);
    test_kill_thread(prop);
    test_kill_thread(prop_server);
    test_pager_stop();
}

/* Neither rule holds (propagator in a third space): the p flag is cleared,
 * the server sees the real sender, and the client is not redirected. */
TEST(ipc_protocols, propagation_refused_across_spaces)
{
    reset_prop();
    CHECK(!L4_IsNilThread(test_pager_start()));
    prop_server = test_start_thread(prop_server_fn);
    CHECK(!L4_IsNilThread(prop_server));
    L4_ThreadId_t prop = test_start_space_thread(propagator_fn);
    CHECK(!L4_IsNilThread(prop));
    L4_Sleep(L4_TimePeriod(2000));
    L4_LoadMR(0, 0xC3UL << 16);
    L4_MsgTag_t t = L4_Call_Timeouts(prop, SECOND, L4_TimePeriod(20000));
    CHECK(L4_IpcFailed(t));                     /* nobody answers us */
    CHECK_EQ(L4_ErrorCode(), 0x3);
    CHECK(test_wait_until(server_replied, 1000));
    L4_MsgTag_t st = { .raw = srv_tag };
    CHECK(L4_IpcSucceeded(st));
    CHECK(!L4_IpcPropagated(st));
    CHECK_EQ(srv_from, prop.raw);
    CHECK_EQ(srv_reply_ok, 2);                  /* its reply found nobody */
    test_kill_thread(prop);
    test_kill_thread(prop_server);
    test_pager_stop();
}

/* A virtual sender that does not exist: plain send, p cleared. */
static void propagate_for_nobody(void)
{
    L4_Set_VirtualSender(L4_GlobalId(L4_ThreadNo(root) + 300, 1));
    L4_MsgTag_t t = { .raw = 0xC4UL << 16 };
    L4_Set_Propagation(&t);
    L4_Set_MsgTag(t);
    L4_Send_Timeout(prop_server, SECOND);
    done = 1;
}

TEST(ipc_protocols, propagation_for_nonexistent_thread)
{
    reset_prop();
    prop_server = test_start_thread(prop_server_fn);
    CHECK(!L4_IsNilThread(prop_server));
    L4_ThreadId_t p = test_start_thread(propagate_for_nobody);
    CHECK(!L4_IsNilThread(p));
    CHECK(test_wait_until(server_replied, 1000));
    L4_MsgTag_t st = { .raw = srv_tag };
    CHECK(L4_IpcSucceeded(st));
    CHECK(!L4_IpcPropagated(st));
    CHECK_EQ(srv_from, L4_LocalIdOf(p).raw);
    test_kill_thread(p);
    test_kill_thread(prop_server);
}

/* A propagated send that fails (the server is not receiving) must not
 * redirect the client: the propagator can still answer it itself. */
static volatile L4_Word_t prop_send_err, prop_reply_ok;

static void propagate_then_reply(void)
{
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Wait_Timeout(SECOND, &from);
    if (L4_IpcSucceeded(t)) {
        L4_Set_VirtualSender(L4_GlobalIdOf(from));
        L4_Set_Propagation(&t);
        L4_Set_MsgTag(t);
        t = L4_Send_Timeout(prop_server, L4_TimePeriod(2000));
        prop_send_err = L4_IpcFailed(t) ? L4_ErrorCode() : 0;
        L4_LoadMR(0, 0x9090UL << 16);
        prop_reply_ok = L4_IpcSucceeded(L4_Reply(from)) ? 1 : 2;
    }
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

TEST(ipc_protocols, failed_propagation_leaves_client_waiting)
{
    reset_prop();
    prop_send_err = prop_reply_ok = 0;
    prop_server = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(prop_server));
    L4_ThreadId_t prop = test_start_thread(propagate_then_reply);
    CHECK(!L4_IsNilThread(prop));
    L4_Yield();
    L4_LoadMR(0, 0xC5UL << 16);
    L4_MsgTag_t t = L4_Call_Timeouts(prop, SECOND, SECOND);
    CHECK_EQ(prop_send_err, 0x2);               /* its send timed out */
    CHECK_EQ(prop_reply_ok, 1);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0x9090);
    test_kill_thread(prop);
    test_kill_thread(prop_server);
}

/* The virtual sender is deleted while the propagating send is blocked:
 * the message then arrives as an ordinary one from the real sender. */
static L4_ThreadId_t doomed;

static void propagate_for_doomed(void)
{
    L4_Set_VirtualSender(doomed);
    L4_MsgTag_t t = { .raw = 0xC6UL << 16 };
    L4_Set_Propagation(&t);
    L4_Set_MsgTag(t);
    L4_Send_Timeout(prop_server, SECOND);
    done = 1;
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

TEST(ipc_protocols, virtual_sender_deleted_while_blocked)
{
    reset_prop();
    prop_server = L4_Myself();
    doomed = test_start_thread(sleeper);
    CHECK(!L4_IsNilThread(doomed));
    L4_ThreadId_t p = test_start_thread(propagate_for_doomed);
    CHECK(!L4_IsNilThread(p));
    L4_Sleep(L4_TimePeriod(2000));              /* p is blocked sending to us */
    test_kill_thread(doomed);
    /* Reuse the freed thread memory for other threads. */
    L4_ThreadId_t other[3];
    for (int i = 0; i < 3; i++) {
        other[i] = test_start_thread(sleeper);
        CHECK(!L4_IsNilThread(other[i]));
    }
    L4_ThreadId_t from;
    L4_MsgTag_t t = L4_Ipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_Never, SECOND), &from);
    CHECK(L4_IpcSucceeded(t));
    CHECK_EQ(L4_Label(t), 0xC6);
    CHECK(!L4_IpcPropagated(t));
    CHECK_EQ(from.raw, L4_LocalIdOf(p).raw);
    for (int i = 0; i < 3; i++) {
        test_kill_thread(other[i]);
    }
    test_kill_thread(p);
}

/* A thread of another space raises an exception: same message, and the
 * handler in our space gets its global id. */
TEST(ipc_protocols, exception_from_other_space)
{
    start();
    CHECK(!L4_IsNilThread(test_pager_start()));
    L4_ThreadId_t t = test_start_space_thread(raise_ud2);
    CHECK(!L4_IsNilThread(t));
    L4_ThreadId_t from = L4_nilthread;
    L4_MsgTag_t tag = L4_Ipc(L4_nilthread, L4_anythread, L4_Timeouts(L4_Never, SECOND), &from);
    CHECK(L4_IpcSucceeded(tag));
    CHECK_EQ(from.raw, t.raw);
    CHECK_EQ(L4_Label(tag), EXC_LABEL);
    L4_Word_t rip;
    L4_StoreMR(1, &rip);
    CHECK_EQ(rip, (L4_Word_t)exc_ud2);
    L4_LoadMR(0, 1);
    L4_LoadMR(1, rip + 2);
    CHECK(L4_IpcSucceeded(L4_Reply(t)));
    CHECK(test_wait_until(is_done, 1000));
    CHECK_EQ(out_rbx, 0x1111111111111111UL);
    test_kill_thread(t);
    test_pager_stop();
}
