/* SPDX-License-Identifier: BSD-2-Clause */
/* User page faults and exceptions as IPC (X.2 §6; spec protocols.md §1–2).
 *
 * sigma0's space is idempotent: its faults are resolved by mapping the same
 * physical address (kernel memory excepted).  Any other thread performs a
 * kernel-generated Call to its pager (page faults) or exception handler
 * (exceptions); its message registers, BR0 and IPC TCRs are saved around
 * that call and restored afterwards, so the thread cannot tell.  A thread
 * without a pager or handler is reported on the console and halted.
 */
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <kernel/space.h>
#include <kernel/sched.h>
#include <kernel/console.h>
#include <kernel/physmem.h>
#include <kernel/ipc.h>
#include <kernel/string.h>
#include <arch/thread.h>
#include <arch/exception.h>
#include <arch/timer.h>

#define LABEL_PAGEFAULT  ((word_t)-2 << 4)
#define LABEL_EXCEPTION  ((word_t)-5 << 4)
#define LABEL_PREEMPTION ((word_t)-3 << 4)
#define ACCEPT_ALL_MAPS  0x10UL     /* receive window: complete address space */

const char *arch_vector_name(word_t v);
void arch_dump_frame(const frame_t *f);

typedef struct {
    word_t mr[ARCH_EXC_MRS + 1];
    word_t br0, error, vsender;
} saved_vregs_t;

static void save(tcb_t *t, saved_vregs_t *s, unsigned n)
{
    memcpy(s->mr, utcb_p(t->utcb), n * sizeof(word_t));
    s->br0 = utcb_br(t->utcb, 0);
    s->error = utcb_tcr(t->utcb, TCR_ERROR_CODE);
    s->vsender = utcb_tcr(t->utcb, TCR_VIRTUAL_SENDER);
}

static void restore(tcb_t *t, const saved_vregs_t *s, unsigned n)
{
    memcpy(utcb_p(t->utcb), s->mr, n * sizeof(word_t));
    utcb_set_tcr(t->utcb, TCR_BR0, s->br0);
    utcb_set_tcr(t->utcb, TCR_ERROR_CODE, s->error);
    utcb_set_tcr(t->utcb, TCR_VIRTUAL_SENDER, s->vsender);
}

static void report(tcb_t *t, const char *what)
{
    printk("pecan: thread %lx faulted: %s\n", t->id, what);
    arch_dump_frame(tcb_frame(t));
    printk("pecan: thread %lx halted; the system continues\n", t->id);
}

/* The page-fault Call to t's pager: label, MR1 = addr, MR2 = ip, BR0 =
 * window.  False if t has no pager. */
static bool pager_call(tcb_t *t, word_t label, word_t addr, word_t ip, word_t window)
{
    if (!t->utcb || tid_is_nil(utcb_tcr(t->utcb, TCR_PAGER))) {
        return false;
    }
    saved_vregs_t s;
    save(t, &s, 3);
    utcb_set_mr(t->utcb, 0, (label << 16) | 2);
    utcb_set_mr(t->utcb, 1, addr);
    utcb_set_mr(t->utcb, 2, ip);
    utcb_set_tcr(t->utcb, TCR_BR0, window);
    ipc_kernel_call(t, utcb_tcr(t->utcb, TCR_PAGER));
    restore(t, &s, 3);
    return true;    /* re-execute; a fault that persists faults again */
}

void fault_page(tcb_t *t, word_t addr, word_t ip, unsigned access)
{
    if (t->space->sigma0) {
        word_t page = ALIGN_DOWN(addr, PAGE_SIZE);
        if (physmem_user_ok(page, PAGE_SIZE, true) &&
            pgt_map(&t->space->pgt, page, page, PAGE_BITS, FPAGE_RIGHTS_ALL)) {
            return;
        }
    } else if (pager_call(t, LABEL_PAGEFAULT | access, addr, ip, ACCEPT_ALL_MAPS)) {
        return;
    }
    report(t, "page fault without a pager");
    printk("  address %lx, access %c%c%c\n", addr, access & 4 ? 'r' : '-',
           access & 2 ? 'w' : '-', access & 1 ? 'x' : '-');
    thread_halt_faulted(t);
}

void fault_arch_page(tcb_t *t, word_t label, fpage_t f, word_t ip, fpage_t window)
{
    if (!pager_call(t, label, f, ip, window)) {
        report(t, "arch-specific page fault without a pager");
        printk("  fpage %lx\n", f);
        thread_halt_faulted(t);
    }
}

word_t fault_in_transfer(tcb_t *t, word_t addr, unsigned access, bool tunnel, uint64_t deadline)
{
    threadid_t pager = t->utcb ? utcb_tcr(t->utcb, TCR_PAGER) : NILTHREAD;
    if (tid_is_nil(pager)) {
        return IPC_NO_PARTNER;
    }
    saved_vregs_t s;
    save(t, &s, 3);
    utcb_set_mr(t->utcb, 0, ((LABEL_PAGEFAULT | access) << 16) | 2);
    utcb_set_mr(t->utcb, 1, addr);
    utcb_set_mr(t->utcb, 2, tunnel ? ~0UL : frame_ip(tcb_frame(t)));
    utcb_set_tcr(t->utcb, TCR_BR0, ACCEPT_ALL_MAPS);
    word_t res = ipc_call_until(t, pager, deadline);
    restore(t, &s, 3);
    return res;
}

void fault_exception(tcb_t *t, word_t vector, word_t error)
{
    threadid_t handler = t->utcb ? utcb_tcr(t->utcb, TCR_EXCEPTION_HANDLER) : NILTHREAD;
    if (tid_is_nil(handler)) {
        report(t, arch_vector_name(vector));
        thread_halt_faulted(t);
        return;
    }
    saved_vregs_t s;
    save(t, &s, ARCH_EXC_MRS + 1);
    unsigned n = arch_exception_message(t, vector, error, utcb_p(t->utcb) + 1);
    utcb_set_mr(t->utcb, 0, (LABEL_EXCEPTION << 16) | n);
    utcb_set_tcr(t->utcb, TCR_BR0, 0);
    word_t tag = ipc_kernel_call(t, handler);
    if (!(tag & TAG_E_FLAG)) {
        arch_exception_reply(t, utcb_p(t->utcb) + 1);
    }
    restore(t, &s, ARCH_EXC_MRS + 1);
}

void fault_preemption(tcb_t *t)
{
    t->quantum_expired = false;
    if (!t->utcb || tid_is_nil(t->scheduler) || !thread_lookup(t->scheduler)) {
        return;
    }
    saved_vregs_t s;
    save(t, &s, 3);
    uint64_t now = clock_us();
    utcb_set_mr(t->utcb, 0, (LABEL_PREEMPTION << 16) | 2);
    utcb_set_mr(t->utcb, 1, (word_t)now);
    utcb_set_mr(t->utcb, 2, WORD_BITS == 64 ? 0 : (word_t)(now >> 32));
    utcb_set_tcr(t->utcb, TCR_BR0, 0);
    ipc_kernel_call(t, t->scheduler);
    restore(t, &s, 3);
}
