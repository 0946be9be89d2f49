/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread objects (see kernel/thread.h).
 *
 * A TCB is one page from the kernel pool, charged to the kernel-memory
 * account of the thread's space (docs/kmem.md).  It is registered in the
 * thread table under its thread number, which also decides its address
 * (the TCB is used through the pointer the table returns); its global id
 * carries the version.
 * The UTCB lives in a page of the thread's space (see space_utcb_block), so
 * it stays valid for the thread's life.
 */
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <kernel/sched.h>
#include <kernel/kmem.h>
#include <kernel/console.h>
#include <kernel/string.h>
#include <kernel/ipc.h>
#include <arch/thread.h>
#include <arch/fpu.h>

tcb_t *thread_lookup(threadid_t id)
{
    return thread_table_lookup(id);
}

tcb_t *thread_by_number(word_t no)
{
    return thread_table_get(no);
}

tcb_t *thread_resolve(tcb_t *self, threadid_t id)
{
    if (id == ANYTHREAD || id == ANYLOCALTHREAD) {
        return NULL;
    }
    return thread_table_resolve(self, id);
}

tcb_t *thread_create(threadid_t id, space_t *s)
{
    void *page = kmem_alloc_charged(&s->kmem);
    if (!page) {
        return NULL;
    }
    tcb_t *t = thread_table_insert(tid_number(id), page);
    if (!t) {
        kmem_free_charged(&s->kmem, page);
        return NULL;
    }
    t->id = id;
    t->space = s;
    t->state = TS_INACTIVE;
    t->stack_canary = TCB_STACK_CANARY;
    tcb_set_utcb_location(t, ~0UL);
    t->prio = PRIO_DEFAULT;
    t->timeslice_len = t->timeslice_left = TIMESLICE_DEFAULT;
    list_init(&t->ready_link);
    list_add_tail(&s->threads, &t->space_link);
    s->thread_count++;
    ipc_thread_init(t);
    return t;
}

bool thread_activate(tcb_t *t, word_t loc, threadid_t pager)
{
    utcb_t *u = space_utcb_block(t->space, loc);
    if (!u) {
        return false;
    }
    memset(u, 0, sizeof(*u));
    t->utcb = u;
    tcb_set_utcb_location(t, loc);
    t->space->active_threads++;
    utcb_set_tcr(u, TCR_MY_GLOBAL_ID, t->id);
    utcb_set_tcr(u, TCR_PROCESSOR_NO, t->cpu);
    utcb_set_tcr(u, TCR_PAGER, pager);
    utcb_set_tcr(u, TCR_EXCEPTION_HANDLER, NILTHREAD);
    utcb_set_tcr(u, TCR_WORD_SIZE_MASK, ~0UL);
    return true;
}

static void enter_user(frame_t *f)
{
    (void)f;
}

/* First kernel code of an activated thread: the start-up wait (X.2 thread
 * start protocol).  A message from the pager with u = 2 supplies IP and SP;
 * an ExchangeRegisters cancel starts the thread at the IP/SP it set. */
static void startup(frame_t *f)
{
    tcb_t *self = sched_current();
    threadid_t from;
    self->starting = false;
    if (self->start_canceled) {
        self->start_canceled = false;
        return;
    }
    word_t tag = ipc_kernel_receive(self, utcb_tcr(self->utcb, TCR_PAGER), &from);
    if (!(tag & TAG_E_FLAG) && (tag & 0x3F) == 2 && ((tag >> 6) & 0x3F) == 0) {
        arch_set_user_ip(self, utcb_mr(self->utcb, 1));
        arch_set_user_sp(self, utcb_mr(self->utcb, 2));
    }
    /* Taking the message readied its sender, which may outrank us. */
    sched_leave_kernel();
    (void)f;
}

void thread_wait_startup(tcb_t *t)
{
    arch_user_frame_init(t, 0, 0);
    arch_thread_init(t, startup);
    t->starting = true;
    sched_ready(t);
}

void thread_prepare_user_entry(tcb_t *t)
{
    arch_thread_init(t, enter_user);
}

void thread_start(tcb_t *t, word_t ip, word_t sp)
{
    arch_user_frame_init(t, ip, sp);
    thread_prepare_user_entry(t);
    sched_ready(t);
}

bool thread_move_space(tcb_t *t, space_t *to)
{
    space_t *from = t->space;
    if (!kmem_charge(&to->kmem, PAGE_SIZE)) {
        return false;               /* the TCB's page moves to to's account */
    }
    kmem_refund(&from->kmem, PAGE_SIZE);
    if (t->utcb) {
        from->active_threads--;
        to->active_threads++;
    }
    list_del(&t->space_link);
    list_add_tail(&to->threads, &t->space_link);
    to->thread_count++;
    t->space = to;
    if (--from->thread_count == 0) {
        space_destroy(from);
    }
    return true;
}

void thread_set_id(tcb_t *t, threadid_t id)
{
    ipc_thread_renamed(t, id);      /* its partners keep waiting for it */
    t->id = id;
    if (t->utcb) {
        utcb_set_tcr(t->utcb, TCR_MY_GLOBAL_ID, id);
    }
}

void thread_halt_faulted(tcb_t *t)
{
    sched_halt(t);
    if (t == sched_current()) {
        schedule();
    }
}

void thread_destroy(tcb_t *t)
{
    assert(t != sched_current());
    ipc_thread_abort(t);
    sched_block(t, TS_INACTIVE);
    sched_remove(t);
    fpu_release(t);
    space_t *s = t->space;
    if (t->utcb) {
        s->active_threads--;
    }
    list_del(&t->space_link);
    kmem_free_charged(&s->kmem, thread_table_remove(tid_number(t->id)));
    if (--s->thread_count == 0) {
        space_destroy(s);
    }
}
