/* SPDX-License-Identifier: BSD-2-Clause */
/* User page faults and exceptions.
 *
 * sigma0's space is idempotent: its faults are resolved by mapping the same
 * physical address (kernel memory excepted).  Other threads' faults go to
 * their pager and exception handler by IPC once IPC exists; until then a
 * fault of a thread paged by sigma0 on conventional memory is resolved as
 * sigma0 would resolve it (1:1), and anything else is reported on the
 * console and stops only the faulting thread.
 */
#include <kernel/fault.h>
#include <kernel/thread.h>
#include <kernel/space.h>
#include <kernel/sched.h>
#include <kernel/console.h>
#include <kernel/physmem.h>
#include <arch/thread.h>

const char *arch_vector_name(word_t v);
void arch_dump_frame(const frame_t *f);

static void report(tcb_t *t, const char *what)
{
    printk("pecan: thread %lx faulted: %s\n", t->id, what);
    arch_dump_frame(tcb_frame(t));
    printk("pecan: thread %lx halted; the system continues\n", t->id);
}

static bool map_identity(tcb_t *t, word_t addr, bool sigma0)
{
    word_t page = ALIGN_DOWN(addr, PAGE_SIZE);
    if (!physmem_user_ok(page, sigma0)) {
        return false;
    }
    return pgt_map(&t->space->pgt, page, page, PAGE_BITS, FPAGE_RIGHTS_ALL);
}

void fault_page(tcb_t *t, word_t addr, word_t ip, unsigned access)
{
    (void)ip;
    (void)access;
    bool sigma0 = t->space->sigma0;
    bool paged_by_sigma0 = t->utcb && utcb_tcr(t->utcb, TCR_PAGER) == sigma0_id();
    if ((sigma0 || paged_by_sigma0) && map_identity(t, addr, sigma0)) {
        return;
    }
    report(t, "page fault");
    printk("  address %lx, access %c%c%c\n", addr, access & 4 ? 'r' : '-',
           access & 2 ? 'w' : '-', access & 1 ? 'x' : '-');
    thread_halt_faulted(t);
}

void fault_exception(tcb_t *t, word_t vector, word_t error)
{
    (void)error;
    report(t, arch_vector_name(vector));
    thread_halt_faulted(t);
}
