/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC system call: send phase, receive phase, blocking and waking.
 *
 * Each thread runs its own IPC on its own kernel stack.  A partner that
 * finds it ready performs the transfer and wakes it with ipc_error set
 * (0 = message delivered); a thread that blocks resumes right here.  The
 * send-to-receive transition needs no lock: the kernel is not preemptible.
 */
#include <kernel/ipc.h>
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <kernel/sched.h>
#include <kernel/timeout.h>
#include <kernel/irq.h>
#include <kernel/fault.h>

static void set_error(tcb_t *t, word_t code)
{
    if (t->utcb) {
        utcb_set_tcr(t->utcb, TCR_ERROR_CODE, code);
    }
}

/* Fail the current IPC of self: error tag in MR0, ErrorCode set. */
static word_t fail(tcb_t *self, word_t tag, enum ipc_error err, unsigned phase)
{
    set_error(self, IPC_ERRCODE(err, phase, 0));
    tag |= TAG_E_FLAG;
    utcb_set_mr(self->utcb, 0, tag);
    return tag;
}

void ipc_refresh_fast_prio(tcb_t *t)
{
    t->ipc_fast_prio = list_empty(&t->send_queue) ? t->prio : IPC_FAST_PRIO_QUEUED;
}

void ipc_thread_init(tcb_t *t)
{
    t->lipc_to = ANYTHREAD;         /* never a local id: the cache is empty */
    t->lipc_dest = t;
    list_init(&t->send_queue);
    ipc_refresh_fast_prio(t);
    list_init(&t->send_link);
    list_init(&t->timeout_link);
}

/* The virtual sender s propagates for when sending to r, or NULL.  Kept
 * as an id and checked again at every use: it may be deleted (or change
 * space) while s is blocked, and then s sends as itself (X.2 §5.6 p). */
static tcb_t *live_vsender(const tcb_t *s, const tcb_t *r)
{
    if (tid_is_nil(s->ipc_vsender)) {
        return NULL;
    }
    tcb_t *v = thread_lookup(s->ipc_vsender);
    return v && (v->space == s->space || s->space == r->space) ? v : NULL;
}

/* The id under which sender s appears to receiver r (local if same space):
 * its virtual sender's when it propagates. */
static threadid_t presented_id(const tcb_t *s, const tcb_t *r)
{
    const tcb_t *v = live_vsender(s, r);
    if (!v) {
        v = s;
    }
    return v->space == r->space && v->utcb ? tcb_local_id(v) : v->id;
}

/* Does from-specifier w (global form) of receiver r match sender s? */
static bool matches(threadid_t w, const tcb_t *r, const tcb_t *s)
{
    const tcb_t *v = live_vsender(s, r);
    if (!v) {
        v = s;
    }
    return w == ANYTHREAD || w == s->id || w == v->id ||
           (w == ANYLOCALTHREAD && v->space == r->space);
}

/* Is r blocked in a receive phase that accepts a message from s? */
static bool accepts(const tcb_t *r, const tcb_t *s)
{
    return r->state == TS_RECV_BLOCKED && matches(r->ipc_wait_for, r, s);
}

/* Propagation (X.2 §5.5): honoured when the virtual sender exists and
 * lives in the sender's space, or the sender lives in the receiver's. */
static tcb_t *virtual_sender(tcb_t *self, tcb_t *dest, word_t tag)
{
    if (!(tag & TAG_P_FLAG)) {
        return NULL;
    }
    tcb_t *v = thread_table_resolve(self, utcb_tcr(self->utcb, TCR_VIRTUAL_SENDER));
    if (!v || v == self || (v->space != self->space && self->space != dest->space)) {
        return NULL;
    }
    return v;
}

/* A virtual sender waiting for the propagator's reply now waits for the
 * receiver instead, so the receiver can answer it directly.  Done when the
 * propagated message has been delivered, not before: a send that fails
 * leaves the virtual sender waiting for the propagator. */
static void redirect_reply(tcb_t *v, tcb_t *self, tcb_t *dest)
{
    if (v && v->state == TS_RECV_BLOCKED && v->ipc_wait_for == self->id) {
        v->ipc_wait_for = dest->id;
        dest->ipc_awaited = true;
    }
}

/* Make a blocked thread runnable with the given result. */
static void wake(tcb_t *t, word_t error)
{
    timeout_cancel(t);
    if (list_linked(&t->send_link)) {
        list_del(&t->send_link);
    }
    t->ipc_error = error;
    t->ipc_resumable = false;
    if (t->irq) {
        t->state = TS_INACTIVE;     /* interrupt threads never run */
        return;
    }
    sched_ready(t);
}

/* A partner copying strings to or from us asks us to resolve a fault on
 * our side: do the page-fault IPC, report to the copier, wait again. */
static word_t serve_transfer_fault(tcb_t *self)
{
    /* An aborted copy (cancelled, or the copier deleted) needs no page. */
    word_t res = self->xfer_abort ? IPC_ERRCODE(IPC_ABORTED, self->xfer_is_receiver, 0)
                                  : fault_in_transfer(self, self->xfer_addr, self->xfer_access,
                                                      self->xfer_tunnel, self->xfer_deadline);
    tcb_t *copier = self->xfer_partner;
    if (!copier) {
        return IPC_ERRCODE(IPC_ABORTED, self->xfer_is_receiver, 0);
    }
    copier->ipc_error = res;
    sched_ready(copier);
    sched_block(self, TS_LOCKED);
    schedule();
    return self->ipc_error;
}

/* Block self in state s until woken; returns ipc_error. */
static word_t block(tcb_t *self, thread_state_t s, uint64_t deadline)
{
    if (deadline) {
        timeout_arm(self, deadline);
    }
    sched_block(self, s);
    schedule();
    word_t err = self->ipc_error;
    while (err == IPC_XFER_REQUEST) {
        err = serve_transfer_fault(self);
    }
    return err;
}

/* A user IPC blocks without keeping its kernel stack: when woken it
 * continues in ipc_resume() through the arch's syscall continuation. */
static NORETURN void block_user(tcb_t *self, thread_state_t s, uint64_t deadline,
                                unsigned phase)
{
    if (deadline) {
        timeout_arm(self, deadline);
    }
    self->ipc_blocked_phase = (uint8_t)phase;
    self->ipc_resumable = true;
    sched_block(self, s);
    sched_switch_discard();
}

void ipc_lock_partner(tcb_t *t)
{
    timeout_cancel(t);
    t->ipc_resumable = false;
    if (list_linked(&t->send_link)) {
        list_del(&t->send_link);
    }
    t->state = TS_LOCKED;
}

void ipc_timeout_expired(tcb_t *t)
{
    if (t->state == TS_SEND_BLOCKED) {
        wake(t, IPC_ERRCODE(IPC_TIMEOUT, IPC_PHASE_SEND, 0));
    } else if (t->state == TS_RECV_BLOCKED) {
        wake(t, IPC_ERRCODE(IPC_TIMEOUT, IPC_PHASE_RECEIVE, 0));
    }
}

void ipc_cancel(tcb_t *t, bool send, bool receive)
{
    if ((send || receive) && t->xfer_partner) {
        /* Abort a string transfer: both parties fail with "aborted".  A
         * page-fault IPC either of them is waiting in is cancelled too. */
        tcb_t *p = t->xfer_partner;
        t->xfer_abort = p->xfer_abort = true;
        tcb_t *faulting = t->state == TS_LOCKED ? p : t;
        if (faulting->state == TS_SEND_BLOCKED || faulting->state == TS_RECV_BLOCKED) {
            wake(faulting, IPC_ERRCODE(IPC_CANCELED, faulting->state == TS_RECV_BLOCKED, 0));
        }
        return;
    }
    if (receive && t->starting) {
        t->start_canceled = true;   /* has not reached its start-up wait yet */
        return;
    }
    if (send && t->state == TS_SEND_BLOCKED) {
        wake(t, IPC_ERRCODE(IPC_CANCELED, IPC_PHASE_SEND, 0));
    } else if (receive && t->state == TS_RECV_BLOCKED) {
        wake(t, IPC_ERRCODE(IPC_CANCELED, IPC_PHASE_RECEIVE, 0));
    }
}

/* Closed receives of deleted thread t fail: its partner is gone.  Rare
 * (t must have been awaited), so no list is kept: the IPC paths only set
 * t->ipc_awaited and this looks at every thread. */
static void wake_awaiting(tcb_t *r, void *deleted)
{
    const tcb_t *t = deleted;
    if (r != t && r->state == TS_RECV_BLOCKED && r->ipc_wait_for == t->id) {
        wake(r, IPC_ERRCODE(IPC_NO_PARTNER, IPC_PHASE_RECEIVE, 0));
    }
}

/* A closed receive on the renamed thread (ids[0]) follows it to ids[1]. */
static void retarget_awaiting(tcb_t *r, void *ids)
{
    const threadid_t *id = ids;
    if (r->state == TS_RECV_BLOCKED && r->ipc_wait_for == id[0]) {
        r->ipc_wait_for = id[1];
    }
}

void ipc_thread_renamed(tcb_t *t, threadid_t id)
{
    if (t->ipc_awaited) {
        threadid_t ids[2] = { t->id, id };
        thread_table_for_each(retarget_awaiting, ids);
    }
}

void ipc_thread_abort(tcb_t *t)
{
    tcb_t *p = t->xfer_partner;
    if (p) {
        /* Deleted mid-transfer: the partner fails with "aborted", also
         * when it waits in a page-fault IPC for the copy (as for a
         * cancel), which no pager need answer now. */
        p->xfer_partner = NULL;
        p->xfer_abort = true;
        if (p->state == TS_LOCKED) {
            wake(p, IPC_ERRCODE(IPC_ABORTED, p->xfer_is_receiver, 0));
        } else if (p->state == TS_SEND_BLOCKED || p->state == TS_RECV_BLOCKED) {
            wake(p, IPC_ERRCODE(IPC_CANCELED, p->state == TS_RECV_BLOCKED, 0));
        }
    }
    timeout_cancel(t);
    if (list_linked(&t->send_link)) {
        list_del(&t->send_link);
    }
    /* Partners waiting for t would wait forever: the partner is gone. */
    while (!list_empty(&t->send_queue)) {
        tcb_t *s = container_of(t->send_queue.next, tcb_t, send_link);
        wake(s, IPC_ERRCODE(IPC_NO_PARTNER, IPC_PHASE_SEND, 0));
    }
    if (t->ipc_awaited) {
        thread_table_for_each(wake_awaiting, t);
    }
}

/* Send phase.  Returns 0 on success, else the failure tag. */
static word_t send_phase(tcb_t *self, tcb_t *dest, word_t tag, uint64_t deadline, bool user)
{
    tcb_t *v = virtual_sender(self, dest, tag);
    self->ipc_vsender = v ? v->id : NILTHREAD;
    if (accepts(dest, self)) {
        word_t err = ipc_transfer(self, dest, v != NULL);
        if (err & IPC_PARTNER_GONE) {
            /* dest was deleted during a string copy: nothing left to wake. */
            self->ipc_vsender = NILTHREAD;
            set_error(self, ipc_sender_error(err & ~IPC_PARTNER_GONE));
            return tag | TAG_E_FLAG;
        }
        /* After the transfer: page-fault IPC a string copy made the
         * receiver do in between has its own partner, and the virtual
         * sender may have been deleted. */
        v = live_vsender(self, dest);
        dest->ipc_from = presented_id(self, dest);
        wake(dest, err);
        self->ipc_vsender = NILTHREAD;
        if (!err) {
            redirect_reply(v, self, dest);
        }
        if (err) {
            set_error(self, ipc_sender_error(err));
            return tag | TAG_E_FLAG;
        }
        return 0;
    }
    if (deadline == 1) {
        self->ipc_vsender = NILTHREAD;
        return fail(self, tag, IPC_TIMEOUT, IPC_PHASE_SEND);
    }
    list_add_tail(&dest->send_queue, &self->send_link);
    dest->ipc_fast_prio = IPC_FAST_PRIO_QUEUED;
    if (user) {
        block_user(self, TS_SEND_BLOCKED, deadline, IPC_PHASE_SEND);
    }
    word_t err = block(self, TS_SEND_BLOCKED, deadline);
    self->ipc_vsender = NILTHREAD;
    if (err) {
        set_error(self, err);
        return tag | TAG_E_FLAG;
    }
    return 0;
}

/* First queued sender matching the from-specifier w, or NULL. */
static tcb_t *find_sender(tcb_t *self, threadid_t w)
{
    for (list_node_t *n = self->send_queue.next; n != &self->send_queue; n = n->next) {
        tcb_t *s = container_of(n, tcb_t, send_link);
        if (matches(w, self, s)) {
            return s;
        }
    }
    return NULL;
}

/* Resolve a from-specifier into its global form; *awaited is the thread a
 * closed wait waits for.  False if that thread does not exist. */
static bool resolve_from(tcb_t *self, threadid_t *w, tcb_t **awaited)
{
    *awaited = NULL;
    if (*w == ANYTHREAD || *w == ANYLOCALTHREAD) {
        return true;
    }
    *awaited = thread_table_resolve(self, *w);
    if (!*awaited) {
        return false;
    }
    *w = (*awaited)->id;
    return true;
}

/* Put self into a blocking receive on w (awaited as resolved). */
static void start_waiting(tcb_t *self, threadid_t w, tcb_t *awaited, uint64_t deadline)
{
    self->ipc_wait_for = w;
    if (awaited) {
        awaited->ipc_awaited = true;
    }
    if (deadline) {
        timeout_arm(self, deadline);
    }
    sched_block(self, TS_RECV_BLOCKED);
}

/* The result of a receive that ended while blocked (err from the waker). */
static word_t receive_result(tcb_t *self, word_t err, threadid_t *from)
{
    if (err) {
        set_error(self, err);
        /* Errors 4..7 involve a partner (X.2): its tag and id are delivered. */
        bool partner = (err >> 1 & 7) >= IPC_OVERFLOW;
        word_t tag = partner ? utcb_mr(self->utcb, 0) : 0;
        if (partner) {
            *from = self->ipc_from;
        }
        utcb_set_mr(self->utcb, 0, tag | TAG_E_FLAG);
        return tag | TAG_E_FLAG;
    }
    *from = self->ipc_from;
    return utcb_mr(self->utcb, 0);
}

/* A sender s whose send phase we just completed goes on into its receive
 * phase at once (X.2: the switch is atomic, so a reply cannot be missed).
 * If s already has a matching sender queued, it is simply woken and finds
 * that sender itself. */
static void continue_receive(tcb_t *s)
{
    threadid_t w = s->ipc_rcv_spec;
    tcb_t *awaited;
    if (!resolve_from(s, &w, &awaited)) {
        wake(s, IPC_ERRCODE(IPC_NO_PARTNER, IPC_PHASE_RECEIVE, 0));
        s->ipc_send_done = true;
        return;
    }
    uint64_t deadline = s->ipc_rcv_until ? s->ipc_rcv_until : timeout_deadline(s->ipc_rcv_timeout);
    if (deadline == 1 || find_sender(s, w)) {
        wake(s, 0);             /* it runs its receive phase itself */
        return;
    }
    timeout_cancel(s);
    if (list_linked(&s->send_link)) {
        list_del(&s->send_link);
    }
    s->ipc_send_done = true;
    start_waiting(s, w, awaited, deadline);
}

/* Receive phase; returns the received tag (or an error tag). */
static word_t receive_phase(tcb_t *self, threadid_t w, uint64_t deadline, threadid_t *from,
                            bool user)
{
    tcb_t *awaited;
    if (!resolve_from(self, &w, &awaited)) {
        return fail(self, 0, IPC_NO_PARTNER, IPC_PHASE_RECEIVE);
    }
    tcb_t *s = find_sender(self, w);
    if (s) {
        tcb_t *v = live_vsender(s, self);
        *from = presented_id(s, self);
        word_t err = ipc_transfer(s, self, v != NULL);
        if (err & IPC_PARTNER_GONE) {
            /* s was deleted during a string copy. */
            set_error(self, err & ~IPC_PARTNER_GONE);
            return utcb_mr(self->utcb, 0) | TAG_E_FLAG;
        }
        v = live_vsender(s, self);      /* it may have been deleted meanwhile */
        s->ipc_vsender = NILTHREAD;
        if (!err) {
            redirect_reply(v, s, self);
        }
        if (!err && !tid_is_nil(s->ipc_rcv_spec)) {
            continue_receive(s);
        } else {
            wake(s, err ? ipc_sender_error(err) : 0);
        }
        if (err) {
            set_error(self, err);
            return utcb_mr(self->utcb, 0) | TAG_E_FLAG;
        }
        return utcb_mr(self->utcb, 0);
    }
    if (deadline == 1) {
        return fail(self, 0, IPC_TIMEOUT, IPC_PHASE_RECEIVE);
    }
    start_waiting(self, w, awaited, 0);
    if (user) {
        block_user(self, TS_RECV_BLOCKED, deadline, IPC_PHASE_RECEIVE);
    }
    word_t err = block(self, TS_RECV_BLOCKED, deadline);
    return receive_result(self, err, from);
}

/* Both phases; until != 0 is an absolute deadline replacing the timeouts
 * (kernel-generated IPC during a string transfer). */
static word_t do_ipc(tcb_t *self, threadid_t to, threadid_t from_spec, word_t timeouts,
                     uint64_t until, threadid_t *from, bool user)
{
    word_t tag = utcb_mr(self->utcb, 0);
    *from = NILTHREAD;
    ipc_refresh_fast_prio(self);
    self->ipc_rcv_spec = from_spec;
    self->ipc_rcv_until = until;
    self->ipc_rcv_timeout = (uint16_t)timeouts;
    self->ipc_send_done = false;
    self->ipc_to = to;
    if (!tid_is_nil(to)) {
        if (tid_is_global(to) && to != ANYTHREAD && tid_number(to) < THREAD_SYSTEM_BASE) {
            word_t r = irq_acknowledge(self, to);
            if (r) {
                return fail(self, tag, IPC_NO_PARTNER, IPC_PHASE_SEND);
            }
        } else {
            tcb_t *dest = to == ANYTHREAD || to == ANYLOCALTHREAD
                              ? NULL : thread_table_resolve(self, to);
            if (!dest) {
                return fail(self, tag, IPC_NO_PARTNER, IPC_PHASE_SEND);
            }
            uint64_t deadline = until ? until : timeout_deadline((uint16_t)(timeouts >> 16));
            word_t failed = send_phase(self, dest, tag, deadline, user);
            if (self->ipc_send_done) {
                /* The receiver moved us into our receive phase; it ended. */
                self->ipc_rcv_spec = NILTHREAD;
                return receive_result(self, self->ipc_error, from);
            }
            if (failed) {
                if ((utcb_tcr(self->utcb, TCR_ERROR_CODE) >> 1 & 7) >= IPC_OVERFLOW) {
                    *from = to;
                }
                utcb_set_mr(self->utcb, 0, failed);
                return failed;
            }
        }
    }
    if (tid_is_nil(from_spec)) {
        return tag;
    }
    self->ipc_rcv_spec = NILTHREAD;
    uint64_t deadline = until ? until : timeout_deadline((uint16_t)timeouts);
    return receive_phase(self, from_spec, deadline, from, user);
}

word_t sys_ipc(tcb_t *self, threadid_t to, threadid_t from_spec, word_t timeouts,
               threadid_t *from)
{
    return do_ipc(self, to, from_spec, timeouts, 0, from, true);
}

void ipc_resume(tcb_t *self, threadid_t *from)
{
    word_t err = self->ipc_error;
    self->ipc_resumable = false;    /* nested kernel IPC may follow */
    *from = NILTHREAD;
    while (err == IPC_XFER_REQUEST) {
        err = serve_transfer_fault(self);
    }
    if (self->ipc_blocked_phase == IPC_PHASE_SEND && !self->ipc_send_done) {
        self->ipc_vsender = NILTHREAD;
        if (err) {
            set_error(self, err);
            if (((err >> 1) & 7) >= IPC_OVERFLOW) {
                *from = self->ipc_to;
            }
            utcb_set_mr(self->utcb, 0, utcb_mr(self->utcb, 0) | TAG_E_FLAG);
            return;
        }
        threadid_t spec = self->ipc_rcv_spec;
        if (tid_is_nil(spec)) {
            return;
        }
        self->ipc_rcv_spec = NILTHREAD;
        receive_phase(self, spec, timeout_deadline(self->ipc_rcv_timeout), from, true);
        return;
    }
    receive_result(self, err, from);
}

word_t ipc_call_until(tcb_t *self, threadid_t partner, uint64_t deadline)
{
    threadid_t from;
    word_t tag = do_ipc(self, partner, partner, 0, deadline, &from, false);
    if (!(tag & TAG_E_FLAG)) {
        return 0;
    }
    return (utcb_tcr(self->utcb, TCR_ERROR_CODE) >> 1) & 7;
}

void ipc_send_from_kernel(tcb_t *src, tcb_t *dest)
{
    if (accepts(dest, src)) {
        word_t err = ipc_transfer(src, dest, false);
        wake(dest, err);
        dest->ipc_from = presented_id(src, dest);
        if (dest->prio > sched_current()->prio) {
            sched_preempt();
        }
        return;
    }
    src->state = TS_SEND_BLOCKED;
    list_add_tail(&dest->send_queue, &src->send_link);
    dest->ipc_fast_prio = IPC_FAST_PRIO_QUEUED;
}

word_t ipc_kernel_call(tcb_t *self, threadid_t partner)
{
    threadid_t from;
    return do_ipc(self, partner, partner, 0, 0, &from, false);
}

word_t ipc_kernel_receive(tcb_t *self, threadid_t partner, threadid_t *from)
{
    return do_ipc(self, NILTHREAD, partner, 0, 0, from, false);
}
