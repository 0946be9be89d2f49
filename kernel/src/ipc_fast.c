/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fast path: the common case of a Call or ReplyWait in C.
 *
 * It applies when the message is untyped words only (no flags), the
 * destination is a thread on this CPU that waits in a user receive for the
 * caller (or for anyone) and may run now (priority at least the caller's),
 * and the caller then waits without a timeout for the destination or for
 * anyone with no sender queued.  MR0..MR7 never leave the registers (the
 * entry code keeps them), MR8.. go UTCB to UTCB; the caller blocks, the
 * destination becomes current and both are left in exactly the state the
 * general path would leave them in.  Anything else returns NULL and the
 * general path runs.  Everything here is inline: no call, no stack frame.
 * Build with CONFIG_IPC_FASTPATH=0 to drop it.
 */
#include <kernel/ipc.h>
#include <kernel/sched.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <arch/switch.h>
#include <arch/uaccess.h>

#ifndef CONFIG_IPC_FASTPATH
#define CONFIG_IPC_FASTPATH 1
#endif

/* Tag bits that must be clear: t and the flags. */
#define SLOW_TAG_BITS (((word_t)0x3F << 6) | TAG_FLAGS)

/* The arguments sit where the amd64 Ipc ABI puts them (to RSI, from RDX,
 * timeouts R8, tag R9); the first and fourth are unused. */
frame_t *c_fastpath_ipc(word_t unused0, threadid_t to, threadid_t from_spec, word_t unused3,
                        word_t timeouts, word_t tag);

/* The destination named by a local id of the caller's space: the UTCB it
 * points to names the thread (read from the caller's own address space),
 * which must really own that UTCB.  &thread_table_nobody if none. */
static inline tcb_t *local_destination(tcb_t *self, threadid_t to)
{
    word_t id;
    if (!read_user_word(to + TCR_MY_GLOBAL_ID * sizeof(word_t), &id) || !tid_is_global(id)) {
        return &thread_table_nobody;
    }
    tcb_t *t = thread_table_raw(tid_number(id));
    return t->id == id && t->space == self->space && tcb_local_id(t) == to ? t
                                                                           : &thread_table_nobody;
}

frame_t *c_fastpath_ipc(word_t unused0, threadid_t to, threadid_t from_spec, word_t unused3,
                        word_t timeouts, word_t tag)
{
    (void)unused0;
    (void)unused3;
    tcb_t *self = sched_current();
    tcb_t *dest;
    if (!CONFIG_IPC_FASTPATH || (tag & SLOW_TAG_BITS) || (timeouts & 0xFFFF) != 0) {
        goto slow;
    }
    /* A global id never names the nil, any or anylocal thread here: no
     * TCB has id ~0, and the other two look local (their local lookup
     * fails: no UTCB lies at 0 or at the top of the address space). */
    if (__builtin_expect(tid_is_global(to), 1)) {
        dest = thread_table_raw(tid_number(to));
        if (dest->id != to) {
            goto slow;
        }
    } else {
        dest = local_destination(self, to);
        if (dest == &thread_table_nobody) {
            goto slow;
        }
    }
    /* A receiver with a timeout is left to the general path, which
     * cancels it. */
    if (dest->state != TS_RECV_BLOCKED || dest->timeout_at || !dest->ipc_resumable || dest->halted ||
        dest->prio < self->prio || dest->cpu != self->cpu ||
        (dest->ipc_wait_for != self->id && dest->ipc_wait_for != ANYTHREAD &&
         (dest->ipc_wait_for != ANYLOCALTHREAD || dest->space != self->space))) {
        goto slow;
    }
    bool closed = from_spec == to;
    if (!closed && ((from_spec != ANYTHREAD && from_spec != ANYLOCALTHREAD) ||
                    !list_empty(&self->send_queue))) {
        goto slow;
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
    dest->ipc_resumable = false;
    dest->state = TS_READY;
    /* The caller waits for the reply (or anyone) from now on. */
    self->ipc_wait_for = closed ? dest->id : from_spec;
    if (closed) {
        dest->ipc_awaited = true;
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

slow:
    frame_set_ipc_args(tcb_frame(self), to, from_spec, timeouts);
    return NULL;
}
