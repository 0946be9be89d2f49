/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fast path: the common case of a Call or ReplyWait in C.
 *
 * It applies when the message is untyped words only (no flags), the
 * destination is a thread on this CPU that waits in a user receive without
 * a timeout for the caller (or for anyone) and may run now (priority at
 * least the caller's), and the caller, with no sender queued, then waits
 * without a timeout for the destination or for anyone.  MR0..MR7 never leave
 * the registers (the entry code keeps them), MR8.. go UTCB to UTCB; the
 * caller blocks, the destination becomes current and both are left in
 * exactly the state the general path would leave them in.  Anything else
 * returns a NULL frame and the general path runs.  Everything here is
 * inline: no call, no stack frame.  Build with CONFIG_IPC_FASTPATH=0 to
 * drop it.
 */
#include <kernel/ipc.h>
#include <kernel/sched.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <arch/switch.h>
#include <arch/copy.h>
#include <arch/uaccess.h>

#ifndef CONFIG_IPC_FASTPATH
#define CONFIG_IPC_FASTPATH 1
#endif

/* What the entry code gets back (two registers): the destination's frame,
 * to leave through, and the id the caller appears under to it. */
typedef struct {
    frame_t *frame;
    threadid_t from;
} fast_result_t;

/* The arguments sit where the amd64 Ipc ABI puts them (to RSI, from RDX,
 * timeouts R8, tag R9); the first and fourth are unused.  The entry code
 * has checked that the tag has no typed items or flags and the receive
 * timeout is Never. */
fast_result_t c_fastpath_ipc(word_t unused0, threadid_t to, threadid_t from_spec, word_t unused3,
                             word_t timeouts, word_t tag);
fast_result_t c_fastpath_lipc(word_t unused0, threadid_t to, threadid_t from_spec, word_t unused3,
                              word_t timeouts, word_t tag);

/* Leave the Ipc to the general path, which finds its arguments in the
 * frame (the entry code saved the rest). */
static inline fast_result_t give_up(tcb_t *self, threadid_t to, threadid_t from_spec,
                                    word_t timeouts)
{
    frame_set_ipc_args(tcb_frame(self), to, from_spec, timeouts);
    return (fast_result_t){ NULL, 0 };
}

/* Does dest's receive phase accept a message from self? */
static inline bool accepts(const tcb_t *dest, const tcb_t *self)
{
    threadid_t w = dest->ipc_wait_for;
    return w == self->id || w == ANYTHREAD || (w == ANYLOCALTHREAD && dest->space == self->space);
}

/* Nothing fails from here on.  The receiver is taken out of its wait, the
 * caller waits for the reply (or anyone) from now on (its run word says
 * blocked in the receive phase; ipc_send_done only counts in a send
 * phase), MR8.. go UTCB to UTCB, and dest becomes current. */
static inline ALWAYS_INLINE void commit(tcb_t *self, tcb_t *dest, bool closed,
                                        threadid_t from_spec, word_t tag, uint64_t waiting)
{
    self->run_word = waiting;
    dest->run_word = waiting - (RUN_WORD_OF(TS_RECV_BLOCKED, 1, 0, 0) - RUN_WORD_OF(TS_READY, 0, 0, 0));
    if (closed) {
        self->ipc_wait_for = dest->id;
        dest->ipc_awaited = true;
    } else {
        self->ipc_wait_for = from_spec;
    }
    unsigned u = tag & 0x3F;
    if (u > ARCH_REG_MRS) {
        arch_copy_words(utcb_p(dest->utcb) + ARCH_REG_MRS + 1,
                        utcb_p(self->utcb) + ARCH_REG_MRS + 1, u - ARCH_REG_MRS);
    }
    sched_set_current(dest);
}

/* The fast path proper, dest already found. */
static inline ALWAYS_INLINE fast_result_t deliver(tcb_t *dest, threadid_t to,
                                                  threadid_t from_spec, tcb_t *self,
                                                  word_t timeouts, word_t tag, bool same)
{
    if (!CONFIG_IPC_FASTPATH) {
        goto slow;
    }
    /* dest must wait in the receive phase of a user Ipc on this CPU, not
     * halted, no interrupt thread, no timeout (the general path cancels
     * one): one comparison of run words. */
    /* dest must not rank below the caller; and a sender queued at the
     * caller goes first, also in a closed wait (one propagating on dest's
     * behalf counts as dest, X.2 §5.6), so then ipc_fast_prio is above
     * every priority. */
    uint64_t waiting = cpu_ipc_wait_word();
    if (dest->run_word != waiting || dest->prio < self->ipc_fast_prio ||
        !accepts(dest, self)) {
        goto slow;
    }
    /* The receive phase waits for dest (a Call) or for anyone.  Written as
     * nested tests: as one condition the compiler computes it with flags
     * instead of branching (four more instructions on every IPC). */
    bool closed = from_spec == to;
    if (!closed) {
        if (from_spec != ANYTHREAD) {
            if (from_spec != ANYLOCALTHREAD) {
                goto slow;
            }
        }
    }
    /* The two cases apart, so that each is straight code. */
    if (same || self->space == dest->space) {
        commit(self, dest, closed, from_spec, tag, waiting);
        arch_fast_switch(self, dest, true);
        return (fast_result_t){ tcb_frame(dest), tcb_local_id(self) };
    }
    if (arch_fast_switch_begin(dest)) {
        commit(self, dest, closed, from_spec, tag, waiting);
        arch_fast_switch(self, dest, false);
        return (fast_result_t){ tcb_frame(dest), self->id };
    }

slow:
    return give_up(self, to, from_spec, timeouts);
}

/* The same out of line for local ids, which name threads of the caller's
 * own space; reached by a jump. */
static NOINLINE fast_result_t deliver_local(tcb_t *dest, threadid_t to, threadid_t from_spec,
                                            tcb_t *self, word_t timeouts, word_t tag)
{
    return deliver(dest, to, from_spec, self, timeouts, tag, true);
}

/* A local id names the thread of the caller's space that owns the UTCB it
 * points to.  The thread last reached this way is cached (its TCB slot,
 * checked on use: still a thread of this space with this local id).
 * Otherwise the UTCB names the candidate (read from the caller's own
 * address space), which must really own that UTCB.  The nil and anylocal
 * ids fail the read (no UTCB lies at 0 or at the top of the address
 * space), and the cache never holds them. */
fast_result_t c_fastpath_lipc(word_t unused0, threadid_t to, threadid_t from_spec, word_t unused3,
                              word_t timeouts, word_t tag)
{
    if (tid_is_global(to)) {
        return c_fastpath_ipc(unused0, to, from_spec, unused3, timeouts, tag);
    }
    tcb_t *self = sched_current();
    tcb_t *dest = self->lipc_dest;
    if (to == self->lipc_to && thread_table_has_local_id(dest, to) &&
        dest->space == self->space) {
        return deliver_local(dest, to, from_spec, self, timeouts, tag);
    }
    word_t id;
    if (read_user_word(to + TCR_MY_GLOBAL_ID * sizeof(word_t), &id) && tid_is_global(id)) {
        dest = thread_table_raw(tid_number(id));
        if (thread_table_has_id(dest, id) && dest->space == self->space &&
            tcb_local_id(dest) == to) {
            self->lipc_to = to;
            self->lipc_dest = dest;
            return deliver_local(dest, to, from_spec, self, timeouts, tag);
        }
    }
    return give_up(self, to, from_spec, timeouts);
}

/* A global id never names the nil, any or anylocal thread: no TCB has id
 * ~0, and the other two look local. */
fast_result_t c_fastpath_ipc(word_t unused0, threadid_t to, threadid_t from_spec, word_t unused3,
                             word_t timeouts, word_t tag)
{
    if (!tid_is_global(to)) {
        return c_fastpath_lipc(unused0, to, from_spec, unused3, timeouts, tag);
    }
    tcb_t *self = sched_current();
    tcb_t *dest = thread_table_raw(tid_number(to));
    if (!thread_table_has_id(dest, to)) {
        return give_up(self, to, from_spec, timeouts);
    }
    return deliver(dest, to, from_spec, self, timeouts, tag, false);
}
