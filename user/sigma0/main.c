/* SPDX-License-Identifier: BSD-2-Clause */
/* sigma0: the root pager, owner of all physical memory (X.2 sigma0 protocol).
 *
 * It answers page faults by mapping the faulting page 1:1 when the page is
 * free conventional memory, memory the requester already owns, or shared
 * memory; and "get page" requests (label -6 << 4) for a given or any
 * region.  It owns all I/O ports too and hands them out for IO fpage
 * requests (same label, an IO fpage in MR1) and IO page faults (label
 * -8 << 4).  Every reply is one map item; a refusal is a map item with the
 * nil fpage.  Malformed requests get no reply.
 */
#include "memory.h"
#include "ports.h"
#include <l4/space.h>
#include <l4/kip.h>
#include <l4/ipc.h>
#include <l4/message.h>
#include <l4/thread.h>
#include <pecan/io.h>

#define LABEL_MASK       (~((1UL << 20) - 1))
#define LABEL_PAGEFAULT  ((L4_Word_t)-2 << 20)
#define LABEL_SIGMA0     ((L4_Word_t)-6 << 20)
#define LABEL_IO_FAULT   ((L4_Word_t)-8 << 20)
#define PAGE_LOG2        12

static int verbose;

/* Reply tag u = 0, t = 2 with the map item (fpage at base), or a refusal. */
static void load_reply(L4_Fpage_t f, L4_Word_t snd_base)
{
    L4_MapItem_t m = L4_MapItem(f, snd_base);
    if (L4_IsNilFpage(f)) {
        m.raw[0] = 0x8;
        m.raw[1] = 0;
    }
    L4_LoadMR(0, (L4_Word_t)2 << 6);
    L4_LoadMR(1, m.raw[0]);
    L4_LoadMR(2, m.raw[1]);
}

static L4_Fpage_t page_fault(L4_ThreadId_t from, L4_Word_t addr, L4_Word_t *base)
{
    L4_Word_t page = addr & ~((1UL << PAGE_LOG2) - 1);
    *base = page;
    if (!memory_claim(page, 1UL << PAGE_LOG2, from, 0)) {
        if (verbose) {
            printf("sigma0: refused page fault of %lx at %lx\n", from.raw, addr);
        }
        return L4_Nilpage;
    }
    return L4_FpageAddRights(L4_FpageLog2(page, PAGE_LOG2), L4_FullyAccessible);
}

static L4_Fpage_t get_page(L4_ThreadId_t from, L4_Fpage_t req, L4_Word_t *base)
{
    unsigned log2 = (unsigned)L4_SizeLog2(req);
    if (log2 < PAGE_LOG2 || log2 >= 48) {
        return L4_Nilpage;
    }
    L4_Word_t addr;
    if ((req.raw >> 10) == (~0UL >> 10)) {
        addr = memory_claim_any(log2, from);
        if (!addr) {
            return L4_Nilpage;
        }
    } else {
        addr = L4_Address(req) & ~((1UL << log2) - 1);
        if (!memory_claim(addr, 1UL << log2, from, 1)) {
            return L4_Nilpage;
        }
    }
    *base = addr;
    return L4_FpageAddRights(L4_FpageLog2(addr, log2), L4_FullyAccessible);
}

int main(void)
{
    void *kip = L4_GetKernelInterface();
    L4_Word_t user_base = L4_ThreadIdUserBase(kip);
    L4_ThreadId_t kernel = L4_GlobalId(L4_ThreadIdSystemBase(kip), 1);
    memory_init(kip, kernel, L4_GlobalId(user_base + 2, 1));
    printf("sigma0: serving the sigma0 protocol\n");

    L4_ThreadId_t from;
    L4_Accept(L4_UntypedWordsAcceptor);
    L4_MsgTag_t tag = L4_Wait(&from);
    for (;;) {
        while (L4_IpcFailed(tag) || L4_TypedWords(tag) != 0 ||
               (L4_UntypedWords(tag) != 2 && L4_UntypedWords(tag) != 3)) {
            L4_Accept(L4_UntypedWordsAcceptor);
            tag = L4_Wait(&from);
        }
        L4_Word_t mr1, base = 0;
        L4_StoreMR(1, &mr1);
        L4_Fpage_t reply;
        switch (tag.raw & LABEL_MASK) {
        case LABEL_PAGEFAULT:
            reply = page_fault(from, mr1, &base);
            break;
        case LABEL_SIGMA0:
            /* An IO fpage is recognised first, as Pistachio's sigma0 does. */
            if (L4_IsIoFpage((L4_Fpage_t){ .raw = mr1 })) {
                reply = ports_claim((L4_Fpage_t){ .raw = mr1 }, from);
            } else {
                reply = get_page(from, (L4_Fpage_t){ .raw = mr1 }, &base);
            }
            break;
        case LABEL_IO_FAULT:
            reply = ports_claim((L4_Fpage_t){ .raw = mr1 }, from);
            break;
        default:
            L4_Accept(L4_UntypedWordsAcceptor);
            tag = L4_Wait(&from);
            continue;
        }
        load_reply(reply, base);
        L4_Accept(L4_UntypedWordsAcceptor);
        tag = L4_ReplyWait(from, &from);
    }
}
