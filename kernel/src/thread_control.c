/* SPDX-License-Identifier: BSD-2-Clause */
/* ThreadControl (X.2 §2.4): create, activate, modify and delete threads.
 *
 * decode_thread_control() checks every argument and changes nothing; the
 * invoke step can then only fail for lack of kernel memory, and it makes
 * its allocations before it changes any state, so a failing call leaves
 * everything as it was.  Decisions the manual leaves open (error codes,
 * deletion by thread number, UTCB location sharing) are in docs/threads.md.
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/ipc.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <kernel/sched.h>
#include <kernel/irq.h>
#include <kernel/string.h>
#include <arch/thread.h>
#include <arch/pgtable.h>

#define UTCB_UNCHANGED (~0UL)

typedef struct {
    threadid_t dest, space_spec, scheduler, pager;
    word_t utcb;
    tcb_t *t;           /* existing thread with dest's number, or NULL */
    space_t *target;    /* space dest shall live in; NULL = a new space */
    word_t loc;         /* UTCB location dest has after the call */
    bool activate;      /* dest becomes active */
} tc_args_t;

/* A scheduler or pager argument as a global id: local ids are translated
 * (syscalls.md §0.3); false if a local id names no thread. */
static bool globalise(tcb_t *self, threadid_t *id)
{
    if (tid_is_nil(*id) || tid_is_global(*id)) {
        return true;
    }
    tcb_t *t = thread_table_local(self->space, *id);
    if (!t) {
        return false;
    }
    *id = t->id;
    return true;
}

/* Is loc free in s?  Its UTCB block names its owner in MyGlobalId; trust it
 * only if the kernel agrees that owner is active there. */
static bool utcb_location_free(space_t *s, word_t loc)
{
    return !thread_table_local(s, loc + UTCB_P_OFFSET);
}

/* Activation (X.2 §2.4 "pager ≠ nilthread"): an initialised space and a
 * valid, unused UTCB location. */
static int check_activation(space_t *s, word_t loc)
{
    if (!s || !space_initialised(s)) {
        return ERR_INVALID_SPACE;
    }
    if (!space_utcb_location_ok(s, loc) || !utcb_location_free(s, loc)) {
        return ERR_UTCB_AREA;
    }
    return ERR_OK;
}

/* A location given for a not yet active thread is checked now if its space
 * is initialised, otherwise at activation. */
static int check_location(space_t *s, word_t loc)
{
    if (s && space_initialised(s) && !space_utcb_location_ok(s, loc)) {
        return ERR_UTCB_AREA;
    }
    return ERR_OK;
}

static int decode_modify(tcb_t *self, tc_args_t *a)
{
    tcb_t *t = a->t;
    /* The space specifier may name dest itself under its new version. */
    tcb_t *spec = tid_is_global(a->space_spec) && tid_number(a->space_spec) == tid_number(a->dest)
                      ? t : thread_table_resolve(self, a->space_spec);
    if (!spec) {
        return ERR_INVALID_SPACE;
    }
    a->target = spec->space;
    if (a->utcb != UTCB_UNCHANGED) {
        if (t->utcb) {
            return ERR_UTCB_AREA;       /* X.2: illegal for an active thread */
        }
        int e = check_location(a->target, a->utcb);
        if (e != ERR_OK) {
            return e;
        }
    }
    a->loc = a->utcb != UTCB_UNCHANGED ? a->utcb : t->utcb_location;
    if (t->utcb && a->target != t->space) {
        /* Migration of an active thread: its UTCB moves along. */
        if (!space_initialised(a->target)) {
            return ERR_INVALID_SPACE;
        }
        if (!space_utcb_location_ok(a->target, a->loc) ||
            !utcb_location_free(a->target, a->loc)) {
            return ERR_UTCB_AREA;
        }
        if (t == self) {
            return ERR_INVALID_THREAD;  /* see docs/threads.md */
        }
    }
    a->activate = !tid_is_nil(a->pager) && !t->utcb;
    return a->activate ? check_activation(a->target, a->loc) : ERR_OK;
}

static int decode_create(tcb_t *self, tc_args_t *a)
{
    if (tid_is_nil(a->scheduler)) {
        return ERR_INVALID_SCHEDULER;   /* X.2; Pistachio says InvalidThread */
    }
    if (a->space_spec != a->dest) {
        tcb_t *spec = thread_table_resolve(self, a->space_spec);
        if (!spec) {
            return ERR_INVALID_SPACE;
        }
        a->target = spec->space;
    }
    a->loc = a->utcb;
    a->activate = !tid_is_nil(a->pager);
    if (a->activate) {
        return check_activation(a->target, a->loc);
    }
    return a->utcb != UTCB_UNCHANGED ? check_location(a->target, a->utcb) : ERR_OK;
}

static int decode_thread_control(tcb_t *self, tc_args_t *a)
{
    if (!thread_is_privileged(self)) {
        return ERR_NO_PRIVILEGE;
    }
    /* X.2: dest must be a global id (Pistachio reports InvalidSpace). */
    if (!tid_is_global(a->dest) || a->dest == ANYTHREAD) {
        return ERR_INVALID_THREAD;
    }
    if (tid_number(a->dest) < THREAD_USER_BASE) {
        return ERR_INVALID_THREAD;      /* kernel threads */
    }
    a->t = thread_by_number(tid_number(a->dest));
    if (tid_is_nil(a->space_spec)) {
        /* Deletion addresses the thread number only (X.2 "dest"). */
        return a->t == self ? ERR_INVALID_THREAD : ERR_OK;
    }
    if (a->scheduler == ANYTHREAD || a->scheduler == ANYLOCALTHREAD ||
        !globalise(self, &a->scheduler)) {
        return ERR_INVALID_SCHEDULER;
    }
    if (a->pager == ANYLOCALTHREAD || !globalise(self, &a->pager)) {
        return ERR_INVALID_THREAD;
    }
    return a->t ? decode_modify(self, a) : decode_create(self, a);
}

/* Give t its UTCB and let it wait for its start-up message (X.2 §2.4).
 * The only step that can fail (NoMem) comes first. */
static bool activate(tcb_t *t, word_t loc, threadid_t pager)
{
    if (!thread_activate(t, loc, pager)) {
        return false;
    }
    thread_wait_startup(t);
    return true;
}

static int invoke_create(tcb_t *self, tc_args_t *a)
{
    space_t *s = a->target ? a->target : space_create(kmem_default_quota());
    if (!s) {
        return ERR_NO_MEM;
    }
    tcb_t *t = thread_create(a->dest, s);
    if (!t) {
        if (!a->target) {
            space_destroy(s);
        }
        return ERR_NO_MEM;
    }
    t->scheduler = a->scheduler;
    tcb_set_utcb_location(t, a->loc);
    if (a->activate && !activate(t, a->loc, a->pager)) {
        thread_destroy(t);              /* also destroys a new space */
        return ERR_NO_MEM;
    }
    return ERR_OK;
}

/* Move active t with its UTCB contents to space to.  The copy comes first
 * (moving may free the old space and its UTCB pages); a copy left behind by
 * a failed move names t but is not t's UTCB, so its location stays free. */
static bool migrate_active(tcb_t *t, space_t *to)
{
    utcb_t *u = space_utcb_block(to, t->utcb_location);
    if (!u) {
        return false;
    }
    memcpy(u, t->utcb, sizeof(*u));
    if (!thread_move_space(t, to)) {
        return false;
    }
    t->utcb = u;
    return true;
}

static int invoke_modify(tcb_t *self, tc_args_t *a)
{
    tcb_t *t = a->t;
    /* Allocate first: the UTCB page stays with its space either way, so
     * activation below cannot fail once this succeeded. */
    if (a->activate && !space_utcb_block(a->target, a->loc)) {
        return ERR_NO_MEM;
    }
    if (a->target != t->space) {
        if (t->utcb) {
            if (!migrate_active(t, a->target)) {
                return ERR_NO_MEM;
            }
        } else if (!thread_move_space(t, a->target)) {
            return ERR_NO_MEM;
        }
        /* A string copy in progress named buffers of the old space: it is
         * aborted now that the move cannot fail any more (both parties
         * fail with "aborted"; the copier looks at nothing of the old
         * space before it sees that); other IPC goes on. */
        if (t->xfer_partner) {
            ipc_cancel(t, true, true);
        }
    }
    tcb_set_utcb_location(t, a->loc);
    if (a->activate) {
        activate(t, a->loc, a->pager);
    } else if (!tid_is_nil(a->pager)) {
        utcb_set_tcr(t->utcb, TCR_PAGER, a->pager);
    }
    if (!tid_is_nil(a->scheduler)) {
        t->scheduler = a->scheduler;
    }
    if (t->id != a->dest) {
        /* Ongoing IPC is not aborted (docs/threads.md): aborting would also
         * end a start-up wait and start the thread at IP 0. */
        thread_set_id(t, a->dest);
    }
    return ERR_OK;
}

static int invoke_thread_control(tcb_t *self, tc_args_t *a)
{
    if (tid_is_nil(a->space_spec)) {
        if (a->t) {
            thread_destroy(a->t);
        }
        return ERR_OK;
    }
    return a->t ? invoke_modify(self, a) : invoke_create(self, a);
}

word_t sys_thread_control(tcb_t *self, threadid_t dest, threadid_t space_spec,
                          threadid_t scheduler, threadid_t pager, word_t utcb)
{
    if (tid_is_global(dest) && dest != ANYTHREAD && tid_number(dest) < THREAD_SYSTEM_BASE) {
        if (!thread_is_privileged(self)) {
            syscall_set_error(self, ERR_NO_PRIVILEGE);
            return 0;
        }
        int e = irq_control(self, dest, pager);
        syscall_set_error(self, (enum syscall_error)e);
        return e == ERR_OK;
    }
    tc_args_t a = { .dest = dest, .space_spec = space_spec, .scheduler = scheduler,
                    .pager = pager, .utcb = utcb };
    int e = decode_thread_control(self, &a);
    if (e == ERR_OK) {
        e = invoke_thread_control(self, &a);
    }
    if (e != ERR_OK) {
        syscall_set_error(self, (enum syscall_error)e);
        return 0;
    }
    return 1;
}
