/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fast path: the common case of a Call or ReplyWait in C.
 *
 * It applies when the message is untyped words only (u <= the registers
 * the architecture passes, no flags), the destination is a global id of a
 * thread on this CPU that waits in a user receive for the caller (or for
 * anyone) and may run now (priority at least the caller's), and the caller
 * then waits without a timeout for the destination or for anyone with no
 * sender queued.  The message never leaves the registers: the caller
 * blocks, the destination becomes current and both are left in exactly the
 * state the general path would leave them in.  Anything else returns NULL
 * and the general path runs.  Build with CONFIG_IPC_FASTPATH=0 to drop it.
 */
#include <kernel/ipc.h>
#include <kernel/sched.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <arch/thread.h>
#include <kernel/timeout.h>
#include <arch/uaccess.h>

#ifndef CONFIG_IPC_FASTPATH
#define CONFIG_IPC_FASTPATH 1
#endif

/* Tag bits that must be clear: t and the flags. */
#define SLOW_TAG_BITS (((word_t)0x3F << 6) | TAG_FLAGS)

frame_t *c_fastpath_ipc(word_t tag, threadid_t to, threadid_t from_spec, word_t timeouts);

/* The destination named by a global id, or by a local id of the caller's
 * space: the UTCB it points to names the thread (read from the caller's own
 * address space), which must really own that UTCB. */
static tcb_t *destination(tcb_t *self, threadid_t to)
{
    if (tid_is_global(to)) {
        tcb_t *t = thread_table_get(tid_number(to));
        return t && t->id == to ? t : NULL;
    }
    word_t id;
    if (copy_from_user(&id, to + TCR_MY_GLOBAL_ID * (long)sizeof(word_t), sizeof(id)) != 0 ||
        !tid_is_global(id)) {
        return NULL;
    }
    tcb_t *t = thread_table_get(tid_number(id));
    return t && t->id == id && t->space == self->space && t->utcb && tcb_local_id(t) == to
               ? t : NULL;
}

frame_t *c_fastpath_ipc(word_t tag, threadid_t to, threadid_t from_spec, word_t timeouts)
{
    if (!CONFIG_IPC_FASTPATH || (tag & SLOW_TAG_BITS) || (timeouts & 0xFFFF) != 0 ||
        tid_is_nil(to) || to == ANYTHREAD || to == ANYLOCALTHREAD) {
        return NULL;
    }
    tcb_t *self = sched_current();
    tcb_t *dest = destination(self, to);
    if (!dest || dest->state != TS_RECV_BLOCKED || !dest->ipc_resumable ||
        dest->halted || dest->prio < self->prio || dest->cpu != self->cpu ||
        (dest->ipc_wait_for != self->id && dest->ipc_wait_for != ANYTHREAD &&
         (dest->ipc_wait_for != ANYLOCALTHREAD || dest->space != self->space))) {
        return NULL;
    }
    bool closed = from_spec == to;
    if (!closed && ((from_spec != ANYTHREAD && from_spec != ANYLOCALTHREAD) ||
                    !list_empty(&self->send_queue))) {
        return NULL;
    }
    /* Words beyond the register MRs go UTCB to UTCB. */
    unsigned u = tag & 0x3F;
    if (u > ARCH_REG_MRS) {
        const word_t *src = utcb_p(self->utcb) + ARCH_REG_MRS + 1;
        word_t *dst = utcb_p(dest->utcb) + ARCH_REG_MRS + 1;
        for (unsigned i = 0; i < u - ARCH_REG_MRS; i++) {
            dst[i] = src[i];
        }
    }
    /* The receiver is taken out of its wait. */
    if (dest->timeout_at) {
        timeout_cancel(dest);
    }
    if (list_linked(&dest->waiter_link)) {
        list_del(&dest->waiter_link);
    }
    dest->ipc_resumable = false;
    dest->state = TS_READY;
    /* The caller waits for the reply (or anyone) from now on. */
    self->ipc_wait_for = closed ? dest->id : from_spec;
    if (closed) {
        list_add_tail(&dest->waiters, &self->waiter_link);
    }
    self->ipc_blocked_phase = IPC_PHASE_RECEIVE;
    self->ipc_send_done = false;
    self->ipc_resumable = true;
    self->state = TS_RECV_BLOCKED;

    threadid_t from = self->space == dest->space ? tcb_local_id(self) : self->id;
    frame_t *f = tcb_frame(dest);
    frame_set_ipc_result(f, from, tcb_local_id(dest));
    sched_set_current(dest);
    arch_fast_switch(self, dest);
    return f;
}
