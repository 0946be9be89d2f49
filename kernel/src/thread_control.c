/* SPDX-License-Identifier: BSD-2-Clause */
/* ThreadControl (X.2 §3.3): create, modify and delete threads.
 *
 * The call is split seL4-style: decode_thread_control() checks every
 * argument and changes nothing; the invoke step cannot fail except for
 * kernel memory, which it checks before touching any state.  Decisions the
 * manual leaves open are in docs/threads.md.
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/space.h>
#include <kernel/sched.h>
#include <kernel/irq.h>
#include <arch/thread.h>

typedef struct {
    threadid_t dest, space_spec, scheduler, pager;
    word_t utcb;
    tcb_t *t;           /* existing thread with dest's number, or NULL */
    tcb_t *space_of;    /* thread naming the target space, or NULL (new space) */
} tc_args_t;

#define UTCB_UNCHANGED (~0UL)

static bool is_user_thread_number(word_t no)
{
    return no >= THREAD_USER_BASE;
}

/* Activation: needs an initialised space and a valid UTCB location. */
static int check_activation(space_t *s, word_t loc)
{
    if (!s || !space_initialised(s)) {
        return ERR_INVALID_SPACE;
    }
    return space_utcb_location_ok(s, loc) ? ERR_OK : ERR_UTCB_AREA;
}

static int decode_thread_control(tcb_t *self, tc_args_t *a)
{
    if (!thread_is_privileged(self)) {
        return ERR_NO_PRIVILEGE;
    }
    if (!tid_is_global(a->dest) || a->dest == ANYTHREAD) {
        return ERR_INVALID_THREAD;
    }
    word_t no = tid_number(a->dest);
    if (!is_user_thread_number(no)) {
        return ERR_INVALID_THREAD;      /* interrupts: see sys_thread_control */
    }
    a->t = thread_by_number(no);
    if (tid_is_nil(a->space_spec)) {                        /* delete */
        if (a->t == self || (a->t && a->t->id != a->dest)) {
            return ERR_INVALID_THREAD;
        }
        return ERR_OK;
    }
    if (a->space_spec != a->dest || a->t) {
        a->space_of = thread_resolve(self, a->space_spec);
        if (!a->space_of || (a->t && a->space_of->space != a->t->space && a->t->utcb)) {
            return ERR_INVALID_SPACE;
        }
    }
    space_t *target = a->space_of ? a->space_of->space : NULL;
    word_t loc = a->utcb != UTCB_UNCHANGED ? a->utcb : a->t ? a->t->utcb_location : UTCB_UNCHANGED;
    if (a->t) {                                             /* modify */
        if (a->utcb != UTCB_UNCHANGED &&
            (a->t->utcb || (space_initialised(target) && !space_utcb_location_ok(target, loc)))) {
            return ERR_UTCB_AREA;
        }
        if (!tid_is_nil(a->pager) && !a->t->utcb) {
            return check_activation(target, loc);
        }
        return ERR_OK;
    }
    if (tid_is_nil(a->scheduler)) {                         /* create */
        return ERR_INVALID_SCHEDULER;
    }
    if (a->utcb != UTCB_UNCHANGED && target && space_initialised(target) &&
        !space_utcb_location_ok(target, a->utcb)) {
        return ERR_UTCB_AREA;
    }
    if (!tid_is_nil(a->pager)) {
        return check_activation(target, loc);
    }
    return ERR_OK;
}

static bool activate(tcb_t *t, word_t loc, threadid_t pager)
{
    if (!thread_activate(t, loc, pager)) {
        return false;
    }
    /* X.2 §5 thread start: wait for the start-up message from the pager. */
    thread_wait_startup(t);
    return true;
}

static int invoke_thread_control(tcb_t *self, tc_args_t *a)
{
    tcb_t *t = a->t;
    if (tid_is_nil(a->space_spec)) {
        if (t) {
            thread_destroy(t);
        }
        return ERR_OK;
    }
    if (!t) {
        space_t *s = a->space_of ? a->space_of->space : space_create();
        if (!s) {
            return ERR_NO_MEM;
        }
        t = thread_create(a->dest, s);
        if (!t) {
            if (!a->space_of) {
                space_destroy(s);
            }
            return ERR_NO_MEM;
        }
        t->scheduler = a->scheduler;
        t->utcb_location = a->utcb;
        if (!tid_is_nil(a->pager) && !activate(t, a->utcb, a->pager)) {
            thread_destroy(t);
            return ERR_NO_MEM;
        }
        return ERR_OK;
    }
    if (a->space_of && a->space_of->space != t->space) {
        thread_move_space(t, a->space_of->space);
    }
    if (a->utcb != UTCB_UNCHANGED) {
        t->utcb_location = a->utcb;
    }
    if (!tid_is_nil(a->pager)) {
        if (t->utcb) {
            utcb_set_tcr(t->utcb, TCR_PAGER, a->pager);
        } else if (!activate(t, t->utcb_location, a->pager)) {
            return ERR_NO_MEM;
        }
    }
    if (!tid_is_nil(a->scheduler)) {
        t->scheduler = a->scheduler;
    }
    if (t->id != a->dest) {
        thread_set_id(t, a->dest);
    }
    return ERR_OK;
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
    tc_args_t a = { dest, space_spec, scheduler, pager, utcb, NULL, NULL };
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
