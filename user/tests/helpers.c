/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers shared by the conformance tests: KIP access and test threads.
 *
 * Test threads live in the root task's space, numbered root + 1 + slot with
 * a version that changes on every reuse of the slot, each with a UTCB at
 * root UTCB + (slot + 1) * UTCB size and its own stack.
 */
#include "suite.h"
#include <l4/kip.h>
#include <l4/thread.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/bootinfo.h>
#include <l4/schedule.h>
#include <l4/sigma0.h>
#include <l4/bootinfo.h>

#define MAX_THREADS 32
#define STACK_SIZE  8192

static void *kip;
static unsigned char stacks[MAX_THREADS][STACK_SIZE] __attribute__((aligned(16)));
static void (*slot_fn[MAX_THREADS])(void);
static L4_Word_t slot_version[MAX_THREADS];
static int slot_used[MAX_THREADS];

void *test_kip(void)
{
    if (!kip) {
        kip = L4_GetKernelInterface();
    }
    return kip;
}

void *test_bootinfo(void)
{
    /* Boot-loader memory is not served on page faults: ask sigma0 for it. */
    static void *bi;
    L4_Word_t addr = L4_BootInfo(test_kip());
    if (!bi && addr) {
        L4_Word_t first = addr & ~0xFFFUL;
        if (L4_IsNilFpage(L4_Sigma0_GetPage(L4_nilthread, L4_FpageLog2(first, 12)))) {
            return 0;
        }
        L4_Word_t end = addr + L4_BootInfo_Size((void *)addr);
        for (L4_Word_t p = first + 0x1000; p < end; p += 0x1000) {
            L4_Sigma0_GetPage(L4_nilthread, L4_FpageLog2(p, 12));
        }
        bi = (void *)addr;
    }
    return bi;
}

/* Slot numbers and UTCB locations are relative to the root thread, whose
 * values are taken once (test_touch_image runs first, in the root thread):
 * a helper thread's own id or UTCB must not serve as the base. */
static L4_Word_t first_slot_no, root_utcb_base;

static void note_root(void)
{
    if (!first_slot_no) {
        first_slot_no = L4_ThreadNo(L4_Myself()) + 1;
        root_utcb_base = L4_MyLocalId().raw & ~(L4_UtcbAreaSize(test_kip()) - 1);
    }
}

static L4_Word_t utcb_base(void)
{
    note_root();
    return root_utcb_base;
}

static int slot_of(L4_ThreadId_t t)
{
    note_root();
    return (int)(L4_ThreadNo(t) - first_slot_no);
}

static int slot_of_self(void)
{
    return slot_of(L4_Myself());
}

static int alloc_slot(void)
{
    for (int i = 0; i < MAX_THREADS; i++) {
        if (!slot_used[i]) {
            slot_used[i] = 1;
            slot_version[i] = (slot_version[i] % 63) + 1;
            return i;
        }
    }
    return -1;
}

L4_ThreadId_t test_new_tid(L4_Word_t *utcb_location)
{
    int slot = alloc_slot();
    if (slot < 0) {
        return L4_nilthread;
    }
    *utcb_location = utcb_base() + (L4_Word_t)(slot + 1) * L4_UtcbSize(test_kip());
    return L4_GlobalId(first_slot_no + (L4_Word_t)slot, slot_version[slot]);
}

static void thread_entry(void)
{
    int slot = slot_of_self();
    slot_fn[slot]();
    for (;;) {
        L4_Stop(L4_Myself());
    }
}

/* sigma0 gives a page to one thread only: pages our helper threads touch
 * must already be mapped in the space, so the root thread touches its whole
 * image and the stacks first. */
void test_touch_image(void)
{
    L4_Word_t *k = (L4_Word_t *)test_kip();
    note_root();
    for (volatile char *p = (char *)(k[18] & ~0xFFFUL); p < (char *)k[19]; p += 0x1000) {
        (void)*p;
    }
}

L4_ThreadId_t test_start_thread(void (*fn)(void))
{
    return test_start_thread_pager(fn, L4_Pager());
}

L4_ThreadId_t test_start_thread_pager(void (*fn)(void), L4_ThreadId_t pager)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = test_new_tid(&utcb);
    if (L4_IsNilThread(t)) {
        return t;
    }
    int slot = slot_of(t);
    slot_fn[slot] = fn;
    /* Pager: ours (sigma0), so the thread's first stack touch is served. */
    if (!L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Pager(), (void *)utcb)) {
        slot_used[slot] = 0;
        return L4_nilthread;
    }
    /* Same priority as the root task, so that yielding lets it run. */
    L4_Set_Priority(t, 255);
    L4_Word_t sp = (L4_Word_t)&stacks[slot][STACK_SIZE] - 8;
    if (!L4_IsThreadEqual(pager, L4_Pager())) {
        L4_Set_PagerOf(t, pager);
    }
    L4_Start_SpIp(t, sp, (L4_Word_t)thread_entry);
    return t;
}

void test_kill_thread(L4_ThreadId_t t)
{
    L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
    L4_Word_t slot = (L4_Word_t)slot_of(t);
    if (slot < MAX_THREADS) {
        slot_used[slot] = 0;
    }
}

int test_wait_until(int (*cond)(void), unsigned max_yields)
{
    for (unsigned i = 0; i < max_yields; i++) {
        if (cond()) {
            return 1;
        }
        L4_Yield();
    }
    return cond();
}

static L4_ThreadId_t watched;
static unsigned watch_ms;

static void watchdog(void)
{
    L4_Sleep(L4_TimePeriod(watch_ms * 1000UL));
    L4_Word_t d;
    L4_ThreadId_t p;
    L4_ExchangeRegisters(watched, L4_ExReg_AbortIPC, 0, 0, 0, 0, L4_nilthread, &d, &d, &d, &d,
                         &d, &p);
    for (;;) {
        L4_Sleep(L4_Never);
    }
}

L4_ThreadId_t test_start_watchdog(L4_ThreadId_t t, unsigned ms)
{
    watched = t;
    watch_ms = ms;
    return test_start_thread(watchdog);
}

int test_have_iopl(void)
{
    unsigned long flags;
    __asm__ volatile("pushfq; popq %0" : "=r"(flags));
    return ((flags >> 12) & 3) == 3;
}

/* --- Threads, spaces and scheduling (thread_helpers.h) --- */

#include "thread_helpers.h"
#include <pecan/kdb.h>
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/items.h>

#define CHILD_UTCB_AREA  0xBF000000UL
#define CHILD_KIP_AREA   0xBFF00000UL
#define PF_LABEL_RAW     0xFFFFFFFFFFE00000UL   /* MR0 of a page fault, rwx and u cleared */

static unsigned char child_stack[STACK_SIZE] __attribute__((aligned(16)));
static void (*child_fn)(void);
static L4_ThreadId_t child_id;

L4_Word_t test_kmem_free(void)
{
    return pecan_kmem_free_pages();
}

int test_kmem_back_to(L4_Word_t before)
{
    return test_kmem_free() + 1 >= before;
}

static void child_entry(void)
{
    child_fn();
    for (;;) {
        L4_Stop(L4_Myself());
    }
}

/* Send the child its start-up message, then map it our pages 1:1. */
static void child_pager(void)
{
    L4_MsgTag_t tag = { .raw = 2 };
    L4_LoadMR(0, tag.raw);
    L4_LoadMR(1, (L4_Word_t)child_entry);
    L4_LoadMR(2, (L4_Word_t)&child_stack[STACK_SIZE] - 8);
    L4_Send(child_id);
    L4_ThreadId_t from;
    tag = L4_Wait(&from);
    for (;;) {
        L4_Word_t addr;
        L4_StoreMR(1, &addr);
        if ((tag.raw & ~0xFFFFFUL) != PF_LABEL_RAW) {     /* label, ignoring rwx */
            tag = L4_Wait(&from);
            continue;
        }
        L4_Word_t page = addr & ~0xFFFUL;
        L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible),
                                    page);
        tag.raw = 2UL << 6;             /* t = 2: one map item */
        L4_LoadMR(0, tag.raw);
        L4_LoadMR(1, m.raw[0]);
        L4_LoadMR(2, m.raw[1]);
        /* Not ReplyWait: see docs/threads.md (a Call's receive phase may
         * not have begun yet when a pager answers it). */
        L4_Send(from);
        tag = L4_Wait(&from);
    }
}

L4_ThreadId_t test_start_in_new_space(void (*fn)(void), L4_ThreadId_t *pager)
{
    L4_Word_t unused, ctl;
    L4_ThreadId_t t = test_new_tid(&unused);
    *pager = L4_nilthread;
    if (L4_IsNilThread(t)) {
        return t;
    }
    child_fn = fn;
    child_id = t;
    if (!L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1) ||
        !L4_SpaceControl(t, 0, L4_FpageLog2(CHILD_KIP_AREA, 12),
                         L4_FpageLog2(CHILD_UTCB_AREA, 12), L4_nilthread, &ctl)) {
        test_kill_thread(t);
        return L4_nilthread;
    }
    /* The pager does not run before we yield: it is activated first. */
    *pager = test_start_thread(child_pager);
    if (L4_IsNilThread(*pager) ||
        !L4_ThreadControl(t, t, L4_nilthread, *pager, (void *)CHILD_UTCB_AREA)) {
        test_end_new_space(t, *pager);
        return L4_nilthread;
    }
    L4_Set_Priority(t, 255);
    return t;
}

void test_end_new_space(L4_ThreadId_t t, L4_ThreadId_t pager)
{
    test_kill_thread(t);
    if (!L4_IsNilThread(pager)) {
        test_kill_thread(pager);
    }
}

int test_is_halted(L4_ThreadId_t t)
{
    L4_Word_t ctl, sp, ip, flags, handle;
    L4_ThreadId_t pager;
    L4_ExchangeRegisters(t, 0, 0, 0, 0, 0, L4_nilthread, &ctl, &sp, &ip, &flags, &handle,
                         &pager);
    return (ctl & 1) != 0;
}

static void (*unprivileged_fn)(void);
static volatile int unprivileged_finished;

/* Runs in the new space; our globals are shared with it. */
static void unprivileged_entry(void)
{
    unprivileged_fn();
    unprivileged_finished = 1;
}

static int unprivileged_done(void)
{
    return unprivileged_finished;
}

int test_run_unprivileged(void (*fn)(void))
{
    L4_ThreadId_t pager;
    unprivileged_fn = fn;
    unprivileged_finished = 0;
    L4_ThreadId_t t = test_start_in_new_space(unprivileged_entry, &pager);
    if (L4_IsNilThread(t)) {
        return 0;
    }
    int done = test_wait_until(unprivileged_done, 5000);
    test_end_new_space(t, pager);
    return done;
}

/* --- IPC test support: fresh memory, the test pager, threads in new spaces --- */

#include <l4/space.h>

#define IPC_CHILD_KIP_AREA   0xBFF00000UL
#define IPC_CHILD_UTCB_AREA  0xBF000000UL
#define IPC_CHILD_UTCB_LOG2  16             /* room for every slot's UTCB */
#define IPC_PF_LABEL         ((L4_Word_t)-2 << 20)
#define IPC_LABEL_MASK       (~((1UL << 20) - 1))

test_pager_log_t test_pager_log;
static L4_ThreadId_t pager_tid;

void *test_alloc(unsigned log2)
{
    L4_Fpage_t f = L4_Sigma0_GetAny(L4_nilthread, log2, L4_CompleteAddressSpace);
    return L4_IsNilFpage(f) ? 0 : (void *)L4_Address(f);
}

static int in_root_image(L4_Word_t addr)
{
    L4_Word_t *k = (L4_Word_t *)test_kip();
    return addr >= (k[18] & ~0xFFFUL) && addr < k[19] &&
           !(addr >= test_pager_log.deny_lo && addr < test_pager_log.deny_hi);
}

static void load_map_reply(L4_Word_t page, L4_Word_t rights, L4_Word_t dest)
{
    L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), rights), dest);
    L4_LoadMR(0, 2UL << 6);
    L4_LoadMR(1, m.raw[0]);
    L4_LoadMR(2, m.raw[1]);
}

/* Serve one request in MR0..; returns 1 if a reply is loaded for `from`. */
static int pager_request(L4_MsgTag_t tag, L4_ThreadId_t from, int *stop)
{
    L4_Word_t mr1, mr2, mr3;
    L4_StoreMR(1, &mr1);
    L4_StoreMR(2, &mr2);
    L4_StoreMR(3, &mr3);
    if ((tag.raw & IPC_LABEL_MASK) == IPC_PF_LABEL && L4_UntypedWords(tag) == 2 &&
        L4_TypedWords(tag) == 0) {
        L4_Word_t page = mr1 & ~0xFFFUL;
        if (in_root_image(mr1)) {
            load_map_reply(page, L4_FullyAccessible, page);
            return 1;
        }
        test_pager_log.addr = mr1;
        test_pager_log.ip = mr2;
        test_pager_log.access = L4_Label(tag) & 7;
        test_pager_log.from = from.raw;
        test_pager_log.count++;
        if (!test_pager_log.scratch) {
            return 0;           /* no reply: the thread stays blocked */
        }
        load_map_reply(test_pager_log.scratch, test_pager_log.scratch_rights, page);
        return 1;
    }
    switch (L4_Label(tag)) {
    case TEST_PAGER_START:
        /* The start-up message must come from the pager (X.2 §7.1). */
        L4_LoadMR(0, 2);
        L4_LoadMR(1, mr2);
        L4_LoadMR(2, mr3);
        L4_Send_Timeout((L4_ThreadId_t){ .raw = mr1 }, L4_TimePeriod(1000000));
        L4_LoadMR(0, 0);
        return 1;
    case TEST_PAGER_STOP:
        *stop = 1;
        L4_LoadMR(0, 0);
        return 1;
    default:
        return 0;
    }
}

static void pager_loop(void)
{
    L4_ThreadId_t from;
    int stop = 0;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    while (!stop) {
        if (L4_IpcSucceeded(tag) && pager_request(tag, from, &stop)) {
            if (stop) {
                L4_Reply(from);
                break;
            }
            tag = L4_ReplyWait(from, &from);
        } else {
            tag = L4_Wait(&from);
        }
    }
}

L4_ThreadId_t test_pager_start(void)
{
    test_pager_log = (test_pager_log_t){ 0 };
    test_pager_log.scratch_rights = L4_FullyAccessible;
    pager_tid = test_start_thread(pager_loop);
    return pager_tid;
}

L4_ThreadId_t test_pager(void)
{
    return pager_tid;
}

void test_pager_stop(void)
{
    if (L4_IsNilThread(pager_tid)) {
        return;
    }
    L4_LoadMR(0, TEST_PAGER_STOP << 16);
    L4_Call_Timeouts(pager_tid, L4_TimePeriod(1000000), L4_TimePeriod(1000000));
    test_kill_thread(pager_tid);
    pager_tid = L4_nilthread;
}

L4_ThreadId_t test_start_thread_in(L4_ThreadId_t space, void (*fn)(void))
{
    L4_Word_t utcb, ctl;
    L4_ThreadId_t t = test_new_tid(&utcb);
    if (L4_IsNilThread(t) || L4_IsNilThread(pager_tid)) {
        return L4_nilthread;
    }
    int slot = slot_of(t);
    slot_fn[slot] = fn;
    int new_space = L4_IsNilThread(space);
    L4_ThreadId_t spec = new_space ? t : space;
    if (new_space) {
        if (!L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1) ||
            !L4_SpaceControl(t, 0, L4_FpageLog2(IPC_CHILD_KIP_AREA, 12),
                             L4_FpageLog2(IPC_CHILD_UTCB_AREA, IPC_CHILD_UTCB_LOG2),
                             L4_nilthread, &ctl)) {
            test_kill_thread(t);
            return L4_nilthread;
        }
    }
    if (!L4_ThreadControl(t, spec, L4_Myself(), pager_tid, (void *)utcb)) {
        test_kill_thread(t);
        return L4_nilthread;
    }
    L4_Set_Priority(t, 255);
    L4_LoadMR(0, TEST_PAGER_START << 16 | 3);
    L4_LoadMR(1, t.raw);
    L4_LoadMR(2, (L4_Word_t)thread_entry);
    L4_LoadMR(3, (L4_Word_t)&stacks[slot][STACK_SIZE] - 8);
    L4_MsgTag_t tag = L4_Call_Timeouts(pager_tid, L4_TimePeriod(1000000),
                                       L4_TimePeriod(1000000));
    if (L4_IpcFailed(tag)) {
        test_kill_thread(t);
        return L4_nilthread;
    }
    return t;
}

L4_ThreadId_t test_start_space_thread(void (*fn)(void))
{
    return test_start_thread_in(L4_nilthread, fn);
}
