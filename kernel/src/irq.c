/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupts as IPC (X.2 interrupt protocol; spec protocols.md §4).
 *
 * Interrupt line n is the thread (n, version 1).  A privileged thread
 * associates a handler with ThreadControl(irq, irq, nil, handler, -1) and
 * detaches it with handler = irq.  When the line fires it is masked and the
 * interrupt "thread" sends an empty message labelled -1 << 4 to the handler:
 * at once if the handler waits for it (or for anyone), otherwise it queues
 * as a sender.  The handler acknowledges by sending to the interrupt
 * thread, which unmasks the line.  Each interrupt thread is a small TCB
 * with no space and no UTCB, so the ordinary send queues carry it.
 */
#include <kernel/irq.h>
#include <kernel/ipc.h>
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/sched.h>
#include <kernel/syscall.h>
#include <kernel/kmem.h>
#include <kernel/console.h>
#include <plat/irq.h>

typedef struct {
    tcb_t *thread;          /* the interrupt thread, NULL if never associated */
    threadid_t handler;     /* nilthread when detached */
    bool delivering;        /* sent, not yet acknowledged */
} irq_line_t;

static irq_line_t lines[THREAD_SYSTEM_BASE];

static tcb_t *irq_thread(unsigned line)
{
    irq_line_t *l = &lines[line];
    if (!l->thread) {
        void *page = kmem_alloc_page();
        if (!page) {
            return NULL;
        }
        tcb_t *t = thread_table_insert(line, page);
        if (!t) {
            kmem_free_page(page);
            return NULL;
        }
        t->id = tid_global(line, 1);
        t->irq = true;
        t->prio = PRIO_ROOT;
        ipc_thread_init(t);
        list_init(&t->ready_link);
        l->thread = t;
    }
    return l->thread;
}

void irq_init(void)
{
    /* Interrupt threads exist from boot, so they can be waited for (and
     * scheduled) whether or not a handler is attached. */
    for (unsigned line = 0; line < plat_irq_lines() && line < THREAD_SYSTEM_BASE; line++) {
        if (plat_irq_available(line) && !irq_thread(line)) {
            panic("no memory for interrupt thread %u", line);
        }
    }
}

int irq_control(struct tcb *self, unsigned long irq, unsigned long handler)
{
    (void)self;
    unsigned line = (unsigned)tid_number(irq);
    if (tid_version(irq) != 1 || !plat_irq_available(line)) {
        return ERR_INVALID_THREAD;
    }
    irq_line_t *l = &lines[line];
    if (handler == irq) {                       /* detach */
        if (tid_is_nil(l->handler)) {
            return ERR_INVALID_THREAD;
        }
        plat_irq_mask(line);
        l->handler = NILTHREAD;
        if (l->thread && list_linked(&l->thread->send_link)) {
            list_del(&l->thread->send_link);
        }
        l->delivering = false;
        return ERR_OK;
    }
    tcb_t *h = thread_lookup(handler);
    if (!h || !h->utcb) {
        return ERR_INVALID_THREAD;
    }
    if (!irq_thread(line)) {
        return ERR_NO_MEM;
    }
    if (l->thread && list_linked(&l->thread->send_link)) {
        list_del(&l->thread->send_link);      /* pending for the old handler */
        l->delivering = false;
    } else if (h->id != l->handler) {
        /* Received by an old handler (perhaps deleted since) that can no
         * longer acknowledge it: the new handler does not inherit it. */
        l->delivering = false;
    }
    l->handler = h->id;
    if (!l->delivering) {
        plat_irq_unmask(line);
    }
    return ERR_OK;
}

void irq_raise(unsigned line)
{
    plat_irq_mask(line);
    irq_line_t *l = &lines[line];
    tcb_t *h = tid_is_nil(l->handler) ? NULL : thread_lookup(l->handler);
    if (!h || !l->thread || l->delivering) {
        return;
    }
    l->delivering = true;
    ipc_send_from_kernel(l->thread, h);
}

unsigned long irq_acknowledge(struct tcb *self, unsigned long irq)
{
    unsigned line = (unsigned)tid_number(irq);
    if (line >= THREAD_SYSTEM_BASE || tid_version(irq) != 1) {
        return 1;
    }
    irq_line_t *l = &lines[line];
    if (tid_is_nil(l->handler) || l->handler != self->id) {
        return 1;
    }
    if (l->thread && list_linked(&l->thread->send_link)) {
        list_del(&l->thread->send_link);      /* acknowledged before it was received */
    }
    l->delivering = false;
    plat_irq_unmask(line);
    return 0;
}

unsigned long irq_state(unsigned long irq)
{
    unsigned line = (unsigned)tid_number(irq);
    if (line >= THREAD_SYSTEM_BASE || tid_is_nil(lines[line].handler)) {
        return 0;
    }
    return 2;   /* associated, idle: reported as halted (Schedule result) */
}
