/* SPDX-License-Identifier: BSD-2-Clause */
/* SpaceControl (X.2 §4.3): KIP area, UTCB area and redirector of a space.
 *
 * The areas can be (re)defined while no thread of the space has ever been
 * activated in it (no UTCB page exists yet); afterwards they are ignored, as
 * the manual says for spaces with active threads.  Unlike Pistachio, which
 * ignores them once set, a space can thus be reconfigured before its first
 * activation, and no UTCB page is ever stranded outside the UTCB area.  The
 * control word carries Pecan's kernel-memory quota extension (space.h,
 * docs/kmem.md); every other bit is ignored (Pecan has no compatibility-mode
 * spaces), and without the extension it reads back as 0.  A quota below
 * what the space holds already is allowed: the space just cannot grow.
 */
#include <kernel/syscall.h>
#include <kernel/thread.h>
#include <kernel/thread_table.h>
#include <kernel/space.h>
#include <mode/layout.h>

/* The quota and usage report of the Q/R extension (space.h). */
static word_t quota_report(const space_t *s, word_t control)
{
    const kmem_account_t *a = &s->kmem;
    word_t quota = a->limit == KMEM_UNLIMITED ? SPACE_CTRL_PAGES : a->limit / PAGE_SIZE;
    word_t used = ALIGN_UP(a->used, PAGE_SIZE) / PAGE_SIZE;
    word_t used_max = MASK(WORD_BITS - 3 - WORD_BITS / 2);
    if (quota > SPACE_CTRL_PAGES - 1 && a->limit != KMEM_UNLIMITED) {
        quota = SPACE_CTRL_PAGES - 1;
    }
    return (control & (SPACE_CTRL_QUOTA | SPACE_CTRL_REPORT)) | quota |
           ((used < used_max ? used : used_max) << (WORD_BITS / 2));
}

static word_t quota_bytes(word_t control)
{
    word_t pages = control & SPACE_CTRL_PAGES;
    return pages == SPACE_CTRL_PAGES ? KMEM_UNLIMITED : pages * PAGE_SIZE;
}

word_t sys_space_control(tcb_t *self, threadid_t space_spec, word_t control, fpage_t kip_area,
                         fpage_t utcb_area, threadid_t redirector, word_t *old_control)
{
    *old_control = 0;
    if (!thread_is_privileged(self)) {
        syscall_set_error(self, ERR_NO_PRIVILEGE);
        return 0;
    }
    tcb_t *t = thread_table_resolve(self, space_spec);
    if (!t) {
        syscall_set_error(self, ERR_INVALID_SPACE);
        return 0;
    }
    space_t *s = t->space;
    if (control & (SPACE_CTRL_QUOTA | SPACE_CTRL_REPORT)) {
        *old_control = quota_report(s, control);
    }
    /* A local redirector is stored as the global id it names. */
    if (!tid_is_nil(redirector) && tid_is_local(redirector) && redirector != ANYLOCALTHREAD) {
        tcb_t *r = thread_table_local(self->space, redirector);
        if (!r) {
            syscall_set_error(self, ERR_INVALID_THREAD);
            return 0;
        }
        redirector = r->id;
    }
    /* A new quota applies to the areas' page tables too; it is undone if
     * they fail, so a failing call changes nothing. */
    word_t old_limit = s->kmem.limit;
    if (control & SPACE_CTRL_QUOTA) {
        s->kmem.limit = quota_bytes(control);
    }
    /* Nil areas for an initialised space keep them (e.g. a quota change). */
    bool keep = space_initialised(s) && fpage_is_nil(kip_area) && fpage_is_nil(utcb_area);
    if (s->active_threads == 0 && !s->utcb_pages && !keep) {
        int e = space_set_areas(s, kip_area, utcb_area);
        if (e) {
            s->kmem.limit = old_limit;
            syscall_set_error(self, (enum syscall_error)e);
            return 0;
        }
    }
    if (!tid_is_nil(redirector)) {
        s->redirector = redirector;
    }
    return 1;
}
