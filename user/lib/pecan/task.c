/* SPDX-License-Identifier: BSD-2-Clause */
/* Task helpers (see pecan/task.h).
 *
 * New spaces get the root task's KIP area address and a UTCB area of 16 KiB
 * at the root's UTCB address; their first thread is activated with a pager
 * that sends it the start-up message (IP, SP) and then serves its faults.
 */
#include <pecan/task.h>
#include <l4/thread.h>
#include <l4/space.h>
#include <l4/ipc.h>
#include <l4/kip.h>
#include <l4/schedule.h>

#define MAX_SLOTS 200

static unsigned next_slot;
static L4_Word_t versions[MAX_SLOTS];

static void *kip(void)
{
    static void *k;
    if (!k) {
        k = L4_GetKernelInterface();
    }
    return k;
}

L4_ThreadId_t task_new_tid(L4_Word_t *utcb_location)
{
    unsigned slot = next_slot++ % MAX_SLOTS;
    L4_Word_t base = L4_MyLocalId().raw & ~(L4_UtcbAreaSize(kip()) - 1);
    *utcb_location = base + (slot + 1) * L4_UtcbSize(kip());
    versions[slot] = versions[slot] % 63 + 1;
    return L4_GlobalId(L4_ThreadNo(L4_Myself()) + 1 + slot, versions[slot]);
}

L4_ThreadId_t task_start_local(void (*fn)(void), void *stack_top, L4_Word_t prio)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = task_new_tid(&utcb);
    if (!L4_ThreadControl(t, L4_Myself(), L4_Myself(), L4_Pager(), (void *)utcb)) {
        return L4_nilthread;
    }
    L4_Set_Priority(t, prio);
    L4_Start_SpIp(t, (L4_Word_t)stack_top - 8, (L4_Word_t)fn);
    return t;
}

L4_ThreadId_t task_start_space(void (*fn)(void), void *stack_top, L4_ThreadId_t pager,
                               L4_Word_t prio)
{
    L4_Word_t utcb;
    L4_ThreadId_t t = task_new_tid(&utcb);
    L4_Word_t area = L4_MyLocalId().raw & ~(L4_UtcbAreaSize(kip()) - 1);
    L4_Word_t dummy;
    if (!L4_ThreadControl(t, t, L4_Myself(), L4_nilthread, (void *)-1) ||
        !L4_SpaceControl(t, 0, L4_FpageLog2((L4_Word_t)kip(), 12), L4_FpageLog2(area, 14),
                         L4_nilthread, &dummy) ||
        !L4_ThreadControl(t, t, L4_Myself(), pager, (void *)area)) {
        return L4_nilthread;
    }
    L4_Set_Priority(t, prio);
    /* Start-up message from the pager's id: we propagate as the pager. */
    L4_Set_VirtualSender(pager);
    L4_MsgTag_t tag = { .raw = 2 | (1UL << 12) };
    L4_LoadMR(0, tag.raw);
    L4_LoadMR(1, (L4_Word_t)fn);
    L4_LoadMR(2, (L4_Word_t)stack_top - 8);
    L4_Send(t);
    return t;
}

void task_pager_loop(void)
{
    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        L4_Word_t addr;
        L4_StoreMR(1, &addr);
        if (L4_IpcFailed(tag) || (tag.raw & ~((1UL << 20) - 1)) != ((L4_Word_t)-2 << 20)) {
            L4_Accept(L4_UntypedWordsAcceptor);
            tag = L4_Wait(&from);           /* not a page fault: ignore it */
            continue;
        }
        L4_Word_t page = addr & ~0xFFFUL;
        volatile char *p = (volatile char *)page;
        (void)*p;                           /* make sure we have it ourselves */
        L4_MapItem_t m = L4_MapItem(L4_FpageAddRights(L4_FpageLog2(page, 12), L4_FullyAccessible),
                                    page);
        L4_LoadMR(0, 2 << 6);
        L4_LoadMR(1, m.raw[0]);
        L4_LoadMR(2, m.raw[1]);
        L4_Accept(L4_UntypedWordsAcceptor);
        tag = L4_ReplyWait(from, &from);
    }
}

void task_delete(L4_ThreadId_t t)
{
    L4_ThreadControl(t, L4_nilthread, L4_nilthread, L4_nilthread, (void *)-1);
}
